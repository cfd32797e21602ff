import BallastData
import Testing

/// Parse errors point at the record that is wrong, and no field is silently cut short (issue 18,
/// defects 7 and 13).
@Suite("Reader error locations")
struct ReaderErrorLocationTests {
    static func record(duration: String = "0", attack: String = "normal") -> String {
        ([duration, "tcp", "http", "SF", "181", "5450"] + Array(repeating: "0", count: 35) + [attack, "20"]).joined(separator: ",")
    }

    @Test("a non-number in a numeric NSL-KDD column names its record and value, not record 1's")
    func nslKDDBadValue() {
        var lines = (0..<25).map { _ in Self.record() }
        lines[19] = Self.record(duration: "abc")
        do {
            _ = try NSLKDD.load(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), name: "bad.txt")
            Issue.record("a non-numeric duration was accepted")
        } catch let error as DataError {
            #expect(error.description.contains("record 20") && error.description.contains("'abc'"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("text after a closing quote is an error naming the line, not data loss", arguments: ["\"x\"y", "\"x\" ", "\"a\"\"b\"c"])
    func textAfterClosingQuote(field: String) {
        let text = "name,n\nok,1\n\(field),2\n"
        do {
            let read = try CSVReader.read(bytes: Array(text.utf8), name: "q.csv")
            Issue.record("read \(read.table.columns.first.map { "\($0.values)" } ?? "") from \(field)")
        } catch let error as DataError {
            #expect(error.kind == .malformedQuote)
            #expect(error.description.contains("q.csv, line 3") && error.description.contains("closing quote"), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("KDD Cup 99 records (42 fields, names ending in '.') read as NSL-KDD's five classes, and are detected")
    func kdd99() throws {
        let lines = [("normal.", 0), ("smurf.", 1), ("ipsweep.", 2), ("guess_passwd.", 3), ("rootkit.", 4)]
        let text = lines.map { attack, _ in
            (["0", "tcp", "http", "SF", "181", "5450"] + Array(repeating: "0", count: 35) + [attack]).joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let table = try NSLKDD.load(bytes: Array(text.utf8), name: "kddcup.data_10_percent")
        #expect(table.labels == lines.map(\.1))
        #expect(table.features.columnNames == NSLKDDSchema.featureNames)
        #expect(table.metadata.columnNames == ["attack"])
        #expect(DatasetFormat.detect(head: Array(text.utf8)) == .nslKDD)
        let loaded = try DatasetLoader().load(bytes: Array(text.utf8), name: "k", format: .nslKDD)
        #expect(loaded.data.classCounts == [1, 1, 1, 1, 1])
    }
}
