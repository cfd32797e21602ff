import BallastCore

/// A trainable weight matrix: its value, the gradient accumulated into it, and a stable name.
///
/// A reference type because identity matters: an optimizer keeps per-parameter state, and a tape
/// adds every use's gradient into the same parameter. Values are always `Float`; a `Tape<Double>`
/// converts them on the way in (and a gradient check may substitute exact `Double` values, see
/// ``GradientCheck``).
public final class Parameter {
    /// The name under which the weight is saved (a safetensors key, such as `"encoder.0.weight"`).
    public let name: String
    /// The current value.
    public var value: Matrix
    /// The gradient of the last loss(es) passed to ``Tape/backward(_:)`` since ``zeroGradient()``.
    public var gradient: Matrix
    /// The shape PyTorch gives this tensor (for checkpoints): `[rows, columns]` by default, `[n]`
    /// for vectors such as biases and batch-norm statistics, `[]` for scalars.
    public let shape: [Int]

    /// A parameter with the given value and a zero gradient of the same shape.
    /// - Parameters:
    ///   - name: the save name.
    ///   - value: the initial value.
    ///   - shape: the PyTorch shape, whose product must be `value.count`; `nil` for `[rows, columns]`.
    public init(name: String, value: Matrix, shape: [Int]? = nil) {
        let shape = shape ?? [value.rows, value.columns]
        precondition(shape.reduce(1, *) == value.count, "Parameter \(name): shape \(shape) does not hold \(value.count) values")
        self.name = name
        self.value = value
        self.gradient = Matrix(rows: value.rows, columns: value.columns)
        self.shape = shape
    }

    /// Number of scalars.
    public var count: Int { value.count }

    /// Sets every element of ``gradient`` to zero (keeps its storage).
    public func zeroGradient() {
        if gradient.rows != value.rows || gradient.columns != value.columns {
            gradient = Matrix(rows: value.rows, columns: value.columns)
            return
        }
        gradient.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { base.update(repeating: 0, count: buffer.count) }
        }
    }
}
