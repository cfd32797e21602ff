import BallastCore
import BallastNN
import Testing

@Suite struct TapeTests {
    @Test func linearComputesXWTransposePlusBias() {
        let tape = Tape<Float>()
        let x = tape.input(Matrix([[1, 2], [3, 4]]))
        let w = Parameter(name: "w", value: Matrix([[1, 0], [0, 1], [1, 1]]))
        let b = Parameter(name: "b", value: Matrix([[10, 20, 30]]))
        let y = tape.linear(x, weight: tape.parameter(w), bias: tape.parameter(b))
        #expect(y.rows == 2 && y.columns == 3)
        #expect(tape.value(y) == [11, 22, 33, 13, 24, 37])
    }

    @Test func gradientsAccumulateOverRepeatedUse() {
        // (x + x) · x = 2x², so d/dx = 4x: an engine that overwrites instead of adding gives 2x or 3x.
        let tape = Tape<Double>()
        let x = tape.input(rows: 1, columns: 3, values: [1, -2, 0.5], requiresGradient: true)
        let y = tape.mul(tape.add(x, x), x)
        tape.backward(tape.sum(y, axis: nil))
        #expect(tape.gradient(x) == [4, -8, 2])
    }

    @Test func tensorUsedByTwoOpsGetsBothContributions() {
        // loss = Σ exp(x) + Σ 3x, so d/dx = exp(x) + 3.
        let tape = Tape<Double>()
        let x = tape.input(rows: 2, columns: 2, values: [0, 1, -1, 2], requiresGradient: true)
        let loss = tape.add(tape.sum(tape.exp(x), axis: nil), tape.sum(tape.mul(x, scalar: 3), axis: nil))
        tape.backward(loss)
        let expected = [0.0, 1, -1, 2].map { Double.nnExp($0) + 3 }
        let got = tape.gradient(x) ?? []
        #expect(zip(got, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func parameterGradientsAddUpAcrossBackwardCalls() {
        let p = Parameter(name: "p", value: Matrix([[2, 3]]))
        let tape = Tape<Float>()
        for _ in 0..<2 {
            tape.reset()
            tape.backward(tape.sum(tape.mul(tape.parameter(p), scalar: 5), axis: nil))
        }
        #expect(p.gradient.storage == [10, 10])
        p.zeroGradient()
        #expect(p.gradient.storage == [0, 0])
    }

    @Test func detachStopsGradient() {
        let tape = Tape<Double>()
        let x = tape.input(rows: 1, columns: 2, values: [1, 2], requiresGradient: true)
        let loss = tape.sum(tape.mul(x, tape.detach(x)), axis: nil)
        tape.backward(loss)
        #expect(tape.gradient(x) == [1, 2])
    }

    @Test func rereadParametersSeesAnOptimizerStepWithinOneTapeStep() {
        // A GAN's generator step runs through the discriminator as updated by its own step.
        let p = Parameter(name: "d", value: Matrix([[1, 2]]))
        let tape = Tape<Float>()
        let before = tape.parameter(p)
        p.value = Matrix([[5, 6]])
        #expect(tape.parameter(p) == before && tape.value(before) == [1, 2])
        tape.rereadParameters()
        let after = tape.parameter(p)
        #expect(after != before && tape.value(after) == [5, 6])
        tape.backward(tape.sum(tape.mul(after, scalar: 3), axis: nil))
        #expect(p.gradient.storage == [3, 3])
    }

    @Test func stepsOfTheSameShapeReuseTheArena() {
        var rng = Xoshiro256StarStar(seed: 3)
        let layer = Linear(64, 128, using: &rng)
        let tape = Tape<Float>(initialCapacity: 1024)
        var growthAfterFirstStep = 0
        for step in 0..<5 {
            tape.reset()
            let x = tape.input(rows: 32, columns: 64) { buffer in
                for i in buffer.indices { buffer[i] = Float(i % 7) - 3 }
            }
            tape.backward(tape.mean(tape.relu(layer.forward(x, on: tape, mode: .training)), axis: nil))
            if step == 0 { growthAfterFirstStep = tape.arenaGrowthCount }
        }
        #expect(growthAfterFirstStep > 0)
        #expect(tape.arenaGrowthCount == growthAfterFirstStep)
    }

    @Test func floatAndDoubleTapesAgree() {
        var rng = Xoshiro256StarStar(seed: 11)
        let layer = Sequential([Linear(5, 7, using: &rng), Activation(.tanh), Linear(7, 2, using: &rng)])
        let x = Matrix(rows: 4, columns: 5, generator: { _, _ in Float(rng.nextNormal()) })
        let f = Tape<Float>(), d = Tape<Double>()
        let yf = f.value(layer.forward(f.input(x), on: f, mode: .inference))
        let yd = d.value(layer.forward(d.input(x), on: d, mode: .inference))
        #expect(zip(yf, yd).allSatisfy { abs(Double($0) - $1) < 1e-5 })
    }
}
