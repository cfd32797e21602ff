// Ops that move values around: concatenation, slices, row gathers, reshapes.

extension Tape {
    /// The parts side by side along the features (columns).
    /// - Parameter parts: tensors with the same number of rows (at least one).
    public func concat(_ parts: [Tensor]) -> Tensor {
        concat(count: parts.count) { parts[$0] }
    }

    /// `a` and `b` side by side along the features, without building an array of parts (the
    /// common case of data and a one-hot condition in a training step).
    /// - Parameters:
    ///   - a: the left columns.
    ///   - b: the right columns, with as many rows as `a`.
    public func concat(_ a: Tensor, _ b: Tensor) -> Tensor {
        concat(count: 2) { $0 == 0 ? a : b }
    }

    /// Concatenates `count` parts given by `part`.
    func concat(count: Int, _ part: (Int) -> Tensor) -> Tensor {
        precondition(count > 0, "Tape.concat: no parts")
        let rows = part(0).rows
        var columns = 0, needsGradient = false
        let start = indices.count
        for i in 0..<count {
            let p = part(i)
            check(p)
            precondition(p.rows == rows, "Tape.concat: \(p.rows) rows, expected \(rows)")
            columns += p.columns
            needsGradient = needsGradient || needs(p)
            indices.append(p.id)
        }
        let (t, out) = record(rows: rows, columns: columns, needsGradient: needsGradient,
                              op: .concat(start: start, count: count))
        var offset = 0
        for i in 0..<count {
            let p = part(i)
            Scalar.copyColumns(from: valuePointer(p.id), stride: p.columns, offset: 0, to: out, stride: columns,
                               offset: offset, rows: rows, width: p.columns, accumulate: false)
            offset += p.columns
        }
        return t
    }

    /// The columns `range` of `a` (a copy).
    /// - Parameters:
    ///   - a: `rows × columns`.
    ///   - range: within `0..<columns`.
    public func slice(_ a: Tensor, columns range: Range<Int>) -> Tensor {
        check(a)
        precondition(range.lowerBound >= 0 && range.upperBound <= a.columns, "Tape.slice: columns \(range) of \(a.columns)")
        let (t, out) = record(rows: a.rows, columns: range.count, needsGradient: needs(a),
                              op: .sliceColumns(a.id, start: range.lowerBound))
        Scalar.copyColumns(from: valuePointer(a.id), stride: a.columns, offset: range.lowerBound, to: out,
                           stride: range.count, offset: 0, rows: a.rows, width: range.count, accumulate: false)
        return t
    }

    /// The rows `range` of `a` (a copy).
    /// - Parameters:
    ///   - a: `rows × columns`.
    ///   - range: within `0..<rows`.
    public func slice(_ a: Tensor, rows range: Range<Int>) -> Tensor {
        check(a)
        precondition(range.lowerBound >= 0 && range.upperBound <= a.rows, "Tape.slice: rows \(range) of \(a.rows)")
        let (t, out) = record(rows: range.count, columns: a.columns, needsGradient: needs(a),
                              op: .sliceRows(a.id, start: range.lowerBound))
        Scalar.copy(valuePointer(a.id) + range.lowerBound * a.columns, to: out, count: t.count)
        return t
    }

    /// The rows of `a` at `indices`, in that order (repeats allowed): an embedding lookup or a
    /// per-class parameter selection. The backward step adds each row's gradient back into its source.
    /// - Parameters:
    ///   - a: `rows × columns`.
    ///   - rowIndices: each in `0..<rows`.
    public func gatherRows(_ a: Tensor, _ rowIndices: [Int]) -> Tensor {
        check(a)
        let start = indices.count, limit = a.rows
        precondition(rowIndices.allSatisfy { $0 >= 0 && $0 < limit },
                     "Tape.gatherRows: a row index is out of range 0..<\(a.rows)")
        indices.append(contentsOf: rowIndices)
        let (t, out) = record(rows: rowIndices.count, columns: a.columns, needsGradient: needs(a),
                              op: .gatherRows(a.id, start: start))
        indices.withUnsafeBufferPointer { all in
            Scalar.gatherRows(valuePointer(a.id), columns: a.columns, indices: all.baseAddress! + start,
                              count: rowIndices.count, into: out)
        }
        return t
    }

    /// The same values in another shape of the same element count (row-major order is kept), for
    /// example `batch × (channels·length)` to `(batch·channels) × length` for 1-D convolutions.
    /// - Parameters:
    ///   - a: any shape.
    ///   - rows: new row count.
    ///   - columns: new column count, `rows × columns == a.count`.
    public func reshape(_ a: Tensor, rows: Int, columns: Int) -> Tensor {
        check(a)
        precondition(rows * columns == a.count, "Tape.reshape: \(a.rows)×\(a.columns) to \(rows)×\(columns)")
        // A view: the node shares its operand's value, and (in `backward`) its gradient buffer.
        let source = nodes[a.id]
        nodes.append(Node(rows: rows, columns: columns, value: source.value, gradient: -1, needsGradient: source.needsGradient,
                          op: .reshape(a.id), root: source.root))
        return Tensor(rows: rows, columns: columns, id: nodes.count - 1)
    }
}
