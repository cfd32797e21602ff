import BallastCore
import BallastNN
import Testing

@Suite struct LSTMTests {
    /// An LSTM with one input and one hidden unit and weights set by hand (gates in order i, f, g, o):
    /// W_ih = (0.5, −0.5, 1, 0.25), W_hh = (0.2, 0.4, −0.6, 0.8), b_ih = (0, 0.1, 0, −0.1),
    /// b_hh = (0.1, 0.1, −0.3, 0.1).
    static func handSet(sequenceLength: Int, output: LSTM.Output = .lastHidden) -> LSTM {
        var rng = Xoshiro256StarStar(seed: 1)
        let lstm = LSTM(inputSize: 1, hiddenSize: 1, sequenceLength: sequenceLength, output: output, using: &rng)
        lstm.inputWeight.value = Matrix(rows: 4, columns: 1, values: [0.5, -0.5, 1, 0.25])
        lstm.hiddenWeight.value = Matrix(rows: 4, columns: 1, values: [0.2, 0.4, -0.6, 0.8])
        lstm.inputBias.value = Matrix(rows: 1, columns: 4, values: [0, 0.1, 0, -0.1])
        lstm.hiddenBias.value = Matrix(rows: 1, columns: 4, values: [0.1, 0.1, -0.3, 0.1])
        return lstm
    }

    /// One step from h₀ = c₀ = 0 with x₁ = 1:
    ///   pre-activations = W_ih·1 + b_ih + b_hh = (0.6, −0.3, 0.7, 0.25);
    ///   i = σ(0.6) = 0.6456563, g = tanh(0.7) = 0.6043678, o = σ(0.25) = 0.5621765;
    ///   c₁ = i·g = 0.3902139;  h₁ = o·tanh(c₁) = 0.5621765 · 0.3715963 = 0.2088736.
    @Test func oneStepMatchesHandComputation() {
        let lstm = Self.handSet(sequenceLength: 1)
        let tape = Tape<Float>()
        let h = lstm.forward(tape.input(Matrix([[1]])), on: tape, mode: .inference)
        #expect(abs(Double(tape.value(h)[0]) - 0.2088736) < 1e-6)
    }

    /// Second step with x₂ = −1 from h₁ = 0.2088736, c₁ = 0.3902139:
    ///   pre = W_ih·(−1) + b_ih + b_hh + W_hh·h₁ = (−0.3582253, 0.7835495, −1.4253242, −0.0829011);
    ///   i = 0.4113892, f = σ(0.7835495) = 0.6864446, g = tanh(−1.4253242) = −0.8907044, o = 0.4792866;
    ///   c₂ = f·c₁ + i·g = 0.2678593 − 0.3664253 = −0.0985660;  h₂ = o·tanh(c₂) = −0.0470890.
    /// The sequence output is (h₁, h₂); the last-hidden output is h₂.
    @Test func twoStepsUseTheRecurrenceAndForgetGate() {
        let x = Matrix([[1, -1]])
        let tape = Tape<Float>()
        let last = Self.handSet(sequenceLength: 2).forward(tape.input(x), on: tape, mode: .inference)
        let sequence = Self.handSet(sequenceLength: 2, output: .sequence).forward(tape.input(x), on: tape, mode: .inference)
        #expect(abs(Double(tape.value(last)[0]) - -0.0470890) < 1e-6)
        let values = tape.value(sequence).map(Double.init)
        #expect(values.count == 2 && abs(values[0] - 0.2088736) < 1e-6 && abs(values[1] - -0.0470890) < 1e-6)
    }

    /// The parameter count is PyTorch's: 4·h·(in + h) + 8·h (two biases).
    @Test func parameterCountMatchesPyTorch() {
        var rng = Xoshiro256StarStar(seed: 2)
        let lstm = LSTM(inputSize: 64, hiddenSize: 128, sequenceLength: 10, using: &rng)
        #expect(lstm.parameterCount == 99_328)
        #expect(lstm.parameters.map(\.name) == ["lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0"])
        #expect(lstm.parameters.map(\.shape) == [[512, 64], [512, 128], [512], [512]])
        #expect(lstm.flopsPerSample() == 10 * (8 * 128 * 192 + 21 * 128))
    }

    @Test(arguments: [LSTM.Output.lastHidden, .sequence])
    func gradientCheck(output: LSTM.Output) {
        var rng = Xoshiro256StarStar(seed: 3)
        let lstm = LSTM(inputSize: 2, hiddenSize: 2, sequenceLength: 3, output: output, using: &rng)
        let x = Matrix(rows: 2, columns: 6, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x], parameters: lstm.parameters) { tape, inputs in
            lstm.forward(inputs[0], on: tape, mode: .training)
        }
        #expect(report.passed, "\(report)")
    }

    /// Rows are independent sequences: a batch gives the same states as each row alone.
    @Test func batchRowsAreIndependent() {
        var rng = Xoshiro256StarStar(seed: 4)
        let lstm = LSTM(inputSize: 3, hiddenSize: 5, sequenceLength: 4, using: &rng)
        let x = Matrix(rows: 3, columns: 12, generator: { _, _ in Float(rng.nextNormal()) })
        let tape = Tape<Float>()
        let batch = tape.value(lstm.forward(tape.input(x), on: tape, mode: .inference))
        for r in 0..<3 {
            let single = tape.value(lstm.forward(tape.input(Matrix([x.row(r)])), on: tape, mode: .inference))
            for j in 0..<5 { #expect(abs(single[j] - batch[r * 5 + j]) < 1e-5) }
        }
    }

    /// A channel-major row (the output of a Conv1d) gives the same states as its transpose read
    /// time-major, and gradients flow through the reordering.
    @Test func channelMajorInputIsTheTransposedSequence() {
        var rng = Xoshiro256StarStar(seed: 5)
        let timeMajor = LSTM(inputSize: 3, hiddenSize: 4, sequenceLength: 5, output: .sequence, using: &rng)
        let channelMajor = LSTM(inputSize: 3, hiddenSize: 4, sequenceLength: 5, output: .sequence,
                                inputLayout: .channelMajor, using: &rng)
        for (a, b) in zip(channelMajor.parameters, timeMajor.parameters) { a.value = b.value }
        // x[n, c·5 + t] in channel-major order; the same values time-major are at t·3 + c.
        let channels = Matrix(rows: 2, columns: 15, generator: { _, _ in Float(rng.nextNormal()) })
        let times = Matrix(rows: 2, columns: 15) { n, i in channels[n, (i % 3) * 5 + i / 3] }
        let tape = Tape<Float>()
        let expected = tape.value(timeMajor.forward(tape.input(times), on: tape, mode: .inference))
        let got = tape.value(channelMajor.forward(tape.input(channels), on: tape, mode: .inference))
        #expect(zip(got, expected).allSatisfy { abs($0 - $1) < 1e-6 })

        let small = LSTM(inputSize: 2, hiddenSize: 2, sequenceLength: 3, inputLayout: .channelMajor, using: &rng)
        let x = Matrix(rows: 2, columns: 6, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x], parameters: small.parameters) { tape, inputs in
            small.forward(inputs[0], on: tape, mode: .training)
        }
        #expect(report.passed, "\(report)")
    }
    /// The fused cell equals the step written out in elementary ops, in Double, with and without a
    /// previous cell state (the Float path uses the vectorized tanh and agrees within 1e-6).
    @Test(arguments: [false, true])
    func fusedCellMatchesTheComposedOps(withPrevious: Bool) {
        var rng = Xoshiro256StarStar(seed: 11)
        let h = 5
        let gates = Matrix(rows: 3, columns: 4 * h, generator: { _, _ in 2 * Float(rng.nextNormal()) })
        let previous = Matrix(rows: 3, columns: h, generator: { _, _ in Float(rng.nextNormal()) })
        func both<S: NNScalar>(_ tape: Tape<S>) -> (fused: [S], composed: [S]) {
            let g = tape.input(gates), c = withPrevious ? tape.input(previous) : nil
            let (hidden, cell) = tape.lstmCell(gates: g, cell: c)
            var next = tape.mul(tape.sigmoid(tape.slice(g, columns: 0..<h)), tape.tanh(tape.slice(g, columns: (2 * h)..<(3 * h))))
            if let c { next = tape.add(tape.mul(tape.sigmoid(tape.slice(g, columns: h..<(2 * h))), c), next) }
            let state = tape.mul(tape.sigmoid(tape.slice(g, columns: (3 * h)..<(4 * h))), tape.tanh(next))
            return (tape.value(hidden) + tape.value(cell), tape.value(state) + tape.value(next))
        }
        let exact = both(Tape<Double>())
        #expect(zip(exact.fused, exact.composed).allSatisfy { abs($0 - $1) < 1e-12 }, "\(exact)")
        let single = both(Tape<Float>())
        #expect(zip(single.fused, single.composed).allSatisfy { abs($0 - $1) < 1e-6 }, "\(single)")
    }

    /// Gradients of both outputs reach the gates and the previous cell state.
    @Test func fusedCellGradientCheck() {
        var rng = Xoshiro256StarStar(seed: 12)
        let gates = Matrix(rows: 3, columns: 12, generator: { _, _ in Float(rng.nextNormal()) })
        let previous = Matrix(rows: 3, columns: 3, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [gates, previous]) { tape, inputs in
            let (hidden, cell) = tape.lstmCell(gates: inputs[0], cell: inputs[1])
            // Use the cell twice (as the next step does) so both gradient paths into it add up.
            return tape.concat([hidden, tape.mul(cell, cell)])
        }
        #expect(report.passed, "\(report)")
    }
}
