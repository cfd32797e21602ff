// Loss functions on the tape. Every loss is a `1 × 1` tensor, averaged over the batch.

extension Tape {
    /// Mean squared error over every element, `mean((prediction − target)²)` (PyTorch's `MSELoss`).
    /// - Parameters:
    ///   - prediction: any shape.
    ///   - target: the same shape.
    public func mseLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        precondition(prediction.rows == target.rows && prediction.columns == target.columns,
                     "Tape.mseLoss: prediction \(prediction.rows)×\(prediction.columns), target \(target.rows)×\(target.columns)")
        let difference = sub(prediction, target)
        return mean(mul(difference, difference), axis: nil)
    }

    /// Binary cross-entropy on logits, averaged over every element, in the stable form
    /// `max(x, 0) − x·t + log(1 + e^−|x|)` (PyTorch's `BCEWithLogitsLoss`).
    /// - Parameters:
    ///   - logits: any shape.
    ///   - targets: the same shape, values in `[0, 1]` (no gradient flows into them).
    public func binaryCrossEntropyWithLogits(_ logits: Tensor, _ targets: Tensor) -> Tensor {
        check(logits); check(targets)
        precondition(logits.rows == targets.rows && logits.columns == targets.columns,
                     "Tape.binaryCrossEntropyWithLogits: logits \(logits.rows)×\(logits.columns), targets \(targets.rows)×\(targets.columns)")
        let (t, out) = record(rows: 1, columns: 1, needsGradient: needs(logits), op: .bceWithLogits(logits.id, targets: targets.id))
        out[0] = Scalar.bceWithLogitsForward(valuePointer(logits.id), targets: valuePointer(targets.id), count: logits.count)
        return t
    }

    /// Softmax cross-entropy with integer labels, fused with the softmax for stability.
    ///
    /// With class weights it is PyTorch's weighted mean: `Σᵢ w[yᵢ]·lossᵢ / Σᵢ w[yᵢ]`.
    /// - Parameters:
    ///   - logits: `batch × classes`.
    ///   - labels: `batch` class indices in `0..<classes`.
    ///   - classWeights: one weight per class, or `nil` for the plain mean.
    public func softmaxCrossEntropy(_ logits: Tensor, labels: [Int], classWeights: [Float]? = nil) -> Tensor {
        check(logits)
        precondition(labels.count == logits.rows, "Tape.softmaxCrossEntropy: \(labels.count) labels for \(logits.rows) rows")
        if let classWeights {
            precondition(classWeights.count == logits.columns,
                         "Tape.softmaxCrossEntropy: \(classWeights.count) class weights for \(logits.columns) classes")
        }
        let start = indices.count
        for label in labels {
            precondition(label >= 0 && label < logits.columns, "Tape.softmaxCrossEntropy: label \(label) out of range 0..<\(logits.columns)")
            indices.append(label)
        }
        var weights = -1
        if let classWeights {
            weights = allocate(classWeights.count)
            let w = pointer(weights)
            for (i, v) in classWeights.enumerated() { w[i] = Scalar(v) }
        }
        let (t, out) = record(rows: 1, columns: 1, needsGradient: needs(logits),
                              op: .softmaxCrossEntropy(logits.id, labels: start, weights: weights))
        let x = valuePointer(logits.id)
        let w: UnsafePointer<Scalar>? = weights >= 0 ? UnsafePointer(pointer(weights)) : nil
        out[0] = indices.withUnsafeBufferPointer { all in
            Scalar.softmaxCrossEntropyForward(x, rows: logits.rows, columns: logits.columns,
                                              labels: all.baseAddress! + start, weights: w)
        }
        return t
    }

    /// The KL divergence of `N(mean, e^logVariance)` from `N(0, 1)`, summed over the latent
    /// dimensions and averaged over the batch: `mean_rows(½ Σ (μ² + σ² − 1 − log σ²))`.
    /// - Parameters:
    ///   - mean: `batch × latent`.
    ///   - logVariance: `batch × latent`.
    public func gaussianKL(mean mu: Tensor, logVariance: Tensor) -> Tensor {
        precondition(mu.rows == logVariance.rows && mu.columns == logVariance.columns,
                     "Tape.gaussianKL: mean \(mu.rows)×\(mu.columns), log-variance \(logVariance.rows)×\(logVariance.columns)")
        let terms = sub(add(mul(mu, mu), exp(logVariance)), logVariance)
        let total = sum(terms, axis: nil)
        return apply(.shift(-0.5 * Double(mu.columns)), apply(.scale(0.5 / Double(Swift.max(mu.rows, 1))), total))
    }

    /// The mean over the batch of `log N(z; 0, I) + logDeterminant`: the log-likelihood a normalizing
    /// flow maximizes (its loss is the negative of this).
    /// - Parameters:
    ///   - z: `batch × dimensions`, the flow's output.
    ///   - logDeterminant: `batch × 1`, `log |det ∂z/∂x|` per row.
    public func standardNormalLogDensity(_ z: Tensor, logDeterminant: Tensor) -> Tensor {
        precondition(logDeterminant.rows == z.rows && logDeterminant.columns == 1,
                     "Tape.standardNormalLogDensity: log-determinant \(logDeterminant.rows)×\(logDeterminant.columns), expected \(z.rows)×1")
        let squares = apply(.scale(-0.5 / Double(Swift.max(z.rows, 1))), sum(mul(z, z), axis: nil))
        let logTwoPi = 1.8378770664093453
        return apply(.shift(-0.5 * Double(z.columns) * logTwoPi), add(squares, mean(logDeterminant, axis: nil)))
    }
}
