// Reductions and row-wise ops: sum, mean, log-softmax, row maximum.

extension Tape {
    /// The sum over `axis`: `.rows` gives `1 × columns`, `.columns` gives `rows × 1`, `nil` gives `1 × 1`.
    /// - Parameters:
    ///   - a: any shape.
    ///   - axis: the axis to sum over, or `nil` for everything.
    public func sum(_ a: Tensor, axis: Axis?) -> Tensor { reduce(a, axis: axis, scale: 1) }

    /// The mean over `axis` (shapes as ``sum(_:axis:)``).
    /// - Parameters:
    ///   - a: any shape.
    ///   - axis: the axis to average over, or `nil` for everything.
    public func mean(_ a: Tensor, axis: Axis?) -> Tensor {
        let n: Int
        switch axis {
        case .rows?: n = a.rows
        case .columns?: n = a.columns
        case nil: n = a.count
        }
        return reduce(a, axis: axis, scale: n > 0 ? 1 / Double(n) : 0)
    }

    /// `scale · Σ a` over `axis`.
    func reduce(_ a: Tensor, axis: Axis?, scale: Double) -> Tensor {
        check(a)
        let rows = axis == .columns ? a.rows : 1
        let columns = axis == .rows ? a.columns : 1
        let (t, out) = record(rows: rows, columns: columns, needsGradient: needs(a), op: .reduce(a.id, axis, scale: scale))
        Scalar.reduceSum(valuePointer(a.id), rows: a.rows, columns: a.columns, axis: axis, scale: Scalar(scale),
                         into: out, accumulate: false)
        return t
    }

    /// `a` repeated to `rows × columns`: a `1 × columns` row for every row, a `rows × 1` column for
    /// every column, or a `1 × 1` value everywhere (the shape change that undoes ``sum(_:axis:)``).
    /// - Parameters:
    ///   - a: `1 × columns`, `rows × 1` or `1 × 1`.
    ///   - rows: rows of the result.
    ///   - columns: columns of the result.
    public func broadcast(_ a: Tensor, rows: Int, columns: Int) -> Tensor {
        let axis: Axis?
        if a.rows == 1 && a.columns == 1 { axis = nil }
        else if a.rows == 1 && a.columns == columns { axis = .rows }
        else if a.columns == 1 && a.rows == rows { axis = .columns }
        else { preconditionFailure("Tape.broadcast: \(a.rows)×\(a.columns) does not broadcast to \(rows)×\(columns)") }
        return expand(a, rows: rows, columns: columns, axis: axis, scale: 1)
    }

    /// `scale · a` repeated over `axis` to `rows × columns` (the backward pass of ``reduce(_:axis:scale:)``).
    func expand(_ a: Tensor, rows: Int, columns: Int, axis: Axis?, scale: Double) -> Tensor {
        check(a)
        let (t, out) = record(rows: rows, columns: columns, needsGradient: needs(a), op: .expand(a.id, axis, scale: scale))
        Scalar.fill(out, with: 0, count: t.count)
        Scalar.broadcastAccumulate(valuePointer(a.id), rows: rows, columns: columns, axis: axis, scale: Scalar(scale), into: out)
        return t
    }

    /// Row-wise `log softmax`: `x − log Σ eˣ` over each row, computed stably.
    /// - Parameter a: `rows × classes`.
    public func logSoftmax(_ a: Tensor) -> Tensor {
        check(a)
        let (t, out) = record(rows: a.rows, columns: a.columns, needsGradient: needs(a), op: .logSoftmax(a.id))
        Scalar.logSoftmaxForward(valuePointer(a.id), out, rows: a.rows, columns: a.columns)
        return t
    }

    /// The maximum of each row, `rows × 1`; the gradient goes to the first maximal element.
    /// - Parameter a: `rows × columns`, `columns > 0`.
    public func rowMax(_ a: Tensor) -> Tensor {
        check(a)
        precondition(a.columns > 0, "Tape.rowMax: no columns")
        let (t, out) = record(rows: a.rows, columns: 1, needsGradient: needs(a), op: .rowMax(a.id))
        Scalar.rowMaxForward(valuePointer(a.id), out, rows: a.rows, columns: a.columns)
        return t
    }
}
