import BallastCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes that never leave a partial file behind, and never replace what is not a
/// regular file.
///
/// What `path` names decides how it is written:
/// - nothing, or a regular file: the bytes go to a temporary file in the same directory, which is
///   then renamed over `path`, so a reader sees the old file or the new one, never half of one;
/// - a character device or a FIFO (`/dev/stdout`, `/dev/null`, a named pipe): the bytes are written
///   through to it, which is then still the device or pipe it was;
/// - a symbolic link is followed: the file it leads to is written by the rules above and the link
///   stays a link (so `-o /dev/stdout` reaches the terminal or pipe behind it). A link that leads
///   nowhere is refused, as is a directory, a block device or a socket.
public enum AtomicFile {
    /// Writes `data` to `path` (see the type's rules).
    /// - Throws: ``DataError`` (`unwritable`) naming the path and the reason.
    public static func write(_ data: Data, to path: String) throws {
        switch try destination(path) {
        case .replace(let file): try replace(file, with: data)
        case .writeThrough: try writeThrough(path, data)
        }
    }

    /// How `path` is written.
    enum Destination: Equatable {
        /// A temporary file beside this regular file (or new file) is renamed over it.
        case replace(String)
        /// The device or FIFO is written directly.
        case writeThrough
    }

    /// How `path` is written, by the type's rules (symbolic links resolved).
    /// - Throws: ``DataError`` (`unwritable`) for what cannot be written.
    static func destination(_ path: String) throws -> Destination {
        var link = stat()
        guard lstat(path, &link) == 0 else {
            guard errno == ENOENT else { throw unwritable(path, String(cString: strerror(errno))) }
            return .replace(path)
        }
        var target = stat()
        if link.st_mode & S_IFMT == S_IFLNK, stat(path, &target) != 0 {
            throw unwritable(path, "it is a symbolic link to nothing (\(String(cString: strerror(errno))))")
        } else if link.st_mode & S_IFMT != S_IFLNK {
            target = link
        }
        switch target.st_mode & S_IFMT {
        case S_IFCHR, S_IFIFO:
            return .writeThrough
        case S_IFREG:
            // The file a link leads to, so that the link itself is not replaced.
            guard link.st_mode & S_IFMT == S_IFLNK else { return .replace(path) }
            guard let resolved = realpath(path, nil) else { throw unwritable(path, "cannot resolve the symbolic link") }
            defer { free(resolved) }
            return .replace(String(cString: resolved))
        case S_IFDIR: throw unwritable(path, "it is a directory")
        default: throw unwritable(path, "it is not a regular file, a character device or a FIFO")
        }
    }

    /// The temporary file written before it is renamed over `path`, after checking that its
    /// directory exists.
    /// - Throws: ``DataError`` (`unwritable`) when the directory does not exist.
    static func temporaryPath(for path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(.unwritable, "\(path): cannot write: directory \(directory.path) does not exist")
        }
        return directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
    }

    /// Whether `a` and `b` name the same existing regular file (same device and inode, links
    /// followed), so that a command can refuse to write its output over one of its inputs. Devices
    /// and pipes are never "the same file" (`/dev/stdin` and `/dev/stdout` may share a terminal).
    public static func isSameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0, x.st_mode & S_IFMT == S_IFREG else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Writes to a temporary file beside `path` and renames it over `path`.
    private static func replace(_ path: String, with data: Data) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = URL(fileURLWithPath: try temporaryPath(for: path))
        // Deleted if the process is interrupted meanwhile (see TemporaryFiles.removeOnTermination()).
        TemporaryFiles.register(temporary.path)
        defer { TemporaryFiles.unregister(temporary.path) }
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DataError(.unwritable, "\(path): cannot write: \(error.localizedDescription)")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw DataError(.unwritable, "\(path): cannot replace the file: \(reason)")
        }
    }

    /// Opens an existing device or FIFO and writes every byte to it.
    private static func writeThrough(_ path: String, _ data: Data) throws {
        let fd = open(path, O_WRONLY | O_NOCTTY)
        guard fd >= 0 else { throw unwritable(path, String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw unwritable(path, error.localizedDescription)
        }
    }

    static func unwritable(_ path: String, _ reason: String) -> DataError {
        DataError(.unwritable, "\(path): cannot write: \(reason)")
    }
}
