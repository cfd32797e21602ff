import BallastCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written piece by piece that appears whole or not at all, by the rules of ``AtomicFile``:
/// a regular file (or a new one) is written to a temporary file beside it and renamed over it by
/// ``commit()``; a device or FIFO is written through.
///
/// Until ``commit()`` the target is untouched; ``discard()``, or dropping the writer without
/// committing (an error thrown midway), deletes the temporary file. The temporary file is also
/// deleted if the process is interrupted (``TemporaryFiles``).
public final class AtomicFileWriter {
    /// The path the bytes are for.
    public let path: String
    private let target: String?
    private let temporary: String?
    private var fd: Int32
    private var finished = false

    /// Opens `path` for writing.
    /// - Throws: ``DataError`` (`unwritable`) naming the path and the reason.
    public init(path: String) throws {
        self.path = path
        switch try AtomicFile.destination(path) {
        case .replace(let file):
            let temporary = try AtomicFile.temporaryPath(for: file)
            TemporaryFiles.register(temporary)
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                TemporaryFiles.unregister(temporary)
                throw AtomicFile.unwritable(path, reason)
            }
            self.fd = fd
            self.target = file
            self.temporary = temporary
        case .writeThrough:
            let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw AtomicFile.unwritable(path, String(cString: strerror(errno))) }
            self.fd = fd
            self.target = nil
            self.temporary = nil
        }
    }

    deinit { if !finished { discard() } }

    /// Appends `bytes`.
    /// - Throws: ``DataError`` (`unwritable`), for a full disk for example; the writer is then discarded.
    public func write(_ bytes: some Collection<UInt8>) throws {
        precondition(!finished, "AtomicFileWriter: write after commit or discard")
        let ok = bytes.withContiguousStorageIfAvailable { writeAll($0) } ?? Array(bytes).withUnsafeBufferPointer { writeAll($0) }
        if !ok {
            let reason = String(cString: strerror(errno))
            discard()
            throw AtomicFile.unwritable(path, reason)
        }
    }

    /// Appends the UTF-8 bytes of `text`.
    /// - Throws: as ``write(_:)-(some Collection<UInt8>)``.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write($0) }
    }

    /// Finishes the file: closes it and renames the temporary file over the target.
    /// - Throws: ``DataError`` (`unwritable`) when the file cannot be closed or renamed; the
    ///   temporary file is deleted and the target is untouched.
    public func commit() throws {
        precondition(!finished, "AtomicFileWriter: commit after commit or discard")
        finished = true
        let closed = close(fd) == 0
        guard let temporary, let target else {
            if !closed { throw AtomicFile.unwritable(path, String(cString: strerror(errno))) }
            return
        }
        defer { TemporaryFiles.unregister(temporary) }
        guard closed else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw AtomicFile.unwritable(path, reason)
        }
        if rename(temporary, target) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw DataError(.unwritable, "\(path): cannot replace the file: \(reason)")
        }
    }

    /// Abandons the file: the temporary file is deleted and the target is untouched.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(fd)
        if let temporary {
            unlink(temporary)
            TemporaryFiles.unregister(temporary)
        }
    }

    private func writeAll(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard var p = buffer.baseAddress else { return true }
        var left = buffer.count
        while left > 0 {
            let n = posixWrite(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            p += n
            left -= n
        }
        return true
    }
}

/// The C library's `write(2)` (the writer's own `write` methods hide it inside the class).
private func posixWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
    write(fd, p, count)
}
