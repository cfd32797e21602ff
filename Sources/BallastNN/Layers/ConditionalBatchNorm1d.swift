import BallastCore

/// Conditional batch normalization: batch normalization whose scale `γ` and shift `β` are chosen
/// per sample by its class, `y = γ[c] · x̂ + β[c]`.
///
/// From de Vries et al. (2017), as used by the DCBN-VAE generator for imbalanced intrusion data:
/// the class label modulates every hidden layer, so one network generates each class's records.
/// The statistics are shared by all classes (as in ``BatchNorm1d``, PyTorch's rules); `γ` starts at
/// 1 and `β` at 0 for every class.
public final class ConditionalBatchNorm1d: Trainable {
    /// `classes × features` scales (`"<name>.weight"`).
    public let scale: Parameter
    /// `classes × features` shifts (`"<name>.bias"`).
    public let shift: Parameter
    /// The shared normalization (no affine part of its own).
    public let normalization: BatchNorm1d

    /// Number of features.
    public var features: Int { scale.value.columns }
    /// Number of classes.
    public var classes: Int { scale.value.rows }

    /// A layer with `γ = 1` and `β = 0` for every class.
    /// - Parameters:
    ///   - features: number of columns normalized.
    ///   - classes: number of classes (labels are `0..<classes`).
    ///   - momentum: running-statistics momentum.
    ///   - epsilon: variance offset.
    ///   - name: prefix of the parameter names.
    public init(features: Int, classes: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, name: String = "cbn") {
        precondition(features > 0 && classes > 0, "ConditionalBatchNorm1d: \(features) features, \(classes) classes")
        scale = Parameter(name: name + ".weight", value: Matrix(rows: classes, columns: features, repeating: 1))
        shift = Parameter(name: name + ".bias", value: Matrix(rows: classes, columns: features))
        normalization = BatchNorm1d(features: features, momentum: momentum, epsilon: epsilon, affine: false, name: name)
    }

    /// `γ` then `β` tables.
    public var parameters: [Parameter] { [scale, shift] }
    /// The shared running statistics (mean, variance, batch count).
    public var buffers: [Parameter] { normalization.buffers }
    /// Normalization (2 per element) plus the affine part (2 per element).
    public func flopsPerSample() -> Int { 4 * features }

    /// Normalizes `x`, then applies each row's class scale and shift.
    /// - Parameters:
    ///   - x: `batch × features`.
    ///   - labels: `batch` class indices in `0..<classes`.
    ///   - tape: the tape of the current step.
    ///   - mode: training updates the running statistics.
    public func forward<S: NNScalar>(_ x: Tensor, labels: [Int], on tape: Tape<S>, mode: Mode) -> Tensor {
        precondition(labels.count == x.rows, "ConditionalBatchNorm1d: \(labels.count) labels for \(x.rows) rows")
        let normalized = normalization.forward(x, on: tape, mode: mode)
        let gamma = tape.gatherRows(tape.parameter(scale), labels)
        let beta = tape.gatherRows(tape.parameter(shift), labels)
        return tape.add(tape.mul(normalized, gamma), beta)
    }
}
