import BallastCore
@testable import BallastLearn
import Testing

/// Deep tree nodes read their rows' bin codes row by row, each column in 1, 2 or 4 bytes.
@Suite("Row-major tree codes")
struct RowMajorCodesTests {
    /// 70,000 rows: a two-valued column, one with 300 distinct values, one with a distinct value per
    /// row (more bins than 2 bytes hold) and a constant one.
    static func wideMatrix() -> Matrix {
        let n = 70_000
        var rng = Xoshiro256StarStar(seed: 11)
        var order = Array(0..<n)
        rng.shuffle(&order)
        var m = Matrix(rows: n, columns: 4)
        for r in 0..<n {
            m[r, 0] = r % 7 == 0 ? 1 : 0
            m[r, 1] = Float(rng.nextInt(below: 300)) * 0.25
            m[r, 2] = Float(order[r]) + 0.5
            m[r, 3] = 3
        }
        return m
    }

    @Test("every row's code of every feature reads back as the column-major code, in 1, 2 or 4 bytes")
    func gatherMatchesColumns() throws {
        let bins = FeatureBins<UInt32>(Self.wideMatrix(), maxBins: Int.max)
        let codes = RowMajorCodes(bins)
        #expect(codes.widths == [1, 2, 4, 1])
        #expect(codes.stride % 4 == 0 && codes.stride >= 8)
        for f in 0..<4 { #expect(codes.offsets[f] % codes.widths[f] == 0) }
        var rng = Xoshiro256StarStar(seed: 2)
        let rows = (0..<5_000).map { _ in Int32(rng.nextInt(below: bins.rows)) }
        var out = [UInt32](repeating: 0, count: rows.count)
        for f in 0..<4 {
            let (lo, hi) = rows.withUnsafeBufferPointer { r in
                out.withUnsafeMutableBufferPointer { codes.gather(r, feature: f, into: $0.baseAddress!) }
            }
            let expected = rows.map { bins.codes[f * bins.rows + Int($0)] }
            #expect(out == expected, "feature \(f)")
            #expect(lo == expected.min() && hi == expected.max(), "feature \(f)")
        }
    }

    @Test("an exact tree separates bands of a column with more distinct values than 2-byte codes hold")
    func deepNodesOnWideCodes() throws {
        // Classes alternate every 500 ranks of column 2: the tree needs ~140 splits on it, most of
        // them in small nodes that read row-major 4-byte codes; one wrong code breaks the exact fit.
        let features = Self.wideMatrix()
        let labels = (0..<features.rows).map { Int(features[$0, 2]) / 500 % 2 }
        let data = LabeledMatrix(features: features, labels: labels, classNames: ["a", "b"])
        var rng = Xoshiro256StarStar(seed: 4)
        let model = try DecisionTreeClassifier().fit(data, using: &rng)
        #expect(try model.predict(features) == labels)
        #expect(model.tree.feature.filter { $0 == 2 }.count >= 139)
    }
}
