import BallastCore
import BallastNN
import Testing

@Suite struct LinearTests {
    @Test func parameterCountFlopsAndNames() {
        var rng = Xoshiro256StarStar(seed: 1)
        let layer = Linear(127, 256, name: "encoder.0", using: &rng)
        #expect(layer.parameterCount == 127 * 256 + 256)
        #expect(layer.flopsPerSample() == 2 * 127 * 256 + 256)
        #expect(layer.parameters.map(\.name) == ["encoder.0.weight", "encoder.0.bias"])
        #expect(layer.weight.shape == [256, 127] && layer.bias?.shape == [256])
    }

    @Test(arguments: [Initialization.heNormal, .heUniform, .xavierNormal, .xavierUniform, .pytorchDefault])
    func initializationHasTheStatedSpread(_ scheme: Initialization) {
        var rng = Xoshiro256StarStar(seed: 2)
        let w = scheme.weights(fanIn: 200, fanOut: 100, using: &rng).storage.map(Double.init)
        let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
        let expected: Double
        switch scheme {
        case .heNormal, .heUniform: expected = 2.0 / 200
        case .xavierNormal, .xavierUniform: expected = 2.0 / 300
        case .pytorchDefault: expected = 1.0 / (3 * 200)
        }
        #expect(abs(variance / expected - 1) < 0.05, "\(scheme): variance \(variance), expected \(expected)")
    }
}

@Suite struct SequentialTests {
    @Test func stackIsGradientCheckedAndCounted() {
        var rng = Xoshiro256StarStar(seed: 3)
        let net = Sequential([
            Linear(4, 6, name: "0", using: &rng), BatchNorm1d(features: 6, name: "1"), Activation(.elu(alpha: 1), features: 6),
            Linear(6, 3, initialization: .xavierUniform, name: "3", using: &rng), Activation(.tanh, features: 3),
        ])
        #expect(net.parameterCount == (4 * 6 + 6) + 12 + (6 * 3 + 3))
        #expect(net.flopsPerSample() == (2 * 24 + 6) + 24 + 6 + (2 * 18 + 3) + 3)
        #expect(net.parameters.count == 6 && net.buffers.count == 3)
        let x = Matrix(rows: 5, columns: 4, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x], parameters: net.parameters) { tape, inputs in
            net.forward(inputs[0], on: tape, mode: .training)
        }
        #expect(report.passed, "\(report)")
    }

    @Test(arguments: [Activation.Function.relu, .leakyReLU(slope: 0.2), .sigmoid, .softplus])
    func activationLayers(_ f: Activation.Function) {
        var rng = Xoshiro256StarStar(seed: 4)
        let x = Matrix(rows: 3, columns: 4, generator: { _, _ in Float(rng.nextNormal()) })
        let layer = Activation(f)
        #expect(GradientCheck.check(inputs: [x]) { tape, inputs in layer.forward(inputs[0], on: tape, mode: .training) }.passed)
    }
}
