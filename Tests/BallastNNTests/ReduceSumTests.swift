import BallastCore
import BallastNN
import Testing

/// `reduceSum` over `.columns` (one sum per row) against a plain loop adding each row's values in
/// order: the same bits, for row counts with and without a remainder of eight, rows shorter and
/// longer than eight values, and rows long enough to be split over the workers.
@Suite struct ReduceSumTests {
    static func check<S: NNScalar>(_: S.Type, rows: Int, columns: Int, scale: S, accumulate: Bool) -> Bool {
        var rng = Xoshiro256StarStar(seed: UInt64(rows * 100_003 + columns))
        let x = (0..<(rows * columns)).map { _ in S(rng.nextNormal()) }
        let previous = (0..<rows).map { _ in S(rng.nextNormal()) }
        var want = previous
        for r in 0..<rows {
            var s: S = 0
            for c in 0..<columns { s += x[r * columns + c] }
            want[r] = (accumulate ? want[r] : 0) + scale * s
        }
        var got = previous
        S.reduceSum(x, rows: rows, columns: columns, axis: .columns, scale: scale, into: &got, accumulate: accumulate)
        return zip(got, want).allSatisfy { $0 == $1 && $0.sign == $1.sign }
    }

    /// Rows of negative zeros: `+0 + (−0) + …` is `+0`, and so is the vector sum.
    @Test func negativeZeroRowsSumToPositiveZero() {
        let x = [Float](repeating: -0.0, count: 9 * 20)
        var out = [Float](repeating: 1, count: 9)
        Float.reduceSum(x, rows: 9, columns: 20, axis: .columns, scale: 1, into: &out, accumulate: false)
        #expect(out.allSatisfy { $0 == 0 && $0.sign == .plus }, "\(out)")
    }

    @Test(arguments: [(1, 5), (8, 8), (9, 13), (19, 70), (32, 15_616), (64, 7_808), (3, 0), (0, 4)], [false, true])
    func rowSumsAddInOrder(_ shape: (Int, Int), accumulate: Bool) {
        #expect(Self.check(Float.self, rows: shape.0, columns: shape.1, scale: 1, accumulate: accumulate))
        #expect(Self.check(Float.self, rows: shape.0, columns: shape.1, scale: 0.5, accumulate: accumulate))
        #expect(Self.check(Double.self, rows: shape.0, columns: shape.1, scale: -2, accumulate: accumulate))
    }
}
