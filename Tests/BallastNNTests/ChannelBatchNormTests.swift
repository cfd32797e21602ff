import BallastCore
import BallastNN
import Testing

/// ``BatchNorm1d`` with `length > 1`: PyTorch's `BatchNorm1d` on `(N, C, L)`, per channel over the
/// batch and the positions.
@Suite struct ChannelBatchNormTests {
    /// Two rows of 2 channels × 3 positions, channel-major. Channel 0 holds {1, 2, 3, 3, 4, 5}
    /// (mean 3, biased variance 10/6, unbiased 2), channel 1 holds {0, 0, 0, 6, 6, 6} (mean 3,
    /// biased variance 9, unbiased 10.8).
    static let x = Matrix([[1, 2, 3, 0, 0, 0], [3, 4, 5, 6, 6, 6]])

    @Test func normalizesEachChannelOverBatchAndPositions() {
        let bn = BatchNorm1d(features: 2, length: 3)
        bn.shift?.value = Matrix([[0, 1]])
        let tape = Tape<Double>()
        let y = tape.value(bn.forward(tape.input(Self.x), on: tape, mode: .training))
        let s0 = 1 / (10.0 / 6 + 1e-5).squareRoot(), s1 = 1 / (9 + 1e-5).squareRoot()
        let expected = [-2 * s0, -s0, 0, -3 * s1 + 1, -3 * s1 + 1, -3 * s1 + 1,
                        0, s0, 2 * s0, 3 * s1 + 1, 3 * s1 + 1, 3 * s1 + 1]
        #expect(zip(y, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(y)")
        #expect(abs(bn.runningMean.value[0, 0] - 0.3) < 1e-6 && abs(bn.runningMean.value[0, 1] - 0.3) < 1e-6)
        #expect(abs(bn.runningVariance.value[0, 0] - 1.1) < 1e-6 && abs(bn.runningVariance.value[0, 1] - 1.98) < 1e-5)
        #expect(bn.parameters.map(\.shape) == [[2], [2]] && bn.flopsPerSample() == 4 * 6)
    }

    @Test(arguments: [Mode.training, .inference])
    func gradientCheck(_ mode: Mode) {
        var rng = Xoshiro256StarStar(seed: 31)
        let bn = BatchNorm1d(features: 3, length: 4)
        bn.scale?.value = Matrix(rows: 1, columns: 3, generator: { _, _ in 1 + Float(rng.nextNormal()) })
        bn.shift?.value = Matrix(rows: 1, columns: 3, generator: { _, _ in Float(rng.nextNormal()) })
        bn.runningVariance.value = Matrix([[0.5, 2, 1.5]])
        let x = Matrix(rows: 3, columns: 12, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x], parameters: bn.parameters) { tape, inputs in
            bn.forward(inputs[0], on: tape, mode: mode)
        }
        #expect(report.passed, "\(report)")
    }
}

/// ``LSTM/Direction/reverse``: PyTorch's backward half of a bidirectional LSTM.
@Suite struct ReverseLSTMTests {
    @Test(arguments: [LSTM.Output.lastHidden, .sequence])
    func readsTheSequenceBackwards(output: LSTM.Output) {
        var rng = Xoshiro256StarStar(seed: 41)
        let forward = LSTM(inputSize: 2, hiddenSize: 3, sequenceLength: 4, output: output, using: &rng)
        let reverse = LSTM(inputSize: 2, hiddenSize: 3, sequenceLength: 4, output: output, direction: .reverse, using: &rng)
        for (a, b) in zip(reverse.parameters, forward.parameters) { a.value = b.value }
        #expect(reverse.parameters.map(\.name) == ["lstm.weight_ih_l0_reverse", "lstm.weight_hh_l0_reverse",
                                                   "lstm.bias_ih_l0_reverse", "lstm.bias_hh_l0_reverse"])
        let x = Matrix(rows: 2, columns: 8, generator: { _, _ in Float(rng.nextNormal()) })
        // The same rows with the time steps (pairs of columns) in reverse order.
        let flipped = Matrix(rows: 2, columns: 8, generator: { r, c in x[r, (3 - c / 2) * 2 + c % 2] })
        let tape = Tape<Double>()
        let got = tape.value(reverse.forward(tape.input(x), on: tape, mode: .inference))
        var want = tape.value(forward.forward(tape.input(flipped), on: tape, mode: .inference))
        if output == .sequence {  // PyTorch returns the reverse outputs in the original time order
            let steps = want
            want = []
            for r in 0..<2 {
                for t in (0..<4).reversed() { want += steps[(r * 4 + t) * 3 ..< (r * 4 + t + 1) * 3] }
            }
        }
        #expect(zip(got, want).allSatisfy { abs($0 - $1) < 1e-9 }, "\(got) vs \(want)")
    }

    @Test func gradientCheckChannelMajorReverse() {
        var rng = Xoshiro256StarStar(seed: 42)
        let lstm = LSTM(inputSize: 2, hiddenSize: 2, sequenceLength: 3, inputLayout: .channelMajor, direction: .reverse, using: &rng)
        let x = Matrix(rows: 2, columns: 6, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x], parameters: lstm.parameters) { tape, inputs in
            lstm.forward(inputs[0], on: tape, mode: .training)
        }
        #expect(report.passed, "\(report)")
    }
}
