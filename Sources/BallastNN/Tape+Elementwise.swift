// Element-wise ops: unary functions and broadcast binary arithmetic.

extension Tape {
    /// Applies `f` to every element.
    /// - Parameters:
    ///   - f: the function.
    ///   - a: any shape.
    public func apply(_ f: UnaryFunction, _ a: Tensor) -> Tensor {
        check(a)
        let (t, out) = record(rows: a.rows, columns: a.columns, needsGradient: needs(a), op: .unary(f, a.id))
        Scalar.unaryForward(f, valuePointer(a.id), out, count: a.count)
        return t
    }

    /// `eˣ` element-wise.
    public func exp(_ a: Tensor) -> Tensor { apply(.exp, a) }
    /// Natural logarithm element-wise.
    public func log(_ a: Tensor) -> Tensor { apply(.log, a) }
    /// Square root element-wise.
    public func sqrt(_ a: Tensor) -> Tensor { apply(.sqrt, a) }
    /// Hyperbolic tangent element-wise.
    public func tanh(_ a: Tensor) -> Tensor { apply(.tanh, a) }
    /// Logistic sigmoid element-wise.
    public func sigmoid(_ a: Tensor) -> Tensor { apply(.sigmoid, a) }
    /// `log(1 + eˣ)` element-wise.
    public func softplus(_ a: Tensor) -> Tensor { apply(.softplus, a) }
    /// `max(x, 0)` element-wise.
    public func relu(_ a: Tensor) -> Tensor { apply(.relu, a) }
    /// `−x` element-wise.
    public func neg(_ a: Tensor) -> Tensor { apply(.negate, a) }
    /// `xᵉ` element-wise.
    public func pow(_ a: Tensor, _ exponent: Float) -> Tensor { apply(.power(Double(exponent)), a) }
    /// `x` when positive, `slope · x` otherwise.
    public func leakyReLU(_ a: Tensor, slope: Float = 0.01) -> Tensor { apply(.leakyReLU(slope: Double(slope)), a) }
    /// `x` when positive, `alpha · (eˣ − 1)` otherwise.
    public func elu(_ a: Tensor, alpha: Float = 1) -> Tensor { apply(.elu(alpha: Double(alpha)), a) }
    /// Limits every element to `[min, max]`; no gradient flows where the limit applies.
    public func clamp(_ a: Tensor, min: Float, max: Float) -> Tensor { apply(.clamp(min: Double(min), max: Double(max)), a) }
    /// `x + value` element-wise.
    public func add(_ a: Tensor, scalar value: Float) -> Tensor { apply(.shift(Double(value)), a) }
    /// `x · value` element-wise.
    public func mul(_ a: Tensor, scalar value: Float) -> Tensor { apply(.scale(Double(value)), a) }

    /// `f(a, b)` element-wise, where `b` has the shape of `a`, or is `1 × columns` (the same row for
    /// every row), `rows × 1` (one value per row) or `1 × 1`. For `add` and `multiply`, `a` may be the
    /// broadcast one instead.
    /// - Parameters:
    ///   - f: the arithmetic.
    ///   - a: the full-shaped operand.
    ///   - b: the same shape or a broadcastable one.
    public func apply(_ f: BinaryFunction, _ a: Tensor, _ b: Tensor) -> Tensor {
        check(a); check(b)
        if (f == .add || f == .multiply), broadcast(of: a, over: b) != nil, broadcast(of: b, over: a) == nil {
            return apply(f, b, a)
        }
        guard let mode = broadcast(of: b, over: a) else {
            preconditionFailure("Tape.\(f): shapes \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns) do not broadcast")
        }
        let (t, out) = record(rows: a.rows, columns: a.columns, needsGradient: needs(a) || needs(b),
                              op: .binary(f, a.id, b.id, mode))
        Scalar.binaryForward(f, valuePointer(a.id), valuePointer(b.id), out, rows: a.rows, columns: a.columns, broadcast: mode)
        return t
    }

    /// How `b` covers `a`, or `nil` when it does not.
    func broadcast(of b: Tensor, over a: Tensor) -> Broadcast? {
        if b.rows == a.rows && b.columns == a.columns { return Broadcast.none }
        if b.rows == 1 && b.columns == 1 { return .scalar }
        if b.rows == 1 && b.columns == a.columns { return .row }
        if b.columns == 1 && b.rows == a.rows { return .column }
        return nil
    }

    /// `a + b` (see ``apply(_:_:_:)-(BinaryFunction,_,_)`` for the broadcasting rules).
    public func add(_ a: Tensor, _ b: Tensor) -> Tensor { apply(.add, a, b) }
    /// `a − b`, with `b` possibly broadcast.
    public func sub(_ a: Tensor, _ b: Tensor) -> Tensor { apply(.subtract, a, b) }
    /// `a · b` element-wise, with either operand possibly broadcast.
    public func mul(_ a: Tensor, _ b: Tensor) -> Tensor { apply(.multiply, a, b) }
    /// `a / b` element-wise, with `b` possibly broadcast.
    public func div(_ a: Tensor, _ b: Tensor) -> Tensor { apply(.divide, a, b) }
}
