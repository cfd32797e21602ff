// Fused LSTM cell: one op for the cell state, one for the hidden state.

extension Tape {
    /// One LSTM step from its gate pre-activations, in two fused ops.
    ///
    /// With `gates = [i | f | g | o]` (PyTorch's order, `h` columns each, the sum of the input and
    /// recurrent projections), the cell state is `c = σ(f) ⊙ cell + σ(i) ⊙ tanh(g)` and the hidden
    /// state `σ(o) ⊙ tanh(c)`. Equal to composing four slices, three sigmoids, two tanh, three
    /// multiplications and an addition, with 2 ops instead of 13, and one pass over the gates
    /// instead of a dozen.
    /// - Parameters:
    ///   - gates: `batch × 4h`.
    ///   - cell: `batch × h`, the previous cell state, or `nil` for `c₀ = 0`.
    /// - Returns: the hidden state and the cell state, `batch × h` each.
    public func lstmCell(gates: Tensor, cell previous: Tensor?) -> (hidden: Tensor, cell: Tensor) {
        check(gates)
        precondition(gates.columns % 4 == 0 && gates.columns > 0, "Tape.lstmCell: gates have \(gates.columns) columns, expected 4·hidden")
        let h = gates.columns / 4
        if let previous {
            check(previous)
            precondition(previous.rows == gates.rows && previous.columns == h,
                         "Tape.lstmCell: cell \(previous.rows)×\(previous.columns), expected \(gates.rows)×\(h)")
        }
        // Reserve the scratch and both outputs before taking any address (an allocation may move the arena).
        let scratch = allocate(gates.rows * 5 * h)
        let cellNeeds = needs(gates) || previous.map(needs) == true
        let (cell, _) = record(rows: gates.rows, columns: h, needsGradient: cellNeeds,
                               op: .lstmCell(gates.id, previous: previous?.id ?? -1, scratch: scratch))
        let (hidden, _) = record(rows: gates.rows, columns: h, needsGradient: cellNeeds,
                                 op: .lstmHidden(gates.id, cell: cell.id, scratch: scratch))
        guard gates.rows > 0 else { return (hidden, cell) }
        Scalar.lstmCellForward(gates: valuePointer(gates.id), previous: previous.map { UnsafePointer(valuePointer($0.id)) },
                               activations: pointer(scratch), cell: valuePointer(cell.id), rows: gates.rows, hidden: h)
        Scalar.lstmHiddenForward(cell: valuePointer(cell.id), activations: pointer(scratch), hidden: valuePointer(hidden.id),
                                 rows: gates.rows, hidden: h)
        return (hidden, cell)
    }

    /// The backward steps of the two LSTM ops. The hidden state is recorded after the cell state,
    /// so its gradient reaches the cell before the cell's own step runs.
    func lstmBackward(node i: Int) {
        let node = nodes[i]
        let gy = UnsafePointer(pointer(node.gradient))
        switch node.op {
        case .lstmHidden(let gates, let cell, let scratch):
            let gg = gradientTarget(gates), gc = gradientTarget(cell)
            guard gg != nil || gc != nil else { return }
            Scalar.lstmHiddenBackward(activations: pointer(scratch), outputGradient: gy, gatesGradient: gg, cellGradient: gc,
                                      rows: node.rows, hidden: node.columns)
        case .lstmCell(let gates, let previous, let scratch):
            let gg = gradientTarget(gates), gp = previous >= 0 ? gradientTarget(previous) : nil
            guard gg != nil || gp != nil else { return }
            Scalar.lstmCellBackward(activations: pointer(scratch), previous: previous >= 0 ? UnsafePointer(valuePointer(previous)) : nil,
                                    outputGradient: gy, gatesGradient: gg, previousGradient: gp, rows: node.rows, hidden: node.columns)
        default:
            preconditionFailure("Tape.lstmBackward: node \(i) is not an LSTM step")
        }
    }
}
