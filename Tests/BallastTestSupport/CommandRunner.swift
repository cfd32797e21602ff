import Foundation

/// Runs the built `ballast` executable, as a user would, and captures what it prints.
public struct CommandRunner: Sendable {
    /// The result of one run.
    public struct Output: Sendable {
        /// Exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var stdout: String
        /// Everything written to standard error.
        public var stderr: String
    }

    /// Path of the executable.
    public let executable: URL

    /// Finds `name` among the build products beside the running test bundle.
    /// - Returns: `nil` when it has not been built.
    public init?(product name: String = "ballast") {
        var candidates: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
        var dir = argv0.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent(name))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(name))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            return nil
        }
        executable = found
    }

    /// Runs the executable with `arguments` and no standard input.
    /// - Throws: when the process cannot be started.
    public func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try run(arguments, environment: environment, input: nil)
    }

    /// Runs the executable with `arguments`, `input` written to its standard input through a pipe
    /// (then closed), or no standard input when `input` is `nil`.
    /// - Throws: when the process cannot be started.
    public func run(_ arguments: [String], environment: [String: String] = [:], input: Data?) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            // A child that exits before reading everything must not kill the tests with SIGPIPE.
            signal(SIGPIPE, SIG_IGN)
            // Written on a thread so a child that reads slowly (or not at all) cannot block this one.
            let writer = Thread {
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
            }
            writer.start()
        }
        // Read both pipes concurrently so a full pipe buffer cannot block the child.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    func set(_ d: Data) { lock.lock(); data = d; done = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Paths to the shared datasets beside the repository.
public enum SharedData {
    /// The package root (two levels above this file's folder).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether every one of `files` is in `../shared/datasets/nsl-kdd` beside the package: the
    /// condition of `@Test(.enabled(if: SharedData.hasNSLKDD(...), "reason"))`, so
    /// that a test needing the data is reported as skipped, not as passed, when it is absent.
    public static func hasNSLKDD(_ files: String...) -> Bool {
        files.allSatisfy { FileManager.default.fileExists(atPath: nslKDDDirectory.appendingPathComponent($0).path) }
    }

    static var nslKDDDirectory: URL { packageRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets/nsl-kdd") }

    /// `../shared/datasets/nsl-kdd` beside the package, or `nil` (with a printed reason) when absent.
    public static func nslKDD(file: String = "KDDTrain+.txt") -> String? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets/nsl-kdd/\(file)")
        if FileManager.default.fileExists(atPath: url.path) { return url.path }
        print("skipped: \(url.path) is absent (NSL-KDD is read from ../shared/datasets/nsl-kdd)")
        return nil
    }
}
