import BallastTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 18, item 14: a run interrupted while writing its output leaves no temporary file behind.
@Suite("interrupted runs clean up")
struct InterruptCommandTests {
    let runner = CommandRunner()

    /// The temporary file `ballast train` writes the bundle to is made a FIFO beforehand, so the
    /// write blocks there (until this test opens the reading end and does not read) and the signal
    /// arrives with the temporary file certainly present. Deterministic: no sleeps or timings.
    @Test("SIGTERM / SIGINT during the write: the temporary file is deleted, exit 143 / 130", arguments: [SIGTERM, SIGINT])
    func signalDuringWrite(_ signalNumber: Int32) throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-int-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { for p in [flows, directory.path] { try? FileManager.default.removeItem(atPath: p) } }
        let bundle = directory.appendingPathComponent("m.bundle").path

        let process = Process()
        process.executableURL = runner.executable
        // A large network, so the bundle overfills a pipe's buffer and the write blocks.
        process.arguments = ["train", flows, "--label", "label", "--model", "mlp:widths=256x256,epochs=3", "-o", bundle, "-q"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let temporary = directory.appendingPathComponent(".m.bundle.\(process.processIdentifier).tmp").path
        try #require(mkfifo(temporary, 0o600) == 0, "mkfifo: \(String(cString: strerror(errno)))")
        // Opening the reading end returns once ballast opened the writing end, i.e. is writing.
        let reader = open(temporary, O_RDONLY)
        try #require(reader >= 0)
        defer { close(reader) }
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signalNumber, "status \(process.terminationStatus) \(process.terminationReason)")
        #expect(!FileManager.default.fileExists(atPath: temporary), "the temporary file was left behind")
        #expect(!FileManager.default.fileExists(atPath: bundle), "no half-written output")
    }
}
