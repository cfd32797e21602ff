import BallastData
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `-o` targets that are not regular files: written through or refused, never replaced.
@Suite("Atomic file writes")
struct AtomicFileTests {
    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func type(_ path: String) -> mode_t {
        var s = stat()
        return lstat(path, &s) == 0 ? s.st_mode & S_IFMT : 0
    }

    @Test("a regular file is replaced whole, with no temporary file left beside it")
    func regularFile() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.csv"
        try AtomicFile.write(Data("old, longer text\n".utf8), to: path)
        try AtomicFile.write(Data("new\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.csv"])
    }

    @Test("a FIFO is written through and stays a FIFO")
    func fifo() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        // A non-blocking reader lets the writer open the FIFO; the bytes fit in the pipe buffer.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        try AtomicFile.write(Data("through the pipe\n".utf8), to: path)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(reader, &buffer, buffer.count)
        #expect(n > 0 && String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self) == "through the pipe\n")
        #expect(Self.type(path) == S_IFIFO, "the FIFO was replaced")
    }

    @Test("a symbolic link is followed: the file it names is replaced and the link stays")
    func symlink() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/real.csv", link = dir + "/link.csv"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.csv")
        try AtomicFile.write(Data("new\n".utf8), to: link)
        #expect(Self.type(link) == S_IFLNK, "the link was replaced by a file")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["real.csv", "link.csv"])
    }

    @Test("a dangling link and a directory are refused, naming the path, and left as they were")
    func refusals() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dangling = dir + "/dangling.csv", sub = dir + "/sub"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "missing/none.csv")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        for path in [dangling, sub] {
            do {
                try AtomicFile.write(Data("x\n".utf8), to: path)
                Issue.record("\(path) was written")
            } catch let error as DataError {
                #expect(error.kind == .unwritable && error.description.contains(path), "\(error)")
            }
        }
        #expect(Self.type(dangling) == S_IFLNK && Self.type(sub) == S_IFDIR)
    }

    @Test("the same file is recognised through another name")
    func sameFile() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = dir + "/a.csv", b = dir + "/b.csv"
        try Data("a\n".utf8).write(to: URL(fileURLWithPath: a))
        try Data("b\n".utf8).write(to: URL(fileURLWithPath: b))
        try FileManager.default.createSymbolicLink(atPath: dir + "/l.csv", withDestinationPath: "a.csv")
        #expect(AtomicFile.isSameFile(a, dir + "/./a.csv") && AtomicFile.isSameFile(dir + "/l.csv", a))
        #expect(!AtomicFile.isSameFile(a, b) && !AtomicFile.isSameFile(a, dir + "/none.csv"))
    }
}
