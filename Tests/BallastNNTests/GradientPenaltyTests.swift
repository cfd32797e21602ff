import BallastCore
import BallastNN
import Testing

/// WGAN-GP's gradient penalty: golden values, the whole critic loss checked by finite differences
/// in Double, and the Float step against the Double one.
@Suite struct GradientPenaltyTests {
    /// A CTGAN-style critic: `pac` rows packed into one, two LeakyReLU(0.2) + Dropout(0.5) blocks.
    final class Critic {
        let features: Int, pac: Int
        let layers: [Linear]
        let dropoutSeeds: [UInt64]

        init(features: Int, pac: Int, hidden: Int, seed: UInt64) {
            var rng = Xoshiro256StarStar(seed: seed)
            self.features = features
            self.pac = pac
            layers = [Linear(features * pac, hidden, initialization: .heUniform, name: "d0", using: &rng),
                      Linear(hidden, hidden, name: "d1", using: &rng), Linear(hidden, 1, name: "d2", using: &rng)]
            dropoutSeeds = [seed &+ 1, seed &+ 2]
        }

        var parameters: [Parameter] { layers.flatMap(\.parameters) }

        /// Returns the critic as a function of a batch; its dropout layers start from fixed seeds, so
        /// every call of `makeFunction` replays the same masks (as finite differences require).
        func makeFunction<S: NNScalar>(on tape: Tape<S>) -> (Tensor) -> Tensor {
            let dropouts = dropoutSeeds.map { Dropout(rate: 0.5, seed: $0) }
            return { x in
                var h = tape.reshape(x, rows: x.rows / self.pac, columns: x.columns * self.pac)
                for (layer, dropout) in zip(self.layers, dropouts) {
                    h = dropout.forward(tape.leakyReLU(layer.forward(h, on: tape, mode: .training), slope: 0.2), on: tape, mode: .training)
                }
                return self.layers[2].forward(h, on: tape, mode: .training)
            }
        }
    }

    static func uniform(_ rows: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<rows).map { _ in rng.nextUniform() }
    }

    /// For a linear critic `x · w + b` the input gradient is `w` everywhere, so the penalty is
    /// `λ (‖w‖ − 1)²` = 10 · (5 − 1)² = 160 for any interpolation, and its weight gradient is
    /// `2λ (‖w‖ − 1) w / ‖w‖` = 16 w — with the norm over the packed `pac × features` row.
    @Test(arguments: [(1, [Float(3), 4]), (2, [Float(1), 2, 2, 4])])
    func linearCriticGoldenValues(_ pac: Int, _ weights: [Float]) {
        let w = Parameter(name: "w", value: Matrix(rows: 1, columns: weights.count, values: weights))
        let b = Parameter(name: "b", value: Matrix([[0.5]]))
        let tape = Tape<Float>()
        let real = tape.input(rows: 4, columns: 2, values: [1, -2, 3, 0.5, 2, 1, -1, 0])
        let fake = tape.input(rows: 4, columns: 2, values: Array(repeating: 0.25, count: 8))
        let epsilon = tape.input(rows: 4 / pac, columns: 1, values: Array([0.1, 0.9, 0.4, 0.7].prefix(4 / pac)))
        let penalty = tape.gradientPenalty(real: real, fake: fake, epsilon: epsilon, pac: pac) { x in
            tape.linear(tape.reshape(x, rows: x.rows / pac, columns: x.columns * pac), weight: tape.parameter(w), bias: tape.parameter(b))
        }
        #expect(abs(tape.value(penalty)[0] - 160) < 1e-3)
        tape.backward(penalty)
        #expect(zip(w.gradient.storage, weights).allSatisfy { abs($0 - 16 * $1) < 1e-3 }, "\(w.gradient.storage)")
        #expect(abs(b.gradient.storage[0]) < 1e-6)
    }

    /// A critic with zero weights has a zero input gradient: each group adds λ (1 − 0)² = λ, and the
    /// weight gradients are zero, not NaN (PyTorch's `norm` has gradient 0 at 0).
    @Test func zeroInputGradientGivesLambdaAndNoNaN() {
        let w = Parameter(name: "w", value: Matrix(rows: 1, columns: 3)), b = Parameter(name: "b", value: Matrix([[1]]))
        let tape = Tape<Float>()
        let batch = tape.input(GradientCheckTests.random(4, 3, seed: 20))
        let penalty = tape.gradientPenalty(real: batch, fake: tape.mul(batch, scalar: 2),
                                           epsilon: tape.input(Matrix(rows: 4, columns: 1, repeating: 0.5))) { x in
            tape.linear(x, weight: tape.parameter(w), bias: tape.parameter(b))
        }
        #expect(tape.value(penalty) == [10])
        tape.backward(penalty)
        #expect(w.gradient.storage == [0, 0, 0] && b.gradient.storage == [0])
    }

    /// The whole WGAN-GP critic loss — critic on fake, real and interpolates, penalty, backward — by
    /// finite differences in Double, with respect to every weight and to both batches.
    @Test(arguments: [1, 2])
    func criticLossGradientCheck(_ pac: Int) {
        let critic = Critic(features: 3, pac: pac, hidden: 5, seed: 30)
        let real = GradientCheckTests.random(6, 3, seed: 31), fake = GradientCheckTests.random(6, 3, seed: 32)
        let epsilon = Self.uniform(6 / pac, seed: 33)
        let report = GradientCheck.check(inputs: [real, fake], parameters: critic.parameters) { tape, i in
            let d = critic.makeFunction(on: tape)
            let e = tape.input(rows: epsilon.count, columns: 1, values: epsilon)
            let wasserstein = tape.sub(tape.mean(d(i[1]), axis: nil), tape.mean(d(i[0]), axis: nil))
            return tape.add(wasserstein, tape.gradientPenalty(real: i[0], fake: i[1], epsilon: e, pac: pac, critic: d))
        }
        #expect(report.passed, "\(report)")
    }

    /// The penalty equals the one written out with `gradient(of:withRespectTo:)` as its
    /// documentation shows, on interpolates computed by hand, and the one computed from the input
    /// gradient of the ordinary backward pass; so do the weight gradients of the first two.
    @Test func penaltyMatchesTheWrittenOutForm() {
        let critic = Critic(features: 4, pac: 1, hidden: 16, seed: 40)
        let realValues = GradientCheckTests.random(5, 4, seed: 41), fakeValues = GradientCheckTests.random(5, 4, seed: 42)
        let epsilon = Self.uniform(5, seed: 43)
        let interpolates = Matrix(rows: 5, columns: 4, generator: { r, c in
            Float(epsilon[r] * Double(realValues[r, c]) + (1 - epsilon[r]) * Double(fakeValues[r, c]))
        })
        let tape = Tape<Double>()
        let penalty = tape.gradientPenalty(real: tape.input(realValues), fake: tape.input(fakeValues),
                                           epsilon: tape.input(rows: 5, columns: 1, values: epsilon), lambda: 1,
                                           critic: critic.makeFunction(on: tape))
        let d = critic.makeFunction(on: tape)
        let xHat = tape.input(interpolates, requiresGradient: true)
        let score = d(xHat)                                                // batch × 1
        let g = tape.gradient(of: score, withRespectTo: xHat)              // batch × features
        let norm = tape.sqrt(tape.sum(tape.mul(g, g), axis: .columns))
        let written = tape.mean(tape.pow(tape.add(norm, scalar: -1), 2), axis: nil)
        #expect(abs(tape.value(penalty)[0] - tape.value(written)[0]) < 1e-12 * max(1, tape.value(written)[0]))

        // The same penalty from the input gradient of the ordinary backward pass (same masks).
        let again = tape.input(interpolates, requiresGradient: true)
        tape.backward(tape.sum(critic.makeFunction(on: tape)(again), axis: nil))
        let inputGradient = tape.gradient(again) ?? []
        let byBackward = (0..<5).map { r -> Double in
            let norm = inputGradient[(r * 4)..<(r * 4 + 4)].reduce(0) { $0 + $1 * $1 }.squareRoot()
            return (norm - 1) * (norm - 1)
        }.reduce(0, +) / 5
        #expect(abs(tape.value(penalty)[0] - byBackward) < 1e-12 * max(1, byBackward))
        for p in critic.parameters { p.zeroGradient() }
        var gradients: [[Float]] = []
        for loss in [penalty, written] {
            tape.backward(loss)
            gradients.append(critic.parameters.flatMap(\.gradient.storage))
            for p in critic.parameters { p.zeroGradient() }
        }
        #expect(zip(gradients[0], gradients[1]).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
        #expect(gradients[0].contains { $0 != 0 })
    }

    /// A training step on `Tape<Float>` (the documented critic step) gives the weight gradients of
    /// the same step in Double, so the Float GEMM's transposed products are right too.
    @Test func floatStepMatchesDouble() {
        let model = Critic(features: 12, pac: 2, hidden: 16, seed: 50)
        let realBatch = GradientCheckTests.random(20, 12, seed: 51), generatedBatch = GradientCheckTests.random(20, 12, seed: 52)

        func step<S: NNScalar>(_ tape: Tape<S>) -> [Float] {
            var rng = Xoshiro256StarStar(seed: 53)
            let critic = model.makeFunction(on: tape)
            let generated = tape.input(generatedBatch)
            let real = tape.input(realBatch), fake = tape.detach(generated)
            let epsilon = tape.input(rows: real.rows / 2, columns: 1) { e in
                for i in e.indices { e[i] = S(rng.nextUniform()) }
            }
            let wasserstein = tape.sub(tape.mean(critic(fake), axis: nil), tape.mean(critic(real), axis: nil))
            let penalty = tape.gradientPenalty(real: real, fake: fake, epsilon: epsilon, pac: 2, critic: critic)
            tape.backward(tape.add(wasserstein, penalty))
            let gradients = model.parameters.flatMap(\.gradient.storage)
            for p in model.parameters { p.zeroGradient() }
            return gradients
        }
        let float = step(Tape<Float>()), double = step(Tape<Double>())
        let scale = double.map(abs).max() ?? 0
        let error = zip(float, double).map { abs($0 - $1) }.max() ?? .infinity
        #expect(scale > 0.1 && error < 1e-5 * scale, "largest difference \(error) of gradients up to \(scale)")
    }
}
