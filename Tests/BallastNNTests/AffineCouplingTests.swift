import BallastCore
import BallastNN
import Testing

@Suite struct AffineCouplingTests {
    static let f = 5
    static let mask = Matrix(rows: 1, columns: f, generator: { _, j in Float(j % 2) })

    static func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns, generator: { _, _ in Float(rng.nextNormal()) })
    }

    @Test func equalsTheComposedOps() {
        let x = Self.random(3, Self.f, seed: 1), st = Self.random(3, 2 * Self.f, seed: 2)
        let tape = Tape<Double>()
        let xt = tape.input(x), stt = tape.input(st), m = tape.input(Self.mask)
        let (y, logDet) = tape.affineCoupling(xt, scaleAndShift: stt, mask: m)
        let free = tape.add(tape.neg(m), scalar: 1)
        let s = tape.mul(tape.tanh(tape.slice(stt, columns: 0..<Self.f)), free)
        let t = tape.mul(tape.slice(stt, columns: Self.f..<(2 * Self.f)), free)
        let composed = tape.add(tape.mul(xt, tape.exp(s)), t)
        #expect(zip(tape.value(y), tape.value(composed)).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(tape.value(logDet), tape.value(tape.sum(s, axis: .columns))).allSatisfy { abs($0 - $1) < 1e-12 })
        // Masked features pass unchanged.
        let out = tape.value(y)
        for r in 0..<3 { for j in 0..<Self.f where j % 2 == 1 { #expect(out[r * Self.f + j] == Double(x[r, j])) } }
    }

    @Test func gradientCheckThroughOutputAndLogDeterminant() {
        let x = Self.random(4, Self.f, seed: 3), st = Self.random(4, 2 * Self.f, seed: 4)
        let report = GradientCheck.check(inputs: [x, st]) { tape, inputs in
            let (y, logDet) = tape.affineCoupling(inputs[0], scaleAndShift: inputs[1], mask: tape.input(Self.mask))
            return tape.concat([y, logDet, tape.mul(y, y)])
        }
        #expect(report.passed, "\(report)")
    }

    /// Sampling a RealNVP runs the couplings backwards: the inverse must undo the forward map.
    @Test(arguments: [false, true]) func inverseUndoesTheForwardMap(double: Bool) {
        // Raw scales up to ±4 saturate tanh, so the rows are scaled by up to e^±1 per coupling.
        let x = Self.random(6, Self.f, seed: 5)
        var rng = Xoshiro256StarStar(seed: 6)
        let st = Matrix(rows: 6, columns: 2 * Self.f, generator: { _, _ in 4 * Float(rng.nextNormal()) })
        func roundTrip<S: NNScalar>(_ tape: Tape<S>) -> (x: [S], back: [S]) {
            let xt = tape.input(x), stt = tape.input(st), m = tape.input(Self.mask)
            let (y, _) = tape.affineCoupling(xt, scaleAndShift: stt, mask: m)
            return (tape.value(xt), tape.value(tape.affineCouplingInverse(y, scaleAndShift: stt, mask: m)))
        }
        if double {
            let (a, b) = roundTrip(Tape<Double>())
            #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 })
        } else {
            let (a, b) = roundTrip(Tape<Float>())
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) })
        }
    }
}
