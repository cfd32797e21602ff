import BallastCore

/// Column values parsed from one chunk of a CSV file.
struct ChunkColumn {
    /// Numbers (NaN where the field was missing, text or non-finite).
    var values: [Double] = []
    /// Category codes into ``categories`` (-1 where numeric or missing); empty until the first text.
    var codes: [Int32] = []
    /// Texts in first-appearance order within the chunk.
    var interner = ByteInterner()
    var numericCount = 0
    var textCount = 0
    var missing = 0
    var nonFinite = 0
    /// Whether every field is kept as text (columns holding both numbers and text, second pass).
    var forcedText = false
}

/// The result of parsing a byte range of a CSV file.
struct ChunkResult {
    var columns: [ChunkColumn]
    var rows = 0
    /// The first problem, as a byte offset and a message builder (line numbers are computed later).
    var failure: (offset: Int, kind: DataError.Kind, detail: String, column: Int?)?
}

/// Tokenizes and types one byte range of a CSV file into per-column storage.
struct CSVChunkParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let options: CSVOptions
    let columnCount: Int
    /// Columns whose every field is kept as text (decided after a first pass).
    let textColumns: Set<Int>
    let markers: [[UInt8]]

    init(bytes: UnsafeBufferPointer<UInt8>, options: CSVOptions, columnCount: Int, textColumns: Set<Int>) {
        self.bytes = bytes
        self.options = options
        self.columnCount = columnCount
        self.textColumns = textColumns
        self.markers = options.missingMarkers.map { Array($0.utf8) }
    }

    /// Parses the records in `range` (which starts at a record boundary).
    func parse(_ range: Range<Int>) -> ChunkResult {
        var result = ChunkResult(columns: (0..<columnCount).map { ChunkColumn(forcedText: textColumns.contains($0)) })
        let estimate = range.count / max(1, columnCount * 4)
        for c in 0..<columnCount { result.columns[c].values.reserveCapacity(estimate) }
        guard let base = bytes.baseAddress else { return result }
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), delim = options.delimiter
        var i = range.lowerBound
        let end = range.upperBound
        var scratch: [UInt8] = []
        while i < end {
            let recordStart = i
            // Skip blank lines.
            if base[i] == lf { i += 1; continue }
            if base[i] == cr, i + 1 < end, base[i + 1] == lf { i += 2; continue }
            var field = 0
            var recordDone = false
            while !recordDone {
                var start = i, stop = i, quoted = false, hasEscapes = false
                if i < end, base[i] == quote {
                    quoted = true
                    i += 1
                    start = i
                    var closed = false
                    while i < end {
                        if base[i] == quote {
                            if i + 1 < end, base[i + 1] == quote { hasEscapes = true; i += 2; continue }
                            closed = true
                            break
                        }
                        i += 1
                    }
                    guard closed else {
                        result.failure = (recordStart, .unterminatedQuote, "a quoted field that starts on this line is never closed", field)
                        return result
                    }
                    stop = i
                    i += 1
                    // Anything between the closing quote and the delimiter is kept out of the value.
                    while i < end, base[i] != delim, base[i] != lf, base[i] != cr { i += 1 }
                } else {
                    while i < end, base[i] != delim, base[i] != lf, base[i] != cr { i += 1 }
                    stop = i
                }
                if field < columnCount {
                    if hasEscapes {
                        scratch.removeAll(keepingCapacity: true)
                        var j = start
                        while j < stop { scratch.append(base[j]); j += base[j] == quote ? 2 : 1 }
                        let ok = scratch.withUnsafeBufferPointer { store($0.baseAddress!, $0.count, quoted: quoted, into: &result.columns[field]) }
                        if !ok { result.failure = (start, .notText, "the field is not valid UTF-8 text", field); return result }
                    } else if !store(base + start, stop - start, quoted: quoted, into: &result.columns[field]) {
                        result.failure = (start, .notText, "the field is not valid UTF-8 text", field)
                        return result
                    }
                    if result.failure == nil, options.nonFinite == .reject, result.columns[field].nonFinite > 0 {
                        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: stop - start), as: UTF8.self)
                        result.failure = (start, .nonFinite, "the value '\(text)' is not a finite number; NaN and infinity are not accepted as features", field)
                        return result
                    }
                }
                field += 1
                if i < end, base[i] == delim {
                    i += 1
                    if i >= end { // trailing delimiter at end of file: one more empty field
                        if field < columnCount { _ = store(base + i, 0, quoted: false, into: &result.columns[field]) }
                        field += 1
                        recordDone = true
                    }
                } else {
                    if i < end, base[i] == cr { i += 1 }
                    if i < end, base[i] == lf { i += 1 }
                    recordDone = true
                }
            }
            if field != columnCount {
                result.failure = (recordStart, .raggedRow, "the row has \(field) fields but the first row has \(columnCount)", nil)
                return result
            }
            result.rows += 1
        }
        return result
    }

    /// Stores one field; returns `false` when a text field is not valid UTF-8.
    @inline(__always)
    private func store(_ p: UnsafePointer<UInt8>, _ count: Int, quoted: Bool, into column: inout ChunkColumn) -> Bool {
        let row = column.values.count
        if isMissing(p, count) {
            column.values.append(.nan)
            if !column.codes.isEmpty { column.codes.append(-1) }
            column.missing += 1
            return true
        }
        if !column.forcedText {
            switch NumberParser.parse(p, count) {
            case .finite(let v):
                column.values.append(v)
                if !column.codes.isEmpty { column.codes.append(-1) }
                column.numericCount += 1
                return true
            case .nonFinite:
                column.values.append(.nan)
                if !column.codes.isEmpty { column.codes.append(-1) }
                column.nonFinite += 1
                column.numericCount += 1
                return true
            case .text:
                break
            }
        }
        guard let code = column.interner.intern(p, count) else { return false }
        if column.codes.isEmpty { column.codes = Array(repeating: -1, count: row) }
        column.values.append(.nan)
        column.codes.append(code)
        column.textCount += 1
        return true
    }

    @inline(__always)
    private func isMissing(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if count == 0 { return markers.contains { $0.isEmpty } }
        if count > 4 { return false }
        for m in markers where m.count == count {
            var same = true
            for j in 0..<count where p[j] != m[j] { same = false; break }
            if same { return true }
        }
        return false
    }
}
