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

/// The channel batch-norm kernels against a plain loop over one channel at a time, adding each
/// channel's values in order (rows, then positions): the same bits, whether a group of eight
/// channels is read by the register transpose or by strided loads (channels and lengths with and
/// without a remainder of eight).
@Suite struct ChannelBatchNormKernelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rows: Int, channels: Int, length: Int
        var testDescription: String { "\(rows)×\(channels)×\(length)" }
    }

    static let cases = [Case(rows: 5, channels: 19, length: 13), Case(rows: 3, channels: 8, length: 8),
                        Case(rows: 4, channels: 16, length: 61), Case(rows: 2, channels: 3, length: 20),
                        Case(rows: 7, channels: 9, length: 1), Case(rows: 1, channels: 24, length: 7)]

    static func reference<S: NNScalar>(_ x: [S], _ gy: [S], previous: [S], _ c: Case, runningMean: [Float], runningVariance: [Float],
                                       accumulate: Bool)
        -> (y: [S], invStd: [S], mean: [Float], variance: [Float], gx: [S]) {
        let width = c.channels * c.length, count = c.rows * c.length, eps = S(1e-5), m: Float = 0.1
        var y = [S](repeating: 0, count: x.count), gx = previous, invStd = [S](repeating: 0, count: c.channels)
        var mean = runningMean, variance = runningVariance
        for channel in 0..<c.channels {
            func at(_ r: Int, _ t: Int) -> Int { r * width + channel * c.length + t }
            var sum: S = 0, squares: S = 0
            for r in 0..<c.rows { for t in 0..<c.length { sum += x[at(r, t)] } }
            let mu = sum / S(count)
            for r in 0..<c.rows { for t in 0..<c.length { let d = x[at(r, t)] - mu; squares += d * d } }
            let v = squares / S(count), scale = 1 / (v + eps).squareRoot()
            invStd[channel] = scale
            mean[channel] = (1 - m) * mean[channel] + m * Float(mu)
            variance[channel] = (1 - m) * variance[channel] + m * Float(v) * (Float(count) / Float(count - 1))
            for r in 0..<c.rows { for t in 0..<c.length { y[at(r, t)] = (x[at(r, t)] - mu) * scale } }
            var meanG: S = 0, meanGY: S = 0
            for r in 0..<c.rows { for t in 0..<c.length { meanG += gy[at(r, t)]; meanGY += gy[at(r, t)] * y[at(r, t)] } }
            let inverseCount = 1 / S(count)
            meanG *= inverseCount
            meanGY *= inverseCount
            for r in 0..<c.rows {
                for t in 0..<c.length {
                    let i = at(r, t), d = scale * (gy[i] - meanG - y[i] * meanGY)
                    gx[i] = accumulate ? gx[i] + d : d
                }
            }
        }
        return (y, invStd, mean, variance, gx)
    }

    static func run<S: NNScalar>(_: S.Type, _ c: Case, accumulate: Bool) -> (same: Bool, nonzero: Bool) {
        var rng = Xoshiro256StarStar(seed: UInt64(c.rows * 1000 + c.channels * 10 + c.length))
        let n = c.rows * c.channels * c.length
        let x = (0..<n).map { _ in S(3 + 2 * rng.nextNormal()) }, gy = (0..<n).map { _ in S(rng.nextNormal()) }
        let previous = (0..<n).map { _ in S(rng.nextNormal()) }
        let runningMean = (0..<c.channels).map { _ in Float(rng.nextNormal()) }, runningVariance = [Float](repeating: 1.5, count: c.channels)
        let want = reference(x, gy, previous: previous, c, runningMean: runningMean, runningVariance: runningVariance, accumulate: accumulate)
        var y = [S](repeating: 0, count: n), invStd = [S](repeating: 0, count: c.channels), gx = previous
        var mean = runningMean, variance = runningVariance
        S.channelBatchNormForward(x, &y, rows: c.rows, channels: c.channels, length: c.length, statistics: &invStd,
                                  runningMean: &mean, runningVariance: &variance, momentum: 0.1, epsilon: 1e-5, training: true)
        S.channelBatchNormBackward(y: y, outputGradient: gy, inputGradient: &gx, rows: c.rows, channels: c.channels, length: c.length,
                                   statistics: invStd, training: true, accumulate: accumulate)
        func same(_ a: [S], _ b: [S]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } && zip(a, b).allSatisfy { $0.sign == $1.sign } }
        let equal = same(y, want.y) && same(invStd, want.invStd) && same(gx, want.gx)
            && mean.map(\.bitPattern) == want.mean.map(\.bitPattern) && variance.map(\.bitPattern) == want.variance.map(\.bitPattern)
        return (equal, y.contains { $0 != 0 } && zip(gx, previous).contains { $0 != $1 })
    }

    @Test(arguments: cases, [false, true])
    func equalsOneChannelAtATime(_ c: Case, accumulate: Bool) {
        let float = Self.run(Float.self, c, accumulate: accumulate), double = Self.run(Double.self, c, accumulate: accumulate)
        #expect(float.same && float.nonzero)
        #expect(double.same && double.nonzero)
    }
}
