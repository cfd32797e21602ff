import BallastCore
@testable import BallastData
import Foundation
import Testing

/// Reading in chunks (``CSVChunkReader``) and in parallel parts gives what one serial read gives.
@Suite("CSV chunked and parallel reads")
struct CSVChunkReaderTests {
    /// A seeded CSV with blank lines, missing markers, a few stray text cells in a numeric column,
    /// categories, and (when `quoted`) quoted fields holding commas and line breaks.
    static func text(rows: Int, quoted: Bool, crlf: Bool = false, seed: UInt64 = 5) -> String {
        var rng = Xoshiro256StarStar(seed: seed)
        let end = crlf ? "\r\n" : "\n"
        var out = "id,rate,proto,count,note" + end
        for r in 0..<rows {
            let roll = rng.next() % 100
            let rate = roll < 3 ? "NA" : roll < 4 ? "oops" : String(Double(rng.next() % 10_000) / 100)
            let proto = ["tcp", "udp", "icmp", ""][Int(rng.next() % 4)]
            let note = quoted && roll > 90 ? "\"a,b\nc\"" : "n\(rng.next() % 7)"
            out += "\(r),\(rate),\(proto),\(rng.next() % 1000),\(note)" + end
            if roll == 50 { out += end }
        }
        return out
    }

    /// Equal tables, NaN equal to NaN (missing numbers).
    static func same(_ a: Table, _ b: Table) -> Bool {
        a.columnNames == b.columnNames && zip(a.columns, b.columns).allSatisfy { x, y in
            switch (x.values, y.values) {
            case let (.numeric(u), .numeric(v)): return u.count == v.count && zip(u, v).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            case let (.categorical(c1, k1), .categorical(c2, k2)): return c1 == c2 && k1 == k2 && x.missingText == y.missingText
            default: return false
            }
        }
    }

    @Test("a parallel parse equals the serial parse, table and diagnostics", arguments: [false, true])
    func parallelEqualsSerial(crlf: Bool) throws {
        let bytes = Array(Self.text(rows: 3000, quoted: false, crlf: crlf).utf8)
        var serial = CSVOptions()
        serial.parallelThreshold = Int.max
        var parallel = CSVOptions()
        parallel.parallelThreshold = 1
        let a = try CSVReader.read(bytes: bytes, name: "s", options: serial)
        let b = try CSVReader.read(bytes: bytes, name: "p", options: parallel)
        #expect(Self.same(a.table, b.table))
        #expect(a.diagnostics == b.diagnostics)
        #expect(a.table.rowCount == 3000 && a.diagnostics.nonNumericCells.first?.column == "rate")
    }

    @Test("chunks of 1, 7 and 5000 records stack up to the whole read", arguments: [1, 7, 5000])
    func chunksStack(chunkRows: Int) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-chunks-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Self.text(rows: 400, quoted: true).write(toFile: file, atomically: true, encoding: .utf8)
        var options = CSVOptions()
        options.textColumns = ["proto", "note"]
        options.numericColumns = ["rate", "count"]
        let whole = try CSVReader.read(contentsOf: file, options: options)
        let reader = try CSVChunkReader(path: file, options: options, chunkRows: chunkRows)
        var stacked: Table?
        var stray = 0, chunks = 0
        while let chunk = try reader.next() {
            #expect(chunk.table.rowCount <= chunkRows + (chunks == 0 ? 1 : 0))
            stacked = try stacked.map { try $0.appendingRows(of: chunk.table) } ?? chunk.table
            stray += chunk.diagnostics.nonNumericCells.reduce(0) { $0 + $1.count }
            if chunks == 0 { #expect(chunk.diagnostics.nonNumericCells.allSatisfy { $0.examples.allSatisfy { $0.row >= 1 } }) }
            chunks += 1
        }
        #expect(chunks >= 400 / max(chunkRows, 1) || chunkRows > 400)
        #expect(reader.rowsRead == 400 && reader.bytesRead == reader.fileSize)
        #expect(stacked?.columnNames == whole.table.columnNames)
        for (a, b) in zip(stacked?.columns ?? [], whole.table.columns) {
            switch (a.values, b.values) {
            case let (.numeric(x), .numeric(y)): #expect(zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } && x.count == y.count)
            case let (.categorical(c1, k1), .categorical(c2, k2)):
                #expect(c1.map { $0 < 0 ? "" : k1[Int($0)] } == c2.map { $0 < 0 ? "" : k2[Int($0)] })
            default: Issue.record("column \(a.name) has different kinds")
            }
        }
        #expect(stray == whole.diagnostics.nonNumericCells.reduce(0) { $0 + $1.count })
    }

    @Test("an error in a later chunk names the file's line, as the whole read does")
    func laterError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-chunks-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var lines = Self.text(rows: 200, quoted: true).components(separatedBy: "\n")
        lines[180] += ",extra"
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        var whole = ""
        do { _ = try CSVReader.read(contentsOf: file) } catch { whole = "\(error)" }
        #expect(whole.contains("line 181"), "\(whole)")
        let reader = try CSVChunkReader(path: file, chunkRows: 9)
        do {
            while try reader.next() != nil {}
            Issue.record("a ragged row was accepted")
        } catch {
            #expect("\(error)" == whole)
        }
        #expect(throws: DataError.self) { try CSVChunkReader(path: file, chunkRows: 0) }
        // A chunk so large that its count plus the header row would overflow is refused, not a crash.
        #expect(throws: DataError.self) { try CSVChunkReader(path: file, chunkRows: Int.max) }
        #expect(throws: DataError.self) { try CSVChunkReader(path: file, chunkRows: CSVChunkReader.maximumChunkRows + 1) }
        _ = try CSVChunkReader(path: file, chunkRows: CSVChunkReader.maximumChunkRows)
    }
}
