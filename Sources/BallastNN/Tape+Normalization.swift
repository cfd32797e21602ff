import BallastCore

extension Tape {
    /// Normalizes each column to zero mean and unit variance: `(x − mean) / √(var + ε)`, without
    /// the affine part (``BatchNorm1d`` and ``ConditionalBatchNorm1d`` add their own `γ`, `β`).
    ///
    /// In training the batch mean and biased variance are used, and the running statistics move
    /// towards the batch mean and the unbiased batch variance: `r ← (1 − momentum)·r + momentum·batch`
    /// (PyTorch's rule). In inference the running statistics are used and left unchanged.
    ///
    /// With `length > 1` the rows are channel-major, `batch × (features·length)`, and each feature
    /// (channel) is normalized over the batch and its positions: PyTorch's `BatchNorm1d` on `(N, C, L)`.
    /// - Parameters:
    ///   - x: `batch × (features·length)`; in training, `batch·length ≥ 2` is expected.
    ///   - runningMean: `1 × features` running mean, updated in training.
    ///   - runningVariance: `1 × features` running variance, updated in training.
    ///   - momentum: weight of the batch statistics in the running ones.
    ///   - epsilon: added to the variance.
    ///   - training: batch statistics (`true`) or running ones (`false`).
    ///   - length: positions per feature of channel-major rows (1: plain `batch × features`).
    public func batchNormalize(
        _ x: Tensor, runningMean: inout Matrix, runningVariance: inout Matrix,
        momentum: Float, epsilon: Float, training: Bool, length: Int = 1
    ) -> Tensor {
        check(x)
        let features = runningMean.count
        precondition(length >= 1 && features * length == x.columns && runningVariance.count == features,
                     "Tape.batchNormalize: running statistics of \(features) features × length \(length), input has \(x.columns) columns")
        let statistics = allocate(features)
        let (t, out) = record(rows: x.rows, columns: x.columns, needsGradient: needs(x),
                              op: .batchNorm(x.id, statistics: statistics, training: training, length: length))
        let input = valuePointer(x.id), stats = pointer(statistics)
        runningMean.withUnsafeMutableBufferPointer { mean in
            runningVariance.withUnsafeMutableBufferPointer { variance in
                if length == 1 {
                    Scalar.batchNormForward(input, out, rows: x.rows, columns: x.columns, statistics: stats,
                                            runningMean: mean.baseAddress!, runningVariance: variance.baseAddress!,
                                            momentum: Double(momentum), epsilon: Double(epsilon), training: training)
                } else {
                    Scalar.channelBatchNormForward(input, out, rows: x.rows, channels: features, length: length, statistics: stats,
                                                   runningMean: mean.baseAddress!, runningVariance: variance.baseAddress!,
                                                   momentum: Double(momentum), epsilon: Double(epsilon), training: training)
                }
            }
        }
        return t
    }
}
