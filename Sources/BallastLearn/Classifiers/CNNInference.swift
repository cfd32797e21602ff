import BallastCore
import BallastNN

/// The prediction-only forward pass of a ``CNNNetwork``: the function of
/// `network.forward(_:on:mode: .inference)` (equal up to Float rounding), computed without a tape.
///
/// Built once from the network's current weights. Each batch norm is folded into the convolution
/// before it (weights `w·γ/√(var + ε)`, bias `(b − mean)·γ/√(var + ε) + β`), the LSTM's two biases
/// are summed, dropout (the identity at inference) disappears, and every weight is stored
/// transposed for a plain `rows × inputs` by `inputs × outputs` product. Rows are then predicted in
/// tasks of ``taskRows`` spread over ``Parallel/threadCount`` threads, each thread reusing one set
/// of scratch buffers (see ``Scratch``):
///
/// - a convolution block is, per sub-block of ``blockRows`` rows (small enough for its maps to stay
///   in cache), one im2col copy, one GEMM, and one pass that adds the bias, applies ReLU and max-pools;
/// - an LSTM projects every step's input in one GEMM and adds one GEMM of the recurrent weights per
///   step, the gates being applied in place;
/// - each dense layer is one GEMM over the task's rows.
///
/// Maps are kept time-major (`position · channels + channel`), not channel-major as on the tape, so
/// that a convolution window and an LSTM step are contiguous runs; the first dense layer of a plain
/// CNN has its weight columns permuted to match (PyTorch's `flatten` is channel-major).
struct CNNInference: Sendable, Equatable {
    /// `Conv1d → [BatchNorm1d] → [ReLU] → [MaxPool1d]`, with the batch norm folded in.
    struct Block: Sendable, Equatable {
        var channels: Int
        var length: Int
        var kernelSize: Int
        var stride: Int
        var padding: Int
        var filters: Int
        /// Max-pooling window (and stride); 1 without pooling.
        var pool = 1
        var relu = false
        /// `(kernelSize·channels) × filters`: row `k·channels + c` holds tap `k` of channel `c`.
        var weights: [Float]
        var bias: [Float]

        /// Positions after the convolution.
        var outputLength: Int { (length + 2 * padding - kernelSize) / stride + 1 }
        /// Positions after the pooling.
        var pooledLength: Int { outputLength / pool }
        /// Columns of one im2col window.
        var windowWidth: Int { kernelSize * channels }
        /// Columns of one row of the block's output.
        var outputWidth: Int { pooledLength * filters }
    }

    /// A single-layer LSTM that returns its last hidden state.
    struct Recurrent: Sendable, Equatable {
        var inputSize: Int
        var hiddenSize: Int
        var sequenceLength: Int
        var reverse: Bool
        /// `(inputSize + hiddenSize) × 4·hiddenSize`: `W_ihᵀ` stacked on `W_hhᵀ`, so that one GEMM of a
        /// step's `[x_t | h]` gives its gates. The columns of the input, forget and output gates are
        /// halved (exactly: a power of two), so one `tanh` pass over a row's four gates gives all of
        /// them, `σ(z) = ½ + ½·tanh(z/2)`, as the training tape computes them.
        var weights: [Float]
        /// `b_ih + b_hh`, the same columns halved.
        var bias: [Float]
    }

    /// A `Linear` layer, optionally followed by ReLU.
    struct Dense: Sendable, Equatable {
        var inputs: Int
        var outputs: Int
        /// `inputs × outputs`, `Wᵀ`.
        var weights: [Float]
        var bias: [Float]
        var relu = false
    }

    /// Rows per task, the unit of parallel work (the dense GEMMs run over this many rows).
    static let taskRows = 256
    /// Rows per convolution sub-block.
    static let blockRows = 16

    let inputs: Int
    let blocks: [Block]
    let recurrent: [Recurrent]
    let dense: [Dense]

    /// Number of classes (logits per row).
    var classes: Int { dense.last?.outputs ?? 0 }
    /// Columns of the convolutions' output (time-major).
    var featureWidth: Int { blocks.last?.outputWidth ?? inputs }
    /// Columns the head reads.
    var headWidth: Int { recurrent.isEmpty ? featureWidth : recurrent.reduce(0) { $0 + $1.hiddenSize } }

    /// Reads the layers and current weights of `network`.
    /// - Precondition: `network` was built by ``CNNArchitecture/build(using:)`` (a programmer error
    ///   otherwise: the message names the unexpected layer).
    init(_ network: CNNNetwork) {
        var blocks: [Block] = []
        for layer in network.convolution.layers {
            if let conv = layer as? Conv1d {
                blocks.append(Block(conv))
                continue
            }
            precondition(!blocks.isEmpty, "CNNInference: \(type(of: layer)) before the first Conv1d")
            switch layer {
            case let norm as BatchNorm1d: blocks[blocks.count - 1].fold(norm)
            case let activation as Activation:
                precondition(activation.function == .relu && !blocks[blocks.count - 1].relu,
                             "CNNInference: only one ReLU per convolution block, found \(activation.function)")
                blocks[blocks.count - 1].relu = true
            case let pool as MaxPool1d:
                precondition(pool.stride == pool.kernelSize && blocks[blocks.count - 1].pool == 1,
                             "CNNInference: one max pooling per block with stride = window (\(pool.kernelSize), \(pool.stride))")
                blocks[blocks.count - 1].pool = pool.kernelSize
            default: preconditionFailure("CNNInference: unexpected \(type(of: layer)) in the convolution blocks")
            }
        }
        precondition(!blocks.isEmpty, "CNNInference: no convolution")
        for (previous, next) in zip(blocks, blocks.dropFirst()) {
            precondition(previous.filters == next.channels && previous.pooledLength == next.length,
                         "CNNInference: block output \(previous.filters)×\(previous.pooledLength) does not feed \(next.channels)×\(next.length)")
        }
        let final = blocks[blocks.count - 1]
        recurrent = network.recurrent.map { Recurrent($0, channels: final.filters, length: final.pooledLength) }
        var dense: [Dense] = []
        for layer in network.head.layers {
            switch layer {
            case is Dropout: break
            case let linear as Linear:
                // The plain CNN's first dense layer reads the flattened maps: permute its columns
                // from channel-major (c·length + t) to time-major (t·channels + c).
                let permuted = network.recurrent.isEmpty && dense.isEmpty
                dense.append(Dense(linear, channels: permuted ? final.filters : 1, length: permuted ? final.pooledLength : 1))
            case let activation as Activation:
                precondition(activation.function == .relu && !dense.isEmpty && !dense[dense.count - 1].relu,
                             "CNNInference: a ReLU must follow a Linear layer in the head")
                dense[dense.count - 1].relu = true
            default: preconditionFailure("CNNInference: unexpected \(type(of: layer)) in the head")
            }
        }
        precondition(!dense.isEmpty, "CNNInference: no output layer")
        inputs = blocks[0].channels * blocks[0].length
        self.blocks = blocks
        self.dense = dense
        precondition(dense[0].inputs == headWidth, "CNNInference: the head reads \(dense[0].inputs) columns, the body gives \(headWidth)")
    }

    /// Class probabilities of every row (softmax of the logits).
    /// - Parameter features: `rows × inputs`, finite.
    func probabilities(_ features: Matrix) -> Matrix {
        forEachTask(features) { logits, rows, target in
            NetworkTraining.softmax(logits, rows: rows, classes: classes, into: target)
        }
    }

    /// The logits of every row (what the tape's inference-mode forward pass returns).
    /// - Parameter features: `rows × inputs`, finite.
    func logits(_ features: Matrix) -> Matrix {
        forEachTask(features) { logits, rows, target in target.update(from: logits, count: rows * classes) }
    }

    /// Runs the tasks of `features` in parallel and lets `write` turn each task's logits into its
    /// `rows × classes` part of the result.
    private func forEachTask(_ features: Matrix,
                             write: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void) -> Matrix {
        precondition(features.columns == inputs || features.rows == 0, "CNNInference: \(features.columns) columns, expected \(inputs)")
        let n = features.rows, k = classes
        var out = Matrix(rows: n, columns: k)
        guard n > 0 else { return out }
        let tasks = (n + Self.taskRows - 1) / Self.taskRows
        features.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { p in
                let source = SendableReadBuffer(x), target = SendableBuffer(p)
                Parallel.forEachChunk(0..<tasks) { range in
                    let scratch = Scratch(self, rows: min(Self.taskRows, n))
                    defer { scratch.deallocate() }
                    for task in range {
                        let first = task * Self.taskRows, rows = min(Self.taskRows, n - first)
                        let logits = self.logits(source.baseAddress! + first * self.inputs, rows: rows, scratch: scratch)
                        write(logits, rows, target.baseAddress! + first * k)
                    }
                }
            }
        }
        return out
    }
}

extension CNNInference.Block {
    /// The convolution's weights, transposed and with taps ordered `k·channels + c`.
    init(_ conv: Conv1d) {
        let channels = conv.inputChannels, kernel = conv.kernelSize, filters = conv.outputChannels
        var weights = [Float](repeating: 0, count: kernel * channels * filters)
        conv.weight.value.withUnsafeBufferPointer { w in  // w[o, c·kernel + k]
            for o in 0..<filters {
                for c in 0..<channels {
                    for k in 0..<kernel { weights[(k * channels + c) * filters + o] = w[o * channels * kernel + c * kernel + k] }
                }
            }
        }
        self.init(channels: channels, length: conv.length, kernelSize: kernel, stride: conv.stride, padding: conv.padding,
                  filters: filters, weights: weights, bias: conv.bias.map { Array($0.value.storage) } ?? Array(repeating: 0, count: filters))
    }

    /// Folds batch normalization with running statistics into the weights and bias (in Double).
    mutating func fold(_ norm: BatchNorm1d) {
        precondition(!relu && pool == 1 && norm.features == filters && norm.length == outputLength,
                     "CNNInference: BatchNorm1d(\(norm.features)×\(norm.length)) must follow Conv1d(\(filters)×\(outputLength)) directly")
        for o in 0..<filters {
            let inverse = 1 / (Double(norm.runningVariance.value[0, o]) + Double(norm.epsilon)).squareRoot()
            let gamma = norm.scale.map { Double($0.value[0, o]) } ?? 1, beta = norm.shift.map { Double($0.value[0, o]) } ?? 0
            let scale = gamma * inverse
            for row in 0..<windowWidth { weights[row * filters + o] = Float(Double(weights[row * filters + o]) * scale) }
            bias[o] = Float((Double(bias[o]) - Double(norm.runningMean.value[0, o])) * scale + beta)
        }
    }
}

extension CNNInference.Recurrent {
    /// The LSTM's weights, transposed, with its biases summed.
    /// - Precondition: it reads the `channels × length` maps and returns its last hidden state.
    init(_ lstm: LSTM, channels: Int, length: Int) {
        precondition(lstm.output == .lastHidden && lstm.inputLayout == .channelMajor && lstm.inputSize == channels
                     && lstm.sequenceLength == length,
                     "CNNInference: the LSTM must read the \(channels)×\(length) maps and return its last hidden state")
        let h = lstm.hiddenSize, g = 4 * h
        // Gate columns are PyTorch's order i, f, g, o; only the candidate g keeps its scale.
        func halved(_ values: [Float]) -> [Float] {
            values.enumerated().map { index, v in (2 * h ..< 3 * h).contains(index % g) ? v : v / 2 }
        }
        self.init(inputSize: channels, hiddenSize: h, sequenceLength: length, reverse: lstm.direction == .reverse,
                  weights: halved(lstm.inputWeight.value.transposed().storage + lstm.hiddenWeight.value.transposed().storage),
                  bias: halved(zip(lstm.inputBias.value.storage, lstm.hiddenBias.value.storage).map { $0 + $1 }))
    }
}

extension CNNInference.Dense {
    /// The layer's weights, transposed; with `channels > 1`, the input columns `c·length + t` become
    /// rows `t·channels + c`.
    init(_ linear: Linear, channels: Int, length: Int) {
        let inputs = linear.inputs, outputs = linear.outputs
        precondition(channels * length == inputs || (channels == 1 && length == 1),
                     "CNNInference: Linear(\(inputs)) cannot read \(channels)×\(length) maps")
        var weights = [Float](repeating: 0, count: inputs * outputs)
        linear.weight.value.withUnsafeBufferPointer { w in  // w[j, i]
            for j in 0..<outputs {
                for i in 0..<inputs {
                    let row = channels > 1 && length > 1 ? (i % length) * channels + i / length : i
                    weights[row * outputs + j] = w[j * inputs + i]
                }
            }
        }
        self.init(inputs: inputs, outputs: outputs, weights: weights,
                  bias: linear.bias.map { Array($0.value.storage) } ?? Array(repeating: 0, count: outputs))
    }
}
