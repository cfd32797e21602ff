import BallastCore
import BallastData
import BallastTestSupport
import Testing

private func read(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> CSVReadResult {
    try CSVReader.read(bytes: Array(text.utf8), name: "t.csv", options: options)
}

private func numbers(_ c: TableColumn) -> [Double]? {
    if case .numeric(let v) = c.values { return v }
    return nil
}

private func texts(_ c: TableColumn) -> [String?]? {
    if case .categorical(let codes, let cats) = c.values { return codes.map { $0 < 0 ? nil : cats[Int($0)] } }
    return nil
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("Header detection, typing and first-appearance categories")
    func basic() throws {
        let r = try read("duration,proto,bytes\n0,tcp,10\n2,udp,1.5e3\n1,tcp,-7\n")
        #expect(r.diagnostics.hadHeader)
        #expect(r.table.columnNames == ["duration", "proto", "bytes"])
        #expect(numbers(r.table.columns[0]) == [0, 2, 1])
        #expect(texts(r.table.columns[1]) == ["tcp", "udp", "tcp"])
        #expect(numbers(r.table.columns[2]) == [10, 1500, -7])
    }

    @Test("No header when the first row is data; names column_N")
    func headerless() throws {
        let r = try read("0,tcp,1\n1,udp,2\n")
        #expect(!r.diagnostics.hadHeader)
        #expect(r.table.columnNames == ["column_1", "column_2", "column_3"])
        #expect(r.table.rowCount == 2)
        let forced = try read("a,b\n1,2\n", CSVOptions(header: .absent))
        #expect(forced.table.rowCount == 2)
        #expect(texts(forced.table.columns[0]) == ["a", "1"])
    }

    @Test("RFC 4180 quoting: delimiters, escaped quotes and newlines inside fields; CRLF; BOM")
    func quoting() throws {
        let text = "\u{FEFF}name,note,n\r\n\"a,b\",\"say \"\"hi\"\"\",1\r\nc,\"two\nlines\",2\r\n"
        let r = try read(text)
        #expect(r.table.columnNames == ["name", "note", "n"])
        #expect(texts(r.table.columns[0]) == ["a,b", "c"])
        #expect(texts(r.table.columns[1]) == ["say \"hi\"", "two\nlines"])
        #expect(numbers(r.table.columns[2]) == [1, 2])
    }

    @Test("Missing markers become NaN / missing codes and are counted")
    func missing() throws {
        let r = try read("x,y\n1,a\n,b\n-,NA\n?,c\n")
        #expect(r.diagnostics.missingCounts == [3, 1])
        #expect(numbers(r.table.columns[0])?.filter(\.isNaN).count == 3)
        #expect(texts(r.table.columns[1]) == ["a", "b", nil, "c"])
    }

    @Test("NaN and infinity are rejected with file, line, column and value, or read as missing on request")
    func nonFinite() throws {
        let text = "x,y\n1,2\n3,inf\n"
        do {
            _ = try read(text)
            Issue.record("expected an error")
        } catch let e as DataError {
            #expect(e.kind == .nonFinite)
            #expect(e.description.contains("t.csv, line 3, column 2"))
            #expect(e.description.contains("'inf'"))
        }
        let r = try read(text, CSVOptions(nonFinite: .treatAsMissing))
        #expect(r.diagnostics.nonFiniteCounts == [0, 1])
        #expect(numbers(r.table.columns[1])?[1].isNaN == true)
    }

    @Test("A column with both numbers and text becomes categorical, keeping the texts as written")
    func mixed() throws {
        let r = try read("port\n080\nhttp\n22\n")
        #expect(texts(r.table.columns[0]) == ["080", "http", "22"])
    }

    @Test("Delimiter option")
    func delimiter() throws {
        let r = try read("a;b\n1;2\n", CSVOptions(delimiter: UInt8(ascii: ";")))
        #expect(r.table.columnNames == ["a", "b"])
        #expect(throws: DataError.self) { try read("a\n", CSVOptions(delimiter: UInt8(ascii: "\""))) }
    }

    @Test("Bad files give clear errors", arguments: [
        ("", DataError.Kind.empty, "t.csv is empty"),
        ("\n\n", .empty, "no rows"),
        ("a,b\n", .empty, "no data rows"),
        ("a,b\n1,2\n3\n", .raggedRow, "line 3: the row has 1 fields but the first row has 2"),
        ("a,b\n1,2\n3,4,5\n", .raggedRow, "line 3: the row has 3 fields"),
        ("a,b\n1,\"2\n", .unterminatedQuote, "line 2"),
        ("a,b\n1,\u{0}\n", .notText, "NUL byte"),
    ])
    func errors(text: String, kind: DataError.Kind, fragment: String) {
        do {
            _ = try read(text)
            Issue.record("expected \(kind)")
        } catch let e as DataError {
            #expect(e.kind == kind)
            #expect(e.description.contains(fragment), "\(e.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("Invalid UTF-8 is reported as not text")
    func invalidUTF8() {
        var bytes = Array("a,b\n1,".utf8)
        bytes += [0xC3, 0x28, 0x0A]
        #expect(throws: DataError.self) { try CSVReader.read(bytes: bytes, name: "bad.csv") }
    }

    @Test("A missing file is an I/O error")
    func missingFile() {
        do {
            _ = try CSVReader.read(contentsOf: "/nonexistent/flows.csv")
        } catch let e as DataError {
            #expect(e.kind == .fileNotFound && e.isIOError)
        } catch { Issue.record("\(error)") }
    }

    @Test("Parallel chunked parsing gives the same table as one chunk")
    func parallelMatchesSerial() throws {
        var rng = Xoshiro256StarStar(seed: 9)
        var text = "a,b,c\n"
        let cats = ["tcp", "udp", "icmp", "x"]
        for i in 0..<40_000 {
            text += "\(i),\(cats[rng.nextInt(below: 4)]),\(Double(rng.nextInt(below: 1000)) / 8)\n"
        }
        let parallel = try read(text)
        // A quote anywhere forces the serial path; a quoted field that is a plain value parses the same.
        let serial = try read(text.replacingOccurrences(of: "\n0,", with: "\n\"0\","))
        #expect(parallel.table == serial.table)
        #expect(parallel.table.rowCount == 40_000)
    }
}

@Suite("CSV reader regressions found by the fuzzer")
struct CSVFuzzRegressionTests {
    @Test("Records ended by lone carriage returns (more records than LF line ends) are read, not overrun")
    func loneCarriageReturns() throws {
        // Fuzz/crash-CSV-crash-4e1f6de6…: ';' delimiter, "y\r\r\r(\r\xff\xff\xff\xff?\n".
        let bytes: [UInt8] = [0x79, 0x0D, 0x0D, 0x0D, 0x28, 0x0D, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F, 0x0A]
        var options = CSVOptions(delimiter: UInt8(ascii: ";"))
        options.missingMarkers = ["", "null"]
        options.parallelThreshold = 1
        #expect(throws: DataError.self) { try CSVReader.read(bytes: bytes, name: "fuzz", options: options) }
        let r = try CSVReader.read(bytes: Array("a\rb\rc\r".utf8), name: "cr", options: CSVOptions(header: .absent))
        #expect(r.table.rowCount == 3)
    }
}

@Suite("CSV number parsing")
struct CSVNumberTests {
    @Test("Numbers parse exactly as Swift's correctly rounded Double(String)")
    func exactNumbers() throws {
        let texts = ["0", "-0", "007", "0.1", "0.00", "1.5e3", "2E-5", "+42", "123456789012345678", "1234567890123456789012",
                     "0.000000000000000000000001", "3.4028235e38", "9007199254740993", "1e22", "1e23", "-7.25", ".5", "5."]
        let csv = "x\n" + texts.joined(separator: "\n") + "\n"
        let table = try CSVReader.read(bytes: Array(csv.utf8), name: "n.csv").table
        guard case .numeric(let values) = table.columns[0].values else { Issue.record("numeric expected"); return }
        for (text, value) in zip(texts, values) {
            #expect(value == Double(text), "\(text) parsed as \(value)")
        }
    }
}
