import Foundation

/// Wall time since creation, in seconds.
struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Seconds elapsed.
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
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
