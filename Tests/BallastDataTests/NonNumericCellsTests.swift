import BallastData
import Testing

/// Issue 18, defect 8: one `abc` in a column of numbers must not turn the column categorical.
@Suite("numeric columns with a few cells that are not numbers")
struct NonNumericCellsTests {
    /// 40 rows of `port,packets,label` with `abc` and `n/a` in the packets column at data rows 7 and 31.
    static let text: String = {
        var s = "port,packets,label\n"
        for i in 1...40 {
            let packets = i == 7 ? "abc" : i == 31 ? "n/a" : "\(i * 3)"
            s += "\(i % 5 == 0 ? "http" : "\(i)"),\(packets),\(i % 4 == 0 ? "1" : "0")\n"
        }
        return s
    }()

    @Test("the column stays numeric; the stray cells are missing and reported with their rows")
    func strayCells() throws {
        let read = try CSVReader.read(bytes: Array(Self.text.utf8), name: "t.csv")
        guard case .numeric(let packets) = read.table.columns[1].values else {
            Issue.record("packets should be numeric, got \(read.table.columns[1].values)")
            return
        }
        #expect(packets[6].isNaN && packets[30].isNaN && packets[0] == 3)
        #expect(read.diagnostics.missingCounts[1] == 2)
        let cells = try #require(read.diagnostics.nonNumericCells.first)
        #expect(read.diagnostics.nonNumericCells.count == 1)
        #expect(cells.column == "packets" && cells.count == 2 && cells.present == 40)
        #expect(cells.examples == [.init(row: 7, value: "abc"), .init(row: 31, value: "n/a")])
        #expect(cells.description.contains("row 7: 'abc'") && cells.description.contains("missing"))
    }

    @Test("a column with many texts (below the numeric share) stays categorical, texts as written")
    func categorical() throws {
        let read = try CSVReader.read(bytes: Array(Self.text.utf8), name: "t.csv")
        guard case .categorical(_, let categories) = read.table.columns[0].values else {
            Issue.record("port (20% text) should be categorical")
            return
        }
        #expect(categories.contains("http") && categories.contains("1"))
    }

    @Test("a label column is text whatever its content")
    func labelStaysText() throws {
        var text = "x,label\n"
        for i in 0..<50 { text += "\(i),\(i == 3 ? "attack" : "0")\n" }
        let plain = try CSVReader.read(bytes: Array(text.utf8), name: "t.csv")
        #expect(plain.diagnostics.nonNumericCells.map(\.column) == ["label"])
        var options = CSVOptions()
        options.textColumns = ["label"]
        let labelled = try CSVReader.read(bytes: Array(text.utf8), name: "t.csv", options: options)
        guard case .categorical(_, let categories) = labelled.table.columns[1].values else {
            Issue.record("the label column should be text")
            return
        }
        #expect(Set(categories) == ["0", "attack"])
        #expect(labelled.diagnostics.nonNumericCells.isEmpty)
        let loaded = try DatasetLoader(label: "label").load(bytes: Array(text.utf8), name: "t.csv", format: .csv)
        #expect(loaded.data.classNames == ["0", "attack"])
    }
}
