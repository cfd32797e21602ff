import BallastCore

/// Batch normalization over features (Ioffe & Szegedy, 2015), as PyTorch's `nn.BatchNorm1d`:
/// `y = γ · (x − mean) / √(var + ε) + β` per column.
///
/// Training uses the batch mean and biased variance and moves the running statistics by `momentum`
/// (0.1) towards the batch mean and *unbiased* variance; inference uses the running statistics.
///
/// With `length > 1` the input is channel-major, `batch × (features·length)` (the output of
/// ``Conv1d``), and each channel is normalized over the batch and its positions — PyTorch's
/// `BatchNorm1d` on an `(N, C, L)` tensor, with the same parameter shapes.
public final class BatchNorm1d: Layer {
    /// `1 × features` scale `γ` (`"<name>.weight"`, starts at 1), or `nil` without affine part.
    public let scale: Parameter?
    /// `1 × features` shift `β` (`"<name>.bias"`, starts at 0), or `nil` without affine part.
    public let shift: Parameter?
    /// `1 × features` running mean (`"<name>.running_mean"`, starts at 0).
    public let runningMean: Parameter
    /// `1 × features` running variance (`"<name>.running_var"`, starts at 1).
    public let runningVariance: Parameter
    /// Number of training batches seen (`"<name>.num_batches_tracked"`, shape `[]`; an integer in
    /// PyTorch's files, kept as a Float count here).
    public let batchesTracked: Parameter
    /// Weight of a batch's statistics in the running ones.
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float

    /// Number of features (channels).
    public var features: Int { runningMean.value.columns }
    /// Positions per channel: 1 for a `batch × features` input.
    public let length: Int

    /// The channel of each of the `features·length` columns.
    private let channelOfColumn: [Int]

    /// A batch-norm layer with `γ = 1`, `β = 0`, running mean 0 and variance 1.
    /// - Parameters:
    ///   - features: number of columns normalized.
    ///   - momentum: running-statistics momentum (PyTorch's default 0.1).
    ///   - epsilon: variance offset (PyTorch's default 1e-5).
    ///   - affine: whether to learn `γ` and `β`.
    ///   - length: positions per channel of a channel-major input (1: plain `batch × features`).
    ///   - name: prefix of the parameter names.
    public init(features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, affine: Bool = true, length: Int = 1,
                name: String = "batchnorm") {
        precondition(features > 0 && length > 0, "BatchNorm1d: \(features) features, length \(length)")
        self.length = length
        channelOfColumn = (0..<(features * length)).map { $0 / length }
        scale = affine ? Parameter(name: name + ".weight", value: Matrix(rows: 1, columns: features, repeating: 1), shape: [features]) : nil
        shift = affine ? Parameter(name: name + ".bias", value: Matrix(rows: 1, columns: features), shape: [features]) : nil
        runningMean = Parameter(name: name + ".running_mean", value: Matrix(rows: 1, columns: features), shape: [features])
        runningVariance = Parameter(name: name + ".running_var", value: Matrix(rows: 1, columns: features, repeating: 1), shape: [features])
        batchesTracked = Parameter(name: name + ".num_batches_tracked", value: Matrix(rows: 1, columns: 1), shape: [])
        self.momentum = momentum
        self.epsilon = epsilon
    }

    /// `γ` then `β`.
    public var parameters: [Parameter] { [scale, shift].compactMap { $0 } }
    /// The running mean, the running variance and the batch count, as in PyTorch's `state_dict`.
    public var buffers: [Parameter] { [runningMean, runningVariance, batchesTracked] }
    /// Normalization (2 per element) plus the affine part (2 per element).
    public func flopsPerSample() -> Int { (scale == nil ? 2 : 4) * features * length }

    /// Normalizes `x` with batch (training) or running (inference) statistics, then scales and shifts.
    /// - Parameters:
    ///   - x: `batch × features`, or `batch × (features·length)` channel-major.
    ///   - tape: the tape of the current step.
    ///   - mode: training updates the running statistics.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        precondition(x.columns == features * length, "BatchNorm1d: input has \(x.columns) columns, expected \(features)×\(length)")
        if mode == .training { batchesTracked.value[0, 0] += 1 }
        let normalized = tape.batchNormalize(x, runningMean: &runningMean.value, runningVariance: &runningVariance.value,
                                             momentum: momentum, epsilon: epsilon, training: mode == .training, length: length)
        guard let scale, let shift else { return normalized }
        return tape.add(tape.mul(normalized, perColumn(scale, on: tape)), perColumn(shift, on: tape))
    }

    /// A `1 × features` parameter as `1 × (features·length)`, each value repeated over its channel's positions.
    private func perColumn<S: NNScalar>(_ parameter: Parameter, on tape: Tape<S>) -> Tensor {
        let p = tape.parameter(parameter)
        guard length > 1 else { return p }
        let column = tape.reshape(p, rows: features, columns: 1)
        return tape.reshape(tape.gatherRows(column, channelOfColumn), rows: 1, columns: features * length)
    }
}
