import BallastCore
import BallastNN
import Testing

@Suite struct Conv1dTests {
    /// The convolution computed directly from its definition, in Double:
    /// y[n, o, t] = b[o] + Σ_c Σ_k w[o, c, k] · x[n, c, t·stride + k − padding] (zero outside).
    static func direct(_ conv: Conv1d, _ x: Matrix) -> [Double] {
        let w = conv.weight.value, outLength = conv.outputLength
        var out: [Double] = []
        for n in 0..<x.rows {
            for o in 0..<conv.outputChannels {
                for t in 0..<outLength {
                    var sum = Double(conv.bias?.value[0, o] ?? 0)
                    for c in 0..<conv.inputChannels {
                        for k in 0..<conv.kernelSize {
                            let p = t * conv.stride + k - conv.padding
                            guard p >= 0 && p < conv.length else { continue }
                            sum += Double(w[o, c * conv.kernelSize + k]) * Double(x[n, c * conv.length + p])
                        }
                    }
                    out.append(sum)
                }
            }
        }
        return out
    }

    struct Geometry: Sendable, CustomTestStringConvertible {
        let channels: Int, filters: Int, length: Int, kernel: Int, stride: Int, padding: Int, bias: Bool
        var testDescription: String { "C\(channels)→\(filters) L\(length) k\(kernel) s\(stride) p\(padding)\(bias ? "" : " no bias")" }
    }

    static let geometries = [
        Geometry(channels: 1, filters: 4, length: 9, kernel: 3, stride: 1, padding: 1, bias: true),
        Geometry(channels: 3, filters: 2, length: 8, kernel: 3, stride: 2, padding: 2, bias: true),
        Geometry(channels: 2, filters: 3, length: 7, kernel: 7, stride: 1, padding: 0, bias: false),
        Geometry(channels: 2, filters: 2, length: 3, kernel: 5, stride: 2, padding: 3, bias: true),
    ]

    static func make(_ g: Geometry, seed: UInt64) -> (Conv1d, Matrix) {
        var rng = Xoshiro256StarStar(seed: seed)
        let conv = Conv1d(inputChannels: g.channels, outputChannels: g.filters, length: g.length, kernelSize: g.kernel,
                          stride: g.stride, padding: g.padding, initialization: .pytorchDefault, bias: g.bias, using: &rng)
        let x = Matrix(rows: 3, columns: g.channels * g.length, generator: { _, _ in Float(rng.nextNormal()) })
        return (conv, x)
    }

    @Test(arguments: geometries)
    func matchesDirectConvolution(_ g: Geometry) {
        let (conv, x) = Self.make(g, seed: 11)
        let tape = Tape<Float>()
        let y = conv.forward(tape.input(x), on: tape, mode: .inference)
        #expect(y.rows == 3 && y.columns == conv.outputFeatures)
        let expected = Self.direct(conv, x)
        for (got, want) in zip(tape.value(y), expected) {
            #expect(abs(Double(got) - want) < 1e-5, "got \(got), want \(want)")
        }
        // A second batch of another size reuses nothing stale.
        let two = Matrix(rows: 2, columns: x.columns, values: Array(x.storage[0..<(2 * x.columns)]))
        let y2 = conv.forward(tape.input(two), on: tape, mode: .inference)
        #expect(tape.value(y2).map(Double.init).elementsEqual(expected[0..<(2 * conv.outputFeatures)]) { abs($0 - $1) < 1e-5 })
    }

    @Test(arguments: geometries)
    func gradientCheck(_ g: Geometry) {
        let (conv, x) = Self.make(g, seed: 12)
        let small = Matrix(rows: 2, columns: x.columns, values: Array(x.storage[0..<(2 * x.columns)]))
        let report = GradientCheck.check(inputs: [small], parameters: conv.parameters) { tape, inputs in
            conv.forward(inputs[0], on: tape, mode: .training)
        }
        #expect(report.passed, "\(report)")
    }

    /// The first layer of a 1-D CNN on NSL-KDD's 122 features: 32 filters of width 3, padding 1 keeps
    /// the length; 32·3 weights + 32 biases; 122·32 outputs of 3 multiply-adds and a bias each.
    @Test func sizeAndCostOfTheKDDFirstLayer() {
        var rng = Xoshiro256StarStar(seed: 13)
        let conv = Conv1d(inputChannels: 1, outputChannels: 32, length: 122, kernelSize: 3, padding: 1, using: &rng)
        #expect(conv.outputLength == 122 && conv.outputFeatures == 3904)
        #expect(conv.parameterCount == 128)
        #expect(conv.flopsPerSample() == 3904 * 7)
        #expect(conv.parameters.map(\.name) == ["conv.weight", "conv.bias"])
        #expect(conv.parameters.map(\.shape) == [[32, 1, 3], [32]], "PyTorch's shapes, for checkpoints")
    }

    /// He initialization: weights have variance ≈ 2 / fan-in with fan-in = channels · kernel.
    @Test func heInitializationUsesChannelsTimesKernel() {
        var rng = Xoshiro256StarStar(seed: 14)
        let conv = Conv1d(inputChannels: 16, outputChannels: 64, length: 30, kernelSize: 5, initialization: .heNormal, using: &rng)
        let w = conv.weight.value.storage.map(Double.init)
        let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
        #expect(abs(variance - 2.0 / 80) < 0.1 * 2.0 / 80)
    }

    /// A bump (1, 2, 1) or a dip (−1, −2, −1) at a random place in 16 noisy positions: a small CNN
    /// (Conv1d 1→4 width 3, ReLU, MaxPool1d 2, Linear) trained with Adam for 80 steps on 64 rows
    /// recognises the shape on 64 fresh rows — the filters find it wherever it is.
    @Test func aSmallCNNLearnsAShapeAnywhere() throws {
        var rng = Xoshiro256StarStar(seed: 15)
        func sample(_ count: Int) -> (Matrix, [Int]) {
            let labels = (0..<count).map { $0 % 2 }
            var x = Matrix(rows: count, columns: 16) { _, _ in Float(rng.nextNormal()) * 0.1 }
            for r in 0..<count {
                let at = rng.nextInt(below: 14), sign: Float = labels[r] == 0 ? 1 : -1
                for (k, v) in [Float(1), 2, 1].enumerated() { x[r, at + k] += sign * v }
            }
            return (x, labels)
        }
        let conv = Conv1d(inputChannels: 1, outputChannels: 4, length: 16, kernelSize: 3, using: &rng)
        let pool = MaxPool1d(channels: 4, length: conv.outputLength, kernelSize: 2)
        let model = Sequential([conv, Activation(.relu), pool, Linear(pool.outputFeatures, 2, using: &rng)])
        let (train, trainLabels) = sample(64)
        let optimizer = try Adam(parameters: model.parameters, learningRate: 0.02)
        let tape = Tape<Float>()
        for _ in 0..<80 {
            tape.reset()
            optimizer.zeroGradients()
            tape.backward(tape.softmaxCrossEntropy(model.forward(tape.input(train), on: tape, mode: .training), labels: trainLabels))
            optimizer.step()
        }
        let (test, testLabels) = sample(64)
        tape.reset()
        let scores = tape.matrix(model.forward(tape.input(test), on: tape, mode: .inference))
        let correct = (0..<64).filter { r in (scores[r, 1] > scores[r, 0] ? 1 : 0) == testLabels[r] }.count
        #expect(correct >= 60, "\(correct)/64 correct")
    }
}
