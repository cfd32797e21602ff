import BallastCore
@testable import BallastData
import Testing

/// Text from `bytes` parsed by both number parsers; `parsePlain` gets `tail` after the text.
private func bothParsers(_ text: String, tail: String = "") -> (plain: Int, plainValue: Double, full: ParsedNumber) {
    let bytes = Array((text + tail).utf8)
    let n = text.utf8.count
    var value = Double.nan
    let plain = bytes.withUnsafeBufferPointer { buf -> Int in
        guard let base = buf.baseAddress else { return -1 }
        return NumberParser.parsePlain(base, limit: buf.count, delimiter: UInt8(ascii: ","), into: &value)
    }
    let full = bytes.withUnsafeBufferPointer { buf -> ParsedNumber in
        guard let base = buf.baseAddress, n > 0 else { return .text }
        return NumberParser.parse(base, n)
    }
    return (plain, value, full)
}

/// A random string that is often a plain decimal number and sometimes almost one.
private func randomNumberText(_ rng: inout Xoshiro256StarStar) -> String {
    func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(rng.nextInt(below: 10))) }) }
    switch rng.nextInt(below: 4) {
    case 0:  // plain: [sign]digits[.digits]
        var s = ["", "-", "+"][rng.nextInt(below: 3)] + digits(rng.nextInt(below: 12))
        if rng.nextInt(below: 2) == 0 { s += "." + digits(rng.nextInt(below: 12)) }
        return s
    case 1:  // long: up to 25 digits, around the 15-digit limit of the fast path
        let whole = rng.nextInt(below: 20)
        return digits(whole) + "." + digits(rng.nextInt(below: 25 - whole + 1))
    case 2:  // exponents and specials
        return digits(1 + rng.nextInt(below: 6)) + ["e", "E", "e-", "e+", ""][rng.nextInt(below: 5)] + digits(rng.nextInt(below: 4))
    default:  // random bytes from a number-like alphabet
        let alphabet = Array("0123456789+-.eExnaifNI ")
        return String((0..<rng.nextInt(below: 8)).map { _ in alphabet[rng.nextInt(below: alphabet.count)] })
    }
}

/// Whether two tables hold the same names, categories, codes and number bits (NaN included, which
/// `==` never equates).
private func sameBits(_ a: Table, _ b: Table) -> Bool {
    guard a.columns.count == b.columns.count else { return false }
    return zip(a.columns, b.columns).allSatisfy { x, y in
        guard x.name == y.name else { return false }
        switch (x.values, y.values) {
        case (.numeric(let u), .numeric(let v)): return u.map(\.bitPattern) == v.map(\.bitPattern)
        case (.categorical, .categorical): return x.values == y.values
        default: return false
        }
    }
}

@Suite("CSV fast paths")
struct CSVFastPathTests {
    @Test("The one-pass number parser reads typical fields and agrees bit for bit with the full parser")
    func plainAgreesWithFull() {
        // Accepted, with the exact value.
        for (text, expected) in [("0", 0.0), ("491", 491), ("0.05", 0.05), ("1.00", 1), ("-7.25", -7.25), ("+3", 3), (".5", 0.5),
                                 ("5.", 5), ("007", 7), ("123456789012345", 123_456_789_012_345), ("0.00000000000001", 1e-14)] {
            let r = bothParsers(text, tail: ",1")
            #expect(r.plain == text.utf8.count, "\(text) should be read in one pass")
            #expect(r.plainValue == expected, "\(text) read as \(r.plainValue)")
        }
        // Negative zero keeps its sign.
        let zero = bothParsers("-0.0", tail: "\n")
        #expect(zero.plain == 4 && zero.plainValue == 0 && zero.plainValue.sign == .minus)
        // Left to the full parser: exponents, more than 15 digits, specials, text, empty fields.
        for text in ["1e5", "2E-3", "1234567890123456", "0.1234567890123456", "nan", "inf", "-", "+", ".", "", "abc", "1.2.3",
                     "--1", "0x10", " 3", "3 "] {
            #expect(bothParsers(text, tail: ",").plain == -1, "\(text) should go to the full parser")
        }
        // Random strings: whatever the fast path accepts, the full parser reads as the same bits.
        var rng = Xoshiro256StarStar(seed: 20261205)
        var accepted = 0
        for _ in 0..<50_000 {
            let text = randomNumberText(&rng)
            let tail = [",", "\n", "\r\n", ",abc", ""][rng.nextInt(below: 5)]
            let r = bothParsers(text, tail: tail)
            guard r.plain >= 0 else { continue }
            accepted += 1
            #expect(r.plain == text.utf8.count, "'\(text)' + '\(tail)': length \(r.plain)")
            guard case .finite(let full) = r.full else {
                Issue.record("'\(text)' accepted by the fast path but not a finite number for the full parser")
                continue
            }
            #expect(r.plainValue.bitPattern == full.bitPattern, "'\(text)': \(r.plainValue) vs \(full)")
            #expect(full == Double(text) || Double(text) == nil, "'\(text)': \(full) vs Double(String) \(String(describing: Double(text)))")
        }
        #expect(accepted > 10_000)
    }

    @Test("A field that stops being a plain number mid-way is read whole by the full parser")
    func fallBackMidField() throws {
        let csv = "a,b,c\n1,2e3,x\n4.5,-6,7abc\n"
        var options = CSVOptions()
        options.numericColumns = ["c"]
        let r = try CSVReader.read(bytes: Array(csv.utf8), name: "f.csv", options: options)
        #expect(r.table.columns[1].values == .numeric([2000, -6]))
        guard case .numeric(let c) = r.table.columns[2].values else { Issue.record("c should be numeric"); return }
        let allMissing = c.allSatisfy { $0.isNaN }
        #expect(allMissing)
        #expect(r.diagnostics.nonNumericCells.first?.examples.map(\.value) == ["x", "7abc"])
    }

    @Test("Every row of a numeric column is written: text cells, markers, NaN and a trailing empty field read as NaN")
    func everyRowWritten() throws {
        // A mostly numeric column with stray text, a column that is all text but forced numeric, and a
        // last record ending in an empty field at the end of the file; serial and parallel parses agree.
        var rng = Xoshiro256StarStar(seed: 5)
        var text = "n,t,m\n"
        var expectedN: [Double] = []
        for i in 0..<30_000 {
            let stray = rng.nextInt(below: 100) == 0
            let marker = !stray && rng.nextInt(below: 50) == 0
            expectedN.append(stray || marker ? .nan : Double(i) / 4)
            text += (stray ? "oops" : marker ? "NA" : "\(Double(i) / 4)") + ",word\(i % 7),\(i % 3)\n"
        }
        text += "1,word,"
        expectedN.append(1)
        var options = CSVOptions()
        options.numericColumns = ["t"]
        options.nonFinite = .treatAsMissing
        var serialOptions = options
        serialOptions.parallelThreshold = Int.max
        options.parallelThreshold = 1
        let parallel = try CSVReader.read(bytes: Array(text.utf8), name: "w.csv", options: options)
        let serial = try CSVReader.read(bytes: Array(text.utf8), name: "w.csv", options: serialOptions)
        #expect(sameBits(parallel.table, serial.table))
        guard case .numeric(let n) = parallel.table.columns[0].values, case .numeric(let t) = parallel.table.columns[1].values,
              case .numeric(let m) = parallel.table.columns[2].values else {
            Issue.record("all three columns should be numeric")
            return
        }
        let sameN = zip(n, expectedN).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        let tMissing = t.allSatisfy { $0.isNaN }
        let mPresent = m.dropLast().allSatisfy { !$0.isNaN }
        #expect(n.count == expectedN.count && sameN)
        #expect(t.count == 30_001 && tMissing)
        #expect(m.last?.isNaN == true && mPresent)
    }

    @Test("No one-pass numbers when the delimiter or a missing marker could be part of one")
    func delimiterAndMarkersThatLookLikeNumbers() throws {
        let dotted = try CSVReader.read(bytes: Array("1.5.25\n2.0.-1\n".utf8), name: "d.csv",
                                        options: CSVOptions(delimiter: UInt8(ascii: "."), header: .absent))
        #expect(dotted.table.columns.count == 3)
        #expect(dotted.table.columns[2].values == .numeric([25, -1]))
        var options = CSVOptions(header: .present)
        options.missingMarkers = ["-1", "0.0"]
        let marked = try CSVReader.read(bytes: Array("x\n-1\n3\n0.0\n-1.5\n".utf8), name: "m.csv", options: options)
        #expect(marked.diagnostics.missingCounts == [2])
        guard case .numeric(let x) = marked.table.columns[0].values else { Issue.record("numeric expected"); return }
        #expect(x[1] == 3 && x[3] == -1.5 && x[0].isNaN && x[2].isNaN)
    }

    @Test("The interner gives first-appearance codes for many texts sharing long prefixes")
    func internerCodes() {
        var rng = Xoshiro256StarStar(seed: 17)
        var interner = ByteInterner()
        var reference: [String: Int32] = [:]
        let stems = ["", "a", "tcp", "category", "category_", "a long category name", "wörd"]
        for _ in 0..<20_000 {
            let text = stems[rng.nextInt(below: stems.count)] + (rng.nextInt(below: 3) == 0 ? "" : String(rng.nextInt(below: 300)))
            let expected = reference[text] ?? Int32(reference.count)
            reference[text] = expected
            var copy = text
            let code = copy.withUTF8 { buf in
                buf.baseAddress.flatMap { interner.intern($0, buf.count) } ?? interner.intern([0], 0)
            }
            #expect(code == expected, "\(text)")
        }
        #expect(interner.count == reference.count)
        for (text, code) in reference { #expect(interner.find(text) == code && interner.strings[Int(code)] == text) }
        #expect(interner.find("category_300") == nil && interner.find("categorz") == nil)
    }
}
