/// An element-wise function of one tensor, applied by ``Tape`` ops such as ``Tape/relu(_:)``.
///
/// Constants are stored as `Double` and converted to the tape's scalar type inside the kernel.
public enum UnaryFunction: Sendable, Hashable {
    /// `eˣ`.
    case exp
    /// Natural logarithm.
    case log
    /// Square root.
    case sqrt
    /// Hyperbolic tangent.
    case tanh
    /// Logistic sigmoid `1 / (1 + e⁻ˣ)`, computed without overflow.
    case sigmoid
    /// `log(1 + eˣ)`, computed without overflow.
    case softplus
    /// `max(x, 0)`.
    case relu
    /// `x` when positive, `slope · x` otherwise.
    case leakyReLU(slope: Double)
    /// `x` when positive, `alpha · (eˣ − 1)` otherwise.
    case elu(alpha: Double)
    /// `x` limited to `[min, max]`; the gradient is zero outside.
    case clamp(min: Double, max: Double)
    /// `xᵉ`.
    case power(Double)
    /// `−x`.
    case negate
    /// `s · x`.
    case scale(Double)
    /// `x + s`.
    case shift(Double)
    /// `constant + linear · x + square · x²`: the derivatives of `tanh` (`1 − y²`) and `sigmoid`
    /// (`y − y²`) as functions of their outputs, so their backward pass can itself be recorded.
    case quadratic(constant: Double, linear: Double, square: Double)
}

/// An element-wise function of two tensors, with the second possibly broadcast (see ``Broadcast``).
public enum BinaryFunction: Sendable, Hashable {
    /// `a + b`.
    case add
    /// `a − b`.
    case subtract
    /// `a · b`.
    case multiply
    /// `a / b`.
    case divide
}

/// How the second operand of a ``BinaryFunction`` covers the first (`rows × columns`).
public enum Broadcast: Sendable, Hashable {
    /// Same shape.
    case none
    /// `1 × columns`: the same row for every row.
    case row
    /// `rows × 1`: one value per row.
    case column
    /// `1 × 1`: one value for everything.
    case scalar
}

/// The axis a reduction runs over.
public enum Axis: Sendable, Hashable {
    /// Reduce over the rows: `rows × columns → 1 × columns`.
    case rows
    /// Reduce over the columns: `rows × columns → rows × 1`.
    case columns
}
