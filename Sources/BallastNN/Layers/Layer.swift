/// Whether a forward pass trains (batch statistics, dropout on) or predicts (running statistics,
/// dropout off).
public enum Mode: Sendable, Hashable {
    /// Training: batch norm uses and updates batch statistics, dropout drops.
    case training
    /// Inference: batch norm uses running statistics, dropout is the identity.
    case inference
}

/// Something that owns trainable parameters and can state its size and cost: every layer, and
/// layers whose forward pass needs more than one tensor (``ConditionalBatchNorm1d`` takes labels).
public protocol Trainable: AnyObject {
    /// The trainable weights, in a stable order (optimizers and checkpoints rely on it).
    var parameters: [Parameter] { get }
    /// Non-trainable state saved with the weights (batch norm's running statistics), in a stable order.
    var buffers: [Parameter] { get }
    /// Number of trainable scalars (the default sums ``parameters``).
    var parameterCount: Int { get }
    /// Floating-point operations of one forward pass for one sample: a multiply-add counts 2, other
    /// arithmetic 1 per element; activations are counted by ``Activation`` when it knows its width.
    func flopsPerSample() -> Int
}

extension Trainable {
    /// No buffers.
    public var buffers: [Parameter] { [] }
    /// The sum of the sizes of ``parameters``.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}

/// A differentiable map from one `batch × features` tensor to another.
///
/// `forward` is generic over the tape's scalar, so the same layer trains on `Tape<Float>` and is
/// gradient-checked on `Tape<Double>`.
public protocol Layer: Trainable {
    /// Records the layer's computation on `tape`.
    /// - Parameters:
    ///   - x: `batch × inputFeatures`.
    ///   - tape: the tape of the current step.
    ///   - mode: training or inference.
    /// - Returns: `batch × outputFeatures`.
    func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor
}
