// Fused LSTM cell: one op for the cell state, one for the hidden state.

import BallastCore

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

/// Layout of the integer record of a `Tape.Op.lstmSequence(start:)` node in the tape's `indices`.
enum LSTMSequenceField {
    static let inputGates = 0, weight = 1, bias = 2, steps = 3, output = 4
    /// Arena offsets of the saved states and of the backward step's scratch.
    static let activations = 5, cells = 6, hiddens = 7, gatesGradient = 8, hiddenGradient = 9, cellGradient = 10
    /// Number of fields.
    static let count = 11
    /// Values of the `output` field.
    static let lastHidden = 0, sequence = 1, reversedSequence = 2
}

extension Tape {
    /// A whole LSTM recurrence as one op: every time step's gates, cell and hidden state, from the
    /// input projection of all steps (computed beforehand as one product) and the recurrent weights.
    ///
    /// Step `t` computes `gates = inputGates[:, t] + b_hh + hₜ₋₁ · W_hhᵀ` (`h₋₁ = 0`), then the cell
    /// of ``lstmCell(gates:cell:)``. The result equals the loop of `slice`, `linear`, `add` and
    /// `lstmCell` ops it replaces, in the same floating-point order (each step's recurrent product
    /// is the same GEMM, written onto the bias first), but records one node instead of five per
    /// step and fuses the gate sum, the cell, the hidden state and the next step's bias into one
    /// pass over the rows. The backward step walks time backwards with one pass and one GEMM per
    /// step and writes the gates' gradients straight into the input gates' gradient.
    /// - Parameters:
    ///   - inputGates: `batch × (steps·4h)`: row `r`, columns `t·4h ..< (t+1)·4h` are `xₜ · W_ihᵀ + b_ih`
    ///     for step `t`, gates in PyTorch's order i, f, g, o.
    ///   - steps: time steps.
    ///   - weight: `4h × h`, PyTorch's `weight_hh`.
    ///   - bias: `1 × 4h`, PyTorch's `bias_hh`.
    ///   - sequence: return every hidden state instead of the last one.
    ///   - reversed: with `sequence`, place step `t`'s state at position `steps − 1 − t` (the output
    ///     of a reverse-direction layer, in the original time order).
    /// - Returns: `batch × h` (the state after the last step), or `batch × (steps·h)` with `sequence`.
    public func lstmSequence(inputGates: Tensor, steps: Int, weight: Tensor, bias: Tensor,
                             sequence: Bool = false, reversed: Bool = false) -> Tensor {
        check(inputGates); check(weight); check(bias)
        let h = weight.columns
        precondition(steps > 0 && h > 0 && weight.rows == 4 * h,
                     "Tape.lstmSequence: \(steps) steps, recurrent weight \(weight.rows)×\(weight.columns), expected 4h×h")
        precondition(inputGates.columns == steps * 4 * h,
                     "Tape.lstmSequence: input gates have \(inputGates.columns) columns, expected \(steps)×4×\(h)")
        precondition(bias.rows == 1 && bias.columns == 4 * h, "Tape.lstmSequence: bias \(bias.rows)×\(bias.columns), expected 1×\(4 * h)")
        let batch = inputGates.rows
        let needsGradient = needs(inputGates) || needs(weight) || needs(bias)
        let start = indices.count
        indices.append(contentsOf: repeatElement(-1, count: LSTMSequenceField.count))
        indices[start + LSTMSequenceField.inputGates] = inputGates.id
        indices[start + LSTMSequenceField.weight] = weight.id
        indices[start + LSTMSequenceField.bias] = bias.id
        indices[start + LSTMSequenceField.steps] = steps
        indices[start + LSTMSequenceField.output] = !sequence ? LSTMSequenceField.lastHidden
            : reversed ? LSTMSequenceField.reversedSequence : LSTMSequenceField.sequence
        let (t, _) = record(rows: batch, columns: sequence ? steps * h : h, needsGradient: needsGradient,
                            op: .lstmSequence(start: start))
        // Reserve every scratch matrix before taking any address (an allocation may move the arena).
        indices[start + LSTMSequenceField.activations] = allocate(batch * steps * 5 * h)
        indices[start + LSTMSequenceField.cells] = allocate(batch * steps * h)
        indices[start + LSTMSequenceField.hiddens] = allocate(batch * steps * h)
        if needsGradient {
            indices[start + LSTMSequenceField.gatesGradient] = allocate(batch * steps * 4 * h)
            indices[start + LSTMSequenceField.hiddenGradient] = allocate(batch * h)
            indices[start + LSTMSequenceField.cellGradient] = allocate(batch * h)
        }
        guard batch > 0 else { return t }

        let activations = pointer(indices[start + LSTMSequenceField.activations])
        let hiddens = pointer(indices[start + LSTMSequenceField.hiddens])
        Scalar.lstmSequenceForward(inputGates: valuePointer(inputGates.id), weight: valuePointer(weight.id), bias: valuePointer(bias.id),
                                   activations: activations, cells: pointer(indices[start + LSTMSequenceField.cells]),
                                   hiddens: hiddens, rows: batch, steps: steps, hidden: h)
        let out = valuePointer(t.id)
        switch (sequence, reversed) {
        case (false, _):
            Scalar.copyColumns(from: hiddens, stride: steps * h, offset: (steps - 1) * h, to: out, stride: h, offset: 0,
                               rows: batch, width: h, accumulate: false)
        case (true, false):
            Scalar.copy(hiddens, to: out, count: batch * steps * h)
        case (true, true):
            for step in 0..<steps {
                Scalar.copyColumns(from: hiddens, stride: steps * h, offset: step * h, to: out, stride: steps * h,
                                   offset: (steps - 1 - step) * h, rows: batch, width: h, accumulate: false)
            }
        }
        return t
    }

    /// The backward step of ``lstmSequence(inputGates:steps:weight:bias:sequence:reversed:)`` for node `i`.
    ///
    /// Walks time backwards: each step turns the hidden state's gradient (the output's, plus the
    /// recurrent product of the later step) and the carried cell gradient into the step's gate
    /// gradients, then one GEMM gives the earlier hidden state's gradient. The recurrent weight's
    /// gradient is one GEMM per step, latest first, and the bias's a row sum per step, in the order
    /// the replaced per-step ops used.
    func lstmSequenceBackward(node i: Int, start: Int) {
        func field(_ f: Int) -> Int { indices[start + f] }
        let inputGates = field(LSTMSequenceField.inputGates), weight = field(LSTMSequenceField.weight)
        let bias = field(LSTMSequenceField.bias), steps = field(LSTMSequenceField.steps)
        let output = field(LSTMSequenceField.output)
        let batch = nodes[i].rows, h = nodes[weight].columns
        guard batch > 0 else { return }
        let hiddens = UnsafePointer(pointer(field(LSTMSequenceField.hiddens)))
        // Write the gate gradients straight into the input gates' gradient when this is its first
        // use (the usual case); otherwise into scratch, added at the end.
        let target = overwritableTarget(inputGates)
        let gatesGradient = target.flatMap { $0.beta == 0 ? $0.pointer : nil } ?? pointer(field(LSTMSequenceField.gatesGradient))
        Scalar.lstmSequenceBackward(
            activations: pointer(field(LSTMSequenceField.activations)), cells: pointer(field(LSTMSequenceField.cells)),
            weight: valuePointer(weight), outputGradient: pointer(nodes[i].gradient),
            sequence: output != LSTMSequenceField.lastHidden, reversed: output == LSTMSequenceField.reversedSequence,
            hiddenGradient: pointer(field(LSTMSequenceField.hiddenGradient)), cellGradient: pointer(field(LSTMSequenceField.cellGradient)),
            gatesGradient: gatesGradient, rows: batch, steps: steps, hidden: h)

        // dW_hh += dgatesₜᵀ · hₜ₋₁ and db_hh += Σ rows of dgatesₜ, latest step first (the order of
        // the replaced per-step ops). Split by gate column: each worker owns rows of both gradients.
        let weightTarget = steps > 1 ? overwritableTarget(weight) : nil, biasTarget = overwritableTarget(bias)
        let gates = UnsafePointer(gatesGradient)
        if weightTarget != nil || biasTarget != nil { Parallel.split(4 * h, minimumChunk: Swift.max(8, Scalar.rowGrain(steps * batch * (h + 1)))) { part in
            let first = part.lowerBound
            if let (gw, initial) = weightTarget {
                var beta = initial
                for step in stride(from: steps - 1, through: 1, by: -1) {
                    Scalar.gemmPart(transposeA: true, transposeB: false, m: part.count, n: h, k: batch, alpha: 1,
                                    a: gates + step * 4 * h + first, lda: steps * 4 * h, b: hiddens + (step - 1) * h, ldb: steps * h,
                                    beta: beta, c: gw + first * h, ldc: h, wholeRows: 4 * h)
                    beta = 1
                }
            }
            if let (gb, initial) = biasTarget {
                if initial == 0 { Scalar.fill(gb + first, with: 0, count: part.count) }
                for step in stride(from: steps - 1, through: 0, by: -1) {
                    Scalar.addRowSums(gates + step * 4 * h + first, rows: batch, stride: steps * 4 * h, columns: part.count, into: gb + first)
                }
            }
        } }
        if let target, target.beta != 0 {
            Scalar.accumulate(gatesGradient, into: target.pointer, scale: 1, count: batch * steps * 4 * h)
        }
    }
}
