import BallastCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What was parsed from one chunk of a CSV file. Its numbers went straight into the table's
/// column arrays (``CSVChunkParser/parse(_:into:at:capacity:)``), rows `offset ..< offset + rows`.
struct ChunkResult {
    /// Per column: category codes into the column's interner (-1 where numeric or missing), or an
    /// empty array for a column without text in this chunk.
    var codes: [[Int32]]
    /// Per column: the distinct texts of this chunk in first-appearance order.
    var interners: [ByteInterner]
    var numericCounts: [Int]
    var textCounts: [Int]
    var missingCounts: [Int]
    var nonFiniteCounts: [Int]
    /// Per column, per missing marker (in ``CSVChunkParser/markers`` order): how often it occurred.
    var markerCounts: [Int] = []
    var rows = 0
    /// Rows reserved per column (an upper bound on ``rows``).
    var capacity = 0
    /// The first row of the chunk in the column arrays.
    var offset = 0
    /// The first problem: byte offset, kind, message and column (line numbers are computed later).
    var failure: (offset: Int, kind: DataError.Kind, detail: String, column: Int?)?

}

/// Tokenizes and types one byte range of a CSV file into a column-major staging buffer.
struct CSVChunkParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let options: CSVOptions
    let columnCount: Int
    /// Columns whose every field is kept as text (columns holding both numbers and text).
    let textColumns: [Bool]
    let markers: [[UInt8]]
    let markerLengths: UInt64
    /// `markerStarts[b]` is true when some non-empty marker starts with byte `b`.
    let markerStarts: [Bool]
    /// Whether numeric fields are read in one pass with ``NumberParser/parsePlain(_:limit:delimiter:into:)``:
    /// not when the delimiter could be part of a number or a missing marker is a plain number.
    let plainNumbers: Bool

    init(bytes: UnsafeBufferPointer<UInt8>, options: CSVOptions, columnCount: Int, textColumns: Set<Int>) {
        self.bytes = bytes
        self.options = options
        self.columnCount = columnCount
        self.textColumns = (0..<columnCount).map { textColumns.contains($0) }
        self.markers = options.missingMarkers.sorted().map { Array($0.utf8) }
        self.markerLengths = markers.reduce(0) { $0 | ($1.count < 64 ? 1 << UInt64($1.count) : 0) }
        var starts = [Bool](repeating: false, count: 256)
        for m in markers { if let b = m.first { starts[Int(b)] = true } }
        self.markerStarts = starts
        let delimiter = options.delimiter
        let numberBytes = Array("0123456789+-.".utf8)
        self.plainNumbers = !numberBytes.contains(delimiter) && !markers.contains { marker in
            var ignored = 0.0
            return marker.withUnsafeBufferPointer { m in
                m.baseAddress.map { NumberParser.parsePlain($0, limit: m.count, delimiter: delimiter, into: &ignored) >= 0 } ?? false
            }
        }
    }

    /// The most records `range` can hold: exactly its non-blank lines when it has no quote and no
    /// CR; otherwise one more than its record terminators (LF, and CR, which also ends a record on
    /// its own) — blank lines and quoted line ends only lower the count.
    func recordBound(_ range: Range<Int>) -> Int {
        let base = bytes.baseAddress!
        let start = base + range.lowerBound, stop = base + range.upperBound
        func hits(_ byte: UInt8) -> Int {
            var n = 0, scan = start
            while scan < stop, let hit = memchr(scan, Int32(byte), stop - scan) {
                n += 1
                scan = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return n
        }
        guard range.count > 0 else { return 1 }
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")
        let simple = memchr(start, Int32(cr), range.count) == nil && memchr(start, Int32(quote), range.count) == nil
        guard simple else { return 1 + hits(lf) + hits(cr) }
        var records = 0, lineStart = start
        while lineStart < stop {
            guard let hit = memchr(lineStart, Int32(lf), stop - lineStart) else {
                records += 1
                break
            }
            let end = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
            if end > lineStart { records += 1 }
            lineStart = end + 1
        }
        return max(records, 1)
    }

    /// Parses the records in `range` (which starts at a record boundary), writing the numbers of
    /// column `c` to `columns[c][offset...]`, NaN for fields that are missing or non-finite. Text
    /// fields are not written (their rows are in ``ChunkResult/codes``; the caller writes NaN there
    /// when the column is used as numbers), every other row is, so the columns need not be
    /// initialized before. At most `capacity` (``recordBound(_:)``) rows are written.
    func parse(_ range: Range<Int>, into columns: [UnsafeMutablePointer<Double>], at offset: Int, capacity lineEnds: Int) -> ChunkResult {
        let base = bytes.baseAddress!
        let nc = columnCount
        var codesStore = [[Int32]](repeating: [], count: nc)
        var interners = Array(repeating: ByteInterner(), count: nc)
        var numericStore = Array(repeating: 0, count: nc), textStore = Array(repeating: 0, count: nc)
        var missingStore = Array(repeating: 0, count: nc), nonFiniteStore = Array(repeating: 0, count: nc)
        let markerCount = markers.count
        var markerStore = [Int](repeating: 0, count: nc * max(markerCount, 1))
        // Everything the field loop writes is reached through buffer pointers: captured `var`s would be
        // checked for exclusive access at run time on every field (a tenth of the parse time).
        let (rows, failure) = interners.withUnsafeMutableBufferPointer { interners in
        codesStore.withUnsafeMutableBufferPointer { codesStore in
        markerStore.withUnsafeMutableBufferPointer { markerUse in
        numericStore.withUnsafeMutableBufferPointer { numeric in
        textStore.withUnsafeMutableBufferPointer { text in
        missingStore.withUnsafeMutableBufferPointer { missing in
        nonFiniteStore.withUnsafeMutableBufferPointer { nonFinite -> (Int, (offset: Int, kind: DataError.Kind, detail: String, column: Int?)?) in
            var failure: (offset: Int, kind: DataError.Kind, detail: String, column: Int?)?
            var rows = 0
            let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), delim = options.delimiter
            let reject = options.nonFinite == .reject
            let plain = plainNumbers
            var i = range.lowerBound
            let end = range.upperBound
            var scratch: [UInt8] = []
            /// Types and stores one field; returns false (with `failure` set) on an error.
            func store(_ p: UnsafePointer<UInt8>, _ n: Int, _ slot: Int, _ field: Int, _ start: Int) -> Bool {
                let marker = missingMarker(p, n)
                if marker >= 0 {
                    columns[field][offset + slot] = .nan
                    missing[field] += 1
                    markerUse[field * markerCount + marker] += 1
                    return true
                }
                var isText = textColumns[field]
                if !isText {
                    switch NumberParser.parse(p, n) {
                    case .finite(let v):
                        columns[field][offset + slot] = v
                        numeric[field] += 1
                    case .nonFinite:
                        columns[field][offset + slot] = .nan
                        if reject {
                            let t = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
                            failure = (start, .nonFinite, "the value '\(t)' is not a finite number; NaN and infinity are not accepted as features", field)
                            return false
                        }
                        nonFinite[field] += 1
                        numeric[field] += 1
                    case .text:
                        isText = true
                    }
                }
                if isText {
                    guard let code = interners[field].intern(p, n) else {
                        failure = (start, .notText, "the field is not valid UTF-8 text", field)
                        return false
                    }
                    if codesStore[field].isEmpty { codesStore[field] = [Int32](repeating: -1, count: lineEnds) }
                    codesStore[field][slot] = code
                    text[field] += 1
                }
                return true
            }
            recordLoop: while i < end {
                let recordStart = i
                guard rows < lineEnds else {
                    failure = (recordStart, .raggedRow, "internal limit: more records than line ends", nil)
                    break recordLoop
                }
                if base[i] == lf { i += 1; continue }
                if base[i] == cr, i + 1 < end, base[i + 1] == lf { i += 2; continue }
                var field = 0
                let rowBase = rows
                while true {
                    var start = i, stop = i, escapes = false, stored = false
                    if i < end, base[i] == quote {
                        i += 1
                        start = i
                        var closed = false
                        while i < end {
                            if base[i] == quote {
                                if i + 1 < end, base[i + 1] == quote { escapes = true; i += 2; continue }
                                closed = true
                                break
                            }
                            i += 1
                        }
                        guard closed else {
                            failure = (recordStart, .unterminatedQuote, "a quoted field that starts on this line is never closed", field)
                            break recordLoop
                        }
                        stop = i
                        i += 1
                        // RFC 4180: a quoted field ends at its closing quote; text after it would be lost.
                        if i < end, base[i] != delim, base[i] != lf, base[i] != cr {
                            failure = (recordStart, .malformedQuote,
                                       "text follows the closing quote of a quoted field; quote the whole field and double any quote inside it (\"\")",
                                       field)
                            break recordLoop
                        }
                    } else {
                        if plain, field < nc, !textColumns[field] {
                            var value = 0.0
                            let length = NumberParser.parsePlain(base + i, limit: end - i, delimiter: delim, into: &value)
                            if length >= 0 {
                                columns[field][offset + rowBase] = value
                                numeric[field] += 1
                                i += length
                                stored = true
                            }
                        }
                        if !stored {
                            while i < end {
                                let b = base[i]
                                if b == delim || b == lf || b == cr { break }
                                i += 1
                            }
                        }
                        stop = i
                    }
                    if field < nc && !stored {
                        let slot = rowBase
                        let ok: Bool
                        if escapes {
                            scratch.removeAll(keepingCapacity: true)
                            var j = start
                            while j < stop { scratch.append(base[j]); j += base[j] == quote ? 2 : 1 }
                            ok = scratch.withUnsafeBufferPointer { store($0.baseAddress!, $0.count, slot, field, start) }
                        } else {
                            ok = store(base + start, stop - start, slot, field, start)
                        }
                        if !ok { break recordLoop }
                    }
                    field += 1
                    if i < end, base[i] == delim {
                        i += 1
                        if i >= end {
                            if field < nc {
                                columns[field][offset + rowBase] = .nan
                                let marker = missingMarker(base + i, 0)
                                if marker >= 0 {
                                    missing[field] += 1
                                    markerUse[field * markerCount + marker] += 1
                                }
                            }
                            field += 1
                            break
                        }
                    } else {
                        if i < end, base[i] == cr { i += 1 }
                        if i < end, base[i] == lf { i += 1 }
                        break
                    }
                }
                if field != nc {
                    failure = (recordStart, .raggedRow, "the row has \(field) fields but the first row has \(nc)", nil)
                    break recordLoop
                }
                rows += 1
            }
            return (rows, failure)
        }}}}}}}
        var result = ChunkResult(codes: codesStore, interners: interners,
                                 numericCounts: numericStore, textCounts: textStore,
                                 missingCounts: missingStore, nonFiniteCounts: nonFiniteStore)
        result.rows = rows
        result.capacity = lineEnds
        result.offset = offset
        result.failure = failure
        result.markerCounts = markerStore
        return result
    }

    /// The index in ``markers`` of the missing marker the field is, or -1.
    @inline(__always)
    private func missingMarker(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        guard count < 64, markerLengths & (1 << UInt64(count)) != 0 else { return -1 }
        if count > 0 && !markerStarts[Int(p[0])] { return -1 }
        for (index, m) in markers.enumerated() where m.count == count {
            var same = true
            for j in 0..<count where p[j] != m[j] { same = false; break }
            if same { return index }
        }
        return -1
    }
}
