import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files this process is writing, so that an interrupted run (Ctrl-C, `kill`, a
/// scheduler's SIGTERM) deletes them instead of leaving `.name.PID.tmp` files beside its outputs.
///
/// Writers ``register(_:)`` a path before creating it and ``unregister(_:)`` it once it is renamed
/// or removed. A program that wants the cleanup calls ``removeOnTermination()`` once at start: on
/// SIGINT or SIGTERM the registered files are deleted and the process exits with 130 or 143
/// (128 + the signal), as a shell reports a process killed by it.
///
/// This is process-wide state by nature (signals are delivered to the process); it holds paths
/// only, behind a lock.
public enum TemporaryFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Records `path` as a temporary file to delete if the process is interrupted.
    public static func register(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        paths.insert(path)
    }

    /// Forgets `path` (it was renamed into place or removed).
    public static func unregister(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        paths.remove(path)
    }

    /// The paths registered now.
    public static var registered: Set<String> {
        lock.lock(); defer { lock.unlock() }
        return paths
    }

    /// Deletes every registered file and forgets them; returns how many were deleted.
    @discardableResult
    public static func removeAll() -> Int {
        lock.lock(); defer { lock.unlock() }
        var removed = 0
        for path in paths where unlink(path) == 0 { removed += 1 }
        paths.removeAll()
        return removed
    }

    /// Installs the SIGINT/SIGTERM handling: the registered files are deleted, then the process
    /// exits with 128 + the signal number. Handled on a dispatch queue (not inside a signal
    /// handler), so the cleanup may take locks and call the file system. Calling it again does
    /// nothing.
    public static func removeOnTermination() {
        lock.lock(); defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global(qos: .userInitiated))
            source.setEventHandler {
                removeAll()
                _exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
