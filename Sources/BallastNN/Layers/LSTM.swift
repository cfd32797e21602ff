import BallastCore

/// A single-layer LSTM over a sequence laid out in the feature columns (PyTorch's `nn.LSTM` with
/// `batch_first=True`, one layer, zero initial state, same parameter names and layouts).
///
/// With the default ``InputLayout/timeMajor`` layout, column `t · inputSize + j` of the input is
/// feature `j` at time `t`; ``InputLayout/channelMajor`` reads the output of ``Conv1d`` or
/// ``MaxPool1d`` directly (channels as features, positions as time steps: PyTorch's
/// `x.permute(0, 2, 1)` in a CNN+LSTM). Each step computes the four
/// gates in PyTorch's order — input `i`, forget `f`, cell `g`, output `o` — from one
/// `batch × 4·hiddenSize` pre-activation:
///
///     [i f g o] = xₜ · W_ihᵀ + b_ih + hₜ₋₁ · W_hhᵀ + b_hh
///     cₜ = σ(f) ⊙ cₜ₋₁ + σ(i) ⊙ tanh(g)
///     hₜ = σ(o) ⊙ tanh(cₜ)
///
/// The gate GEMMs are fused: the input part of all four gates for **all** time steps is one GEMM
/// over `(batch·sequenceLength) × inputSize` before the loop, and each step adds one GEMM of
/// `hₜ₋₁` against the stacked `4·hiddenSize × hiddenSize` recurrent weights.
///
/// A ``Direction/reverse`` layer reads the sequence from the last step to the first and names its
/// parameters as the reverse half of PyTorch's `nn.LSTM(bidirectional=True)` (`weight_ih_l0_reverse`);
/// a forward and a reverse layer with the same input make a bidirectional LSTM.
public final class LSTM: Layer {
    /// Which way the layer reads time.
    public enum Direction: Sendable, Hashable {
        /// From the first step to the last.
        case forward
        /// From the last step to the first (PyTorch's reverse direction; its ``Output/lastHidden``
        /// is the state after step 0, and ``Output/sequence`` is returned in the original time order).
        case reverse
    }

    /// What ``forward(_:on:mode:)`` returns.
    public enum Output: Sendable, Hashable {
        /// The last hidden state, `batch × hiddenSize`.
        case lastHidden
        /// Every hidden state, `batch × (sequenceLength·hiddenSize)`, time-major within a row
        /// (PyTorch's `output` flattened).
        case sequence
    }

    /// How a row of the input holds the sequence.
    public enum InputLayout: Sendable, Hashable {
        /// Column `t · inputSize + j` is feature `j` at time `t` (PyTorch's `batch_first` input flattened).
        case timeMajor
        /// Column `j · sequenceLength + t` is feature `j` at time `t` (channels × length, as the
        /// output of ``Conv1d`` and ``MaxPool1d``).
        case channelMajor
    }

    /// `4·hiddenSize × inputSize` input weights, gates stacked i, f, g, o (`"<name>.weight_ih_l0"`).
    public let inputWeight: Parameter
    /// `4·hiddenSize × hiddenSize` recurrent weights (`"<name>.weight_hh_l0"`).
    public let hiddenWeight: Parameter
    /// `1 × 4·hiddenSize` input bias (`"<name>.bias_ih_l0"`, shape `[4·hiddenSize]`).
    public let inputBias: Parameter
    /// `1 × 4·hiddenSize` recurrent bias (`"<name>.bias_hh_l0"`, shape `[4·hiddenSize]`).
    public let hiddenBias: Parameter
    /// Features per time step.
    public let inputSize: Int
    /// Width of the hidden and cell states.
    public let hiddenSize: Int
    /// Number of time steps in a row.
    public let sequenceLength: Int
    /// Whether the layer returns the last hidden state or all of them.
    public let output: Output
    /// How a row of the input holds the sequence.
    public let inputLayout: InputLayout
    /// Which way the layer reads time.
    public let direction: Direction

    /// Gather indices that reorder a channel-major or reversed batch to one time step per row, for
    /// the last batch size seen.
    private var reordering = SequenceReordering()

    /// An LSTM with PyTorch's default initialization, `U(−1/√hiddenSize, 1/√hiddenSize)` for every
    /// weight and bias.
    /// - Parameters:
    ///   - inputSize: features per time step.
    ///   - hiddenSize: width of the hidden state.
    ///   - sequenceLength: time steps per row.
    ///   - output: the last hidden state (default) or the whole sequence.
    ///   - inputLayout: how a row holds the sequence (time-major by default).
    ///   - direction: forward (default) or reverse; reverse names end in `_reverse`, as PyTorch's.
    ///   - name: prefix of the parameter names.
    ///   - rng: the random stream the weights are drawn from.
    /// - Precondition: positive sizes.
    public init(inputSize: Int, hiddenSize: Int, sequenceLength: Int, output: Output = .lastHidden,
                inputLayout: InputLayout = .timeMajor, direction: Direction = .forward, name: String = "lstm",
                using rng: inout some RandomNumberGenerator) {
        precondition(inputSize > 0 && hiddenSize > 0 && sequenceLength > 0,
                     "LSTM: input \(inputSize), hidden \(hiddenSize), sequence length \(sequenceLength)")
        let bound = 1 / Double(hiddenSize).squareRoot()
        func uniform(_ rows: Int, _ columns: Int) -> Matrix {
            var m = Matrix(rows: rows, columns: columns)
            m.withUnsafeMutableBufferPointer { w in
                for i in 0..<w.count { w[i] = Float((2 * rng.nextUniform() - 1) * bound) }
            }
            return m
        }
        let suffix = direction == .reverse ? "_l0_reverse" : "_l0"
        inputWeight = Parameter(name: name + ".weight_ih" + suffix, value: uniform(4 * hiddenSize, inputSize))
        hiddenWeight = Parameter(name: name + ".weight_hh" + suffix, value: uniform(4 * hiddenSize, hiddenSize))
        inputBias = Parameter(name: name + ".bias_ih" + suffix, value: uniform(1, 4 * hiddenSize), shape: [4 * hiddenSize])
        hiddenBias = Parameter(name: name + ".bias_hh" + suffix, value: uniform(1, 4 * hiddenSize), shape: [4 * hiddenSize])
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.sequenceLength = sequenceLength
        self.output = output
        self.inputLayout = inputLayout
        self.direction = direction
    }

    /// `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` (PyTorch's order).
    public var parameters: [Parameter] { [inputWeight, hiddenWeight, inputBias, hiddenBias] }

    /// Per time step: the two gate GEMMs with their biases (`8·h·(inputSize + h) + 8·h`), their sum
    /// (`4·h`), the gate activations (`4·h`) and the state update (`5·h`), with `h = hiddenSize`.
    public func flopsPerSample() -> Int {
        let h = hiddenSize
        return sequenceLength * (8 * h * (inputSize + h) + 8 * h + 4 * h + 4 * h + 5 * h)
    }

    /// Runs the sequence in every row of `x` from a zero state.
    /// - Parameters:
    ///   - x: `batch × (sequenceLength·inputSize)`, laid out as ``inputLayout`` says.
    ///   - tape: the tape of the current step.
    ///   - mode: unused.
    /// - Returns: `batch × hiddenSize` (``Output/lastHidden``) or `batch × (sequenceLength·hiddenSize)`.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        precondition(x.columns == sequenceLength * inputSize,
                     "LSTM: input has \(x.columns) columns, expected \(sequenceLength)×\(inputSize)")
        let batch = x.rows, gateWidth = 4 * hiddenSize
        let steps: Tensor
        if inputLayout == .timeMajor && direction == .forward {
            steps = tape.reshape(x, rows: batch * sequenceLength, columns: inputSize)
        } else {
            let (features, length) = (inputSize, sequenceLength)
            let channelMajor = inputLayout == .channelMajor, reversed = direction == .reverse
            let order = reordering.indices(batch: batch) {
                SequenceReordering.timeSteps(batch: $0, features: features, length: length, channelMajor: channelMajor, reversed: reversed)
            }
            let flat = tape.reshape(x, rows: x.count, columns: 1)
            steps = tape.reshape(tape.gatherRows(flat, order), rows: batch * sequenceLength, columns: inputSize)
        }
        let projected = tape.linear(steps, weight: tape.parameter(inputWeight), bias: tape.parameter(inputBias))
        let inputGates = tape.reshape(projected, rows: batch, columns: sequenceLength * gateWidth)
        return tape.lstmSequence(inputGates: inputGates, steps: sequenceLength, weight: tape.parameter(hiddenWeight),
                                 bias: tape.parameter(hiddenBias), sequence: output == .sequence, reversed: direction == .reverse)
    }
}
