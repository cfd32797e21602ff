import BallastCore
import BallastData
import BallastEval
import Foundation
import Testing

/// `ballast predict` streams (issue 17, part 3): chunked prediction writes the file a whole read
/// would, and an error in a later chunk names the file's line and column and leaves no output.
@Suite("Streaming prediction")
struct StreamingPredictionTests {
    /// A bundle trained on simulated records as a CSV with a `class` column (or as NSL-KDD).
    static func bundle(format: String = "csv") throws -> ModelBundle {
        var rng = Xoshiro256StarStar(seed: 4)
        let data = try TrafficSimulator(rowCount: 1200).generate(using: &rng)
        return try TrainJob(model: "dt:depth=8").run(data, format: format, labelColumn: format == "csv" ? "class" : nil,
                                                     labelMode: "5class", seed: 3).bundle
    }

    /// 300 new simulated records.
    static func records() throws -> LabeledTable {
        var rng = Xoshiro256StarStar(seed: 11)
        return try TrafficSimulator(rowCount: 300).generate(using: &rng)
    }

    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-stream-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The CSV with an extra text column holding quoted commas and line breaks (which chunk cuts
    /// must not split) on some rows; `note` replaces row `badRow`'s note with raw text.
    static func csvText(_ data: LabeledTable, badRow: Int? = nil, badNote: String = "") -> String {
        var table = data.features
        let notes = (0..<data.rowCount).map { r in r % 9 == 0 ? "a,b" : r % 13 == 0 ? "two\nlines" : "n\(r % 4)" }
        table.columns.insert(TableColumn(name: "note", values: .categorical(codes: (0..<notes.count).map(Int32.init), categories: notes)), at: 1)
        var lines = CSVWriter.render(table, labels: data.labels, classNames: data.classNames, labelColumn: "class")
            .components(separatedBy: "\n")
        if let badRow {
            // Data rows of the rendered text are lines 1... (line 0 is the header); notes with a
            // line break take two lines, so find the row by its first field.
            var row = 0, index = 1
            while row < badRow {
                if notes[row] == "two\nlines" { index += 1 }
                index += 1
                row += 1
            }
            var fields = lines[index].components(separatedBy: ",")
            fields[1] = badNote
            lines[index] = fields.joined(separator: ",")
        }
        return lines.joined(separator: "\n")
    }

    /// What `ballast predict` wrote before it streamed: one read, one prediction, one render.
    static func wholeOutput(_ bundle: ModelBundle, _ path: String) throws -> String {
        let records = try bundle.readRecords(path: path)
        return CSVWriter.render(try bundle.predict(records.features).table(truth: records.labels))
    }

    @Test("CSV in chunks of 1, 7 and 1000 records writes exactly the whole read's predictions",
          arguments: [1, 7, 1000])
    func csvChunks(chunkRows: Int) throws {
        let bundle = try Self.bundle()
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.csv", output = dir + "/out.csv"
        try Self.csvText(Self.records()).write(toFile: input, atomically: true, encoding: .utf8)
        let expected = try Self.wholeOutput(bundle, input)
        let summary = try bundle.predictStreaming(path: input, to: output, chunkRows: chunkRows)
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written == expected)
        #expect(summary.rows == 300 && summary.counts.reduce(0, +) == 300)
        #expect(written.hasPrefix("predicted,p_Normal,") && written.components(separatedBy: "\n").first?.hasSuffix(",label") == true)
    }

    @Test("an error in a later chunk names the file, line and column as a whole read does, and leaves no output")
    func laterChunkError() throws {
        let bundle = try Self.bundle()
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.csv", output = dir + "/out.csv"
        try Self.csvText(Self.records(), badRow: 250, badNote: "\"abc\"def").write(toFile: input, atomically: true, encoding: .utf8)
        var whole = ""
        do { _ = try bundle.readRecords(path: input) } catch { whole = "\(error)" }
        #expect(whole.contains(input) && whole.contains(", column 2:"), "whole read: \(whole)")
        do {
            _ = try bundle.predictStreaming(path: input, to: output, chunkRows: 16)
            Issue.record("a malformed quote in row 250 was accepted")
        } catch {
            #expect("\(error)" == whole)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["in.csv"], "no output and no temporary file is left")
    }

    @Test("numbers in a numeric column that are not numbers are counted over the whole file, as a whole read counts them")
    func strayCells() throws {
        let bundle = try Self.bundle()
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.csv", output = dir + "/out.csv"
        // The first column is `duration`; a few of its cells are text, in one or two chunks of 8.
        var lines = try Self.csvText(Self.records()).components(separatedBy: "\n")
        var changed = 0
        for i in 200..<lines.count where changed < 3 && lines[i].components(separatedBy: ",").count > 5 && !lines[i].contains("\"") {
            var fields = lines[i].components(separatedBy: ",")
            fields[0] = "oops"
            lines[i] = fields.joined(separator: ",")
            changed += 1
        }
        try lines.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let records = try bundle.readRecords(path: input)
        #expect(records.nonNumericCells.count == 1)
        let summary = try bundle.predictStreaming(path: input, to: output, chunkRows: 8)
        #expect(summary.nonNumericCells == records.nonNumericCells)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == Self.wholeOutput(bundle, input))
    }

    /// The records as NSL-KDD lines (41 features, attack, difficulty).
    static func nslKDDText(_ data: LabeledTable) -> [String] {
        let columns = data.features.columns + data.metadata.columns.filter { $0.name == "attack" }
        return (0..<data.rowCount).map { r in
            columns.map { column -> String in
                switch column.values {
                case .numeric(let v): return CSVWriter.number(v[r])
                case let .categorical(codes, categories): return categories[Int(codes[r])]
                }
            }.joined(separator: ",") + ",21"
        }
    }

    @Test("NSL-KDD in chunks matches the whole read; NaN and an unknown attack in later chunks are named by line, column and record")
    func nslKDD() throws {
        let bundle = try Self.bundle(format: "nsl-kdd")
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/KDDTest.txt", output = dir + "/out.csv"
        let lines = try Self.nslKDDText(Self.records())
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let summary = try bundle.predictStreaming(path: input, to: output, chunkRows: 7)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == Self.wholeOutput(bundle, input))
        #expect(summary.rows == 300)
        try FileManager.default.removeItem(atPath: output)

        for (row, field, value, expected) in [(200, 4, "nan", "line 201, column 5"), (230, 41, "martian", "record 231")] {
            var bad = lines
            var fields = bad[row].components(separatedBy: ",")
            fields[field] = value
            bad[row] = fields.joined(separator: ",")
            try (bad.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
            var whole = ""
            do { _ = try bundle.readRecords(path: input) } catch { whole = "\(error)" }
            #expect(whole.contains(input) && whole.contains(expected), "whole read: \(whole)")
            do {
                _ = try bundle.predictStreaming(path: input, to: output, chunkRows: 16)
                Issue.record("'\(value)' in record \(row + 1) was accepted")
            } catch {
                #expect("\(error)" == whole)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["KDDTest.txt"])
        }
    }
}
