import BallastCore
import BallastNN
import Testing

/// SGD against steps worked out by hand: p₀ = 1 (in 11 elements, so the SIMD body and the scalar
/// tail both run), lr = 0.1, gradients g₁ = 1 then g₂ = 0.5.
@Suite struct SGDTests {
    static let count = 11

    static func run(_ make: ([Parameter]) throws -> SGD, gradients: [Float]) throws -> [Float] {
        let p = Parameter(name: "w", value: Matrix(rows: 1, columns: count, repeating: 1))
        let sgd = try make([p])
        var trace: [Float] = []
        for g in gradients {
            sgd.zeroGradients()
            p.gradient = Matrix(rows: 1, columns: count, repeating: g)
            sgd.step()
            #expect(Set(p.value.storage).count == 1, "every element takes the same step")
            trace.append(p.value.storage[0])
        }
        return trace
    }

    static func expectClose(_ got: [Float], _ expected: [Double]) {
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) {
            #expect(abs(Double(g) - e) < 1e-6, "got \(got), expected \(expected)")
        }
    }

    /// Plain: p₁ = 1 − 0.1·1 = 0.9, p₂ = 0.9 − 0.1·0.5 = 0.85.
    @Test func plainStep() throws {
        Self.expectClose(try Self.run({ try SGD(parameters: $0, learningRate: 0.1) }, gradients: [1, 0.5]), [0.9, 0.85])
    }

    /// Momentum 0.9: b₁ = g₁ = 1 (PyTorch starts the buffer at the first gradient), p₁ = 0.9;
    /// b₂ = 0.9·1 + 0.5 = 1.4, p₂ = 0.9 − 0.14 = 0.76; b₃ = 0.9·1.4 + 0 = 1.26, p₃ = 0.76 − 0.126 = 0.634.
    @Test func momentumMatchesHandValues() throws {
        let trace = try Self.run({ try SGD(parameters: $0, learningRate: 0.1, momentum: 0.9) }, gradients: [1, 0.5, 0])
        Self.expectClose(trace, [0.9, 0.76, 0.634])
    }

    /// Nesterov, momentum 0.9: b₁ = 1, d₁ = 1 + 0.9·1 = 1.9, p₁ = 1 − 0.19 = 0.81;
    /// b₂ = 1.4, d₂ = 0.5 + 0.9·1.4 = 1.76, p₂ = 0.81 − 0.176 = 0.634.
    @Test func nesterovMatchesHandValues() throws {
        let trace = try Self.run({ try SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true) },
                                 gradients: [1, 0.5])
        Self.expectClose(trace, [0.81, 0.634])
    }

    /// Dampening 0.5 applies from the second step: b₁ = 1, p₁ = 0.9; b₂ = 0.9·1 + 0.5·0.5 = 1.15,
    /// p₂ = 0.9 − 0.115 = 0.785.
    @Test func dampeningSkipsTheFirstStep() throws {
        let trace = try Self.run({ try SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, dampening: 0.5) },
                                 gradients: [1, 0.5])
        Self.expectClose(trace, [0.9, 0.785])
    }

    /// Weight decay 0.1 adds 0.1·p to the gradient: g₁ = 1 + 0.1 = 1.1, p₁ = 1 − 0.11 = 0.89;
    /// g₂ = 0.5 + 0.089 = 0.589, p₂ = 0.89 − 0.0589 = 0.8311.
    @Test func weightDecayAddsL2Gradient() throws {
        let trace = try Self.run({ try SGD(parameters: $0, learningRate: 0.1, weightDecay: 0.1) }, gradients: [1, 0.5])
        Self.expectClose(trace, [0.89, 0.8311])
    }

    /// Minimising f(p) = ½‖p − 3‖² from 0 with momentum converges to 3.
    @Test func momentumConvergesOnAQuadratic() throws {
        let p = Parameter(name: "w", value: Matrix(rows: 2, columns: 9, repeating: 0))
        let sgd = try SGD(parameters: [p], learningRate: 0.05, momentum: 0.9, nesterov: true)
        for _ in 0..<300 {
            sgd.zeroGradients()
            p.gradient = Matrix(rows: 2, columns: 9, values: p.value.storage.map { $0 - 3 })
            sgd.step()
        }
        #expect(p.value.storage.allSatisfy { abs($0 - 3) < 1e-4 })
    }

    @Test func nesterovWithoutMomentumThrows() {
        #expect(throws: NNError.self) { _ = try SGD(parameters: [], learningRate: 0.1, nesterov: true) }
        #expect(throws: NNError.invalidParameter(name: "SGD.momentum", value: "-0.5", expected: "a finite number ≥ 0")) {
            _ = try SGD(parameters: [], learningRate: 0.1, momentum: -0.5)
        }
    }
}
