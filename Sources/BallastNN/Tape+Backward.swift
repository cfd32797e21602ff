// The backward pass: one switch over the recorded ops, newest first.

extension Tape {
    /// Computes the gradient of `loss` with respect to every recorded value that needs one, and adds
    /// the gradients of parameters into their ``Parameter/gradient``.
    ///
    /// Gradients accumulate: a value used by several ops receives the sum of their contributions.
    /// Calling `backward` again on the same records (for another loss) recomputes all gradients from
    /// zero and adds the parameters' gradients again.
    /// - Parameter loss: a `1 × 1` value of this tape.
    public func backward(_ loss: Tensor) {
        check(loss)
        precondition(loss.rows == 1 && loss.columns == 1, "Tape.backward: loss is \(loss.rows)×\(loss.columns), expected 1×1")
        // Gradient buffers are allocated once per record and zeroed when first reached, so values
        // the loss does not depend on cost nothing.
        // A view (`reshape`) shares its root's buffer; the root comes first, so it is allocated.
        for i in nodes.indices where nodes[i].needsGradient && nodes[i].gradient < 0 {
            let root = nodes[i].root
            nodes[i].gradient = root == i ? allocate(nodes[i].rows * nodes[i].columns) : nodes[root].gradient
        }
        if touched.count < nodes.count { touched.append(contentsOf: [Bool](repeating: false, count: nodes.count - touched.count)) }
        touched.withUnsafeMutableBufferPointer { $0.update(repeating: false) }
        guard let seed = gradientTarget(loss.id) else { return }
        seed[0] = 1
        var i = loss.id
        while i >= 0 {
            if touched[i] { backwardStep(i) }
            i -= 1
        }
        for (parameter, id) in parameterNodes where touched[id] {
            let g = pointer(nodes[id].gradient), count = nodes[id].rows * nodes[id].columns
            precondition(parameter.gradient.count == count, "Tape.backward: gradient of \(parameter.name) has the wrong shape")
            parameter.gradient.withUnsafeMutableBufferPointer { Scalar.addGradient(g, into: $0.baseAddress!, count: count) }
        }
    }

    /// The gradient address of node `id` if it needs one, else `nil`; the first time in a backward
    /// pass, the buffer is zeroed and the node marked as reached.
    ///
    /// Views share their root's buffer, so "first time" is the buffer's: the root is marked when
    /// any node sharing it is first written, and the view itself is marked too (its backward step
    /// has nothing to do; the root's runs because it is marked).
    @inline(__always)
    func gradientTarget(_ id: Int) -> UnsafeMutablePointer<Scalar>? {
        guard nodes[id].needsGradient else { return nil }
        let g = pointer(nodes[id].gradient), root = nodes[id].root
        if !touched[root] {
            touched[root] = true
            Scalar.fill(g, with: 0, count: nodes[id].rows * nodes[id].columns)
        }
        touched[id] = true
        return g
    }

    /// Like ``gradientTarget(_:)`` for kernels that can overwrite: returns the address and `0` the
    /// first time (the buffer is not zeroed; a GEMM with `beta = 0` writes it), `1` afterwards.
    @inline(__always)
    func overwritableTarget(_ id: Int) -> (pointer: UnsafeMutablePointer<Scalar>, beta: Scalar)? {
        guard nodes[id].needsGradient else { return nil }
        let g = pointer(nodes[id].gradient), root = nodes[id].root
        let first = !touched[root]
        touched[root] = true
        touched[id] = true
        return (g, first ? 0 : 1)
    }

    /// Propagates the gradient of node `i` into its inputs.
    func backwardStep(_ i: Int) {
        let node = nodes[i]
        let gy = UnsafePointer(pointer(node.gradient))
        let y = UnsafePointer(pointer(node.value))
        let rows = node.rows, columns = node.columns
        switch node.op {
        case .input, .parameter:
            break
        case .matmul(let a, let b, let transposeA, let transposeB):
            accumulateProductGradients(a, b, transposeA: transposeA, transposeB: transposeB, outputGradient: gy, rows: rows, columns: columns)
        case .linear(let x, let weight, let bias):
            // x · Wᵀ: the product rule with transposeB.
            accumulateProductGradients(x, weight, transposeA: false, transposeB: true, outputGradient: gy, rows: rows, columns: columns)
            if bias >= 0, let (gb, beta) = overwritableTarget(bias) {
                Scalar.reduceSum(gy, rows: rows, columns: columns, axis: .rows, scale: 1, into: gb, accumulate: beta != 0)
            }
        case .unary(let f, let a):
            if let (ga, beta) = overwritableTarget(a) {
                Scalar.unaryBackward(f, x: valuePointer(a), y: y, outputGradient: gy, inputGradient: ga, count: rows * columns,
                                     accumulate: beta != 0)
            }
        case .binary(let f, let a, let b, let mode):
            // `a` has the output's shape, so its gradient can be written on first touch; `b`'s target
            // is taken second, so when `a` is `b` it is already marked and accumulates.
            let targetA = overwritableTarget(a), gb = gradientTarget(b)
            if targetA != nil || gb != nil {
                Scalar.binaryBackward(f, a: valuePointer(a), b: valuePointer(b), out: y, outputGradient: gy,
                                      gradientA: targetA?.pointer, accumulateA: targetA.map { $0.beta != 0 } ?? true,
                                      gradientB: gb, rows: rows, columns: columns, broadcast: mode)
            }
        case .reduce(let a, let axis, let scale):
            if let ga = gradientTarget(a) {
                Scalar.broadcastAccumulate(gy, rows: nodes[a].rows, columns: nodes[a].columns, axis: axis,
                                           scale: Scalar(scale), into: ga)
            }
        case .expand(let a, let axis, let scale):
            if let ga = gradientTarget(a) {
                Scalar.reduceSum(gy, rows: rows, columns: columns, axis: axis, scale: Scalar(scale), into: ga, accumulate: true)
            }
        case .concat(let start, let count):
            var offset = 0
            for p in indices[start..<(start + count)] {
                let width = nodes[p].columns
                if let gp = gradientTarget(p) {
                    Scalar.copyColumns(from: gy, stride: columns, offset: offset, to: gp, stride: width, offset: 0,
                                       rows: rows, width: width, accumulate: true)
                }
                offset += width
            }
        case .sliceColumns(let a, let start):
            if let ga = gradientTarget(a) {
                Scalar.copyColumns(from: gy, stride: columns, offset: 0, to: ga, stride: nodes[a].columns, offset: start,
                                   rows: rows, width: columns, accumulate: true)
            }
        case .sliceRows(let a, let start):
            if let ga = gradientTarget(a) {
                Scalar.accumulate(gy, into: ga + start * columns, scale: 1, count: rows * columns)
            }
        case .gatherRows(let a, let start):
            if let ga = gradientTarget(a) {
                indices.withUnsafeBufferPointer { all in
                    Scalar.scatterAddRows(gy, columns: columns, indices: all.baseAddress! + start, count: rows, into: ga)
                }
            }
        case .logSoftmax(let a):
            if let ga = gradientTarget(a) {
                Scalar.logSoftmaxBackward(y: y, outputGradient: gy, inputGradient: ga, rows: rows, columns: columns)
            }
        case .rowMax(let a):
            if let (ga, beta) = overwritableTarget(a) {
                Scalar.rowMaxBackward(x: valuePointer(a), y: y, outputGradient: gy, inputGradient: ga,
                                      rows: rows, columns: nodes[a].columns, accumulate: beta != 0)
            }
        case .reshape:
            break  // a view: its gradient already is its operand's
        case .batchNorm(let a, let statistics, let training, let length):
            if length == 1 {
                if let ga = gradientTarget(a) {
                    Scalar.batchNormBackward(y: y, outputGradient: gy, inputGradient: ga, rows: rows, columns: columns,
                                             statistics: pointer(statistics), training: training)
                }
            } else if let (ga, beta) = overwritableTarget(a) {
                Scalar.channelBatchNormBackward(y: y, outputGradient: gy, inputGradient: ga, rows: rows,
                                                channels: columns / length, length: length,
                                                statistics: pointer(statistics), training: training, accumulate: beta != 0)
            }
        case .bceWithLogits(let a, let targets):
            if let ga = gradientTarget(a) {
                let count = nodes[a].rows * nodes[a].columns
                Scalar.bceWithLogitsBackward(valuePointer(a), targets: valuePointer(targets), scale: gy[0] / Scalar(Swift.max(count, 1)),
                                             inputGradient: ga, count: count)
            }
        case .softmaxCrossEntropy(let a, let labels, let weights):
            if let ga = gradientTarget(a) {
                let w: UnsafePointer<Scalar>? = weights >= 0 ? UnsafePointer(pointer(weights)) : nil
                indices.withUnsafeBufferPointer { all in
                    Scalar.softmaxCrossEntropyBackward(valuePointer(a), rows: nodes[a].rows, columns: nodes[a].columns,
                                                       labels: all.baseAddress! + labels, weights: w, scale: gy[0],
                                                       inputGradient: ga)
                }
            }
        case .convolution(let start):
            convolutionBackward(node: i, start: start)
        case .coupling, .couplingLogDeterminant:
            couplingBackward(node: i)
        case .lstmCell, .lstmHidden:
            lstmBackward(node: i)
        case .lstmSequence(let start):
            lstmSequenceBackward(node: i, start: start)
        }
    }
}
