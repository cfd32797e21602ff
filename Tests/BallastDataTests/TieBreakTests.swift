import BallastCore
import BallastData
import Foundation
import Testing

/// Distinct raw training values stay distinct (and ordered) after log1p + scaling to `Float`.
@Suite("Preprocessing keeps distinct values distinct")
struct TieBreakTests {
    /// Mostly small counters, then byte counts 10⁷ + i (i < 50) that collide in `Float` after log1p.
    static let values: [Double] = {
        var values: [Double] = (0..<500).map { Double($0 % 30) }
        values.append(contentsOf: (0..<50).map { 1e7 + Double($0) })
        values.append(contentsOf: [2e9, 2e9 + 1, 3.5])
        return values
    }()

    static func table() -> Table {
        Table(columns: [TableColumn(name: "bytes", values: .numeric(values))])
    }

    static func outputs(_ fitted: FittedPreprocessor, _ values: [Double]) throws -> [Float] {
        try fitted.transform(Table(columns: [TableColumn(name: "bytes", values: .numeric(values))])).storage
    }

    @Test("distinct training values map to distinct, ordered outputs under every scaling", arguments: [
        Preprocessor.Scaling.zScore, .none, .minMax(lower: -1, upper: 1),
    ])
    func distinctOutputs(scaling: Preprocessor.Scaling) throws {
        let table = Self.table()
        let fitted = try Preprocessor(scaling: scaling).fit(table)
        #expect(fitted.columns[0].logTransformed)
        let distinct = Array(Set(Self.values)).sorted()
        let out = try Self.outputs(fitted, distinct)
        let strictlyAscending = zip(out, out.dropFirst()).allSatisfy { $0 < $1 }
        if case .minMax = scaling {
            // Outputs never pass the upper bound: the top values may stay merged, none reorder.
            #expect(zip(out, out.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(out.allSatisfy { $0 >= -1 && $0 <= 1 })
        } else {
            #expect(strictlyAscending)
        }
        #expect(Set(out.prefix(80)).count == 80)
    }

    @Test("values between training values keep the order; the table survives a Codable round trip")
    func monotoneAndCodable() throws {
        let fitted = try Preprocessor().fit(Self.table())
        let tieBreaks = try #require(fitted.columns[0].tieBreaks)
        #expect(tieBreaks.values.count >= 10)
        let probe = stride(from: 1e7 - 3, through: 1e7 + 52, by: 0.5).map { $0 }
        let out = try Self.outputs(fitted, probe)
        #expect(zip(out, out.dropFirst()).allSatisfy { $0 <= $1 })
        let decoded = try JSONDecoder().decode(FittedPreprocessor.self, from: JSONEncoder().encode(fitted))
        #expect(decoded == fitted)
        #expect(try Self.outputs(decoded, probe) == out)
    }

    @Test("a tie-break table out of order is refused at decoding")
    func corruptedTable() throws {
        var fitted = try Preprocessor().fit(Self.table())
        var tieBreaks = try #require(fitted.columns[0].tieBreaks)
        tieBreaks.outputs.reverse()
        fitted.columns[0].tieBreaks = tieBreaks
        let data = try JSONEncoder().encode(fitted)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FittedPreprocessor.self, from: data) }
    }
}
