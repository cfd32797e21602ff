// Double backward: the backward pass of part of the graph, recorded as ordinary tape ops, so that a
// loss built from a gradient (WGAN-GP's gradient penalty) can itself be differentiated.

extension Tape {
    /// Records on the tape the gradient of `Σ output ⊙ seed` with respect to `input`, as new
    /// differentiable ops (PyTorch's `torch.autograd.grad(..., create_graph=True)`).
    ///
    /// The recorded ops between `input` and `output` are walked newest first, and for each op that
    /// depends on `input` its backward step is recorded with ordinary ops: a `linear` layer's input
    /// gradient is one ``matmul(_:_:transposeA:transposeB:)`` by the weight, a piecewise-linear
    /// activation's is a product with its constant slope mask, `tanh`'s is `gy ⊙ (1 − y²)` of its
    /// recorded output, and so on. A later ``backward(_:)`` of a loss built from the result
    /// therefore flows through the gradient into the weights — and into `input`, `seed` and
    /// whatever else it was computed from. Only gradients towards `input` are recorded: weight
    /// gradients of the first pass are never formed.
    ///
    /// Supported ops: inputs and parameters, `linear`, `matmul` (with either transpose), every
    /// ``UnaryFunction``, `add`/`sub`/`mul`/`div` with every ``Broadcast``, `sum`/`mean`,
    /// ``broadcast(_:rows:columns:)``, `concat`, both `slice`s, `reshape`, `logSoftmax` and
    /// `rowMax`. ``Dropout`` multiplies by a recorded constant mask, so the recorded gradient reuses
    /// the forward pass's mask. `detach` stops the walk. Any other op between `input` and
    /// `output` (batch norm, convolution, coupling, LSTM cell, losses, `gatherRows`) is a programmer error that
    /// stops with a message naming it.
    ///
    /// A WGAN-GP penalty written out (from `GradientPenaltyTests`; ``gradientPenalty(real:fake:epsilon:lambda:pac:critic:)``
    /// does this for you; `d` records the critic on `tape`):
    ///
    /// ```swift
    /// let xHat = tape.input(interpolates, requiresGradient: true)
    /// let score = d(xHat)                                                // batch × 1
    /// let g = tape.gradient(of: score, withRespectTo: xHat)              // batch × features
    /// let norm = tape.sqrt(tape.sum(tape.mul(g, g), axis: .columns))
    /// let written = tape.mean(tape.pow(tape.add(norm, scalar: -1), 2), axis: nil)
    /// tape.backward(written)                                             // into the critic's weights
    /// ```
    /// - Parameters:
    ///   - output: the value to differentiate, recorded after `input`.
    ///   - input: the value to differentiate with respect to (any recorded tensor, not only a leaf).
    ///   - seed: the weights of the output's elements, of the output's shape; `nil` for ones.
    /// - Returns: a tensor of the shape of `input`; a constant zero when `output` does not depend on it.
    public func gradient(of output: Tensor, withRespectTo input: Tensor, seed: Tensor? = nil) -> Tensor {
        check(output); check(input)
        if let seed {
            check(seed)
            precondition(seed.rows == output.rows && seed.columns == output.columns,
                         "Tape.gradient(of:withRespectTo:seed:): seed is \(seed.rows)×\(seed.columns), output \(output.rows)×\(output.columns)")
        }
        guard input.id <= output.id else { return constant(rows: input.rows, columns: input.columns, value: 0) }
        let base = input.id
        let depends = dependence(on: base, upTo: output.id)
        guard depends[output.id - base] else { return constant(rows: input.rows, columns: input.columns, value: 0) }
        let wants = { (id: Int) in id >= base && depends[id - base] }

        var gradients = [Tensor?](repeating: nil, count: depends.count)
        gradients[output.id - base] = seed ?? constant(rows: output.rows, columns: output.columns, value: 1)
        var id = output.id
        while id > base {
            if let g = gradients[id - base] {
                recordBackward(of: id, outputGradient: g, wants: wants) { operand, contribution in
                    let k = operand - base
                    gradients[k] = gradients[k].map { add($0, contribution) } ?? contribution
                }
            }
            id -= 1
        }
        return gradients[0] ?? constant(rows: input.rows, columns: input.columns, value: 0)
    }

    /// For each node from `base` to `last`, whether its value depends on node `base`.
    func dependence(on base: Int, upTo last: Int) -> [Bool] {
        var depends = [Bool](repeating: false, count: last - base + 1)
        depends[0] = true
        var id = base + 1
        while id <= last {
            var reached = false
            forEachOperand(of: id) { if $0 >= base && depends[$0 - base] { reached = true } }
            depends[id - base] = reached
            id += 1
        }
        return depends
    }

    /// Calls `body` with the node id of every operand of node `id`.
    func forEachOperand(of id: Int, _ body: (Int) -> Void) {
        switch nodes[id].op {
        case .input, .parameter:
            break
        case .matmul(let a, let b, _, _), .binary(_, let a, let b, _), .bceWithLogits(let a, let b),
             .couplingLogDeterminant(let a, let b, _):
            body(a); body(b)
        case .linear(let x, let weight, let bias):
            body(x); body(weight)
            if bias >= 0 { body(bias) }
        case .unary(_, let a), .reduce(let a, _, _), .expand(let a, _, _), .sliceColumns(let a, _), .sliceRows(let a, _),
             .gatherRows(let a, _), .logSoftmax(let a), .rowMax(let a), .reshape(let a), .batchNorm(let a, _, _, _),
             .softmaxCrossEntropy(let a, _, _):
            body(a)
        case .concat(let start, let count):
            for k in start..<(start + count) { body(indices[k]) }
        case .coupling(let x, let scaleAndShift, let mask, _):
            body(x); body(scaleAndShift); body(mask)
        case .convolution(let start):
            body(indices[start + ConvolutionField.input]); body(indices[start + ConvolutionField.weight])
            let bias = indices[start + ConvolutionField.bias]
            if bias >= 0 { body(bias) }
        case .lstmCell(let gates, let previous, _):
            body(gates)
            if previous >= 0 { body(previous) }
        case .lstmHidden(let gates, let cell, _):
            body(gates); body(cell)
        case .lstmSequence(let start):
            body(indices[start + LSTMSequenceField.inputGates]); body(indices[start + LSTMSequenceField.weight])
            body(indices[start + LSTMSequenceField.bias])
        }
    }

    /// The tensor handle of node `id`.
    func tensor(_ id: Int) -> Tensor { Tensor(rows: nodes[id].rows, columns: nodes[id].columns, id: id) }

    /// A `rows × columns` constant filled with `value`.
    func constant(rows: Int, columns: Int, value: Scalar) -> Tensor {
        input(rows: rows, columns: columns) { out in
            if let base = out.baseAddress { Scalar.fill(base, with: value, count: out.count) }
        }
    }
}
