import BallastCore
import BallastData
import Testing

/// A tree threshold between two outputs of a `log1p` column is the output of the raw midpoint.
@Suite("Split thresholds at raw midpoints")
struct SplitThresholdTests {
    /// Counters with a heavy tail (log1p chosen by the default rule), large values 10⁷ + i that
    /// collide in `Float`, and a rate column that is not log-transformed.
    static func table() -> Table {
        var bytes: [Double] = (0..<400).map { Double($0 % 40) }
        bytes.append(contentsOf: [10, 10_000, 123_456, 2e9])
        bytes.append(contentsOf: (0..<20).map { 1e7 + Double($0) })
        let rate = bytes.indices.map { Double($0 % 101) / 100 }
        return Table(columns: [TableColumn(name: "bytes", values: .numeric(bytes)), TableColumn(name: "rate", values: .numeric(rate))])
    }

    @Test("output(ofRaw:) is what transform gives, for training values, values between them and values outside")
    func outputMatchesTransform() throws {
        let fitted = try Preprocessor().fit(Self.table())
        let bytes = fitted.columns[0]
        #expect(bytes.logTransformed && bytes.tieBreaks != nil)
        let probe: [Double] = [0, 0.5, 3, 39, 40, 5005, 9_999.5, 1e7, 1e7 + 0.5, 1e7 + 7, 1e7 + 19.5, 2e9, 3e9]
        let rates = probe.map { _ in 0.5 }
        let matrix = try fitted.transform(Table(columns: [TableColumn(name: "bytes", values: .numeric(probe)),
                                                          TableColumn(name: "rate", values: .numeric(rates))]))
        for (r, x) in probe.enumerated() {
            #expect(bytes.output(ofRaw: x) == matrix[r, 0], "raw \(x)")
        }
        #expect(bytes.output(ofRaw: -1) == nil && bytes.output(ofRaw: .nan) == nil)
    }

    @Test("rawValue(ofOutput:) returns tie-broken training values exactly and others closely")
    func rawValues() throws {
        let bytes = try Preprocessor().fit(Self.table()).columns[0]
        for i in 0..<20 {
            let x = 1e7 + Double(i)
            let y = try #require(bytes.output(ofRaw: x))
            let back = bytes.rawValue(ofOutput: y)
            if bytes.tieBreaks?.values.contains(x) == true {
                #expect(back == x)
            } else {
                #expect(abs(back - x) < 30, "raw \(x) came back as \(back)")
            }
        }
        for x in [0.0, 10, 39, 10_000, 123_456] {
            let back = bytes.rawValue(ofOutput: try #require(bytes.output(ofRaw: x)))
            #expect(abs(back - x) <= 1e-5 * max(1, x), "raw \(x) came back as \(back)")
        }
    }

    @Test("the threshold between the outputs of 10 and 10,000 bytes is the output of 5,005, not of ~331")
    func rawMidpoint() throws {
        let bytes = try Preprocessor().fit(Self.table()).columns[0]
        let a = try #require(bytes.output(ofRaw: 10)), b = try #require(bytes.output(ofRaw: 10_000))
        let t = bytes.splitThreshold(between: a, and: b)
        // The raw values of the two outputs are recovered to within their Float resolution, so the
        // threshold is the image of 5,005 give or take a few thousandths of a byte.
        #expect(abs(bytes.rawValue(ofOutput: t) - 5_005) < 0.05)
        // The midpoint of the outputs is the image of √(11 × 10,001) − 1 ≈ 330.7 raw bytes.
        let plain = a / 2 + b / 2
        #expect(abs(bytes.rawValue(ofOutput: plain) - 330.7) < 0.5)
        // Raw values route by the raw midpoint.
        for x in [11.0, 331, 1_000, 4_000, 5_004] { #expect(try #require(bytes.output(ofRaw: x)) <= t, "raw \(x)") }
        for x in [5_006.0, 6_000, 9_999] { #expect(try #require(bytes.output(ofRaw: x)) > t, "raw \(x)") }
    }

    @Test("thresholds stay in [a, b): neighbouring Floats, reversed or equal outputs, columns without log1p")
    func edges() throws {
        let fitted = try Preprocessor().fit(Self.table())
        let bytes = fitted.columns[0], rate = fitted.columns[1]
        #expect(!rate.logTransformed)
        // Tie-broken neighbours one Float apart: no Float lies between, the threshold is the lower one.
        let tie = try #require(bytes.tieBreaks)
        let i = try #require(tie.outputs.indices.first { $0 > 0 && tie.outputs[$0 - 1].nextUp == tie.outputs[$0] })
        let (lo, hi) = (tie.outputs[i - 1], tie.outputs[i])
        #expect(bytes.splitThreshold(between: lo, and: hi) == lo)
        #expect(bytes.splitThreshold(between: hi, and: lo) == hi)
        #expect(bytes.splitThreshold(between: lo, and: lo) == lo)
        // Every threshold between neighbouring training outputs is in [a, b).
        let matrix = try fitted.transform(Self.table())
        let sorted = Array(Set((0..<matrix.rows).map { matrix[$0, 0] })).sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            let t = bytes.splitThreshold(between: a, and: b)
            #expect(t >= a && t < b, "between \(a) and \(b): \(t)")
        }
        // A column without log1p keeps the midpoint of its outputs.
        let r0 = try #require(rate.output(ofRaw: 0.1)), r1 = try #require(rate.output(ofRaw: 0.9))
        #expect(rate.splitThreshold(between: r0, and: r1) == r0 / 2 + r1 / 2)
    }
}
