import BallastCore
import BallastNN

extension CNNInference {
    /// The buffers one thread reuses for every task it runs, allocated once per
    /// ``CNNInference/probabilities(_:)`` call and thread.
    struct Scratch {
        /// im2col windows of one sub-block.
        let windows: UnsafeMutablePointer<Float>
        /// Convolution product of one sub-block, before pooling.
        let product: UnsafeMutablePointer<Float>
        /// Maps between blocks of one sub-block (two, alternating).
        let maps: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
        /// The last block's maps for every row of the task: the LSTM's or the head's input.
        let features: UnsafeMutablePointer<Float>
        /// LSTM pre-activations of one step, gate activations of one row, `tanh` of one cell.
        let projected: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>, cellTanh: UnsafeMutablePointer<Float>
        /// One LSTM step's `[x_t | h]` for every row of the task.
        let joined: UnsafeMutablePointer<Float>
        /// LSTM cell states, and the head's input when there is an LSTM (last hidden states).
        let cell: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>
        /// Dense layer outputs (two, alternating).
        let dense: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)

        /// Buffers for tasks of up to `rows` rows.
        init(_ plan: CNNInference, rows: Int) {
            func buffer(_ count: Int) -> UnsafeMutablePointer<Float> { .allocate(capacity: Swift.max(count, 1)) }
            let sub = Swift.min(rows, CNNInference.blockRows)
            windows = buffer(plan.blocks.map { sub * $0.outputLength * $0.windowWidth }.max() ?? 0)
            product = buffer(plan.blocks.map { sub * $0.outputLength * $0.filters }.max() ?? 0)
            let between = plan.blocks.dropLast().map { sub * $0.outputWidth }.max() ?? 0
            maps = (buffer(between), buffer(between))
            features = buffer(rows * plan.featureWidth)
            let widest = plan.recurrent.map(\.hiddenSize).max() ?? 0
            projected = buffer(rows * 4 * widest)
            joined = buffer(plan.recurrent.map { rows * ($0.inputSize + $0.hiddenSize) }.max() ?? 0)
            gates = buffer(4 * widest)
            cellTanh = buffer(widest)
            cell = buffer(rows * widest)
            hidden = buffer(plan.recurrent.isEmpty ? 0 : rows * plan.headWidth)
            let output = plan.dense.map { rows * $0.outputs }.max() ?? 0
            dense = (buffer(output), buffer(output))
        }

        func deallocate() {
            for p in [windows, product, maps.0, maps.1, features, projected, joined, gates, cellTanh, cell, hidden, dense.0, dense.1] {
                p.deallocate()
            }
        }
    }

    /// Logits of `rows` consecutive rows starting at `x`, in `scratch` (valid until its next use).
    func logits(_ x: UnsafePointer<Float>, rows n: Int, scratch: Scratch) -> UnsafeMutablePointer<Float> {
        for start in stride(from: 0, to: n, by: Self.blockRows) {
            let rows = Swift.min(Self.blockRows, n - start)
            var input = x + start * inputs
            for (i, block) in blocks.enumerated() {
                let output = i == blocks.count - 1 ? scratch.features + start * featureWidth
                    : (i % 2 == 0 ? scratch.maps.0 : scratch.maps.1)
                convolve(block, input, rows: rows, into: output, scratch: scratch)
                input = UnsafePointer(output)
            }
        }
        var head = UnsafePointer(scratch.features)
        if !recurrent.isEmpty {
            var column = 0
            for lstm in recurrent {
                run(lstm, UnsafePointer(scratch.features), rows: n, into: scratch.hidden + column, stride: headWidth, scratch: scratch)
                column += lstm.hiddenSize
            }
            head = UnsafePointer(scratch.hidden)
        }
        var output = scratch.dense.0
        for (i, layer) in dense.enumerated() {
            output = i % 2 == 0 ? scratch.dense.0 : scratch.dense.1
            Self.fillRows(output, with: layer.bias, rows: n)
            layer.weights.withUnsafeBufferPointer { w in
                GEMM.multiply(transposeA: .none, transposeB: .none, m: n, n: layer.outputs, k: layer.inputs, alpha: 1,
                              a: head, lda: layer.inputs, b: w.baseAddress!, ldb: layer.outputs, beta: 1,
                              c: output, ldc: layer.outputs, parallel: false)
            }
            if layer.relu { Self.relu(output, count: n * layer.outputs) }
            head = UnsafePointer(output)
        }
        return output
    }

    /// One convolution block on `rows` rows of time-major maps: im2col, GEMM, then bias, ReLU and
    /// max pooling in one pass into `output` (`rows × outputWidth`, time-major).
    private func convolve(_ block: Block, _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
                          scratch: Scratch) {
        let c = block.channels, length = block.length, positions = block.outputLength, width = block.windowWidth
        let windows = scratch.windows, product = scratch.product, filters = block.filters
        // A window is `kernelSize` consecutive positions: one run of `width` values, zero where it
        // reaches into the padding.
        for r in 0..<rows {
            let source = input + r * length * c
            for t in 0..<positions {
                let first = t * block.stride - block.padding
                let window = windows + (r * positions + t) * width
                if first >= 0 && first + block.kernelSize <= length {
                    window.update(from: source + first * c, count: width)
                } else {
                    for k in 0..<block.kernelSize {
                        let p = first + k
                        if p >= 0 && p < length {
                            (window + k * c).update(from: source + p * c, count: c)
                        } else {
                            (window + k * c).update(repeating: 0, count: c)
                        }
                    }
                }
            }
        }
        block.weights.withUnsafeBufferPointer { w in
            GEMM.multiply(transposeA: .none, transposeB: .none, m: rows * positions, n: filters, k: width, alpha: 1,
                          a: windows, lda: width, b: w.baseAddress!, ldb: filters, beta: 0, c: product, ldc: filters, parallel: false)
        }
        // max over a window of (y + b) is (max y) + b: rounding is monotonic. ReLU commutes with max.
        let pooled = block.pooledLength, pool = block.pool
        block.bias.withUnsafeBufferPointer { bias in
            for r in 0..<rows {
                for t in 0..<pooled {
                    let source = product + (r * positions + t * pool) * filters
                    let target = output + (r * pooled + t) * filters
                    target.update(from: source, count: filters)
                    for j in 1..<Swift.max(pool, 1) {
                        let next = source + j * filters
                        for o in 0..<filters where next[o] > target[o] { target[o] = next[o] }
                    }
                    for o in 0..<filters { target[o] += bias[o] }
                    if block.relu { Self.relu(target, count: filters) }
                }
            }
        }
    }

    /// An LSTM over the `rows × (sequenceLength·inputSize)` time-major `input`; the last hidden
    /// state of row `r` goes to `hidden + r·stride`.
    ///
    /// Step by step, all rows at once: `[x_t | h]` sits in one `rows × (inputSize + h)` block,
    /// multiplied by the stacked weights `[W_ih; W_hh]ᵀ` in a single GEMM onto the bias, so a step's
    /// working set (the block and its `rows × 4h` gates) stays in cache. Each step copies `x_t` into
    /// the block and writes the new `h` straight into it for the next step. The gate columns of the
    /// weights are pre-halved, so one `tanh` pass gives every gate (see ``Recurrent/weights``).
    private func run(_ lstm: Recurrent, _ input: UnsafePointer<Float>, rows: Int, into hidden: UnsafeMutablePointer<Float>,
                     stride: Int, scratch: Scratch) {
        let h = lstm.hiddenSize, g = 4 * h, steps = lstm.sequenceLength, inputSize = lstm.inputSize, width = inputSize + h
        let projected = scratch.projected, gates = scratch.gates, cellTanh = scratch.cellTanh, joined = scratch.joined
        for s in 0..<steps {
            let t = lstm.reverse ? steps - 1 - s : s
            Self.fillRows(projected, with: lstm.bias, rows: rows)
            for r in 0..<rows { (joined + r * width).update(from: input + (r * steps + t) * inputSize, count: inputSize) }
            // h₀ = 0: the first step multiplies by the input weights only.
            lstm.weights.withUnsafeBufferPointer { w in
                GEMM.multiply(transposeA: .none, transposeB: .none, m: rows, n: g, k: s > 0 ? width : inputSize, alpha: 1,
                              a: joined, lda: width, b: w.baseAddress!, ldb: g, beta: 1, c: projected, ldc: g, parallel: false)
            }
            for r in 0..<rows {
                Float.vectorTanh(projected + r * g, gates, count: g)  // tanh(i/2), tanh(f/2), tanh(g), tanh(o/2)
                let cell = scratch.cell + r * h, state = joined + r * width + inputSize
                if s == 0 {  // c₀ = 0
                    for j in 0..<h { cell[j] = (0.5 + 0.5 * gates[j]) * gates[2 * h + j] }
                } else {
                    for j in 0..<h { cell[j] = (0.5 + 0.5 * gates[h + j]) * cell[j] + (0.5 + 0.5 * gates[j]) * gates[2 * h + j] }
                }
                Float.vectorTanh(cell, cellTanh, count: h)
                for j in 0..<h { state[j] = (0.5 + 0.5 * gates[3 * h + j]) * cellTanh[j] }
            }
        }
        for r in 0..<rows { (hidden + r * stride).update(from: joined + r * width + inputSize, count: h) }
    }

    /// Copies `row` into each of the `rows` rows of `target`.
    private static func fillRows(_ target: UnsafeMutablePointer<Float>, with row: [Float], rows: Int) {
        row.withUnsafeBufferPointer { source in
            for r in 0..<rows { (target + r * source.count).update(from: source.baseAddress!, count: source.count) }
        }
    }

    /// `max(x, 0)` in place, as the tape's ReLU.
    @inline(__always)
    private static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count where !(x[i] > 0) { x[i] = 0 }
    }
}
