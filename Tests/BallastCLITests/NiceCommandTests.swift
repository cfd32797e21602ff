import BallastTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `nice -n 7 ballast …` runs its work at nice 7. The commands run on a thread of Swift's concurrency
/// pool, which libdispatch on Linux gives the nice value of its quality of service (0), not the
/// process's, where it is allowed to (as root); the worker threads inherited that.
@Suite("nice applies to the working threads")
struct NiceCommandTests {
    let runner = CommandRunner()

    static var applicable: Bool {
        #if os(Linux)
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/nice")
            && FileManager.default.fileExists(atPath: "/proc/self/task")
        #else
        false
        #endif
    }

    /// As in ``InterruptCommandTests``, the bundle's temporary file is a FIFO, so `train` blocks in
    /// its write with every thread it used still alive; then each thread's nice value and CPU time
    /// are read from `/proc`. The threads that did the training (most of the CPU) must be at nice 7.
    /// Only as root: elsewhere libdispatch cannot lower a thread's nice value, so the test would
    /// pass with or without the fix. It does not catch a worker that forgets to adopt the value,
    /// because workers inherit it from the command's thread.
    @Test(.enabled(if: Self.applicable, "needs root, /usr/bin/nice and /proc (Linux)"))
    func workingThreadsKeepTheProcessNiceValue() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let nice = "/usr/bin/nice"
        var text = "a,b,c,d,label\n"
        var state: UInt64 = 99
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        for i in 0..<10_000 {
            let c = i % 3
            text += "\(next() + Double(c)),\(next()),\(next() * Double(c + 1)),\(next()),class\(c)\n"
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-nice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("flows.csv").path
        try text.write(toFile: data, atomically: true, encoding: .utf8)
        let bundle = directory.appendingPathComponent("m.bundle").path

        let process = Process()
        process.executableURL = URL(fileURLWithPath: nice)
        process.arguments = ["-n", "7", runner.executable.path, "train", data, "--label", "label",
                             "--model", "mlp:widths=256x256,epochs=2", "-o", bundle, "-q"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // If ballast ends before it opens the FIFO, the reader below would wait forever: its end,
        // or failing that a watchdog, opens the writing end to release it.
        @Sendable func release(_ pid: Int32) {
            let fd = open(directory.appendingPathComponent(".m.bundle.\(pid).tmp").path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        process.terminationHandler = { release($0.processIdentifier) }
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) }; process.waitUntilExit() }
        let pid = process.processIdentifier
        let temporary = directory.appendingPathComponent(".m.bundle.\(pid).tmp").path
        try #require(mkfifo(temporary, 0o600) == 0, "mkfifo: \(String(cString: strerror(errno)))")
        DispatchQueue.global().asyncAfter(deadline: .now() + 300) { release(pid) }
        if !process.isRunning { release(pid) }
        let reader = open(temporary, O_RDONLY)  // returns once ballast is writing
        try #require(reader >= 0)
        defer { close(reader) }
        try #require(process.isRunning, "ballast ended before writing its bundle (status \(process.terminationStatus))")

        // Per thread: nice value (field 19 of /proc/PID/task/TID/stat) and CPU ticks (14 + 15),
        // counted after the `(comm)` field, which may contain spaces.
        let tasks = "/proc/\(process.processIdentifier)/task"
        var threads: [(nice: Int, ticks: Int)] = []
        for tid in try FileManager.default.contentsOfDirectory(atPath: tasks) {
            guard let stat = try? String(contentsOfFile: "\(tasks)/\(tid)/stat", encoding: .utf8),
                  let end = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: end)...].split(separator: " ")  // fields[0] is field 3
            guard fields.count > 16, let user = Int(fields[11]), let system = Int(fields[12]), let n = Int(fields[16]) else { continue }
            threads.append((n, user + system))
        }
        let total = threads.reduce(0) { $0 + $1.ticks }, atSeven = threads.filter { $0.nice >= 7 }.reduce(0) { $0 + $1.ticks }
        #expect(total > 0, "no CPU time was recorded: \(threads)")
        #expect(atSeven * 10 >= total * 9, "threads below nice 7 did more than a tenth of the work: \(threads)")
    }
}
