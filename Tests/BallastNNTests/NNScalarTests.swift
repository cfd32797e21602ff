import BallastNN
import Foundation
import Testing

@Suite struct NNScalarTests {
    /// The Float tape's vectorized exp and tanh stay within a few ulp of the C library in Double,
    /// across the range training meets (including the tail that does not fill a SIMD vector).
    @Test func floatVectorMathMatchesLibm() {
        let xs: [Float] = (0..<2003).map { Float($0 - 1001) * 0.0437 } + [0, -0, 1e-7, -1e-7, 88, -87, 0.624, 0.626]
        var e = [Float](repeating: 0, count: xs.count), t = e
        Float.vectorExp(xs, &e, count: xs.count)
        Float.vectorTanh(xs, &t, count: xs.count)
        for (i, x) in xs.enumerated() {
            let exact = Foundation.exp(Double(x)), exactTanh = Foundation.tanh(Double(x))
            #expect(abs(Double(e[i]) - exact) <= 4e-7 * exact, "exp(\(x)) = \(e[i]), expected \(exact)")
            #expect(abs(Double(t[i]) - exactTanh) <= 4e-7 * max(abs(exactTanh), 1e-30) + 1e-12, "tanh(\(x)) = \(t[i]), expected \(exactTanh)")
        }
        var nan: [Float] = [.nan]
        Float.vectorExp(nan, &nan, count: 1)
        #expect(nan[0].isNaN)
    }

    /// `vectorTanh` of a value is the same bits whether it is computed in a full vector (eight
    /// lanes) or alone in the padded tail, so kernels may split their rows anywhere.
    @Test func floatVectorTanhDoesNotDependOnPosition() {
        let xs: [Float] = (0..<67).map { Float($0 - 33) * 0.173 } + [.nan, 7.9, -7.9, 100, -0.0]
        var whole = [Float](repeating: 0, count: xs.count)
        Float.vectorTanh(xs, &whole, count: xs.count)
        for (i, x) in xs.enumerated() {
            var one: [Float] = [0]
            Float.vectorTanh([x], &one, count: 1)
            #expect(one[0].bitPattern == whole[i].bitPattern || (one[0].isNaN && whole[i].isNaN), "tanh(\(x))")
        }
    }

    @Test func floatSigmoidIsStableAndExact() {
        let tape = Tape<Float>()
        let y = tape.value(tape.sigmoid(tape.input(rows: 1, columns: 5, values: [-200, -3, 0, 3, 200])))
        let expected = [0, 1 / (1 + Foundation.exp(3.0)), 0.5, 1 / (1 + Foundation.exp(-3.0)), 1]
        for (got, want) in zip(y, expected) { #expect(abs(Double(got) - want) < 1e-7) }
    }
}
