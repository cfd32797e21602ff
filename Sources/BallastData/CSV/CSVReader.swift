import BallastCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads CSV files into typed ``Table``s.
///
/// Works on bytes: RFC 4180 quoting (delimiters, quotes and newlines inside quoted fields), LF and
/// CRLF line ends, a UTF-8 byte-order mark, blank lines skipped. A column is numeric when every
/// non-missing field parses as a number, categorical otherwise (categories in order of first
/// appearance). A column whose non-missing fields are at least ``numericShare`` numbers is numeric
/// all the same: its other fields are read as missing and listed in
/// ``CSVDiagnostics/nonNumericCells`` with their rows (columns named in
/// ``CSVOptions/textColumns`` stay text). Files without quote characters are parsed in parallel chunks split at line ends;
/// the result is identical to a serial parse.
public enum CSVReader {
    /// The share of a column's non-missing fields that must be numbers for the column to be
    /// numeric when some fields are not (a few stray cells such as `abc` or `n/a` in a column of
    /// numbers are read as missing and reported; below this share the column is categorical).
    public static let numericShare = 0.95

    /// Reads the file at `path`.
    /// - Parameters:
    ///   - path: the file.
    ///   - options: delimiter, header, missing markers and NaN/Inf policy.
    /// - Throws: ``DataError`` — `.fileNotFound`/`.unreadable` (I/O), or a content error naming the
    ///   file, line, column and value.
    public static func read(contentsOf path: String, options: CSVOptions = CSVOptions()) throws -> CSVReadResult {
        try validate(options)
        return try withFileBytes(path) { try Reader(bytes: $0, name: path, options: options).run() }
    }

    /// Reads CSV from bytes; `name` is used in error messages.
    /// - Throws: ``DataError`` for empty input, non-text bytes, ragged rows, unterminated quotes,
    ///   invalid options, or NaN/Inf with ``CSVOptions/NonFinitePolicy/reject``.
    public static func read(bytes: [UInt8], name: String, options: CSVOptions = CSVOptions()) throws -> CSVReadResult {
        try validate(options)
        return try bytes.withUnsafeBufferPointer { buf in
            try Reader(bytes: buf, name: name, options: options).run()
        }
    }

    static func validate(_ options: CSVOptions) throws {
        let d = options.delimiter
        guard d != UInt8(ascii: "\""), d != UInt8(ascii: "\n"), d != UInt8(ascii: "\r"), d < 128 else {
            throw DataError(.invalidOption, "the delimiter must be one ASCII character other than a quote or a line end")
        }
    }

    /// Calls `body` with the file's bytes: memory-mapped read-only for regular files (no copy),
    /// read into memory otherwise.
    /// - Throws: ``DataError`` (`.fileNotFound`, `.unreadable`) or what `body` throws.
    static func withFileBytes<R>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw DataError(.fileNotFound, "\(path): no such file") }
            throw DataError(.unreadable, "\(path): cannot be opened (\(String(cString: strerror(code))))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw DataError(.unreadable, "\(path): cannot be examined") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw DataError(.unreadable, "\(path) is a directory, not a file") }
        let size = Int(st.st_size)
        if (st.st_mode & S_IFMT) == S_IFREG, size > 0,
           let mapped = mmap(nil, size, PROT_READ, mapFlags, fd, 0), mapped != MAP_FAILED {
            defer { munmap(mapped, size) }
            return try body(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size))
        }
        let bytes = try readBytes(path)
        return try bytes.withUnsafeBufferPointer(body)
    }

    /// A private read-only mapping, populated at once on Linux (one call maps every page instead of
    /// a page fault per few pages: the parse reads every byte anyway).
    #if os(Linux)
    static let mapFlags = MAP_PRIVATE | MAP_POPULATE
    #else
    static let mapFlags = MAP_PRIVATE
    #endif

    /// Reads a whole file into memory.
    static func readBytes(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            let code = errno
            if code == ENOENT { throw DataError(.fileNotFound, "\(path): no such file") }
            throw DataError(.unreadable, "\(path): cannot be opened (\(String(cString: strerror(code))))")
        }
        defer { fclose(file) }
        var st = stat()
        if fstat(fileno(file), &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(.unreadable, "\(path) is a directory, not a file")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, Int(st.st_size)))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(file) != 0 { throw DataError(.unreadable, "\(path): read error") }
                break
            }
        }
        return bytes
    }
}
