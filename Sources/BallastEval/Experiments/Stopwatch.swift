import Foundation

/// Wall time since creation, in seconds.
struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Seconds elapsed.
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// CPU time (user + system, all threads) the process has used so far, in seconds; 0 when the system
/// does not report it. On a machine shared with other jobs, this measures work where wall time
/// measures the load. Public for the benchmark driver (`ballast-bench`).
public func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
    #else
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Wall time accumulated per named part of a job (e.g. `detection`, `pair trends`).
struct PartTimes: Sendable {
    /// Seconds per part.
    private(set) var seconds: [String: Double] = [:]

    /// Runs `body`, adding its wall time to `part`.
    mutating func measure<T>(_ part: String, _ body: () throws -> T) rethrows -> T {
        let clock = Stopwatch()
        defer { seconds[part, default: 0] += clock.seconds }
        return try body()
    }

    /// Adds another record's times.
    mutating func add(_ other: PartTimes) {
        for (part, s) in other.seconds { seconds[part, default: 0] += s }
    }
}
