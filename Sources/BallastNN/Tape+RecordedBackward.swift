// The backward step of each op, recorded as ordinary (differentiable) tape ops: the rules behind
// ``Tape/gradient(of:withRespectTo:seed:)``. Each rule mirrors the numeric step in
// Tape+Backward.swift; the gradient checks in DoubleBackwardTests compare the two and differentiate
// the recorded one by finite differences.

extension Tape {
    /// Records the gradients that node `id` passes to those of its operands that `wants` accepts.
    /// - Parameters:
    ///   - id: the node.
    ///   - gy: the gradient of the node's value, as a tensor.
    ///   - wants: whether an operand (node id) needs a gradient.
    ///   - deliver: receives each operand and its gradient contribution.
    func recordBackward(of id: Int, outputGradient gy: Tensor, wants: (Int) -> Bool, deliver: (Int, Tensor) -> Void) {
        switch nodes[id].op {
        case .input, .parameter:
            break
        case .matmul(let a, let b, let transposeA, let transposeB):
            recordProductGradients(a, b, transposeA: transposeA, transposeB: transposeB, outputGradient: gy, wants: wants, deliver: deliver)
        case .linear(let x, let weight, let bias):
            recordProductGradients(x, weight, transposeA: false, transposeB: true, outputGradient: gy, wants: wants, deliver: deliver)
            if bias >= 0 && wants(bias) { deliver(bias, sum(gy, axis: .rows)) }
        case .unary(let f, let a):
            if wants(a) { deliver(a, recordUnaryBackward(f, input: tensor(a), output: tensor(id), outputGradient: gy)) }
        case .binary(let f, let a, let b, let mode):
            if wants(a) {
                switch f {
                case .add, .subtract: deliver(a, gy)
                case .multiply: deliver(a, mul(gy, tensor(b)))
                case .divide: deliver(a, div(gy, tensor(b)))
                }
            }
            if wants(b) {
                switch f {
                case .add: deliver(b, reduce(gy, over: mode))
                case .subtract: deliver(b, neg(reduce(gy, over: mode)))
                case .multiply: deliver(b, reduce(mul(gy, tensor(a)), over: mode))
                case .divide: deliver(b, neg(reduce(div(mul(gy, tensor(id)), tensor(b)), over: mode)))  // −gy·(a/b)/b
                }
            }
        case .reduce(let a, let axis, let scale):
            if wants(a) { deliver(a, expand(gy, rows: nodes[a].rows, columns: nodes[a].columns, axis: axis, scale: scale)) }
        case .expand(let a, let axis, let scale):
            if wants(a) { deliver(a, reduce(gy, axis: axis, scale: scale)) }
        case .concat(let start, let count):
            var offset = 0
            for k in start..<(start + count) {
                let part = indices[k], width = nodes[part].columns
                if wants(part) { deliver(part, slice(gy, columns: offset..<(offset + width))) }
                offset += width
            }
        case .sliceColumns(let a, let start):
            if wants(a) { deliver(a, padColumns(gy, leading: start, total: nodes[a].columns)) }
        case .sliceRows(let a, let start):
            // Rows start..<start+n of a row-major matrix are one run of its flattened values.
            if wants(a) {
                let flat = padColumns(reshape(gy, rows: 1, columns: gy.count), leading: start * gy.columns, total: nodes[a].rows * gy.columns)
                deliver(a, reshape(flat, rows: nodes[a].rows, columns: nodes[a].columns))
            }
        case .reshape(let a):
            if wants(a) { deliver(a, reshape(gy, rows: nodes[a].rows, columns: nodes[a].columns)) }
        case .logSoftmax(let a):
            // gx = gy − softmax · Σ gy per row, with softmax = exp(y) of the recorded output.
            if wants(a) { deliver(a, sub(gy, mul(exp(tensor(id)), sum(gy, axis: .columns)))) }
        case .rowMax(let a):
            if wants(a) { deliver(a, mul(rowMaxMask(input: a, output: id), gy)) }
        case .gatherRows(let a, _), .batchNorm(let a, _, _, _), .bceWithLogits(let a, _), .softmaxCrossEntropy(let a, _, _),
             .coupling(let a, _, _, _), .couplingLogDeterminant(let a, _, _), .lstmCell(let a, _, _), .lstmHidden(let a, _, _):
            unsupported(id, operand: a)
        case .convolution(let start):
            unsupported(id, operand: indices[start + ConvolutionField.input])
        case .lstmSequence(let start):
            unsupported(id, operand: indices[start + LSTMSequenceField.inputGates])
        }
    }

    /// The recorded `gx = f′(x) ⊙ gy`: a constant slope mask for piecewise-linear functions,
    /// otherwise ops of the recorded input `x` or output `y` so that second derivatives flow.
    func recordUnaryBackward(_ f: UnaryFunction, input x: Tensor, output y: Tensor, outputGradient gy: Tensor) -> Tensor {
        switch f {
        case .relu, .leakyReLU, .clamp: return mul(gy, slopeMask(f, x))
        case .tanh: return mul(gy, apply(.quadratic(constant: 1, linear: 0, square: -1), y))
        case .sigmoid: return mul(gy, apply(.quadratic(constant: 0, linear: 1, square: -1), y))
        case .exp: return mul(gy, y)
        case .log: return div(gy, x)
        case .sqrt: return div(apply(.scale(0.5), gy), y)
        case .softplus: return mul(gy, sigmoid(x))
        case .elu(let alpha):
            // f′ = 1 where x > 0, else y + α: m + (1 − m) ⊙ (y + α) with the constant mask m.
            let positive = slopeMask(.relu, x)
            let negative = apply(.quadratic(constant: 1, linear: -1, square: 0), positive)
            return mul(gy, add(mul(apply(.shift(alpha), y), negative), positive))
        case .power(let e):
            if e == 2 { return apply(.scale(2), mul(gy, x)) }
            return mul(gy, apply(.scale(e), apply(.power(e - 1), x)))
        case .negate: return neg(gy)
        case .scale(let s): return apply(.scale(s), gy)
        case .shift: return gy
        case .quadratic(_, let c1, let c2):
            if c2 == 0 { return apply(.scale(c1), gy) }
            return mul(gy, apply(.quadratic(constant: c1, linear: 2 * c2, square: 0), x))
        }
    }

    /// The sum of a full-shaped gradient over the dimensions an operand was broadcast along.
    func reduce(_ g: Tensor, over mode: Broadcast) -> Tensor {
        switch mode {
        case .none: g
        case .row: sum(g, axis: .rows)
        case .column: sum(g, axis: .columns)
        case .scalar: sum(g, axis: nil)
        }
    }

    /// `f′(x)` of a piecewise-linear function as a constant (it is constant between kinks).
    func slopeMask(_ f: UnaryFunction, _ x: Tensor) -> Tensor {
        input(rows: x.rows, columns: x.columns) { out in
            if let d = out.baseAddress { Scalar.piecewiseLinearSlope(f, x: valuePointer(x.id), into: d, count: out.count) }
        }
    }

    /// A constant with a one where each row of `input` takes its maximum (the first, as in the forward pass).
    func rowMaxMask(input a: Int, output y: Int) -> Tensor {
        let ones = constant(rows: nodes[y].rows, columns: 1, value: 1)
        return input(rows: nodes[a].rows, columns: nodes[a].columns) { out in
            guard let d = out.baseAddress else { return }
            Scalar.rowMaxBackward(x: valuePointer(a), y: valuePointer(y), outputGradient: valuePointer(ones.id),
                                  inputGradient: d, rows: nodes[a].rows, columns: nodes[a].columns, accumulate: false)
        }
    }

    /// `g` placed at columns `leading ..< leading + g.columns` of a `g.rows × total` zero matrix.
    func padColumns(_ g: Tensor, leading: Int, total: Int) -> Tensor {
        let trailing = total - leading - g.columns
        if leading == 0 && trailing == 0 { return g }
        var parts: [Tensor] = []
        if leading > 0 { parts.append(constant(rows: g.rows, columns: leading, value: 0)) }
        parts.append(g)
        if trailing > 0 { parts.append(constant(rows: g.rows, columns: trailing, value: 0)) }
        return concat(parts)
    }

    /// Stops with the name of an op whose backward step cannot be recorded (a programmer error;
    /// `fatalError` because optimized builds drop `precondition` messages, and this one says what to change).
    func unsupported(_ id: Int, operand: Int) -> Never {
        let name = "\(nodes[id].op)".prefix { $0 != "(" }
        fatalError("Tape.gradient(of:withRespectTo:): the backward step of '\(name)' (node \(id), from node \(operand)) "
                            + "cannot be recorded; supported: linear, matmul, element-wise functions and arithmetic, sum, mean, "
                            + "broadcast, concat, slice, reshape, logSoftmax, rowMax")
    }
}
