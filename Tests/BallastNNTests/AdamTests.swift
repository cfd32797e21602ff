import BallastCore
import BallastNN
import Testing

/// Adam and AdamW against steps worked out by hand.
///
/// Setting for every test: one weight p₀ = 1 (repeated in 11 elements so that both the SIMD body
/// and the scalar tail run), lr = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, gradients g₁ = 0.5 then
/// g₂ = −0.25.
@Suite struct AdamTests {
    static let count = 11

    /// A parameter of `count` ones.
    static func weight() -> Parameter {
        Parameter(name: "w", value: Matrix(rows: 1, columns: count, repeating: 1))
    }

    /// Sets every element of `p`'s gradient to `g` and runs one step.
    static func step(_ optimizer: some Optimizer, _ p: Parameter, gradient g: Float) {
        optimizer.zeroGradients()
        p.gradient = Matrix(rows: 1, columns: count, repeating: g)
        optimizer.step()
    }

    static func expectAll(_ p: Parameter, _ expected: Double, _ tolerance: Double = 2e-6) {
        for v in p.value.storage {
            #expect(abs(Double(v) - expected) < tolerance, "got \(v), expected \(expected)")
        }
    }

    /// Step 1: m₁ = 0.1·0.5 = 0.05, v₁ = 0.001·0.25 = 0.00025;
    ///   m̂ = 0.05/(1−0.9) = 0.5, v̂ = 0.00025/(1−0.999) = 0.25, √v̂ = 0.5;
    ///   p₁ = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002.
    /// Step 2: m₂ = 0.9·0.05 + 0.1·(−0.25) = 0.02, v₂ = 0.999·0.00025 + 0.001·0.0625 = 0.00031225;
    ///   m̂ = 0.02/0.19 = 0.1052632, v̂ = 0.00031225/0.001999 = 0.1562031, √v̂ = 0.3952254;
    ///   p₂ = 0.9 − 0.1·0.1052632/0.3952254 = 0.9 − 0.0266337 = 0.8733663.
    @Test func adamFirstStepsMatchHandArithmetic() throws {
        let p = Self.weight()
        let adam = try Adam(parameters: [p], learningRate: 0.1)
        Self.step(adam, p, gradient: 0.5)
        Self.expectAll(p, 0.900000002)
        Self.step(adam, p, gradient: -0.25)
        Self.expectAll(p, 0.8733663)
        #expect(adam.stepCount == 2)
    }

    /// Adam's weight decay is an L2 term in the gradient (weightDecay = 0.1):
    /// Step 1: g = 0.5 + 0.1·1 = 0.6; the first Adam step moves by lr·sign(g): p₁ = 0.9.
    /// Step 2: g = −0.25 + 0.1·0.9 = −0.16; m₂ = 0.9·0.06 + 0.1·(−0.16) = 0.038,
    ///   v₂ = 0.999·0.00036 + 0.001·0.0256 = 0.00038524; m̂ = 0.038/0.19 = 0.2,
    ///   v̂ = 0.00038524/0.001999 = 0.1927164, √v̂ = 0.4389959; p₂ = 0.9 − 0.1·0.2/0.4389959 = 0.8544414.
    @Test func adamWeightDecayEntersTheGradient() throws {
        let p = Self.weight()
        let adam = try Adam(parameters: [p], learningRate: 0.1, weightDecay: 0.1)
        Self.step(adam, p, gradient: 0.5)
        Self.expectAll(p, 0.9)
        Self.step(adam, p, gradient: -0.25)
        Self.expectAll(p, 0.8544414)
    }

    /// AdamW decays the weight directly (weightDecay = 0.1, so the factor is 1 − 0.1·0.1 = 0.99)
    /// and then takes the plain Adam step, whose moments do not see the decay:
    /// Step 1: p = 1·0.99 − 0.1 = 0.89.
    /// Step 2: p = 0.89·0.99 − 0.0266337 (the plain Adam step 2 above) = 0.8811 − 0.0266337 = 0.8544663.
    @Test func adamWDecouplesWeightDecay() throws {
        let p = Self.weight()
        let adamW = try AdamW(parameters: [p], learningRate: 0.1, weightDecay: 0.1)
        Self.step(adamW, p, gradient: 0.5)
        Self.expectAll(p, 0.89)
        Self.step(adamW, p, gradient: -0.25)
        Self.expectAll(p, 0.8544663)
    }

    @Test func defaultsArePyTorchs() throws {
        let adam = try Adam(parameters: [])
        #expect(adam.learningRate == 1e-3 && adam.beta1 == 0.9 && adam.beta2 == 0.999)
        #expect(adam.epsilon == 1e-8 && adam.weightDecay == 0)
        let adamW = try AdamW(parameters: [])
        #expect(adamW.learningRate == 1e-3 && adamW.weightDecay == 0.01)
    }

    /// Each parameter keeps its own moments: two parameters stepped together give the same result
    /// as each stepped alone.
    @Test func stateIsPerParameter() throws {
        let a = Parameter(name: "a", value: Matrix(rows: 3, columns: 5, repeating: 1))
        let b = Parameter(name: "b", value: Matrix(rows: 1, columns: 3, repeating: -2))
        let alone = Parameter(name: "b", value: Matrix(rows: 1, columns: 3, repeating: -2))
        let together = try Adam(parameters: [a, b], learningRate: 0.05)
        let single = try Adam(parameters: [alone], learningRate: 0.05)
        for (ga, gb) in [(Float(1), Float(-3)), (2, 0.5), (-1, 4)] {
            a.gradient = Matrix(rows: 3, columns: 5, repeating: ga)
            b.gradient = Matrix(rows: 1, columns: 3, repeating: gb)
            alone.gradient = Matrix(rows: 1, columns: 3, repeating: gb)
            together.step()
            single.step()
        }
        #expect(b.value == alone.value)
    }

    @Test func badHyperparametersThrowNamingThem() {
        #expect(throws: NNError.invalidParameter(name: "Adam.beta1", value: "1.0", expected: "a number in [0, 1)")) {
            _ = try Adam(parameters: [], beta1: 1)
        }
        #expect(throws: NNError.invalidParameter(name: "AdamW.learningRate", value: "-0.1", expected: "a finite number ≥ 0")) {
            _ = try AdamW(parameters: [], learningRate: -0.1)
        }
        #expect(throws: NNError.self) { _ = try Adam(parameters: [], epsilon: .nan) }
    }
}
