import BallastCore

extension Tape {
    /// Normalizes each column to zero mean and unit variance: `(x − mean) / √(var + ε)`, without
    /// the affine part (``BatchNorm1d`` and ``ConditionalBatchNorm1d`` add their own `γ`, `β`).
    ///
    /// In training the batch mean and biased variance are used, and the running statistics move
    /// towards the batch mean and the unbiased batch variance: `r ← (1 − momentum)·r + momentum·batch`
    /// (PyTorch's rule). In inference the running statistics are used and left unchanged.
    /// - Parameters:
    ///   - x: `batch × features`; in training, `batch ≥ 2` is expected.
    ///   - runningMean: `1 × features` running mean, updated in training.
    ///   - runningVariance: `1 × features` running variance, updated in training.
    ///   - momentum: weight of the batch statistics in the running ones.
    ///   - epsilon: added to the variance.
    ///   - training: batch statistics (`true`) or running ones (`false`).
    public func batchNormalize(
        _ x: Tensor, runningMean: inout Matrix, runningVariance: inout Matrix,
        momentum: Float, epsilon: Float, training: Bool
    ) -> Tensor {
        check(x)
        precondition(runningMean.count == x.columns && runningVariance.count == x.columns,
                     "Tape.batchNormalize: running statistics of \(runningMean.count) features, input has \(x.columns)")
        let statistics = allocate(x.columns)
        let (t, out) = record(rows: x.rows, columns: x.columns, needsGradient: needs(x),
                              op: .batchNorm(x.id, statistics: statistics, training: training))
        let input = valuePointer(x.id), stats = pointer(statistics)
        runningMean.withUnsafeMutableBufferPointer { mean in
            runningVariance.withUnsafeMutableBufferPointer { variance in
                Scalar.batchNormForward(input, out, rows: x.rows, columns: x.columns, statistics: stats,
                                        runningMean: mean.baseAddress!, runningVariance: variance.baseAddress!,
                                        momentum: Double(momentum), epsilon: Double(epsilon), training: training)
            }
        }
        return t
    }
}
