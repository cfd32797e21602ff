#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a CSV file as a sequence of tables of at most ``chunkRows`` records each, so that a file of
/// any size is read with bounded memory.
///
/// Each chunk is read as ``CSVReader`` reads a whole file, with three differences that make the
/// chunks one file: the first chunk decides the header (by ``CSVOptions/header``) and the column
/// names, which later chunks keep (a record with another number of fields is an error, as in a
/// whole read); line numbers in errors and rows in ``CSVDiagnostics/nonNumericCells`` count from
/// the start of the file; and a column's type is decided per chunk, so a caller that needs the
/// same type in every chunk names its columns in ``CSVOptions/textColumns`` (categorical in every
/// chunk, even one where they hold only numbers or nothing) or ``CSVOptions/numericColumns``.
///
/// Chunks end at line ends outside quoted fields (a quoted field may hold line breaks); blank lines
/// do not count as records. A file whose records end with CR alone is one chunk.
public final class CSVChunkReader {
    /// The records per chunk (default 65,536): the memory a chunk needs is about this many records
    /// of text plus their parsed values.
    public static let defaultChunkRows = 65_536
    /// The largest chunk accepted: 2³² records (a larger chunk reads any real file whole anyway, and
    /// the first chunk's count plus its header row must not overflow).
    public static let maximumChunkRows = 1 << 32

    /// The file read.
    public let path: String
    /// How each chunk is read.
    public let options: CSVOptions
    /// Records per chunk (at least 1; the first chunk has one line more, for a header).
    public let chunkRows: Int
    /// The file's size in bytes, when it is a regular file (for progress).
    public let fileSize: Int?
    /// Bytes of the file returned in chunks so far.
    public private(set) var bytesRead = 0
    /// Data rows returned so far.
    public private(set) var rowsRead = 0
    /// The column names, once the first chunk is read.
    public private(set) var columnNames: [String]?
    /// Whether the first row was a header, once the first chunk is read.
    public private(set) var hadHeader = false

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var endOfFile = false
    /// Scanning state of the bytes after the last cut.
    private var scanned = 0, lineStart = 0, lines = 0, inQuotes = false, quoteFreeUntil = 0
    /// Line ends (LF) before the buffer.
    private var linesBefore = 0

    /// Opens `path`.
    /// - Parameters:
    ///   - path: the file (a regular file, or a pipe such as `/dev/stdin`).
    ///   - options: how the records are read (see ``CSVReader``).
    ///   - chunkRows: records per chunk (default ``defaultChunkRows``).
    /// - Throws: ``DataError`` — `.fileNotFound`, `.unreadable` (a directory, no permission), or
    ///   `.invalidOption` for a chunk size outside 1...``maximumChunkRows`` or an invalid delimiter.
    public init(path: String, options: CSVOptions = CSVOptions(), chunkRows: Int = CSVChunkReader.defaultChunkRows) throws {
        guard (1...Self.maximumChunkRows).contains(chunkRows) else {
            throw DataError(.invalidOption,
                            "chunk-rows=\(chunkRows) is invalid: expected a whole number of records in 1...\(Self.maximumChunkRows)")
        }
        try CSVReader.validate(options)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw DataError(.fileNotFound, "\(path): no such file") }
            throw DataError(.unreadable, "\(path): cannot be opened (\(String(cString: strerror(code))))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw DataError(.unreadable, "\(path): cannot be examined")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw DataError(.unreadable, "\(path) is a directory, not a file")
        }
        self.fd = fd
        self.path = path
        self.options = options
        self.chunkRows = chunkRows
        fileSize = (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
    }

    deinit { close(fd) }

    /// The next chunk, or `nil` after the last.
    /// - Throws: ``DataError`` as ``CSVReader/read(contentsOf:options:)`` does, naming the file and
    ///   its line; `.unreadable` for a read error.
    public func next() throws -> CSVReadResult? {
        while true {
            let first = columnNames == nil
            let cut = try nextCut(records: first ? chunkRows + 1 : chunkRows)
            if cut == 0 {
                guard first else { return nil }
                // An empty file: the reader says so, as for a whole read.
                return try parse(ArraySlice(), first: true)
            }
            let chunk = buffer[0..<cut]
            defer {
                buffer.removeSubrange(0..<cut)
                scanned -= cut
                lineStart -= cut
                quoteFreeUntil = max(0, quoteFreeUntil - cut)
                lines = 0
                bytesRead += cut
            }
            // Blank lines only: nothing to read, unless the whole file is blank.
            if !first, chunk.allSatisfy({ $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
                linesBefore += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                continue
            }
            let result = try parse(chunk, first: first)
            linesBefore += Self.lineEnds(chunk)
            return result
        }
    }

    private func parse(_ chunk: ArraySlice<UInt8>, first: Bool) throws -> CSVReadResult {
        let result = try chunk.withUnsafeBufferPointer { bytes in
            var reader = Reader(bytes: bytes, name: path, options: options)
            reader.textColumnsAlwaysText = true
            if let columnNames { reader.continuation = (columnNames, hadHeader) }
            reader.lineOffset = linesBefore
            reader.rowOffset = rowsRead
            return try reader.run()
        }
        if first {
            columnNames = result.table.columnNames
            hadHeader = result.diagnostics.hadHeader
        }
        rowsRead += result.table.rowCount
        return result
    }

    /// The end of the first `records` non-blank lines of the buffer (reading more of the file as
    /// needed), or the end of the buffer at the end of the file.
    private func nextCut(records: Int) throws -> Int {
        while true {
            if let cut = scan(records: records) { return cut }
            if endOfFile { return buffer.count }
            try fill()
        }
    }

    /// Continues scanning the buffer; returns the cut once `records` records ended.
    private func scan(records: Int) -> Int? {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")
        return buffer.withUnsafeBufferPointer { b -> Int? in
            guard let base = b.baseAddress else { return nil }
            let count = b.count
            if !inQuotes, quoteFreeUntil < count, scanned >= quoteFreeUntil {
                quoteFreeUntil = memchr(base + scanned, Int32(quote), count - scanned).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? count
            }
            while scanned < count {
                let i: Int
                if !inQuotes && scanned < quoteFreeUntil {
                    // No quote before quoteFreeUntil: jump to the next line end.
                    guard let hit = memchr(base + scanned, Int32(lf), quoteFreeUntil - scanned) else {
                        scanned = quoteFreeUntil
                        continue
                    }
                    i = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                } else {
                    let byte = base[scanned]
                    if byte == quote { inQuotes.toggle() }
                    if inQuotes || byte != lf {
                        scanned += 1
                        if !inQuotes, scanned < count, scanned >= quoteFreeUntil {
                            quoteFreeUntil = memchr(base + scanned, Int32(quote), count - scanned)
                                .map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? count
                        }
                        continue
                    }
                    i = scanned
                }
                let length = i - lineStart
                if length > 1 || (length == 1 && base[lineStart] != cr) { lines += 1 }
                scanned = i + 1
                lineStart = scanned
                if lines == records { return scanned }
            }
            return nil
        }
    }

    /// Appends the next block of the file to the buffer.
    private func fill() throws {
        let block = 1 << 22
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: block))
        var got = 0
        while true {
            got = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress! + old, block) }
            if got >= 0 || errno != EINTR { break }
        }
        guard got >= 0 else {
            let reason = String(cString: strerror(errno))
            buffer.removeSubrange(old...)
            throw DataError(.unreadable, "\(path): read error (\(reason))")
        }
        buffer.removeSubrange((old + got)...)
        if got == 0 { endOfFile = true }
    }

    private static func lineEnds(_ chunk: ArraySlice<UInt8>) -> Int {
        chunk.withUnsafeBufferPointer { b in
            guard var p = b.baseAddress else { return 0 }
            let end = p + b.count
            var n = 0
            while p < end, let hit = memchr(p, Int32(UInt8(ascii: "\n")), end - p) {
                n += 1
                p = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return n
        }
    }
}
