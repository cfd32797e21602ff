import BallastCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One read of one buffer.
struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let name: String
    let options: CSVOptions
    /// For a chunk after the first of a streamed file: the columns' names (the buffer has no header,
    /// and every record must have this many fields) and whether the file had a header (which says
    /// how ``CSVOptions/textColumns`` and ``CSVOptions/numericColumns`` name columns).
    var continuation: (names: [String], hadHeader: Bool)?
    /// Lines of the file before the buffer (line numbers in messages are the file's).
    var lineOffset = 0
    /// Data rows of the file before the buffer (rows in ``NonNumericCells`` are the file's).
    var rowOffset = 0
    /// Whether ``CSVOptions/textColumns`` are text even when a buffer holds only numbers or only
    /// missing values in them (a streamed file's chunks must type a column alike).
    var textColumnsAlwaysText = false

    init(bytes: UnsafeBufferPointer<UInt8>, name: String, options: CSVOptions) {
        self.bytes = bytes
        self.name = name
        self.options = options
    }

    func run() throws -> CSVReadResult {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw DataError(.empty, "\(name) is empty") }
        if let offset = firstOffset(of: 0, from: 0) {
            throw DataError(.notText, "\(name), line \(line(of: offset)): byte \(offset) is a NUL byte; this is not a text (CSV) file")
        }
        var start = 0
        if bytes.count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { start = 3 }
        while start < bytes.count, base[start] == UInt8(ascii: "\n") || base[start] == UInt8(ascii: "\r") { start += 1 }
        guard start < bytes.count else { throw DataError(.empty, "\(name) has no rows") }

        if let continuation {
            let names = continuation.names
            let (text, numeric) = continuation.hadHeader ? byName(names) : byPosition(names.count)
            return try finish(parse(from: start, columns: names.count, text: text, numeric: numeric), names: names, header: false)
        }
        let (firstFields, firstEnd) = try firstRecord(from: start)
        let columnCount = firstFields.count
        // Text and numeric columns by name under either reading of the first row (it may or may not be a header).
        let named = byName(headerNames(firstFields))
        let numbered = byPosition(columnCount)
        switch options.header {
        case .present:
            return try finish(parse(from: firstEnd, columns: columnCount, text: named.text, numeric: named.numeric),
                              names: headerNames(firstFields), header: true)
        case .absent:
            return try finish(parse(from: start, columns: columnCount, text: numbered.text, numeric: numbered.numeric),
                              names: defaultNames(columnCount), header: false)
        case .auto:
            let rest = try parse(from: firstEnd, columns: columnCount, text: named.text.union(numbered.text),
                                 numeric: named.numeric.union(numbered.numeric))
            if rest.rows > 0 && looksLikeHeader(firstFields, rest) {
                return try finish(rest, names: headerNames(firstFields), header: true)
            }
            if rest.rows == 0 && firstFields.contains(where: { NumberParser.parseString($0) == .text && !$0.isEmpty }) {
                return try finish(rest, names: headerNames(firstFields), header: true)
            }
            return try finish(parse(from: start, columns: columnCount, text: numbered.text, numeric: numbered.numeric),
                              names: defaultNames(columnCount), header: false)
        }
    }

    /// The positions of ``CSVOptions/textColumns`` and ``CSVOptions/numericColumns`` among `names`.
    func byName(_ names: [String]) -> (text: Set<Int>, numeric: Set<Int>) {
        (Set(names.enumerated().filter { options.textColumns.contains($0.element) }.map(\.offset)),
         Set(names.enumerated().filter { options.numericColumns.contains($0.element) }.map(\.offset)))
    }

    /// The positions of ``CSVOptions/textColumns`` and ``CSVOptions/numericColumns`` in a file of
    /// `count` columns without a header: 1-based numbers, or default names (`column_3`).
    func byPosition(_ count: Int) -> (text: Set<Int>, numeric: Set<Int>) {
        func positions(_ list: [String]) -> Set<Int> {
            Set(list.compactMap { Int($0) }.filter { (1...max(count, 1)).contains($0) && $0 <= count }.map { $0 - 1 })
                .union(defaultNames(count).enumerated().filter { list.contains($0.element) }.map(\.offset))
        }
        return (positions(options.textColumns), positions(options.numericColumns))
    }

    // MARK: Parsing

    /// Merged chunk columns and counts.
    struct Parsed {
        var chunks: [ChunkResult]
        /// Per column, the numbers of every row (NaN where missing or text), `rows` long; empty for a
        /// column whose every row is text.
        var values: [[Double]]
        /// Columns read as numbers whatever their content (``CSVOptions/numericColumns``).
        var numeric: Set<Int> = []
        /// Columns categorical whatever their content (see ``Reader/textColumnsAlwaysText``).
        var text: Set<Int> = []
        var rows: Int { chunks.reduce(0) { $0 + $1.rows } }
        func textCount(_ c: Int) -> Int { chunks.reduce(0) { $0 + $1.textCounts[c] } }
        func numericCount(_ c: Int) -> Int { chunks.reduce(0) { $0 + $1.numericCounts[c] } }
        func contains(_ text: String, column c: Int) -> Bool { chunks.contains { $0.interners[c].find(text) != nil } }
    }

    /// Parses the records from `start`; columns holding both numbers and text are parsed again as
    /// text unless they are mostly numbers (``CSVReader/numericShare``) and not in `text`. After
    /// this, a column with both counts non-zero is a numeric column with a few stray text cells.
    /// Columns in `numeric` stay numeric whatever their content (their text cells are missing and
    /// reported), unless they are also in `forced`.
    func parse(from start: Int, columns: Int, text forced: Set<Int> = [], numeric numericColumns: Set<Int> = []) throws -> Parsed {
        let ranges = chunkRanges(from: start)
        var parsed = try parseChunks(ranges, columns: columns, text: textColumnsAlwaysText ? forced : [])
        let mixed = Set((0..<columns).filter { c in
            if textColumnsAlwaysText && forced.contains(c) { return false }
            let text = parsed.textCount(c), numeric = parsed.numericCount(c)
            guard text > 0 && numeric > 0 else { return false }
            if forced.contains(c) { return true }
            return !numericColumns.contains(c) && Double(numeric) < CSVReader.numericShare * Double(numeric + text)
        })
        if !mixed.isEmpty { parsed = try parseChunks(ranges, columns: columns, text: mixed.union(textColumnsAlwaysText ? forced : [])) }
        parsed.numeric = numericColumns.subtracting(forced)
        if textColumnsAlwaysText { parsed.text = forced }
        return parsed
    }

    /// Parses `ranges` (in parallel when there are several) straight into the table's column
    /// arrays: each range gets the rows ``CSVChunkParser/recordBound(_:)`` allows; when a range
    /// had fewer records (blank lines, quoted line ends), the rows after it move up.
    func parseChunks(_ ranges: [Range<Int>], columns: Int, text: Set<Int>) throws -> Parsed {
        let parser = CSVChunkParser(bytes: bytes, options: options, columnCount: columns, textColumns: text)
        let box = ChunkBox(parser)
        let bounds = ranges.count > 1
            ? Parallel.mapChunks(0..<ranges.count, chunksPerThread: ranges.count) { part in part.map { box.parser.recordBound(ranges[$0]) } }.flatMap { $0 }
            : ranges.map { parser.recordBound($0) }
        var starts: [Int] = [], reserved = 0
        for b in bounds {
            starts.append(reserved)
            reserved += b
        }
        let offsets = starts, capacity = reserved
        // The columns are left uninitialized: the parse writes every row it counts (NaN where a field
        // is missing, text or not finite), and the rows after a range's last are dropped below. Their
        // pages are first touched by the thread that parses those rows, in parallel.
        var values = (0..<columns).map { _ in [Double](unsafeUninitializedCapacity: capacity) { _, count in count = capacity } }
        let progress = WorkProgressCounter("bytes read", total: ranges.reduce(0) { $0 + $1.count })
        let results: [ChunkResult] = values.withMutableBases { pointers in
            let shared = PointerBox(pointers)
            if ranges.count > 1 {
                // One task per range, claimed by whichever thread is free: ranges parse at uneven
                // speeds (and a thread may lose its core for a while), so a fixed half each would
                // leave one thread waiting for the other.
                return Parallel.mapChunks(0..<ranges.count, chunksPerThread: ranges.count) { part in
                    part.map { i in
                        defer { progress.advance(by: ranges[i].count) }
                        return box.parser.parse(ranges[i], into: shared.pointers, at: offsets[i], capacity: bounds[i])
                    }
                }.flatMap { $0 }
            }
            return ranges.indices.map { i in
                defer { progress.advance(by: ranges[i].count) }
                return parser.parse(ranges[i], into: pointers, at: offsets[i], capacity: bounds[i])
            }
        }
        for r in results {
            if let f = r.failure { throw error(f) }
        }
        let rows = results.reduce(0) { $0 + $1.rows }
        // Text fields were not written: NaN in their rows, unless every row of the column is text
        // (then its pages were never touched; ``finish(_:names:header:)`` makes NaNs if it needs them).
        for c in 0..<columns {
            let textRows = results.reduce(0) { $0 + $1.textCounts[c] }
            if textRows == 0 { continue }
            if textRows == rows {
                values[c] = []
                continue
            }
            values[c].withUnsafeMutableBufferPointer { column in
                for r in results where !r.codes[c].isEmpty {
                    for (slot, code) in r.codes[c].prefix(r.rows).enumerated() where code >= 0 { column[r.offset + slot] = .nan }
                }
            }
        }
        // Close the gaps a range left below its bound, then drop the unused rows at the end.
        if results.contains(where: { $0.rows != $0.capacity }) {
            for c in 0..<columns where !values[c].isEmpty {
                values[c].withUnsafeMutableBufferPointer { column in
                    var to = 0
                    for r in results {
                        if to != r.offset { (column.baseAddress! + to).update(from: column.baseAddress! + r.offset, count: r.rows) }
                        to += r.rows
                    }
                }
                values[c].removeLast(capacity - rows)
            }
        }
        return Parsed(chunks: results, values: values)
    }

    /// About how many bytes a parallel chunk holds (more chunks than threads, so that the threads
    /// finish together).
    static let chunkBytes = 8 << 20

    /// Splits `start..<end` at line ends into chunks for parallel parsing; one chunk when the file
    /// is small or contains quotes (a split could fall inside a quoted field).
    func chunkRanges(from start: Int) -> [Range<Int>] {
        let end = bytes.count
        let length = end - start
        let threads = Parallel.threadCount
        guard threads > 1, length > options.parallelThreshold, firstOffset(of: UInt8(ascii: "\""), from: start) == nil else {
            return [start..<end]
        }
        let parts = min(256, max(threads * 2, length / Self.chunkBytes))
        var ranges: [Range<Int>] = []
        var lo = start
        for p in 1..<parts {
            var cut = start + length * p / parts
            guard cut > lo else { continue }
            while cut < end, bytes[cut - 1] != UInt8(ascii: "\n") { cut += 1 }
            if cut >= end { break }
            ranges.append(lo..<cut)
            lo = cut
        }
        ranges.append(lo..<end)
        return ranges
    }

    /// The offset of the first `byte` at or after `start`, or `nil`; a large buffer is searched in
    /// parallel parts.
    func firstOffset(of byte: UInt8, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count else { return nil }
        let length = bytes.count - start
        let parts = length > options.parallelThreshold ? Parallel.threadCount * 4 : 1
        let box = ByteSearchBox(base)
        let hits = Parallel.mapChunks(0..<parts, chunksPerThread: parts) { part in
            part.compactMap { p -> Int? in
                let lo = start + length * p / parts, hi = start + length * (p + 1) / parts
                guard hi > lo, let hit = memchr(box.base + lo, Int32(byte), hi - lo) else { return nil }
                return UnsafeRawPointer(hit) - UnsafeRawPointer(box.base)
            }
        }.flatMap { $0 }
        return hits.min()
    }

    /// Tokenizes the first record into strings and returns where the next record starts.
    func firstRecord(from start: Int) throws -> ([String], Int) {
        var end = start
        var inQuotes = false
        while end < bytes.count {
            let b = bytes[end]
            if b == UInt8(ascii: "\"") { inQuotes.toggle() } else if !inQuotes && (b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")) { break }
            end += 1
        }
        if inQuotes {
            throw DataError(.unterminatedQuote, "\(name), line \(line(of: start)): a quoted field that starts on this line is never closed")
        }
        var fields: [String] = []
        var current: [UInt8] = []
        var i = start
        var quoted = false
        while i < end {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < end, bytes[i + 1] == UInt8(ascii: "\"") { current.append(b); i += 1 } else { quoted = false }
                } else { current.append(b) }
            } else if b == UInt8(ascii: "\"") && current.isEmpty {
                quoted = true
            } else if b == options.delimiter {
                fields.append(try text(current, at: i))
                current.removeAll()
            } else {
                current.append(b)
            }
            i += 1
        }
        fields.append(try text(current, at: i))
        var next = end
        if next < bytes.count, bytes[next] == UInt8(ascii: "\r") { next += 1 }
        if next < bytes.count, bytes[next] == UInt8(ascii: "\n") { next += 1 }
        return (fields, next)
    }

    func text(_ b: [UInt8], at offset: Int) throws -> String {
        guard let s = String(validating: b, as: UTF8.self) else {
            throw DataError(.notText, "\(name), line \(line(of: offset)): the first row is not valid UTF-8 text")
        }
        return s
    }

    /// The header rule of ``CSVOptions/HeaderMode/auto``.
    func looksLikeHeader(_ first: [String], _ rest: Parsed) -> Bool {
        let markers = options.missingMarkers
        var allText = true
        for (c, f) in first.enumerated() {
            let isText = !markers.contains(f) && NumberParser.parseString(f) == .text
            if !isText { allText = false; continue }
            if rest.textCount(c) == 0 && rest.numericCount(c) > 0 { return true }
        }
        guard allText, Set(first).count == first.count else { return false }
        return first.enumerated().allSatisfy { !rest.contains($0.element, column: $0.offset) }
    }

    // MARK: Building the table

    func finish(_ parsed: Parsed, names: [String], header: Bool) throws -> CSVReadResult {
        guard parsed.rows > 0 else { throw DataError(.empty, "\(name) has a header but no data rows") }
        var columns: [TableColumn] = []
        var missing: [Int] = [], nonFinite: [Int] = []
        let nc = names.count
        for c in 0..<nc {
            missing.append(parsed.chunks.reduce(0) { $0 + $1.missingCounts[c] })
            nonFinite.append(parsed.chunks.reduce(0) { $0 + $1.nonFiniteCounts[c] })
        }
        let chunks = ChunksBox(parsed.chunks, parsed.values)
        let textual = (0..<nc).map {
            parsed.text.contains($0) || (parsed.textCount($0) > 0 && parsed.numericCount($0) == 0 && !parsed.numeric.contains($0))
        }
        var stray: [NonNumericCells] = []
        for c in 0..<nc where parsed.textCount(c) > 0 && !textual[c] {
            stray.append(Self.nonNumericCells(c, names[c], parsed.chunks, present: parsed.textCount(c) + parsed.numericCount(c),
                                              rowOffset: rowOffset))
            missing[c] += parsed.textCount(c)
        }
        let total = parsed.rows
        // One task per column: the few categorical columns cost far more than the numeric ones.
        columns = Parallel.mapChunks(0..<nc, chunksPerThread: nc) { range in
            range.map { c in
                textual[c] ? Self.categoricalColumn(c, names[c], chunks.chunks, nc, total)
                           : TableColumn(name: names[c], values: .numeric(chunks.values[c].isEmpty
                                                                           ? [Double](repeating: .nan, count: total) : chunks.values[c]))
            }
        }.flatMap { $0 }
        let markers = options.missingMarkers.sorted()
        for c in 0..<nc where !markers.isEmpty {
            var uses = [Int](repeating: 0, count: markers.count)
            for p in parsed.chunks where !p.markerCounts.isEmpty {
                for m in markers.indices { uses[m] += p.markerCounts[c * markers.count + m] }
            }
            if let most = uses.indices.max(by: { uses[$0] < uses[$1] }), uses[most] > 0, !markers[most].isEmpty {
                columns[c].missingText = markers[most]
            }
        }
        return CSVReadResult(table: Table(columns: columns),
                             diagnostics: CSVDiagnostics(missingCounts: missing, nonFiniteCounts: nonFinite, hadHeader: header,
                                                         nonNumericCells: stray))
    }

    /// The text cells of numeric column `c`: their count and the first few rows and values.
    static func nonNumericCells(_ c: Int, _ name: String, _ chunks: [ChunkResult], present: Int, rowOffset: Int) -> NonNumericCells {
        var examples: [NonNumericCells.Example] = []
        var count = 0, offset = rowOffset
        for p in chunks {
            count += p.textCounts[c]
            if examples.count < NonNumericCells.listedRows, !p.codes[c].isEmpty {
                for r in 0..<p.rows where p.codes[c][r] >= 0 {
                    examples.append(.init(row: offset + r + 1, value: p.interners[c].strings[Int(p.codes[c][r])]))
                    if examples.count == NonNumericCells.listedRows { break }
                }
            }
            offset += p.rows
        }
        return NonNumericCells(column: name, count: count, present: present, examples: examples)
    }

    static func categoricalColumn(_ c: Int, _ name: String, _ chunks: [ChunkResult], _ nc: Int, _ total: Int) -> TableColumn {
        var categories: [String] = []
        var lookup: [String: Int32] = [:]
        var codes = [Int32](repeating: -1, count: total)
        codes.withUnsafeMutableBufferPointer { out in
            var o = 0
            for p in chunks {
                let remap: [Int32] = p.interners[c].strings.map { text in
                    if let known = lookup[text] { return known }
                    let code = Int32(categories.count)
                    lookup[text] = code
                    categories.append(text)
                    return code
                }
                if !p.codes[c].isEmpty {
                    p.codes[c].withUnsafeBufferPointer { k in
                        for r in 0..<p.rows {
                            let code = k[r]
                            out[o + r] = code < 0 ? -1 : remap[Int(code)]
                        }
                    }
                }
                o += p.rows
            }
        }
        return TableColumn(name: name, values: .categorical(codes: codes, categories: categories))
    }

    func headerNames(_ fields: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return fields.enumerated().map { i, raw in
            var n = raw.trimmingWhitespace
            if n.isEmpty { n = "column_\(i + 1)" }
            let count = seen[n, default: 0]
            seen[n] = count + 1
            return count == 0 ? n : "\(n)_\(count + 1)"
        }
    }

    func defaultNames(_ count: Int) -> [String] { (1...max(count, 1)).prefix(count).map { "column_\($0)" } }

    /// 1-based line of a byte offset.
    func line(of offset: Int) -> Int {
        var n = 1 + lineOffset
        let upTo = min(offset, bytes.count)
        for i in 0..<upTo where bytes[i] == UInt8(ascii: "\n") { n += 1 }
        return n
    }

    func error(_ f: (offset: Int, kind: DataError.Kind, detail: String, column: Int?)) -> DataError {
        var location = "\(name), line \(line(of: f.offset))"
        if let c = f.column { location += ", column \(c + 1)" }
        return DataError(f.kind, "\(location): \(f.detail)")
    }
}

/// Shares parsed chunks (immutable) with parallel column builders.
private struct ChunksBox: @unchecked Sendable {
    let chunks: [ChunkResult]
    let values: [[Double]]
    init(_ chunks: [ChunkResult], _ values: [[Double]]) {
        self.chunks = chunks
        self.values = values
    }
}

/// Lets parallel chunks write to the column arrays (each to its own rows).
private struct PointerBox: @unchecked Sendable {
    let pointers: [UnsafeMutablePointer<Double>]
    init(_ pointers: [UnsafeMutablePointer<Double>]) { self.pointers = pointers }
}

extension Array where Element == [Double] {
    /// Calls `body` with the base address of every inner array (each at least one element long),
    /// valid during the call only.
    mutating func withMutableBases<R>(_ body: ([UnsafeMutablePointer<Double>]) -> R) -> R {
        withUnsafeMutableBufferPointer { outer in
            var pointers: [UnsafeMutablePointer<Double>] = []
            pointers.reserveCapacity(outer.count)
            func nest(_ i: Int) -> R {
                guard i < outer.count else { return body(pointers) }
                return outer[i].withUnsafeMutableBufferPointer { inner in
                    pointers.append(inner.baseAddress!)
                    return nest(i + 1)
                }
            }
            return nest(0)
        }
    }
}

/// Lets parallel parts search the buffer.
private struct ByteSearchBox: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    init(_ base: UnsafePointer<UInt8>) { self.base = base }
}

/// Lets the chunk parser (which holds an unsafe buffer) be used from parallel chunks.
private struct ChunkBox: @unchecked Sendable {
    let parser: CSVChunkParser
    init(_ parser: CSVChunkParser) { self.parser = parser }
}

extension NumberParser {
    /// Parses a `String` (convenience for header detection).
    static func parseString(_ s: String) -> ParsedNumber {
        var copy = s
        return copy.withUTF8 { buf in buf.baseAddress.map { parse($0, buf.count) } ?? .text }
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
