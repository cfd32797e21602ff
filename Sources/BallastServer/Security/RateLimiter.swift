import Foundation

/// Counts failures per key (a client address or an account name) and imposes exponential back-off.
///
/// After `freeAttempts` failures within the window, each further attempt is refused until
/// `2^(failures - freeAttempts)` seconds (at most `maximumDelay`) after the last failure. A success
/// clears the key. Memory is bounded: the oldest keys are dropped beyond `capacity`.
actor RateLimiter {
    private struct Entry {
        var failures: Int
        var last: Date
    }

    private let freeAttempts: Int
    private let maximumDelay: TimeInterval
    private let window: TimeInterval
    private let capacity: Int
    private var entries: [String: Entry] = [:]

    init(freeAttempts: Int, maximumDelay: TimeInterval = 900, window: TimeInterval = 3600, capacity: Int = 100_000) {
        self.freeAttempts = freeAttempts
        self.maximumDelay = maximumDelay
        self.window = window
        self.capacity = capacity
    }

    /// Seconds until `keys` may try again (0: allowed now); the largest wait over the keys.
    func retryAfter(_ keys: [String], now: Date = Date()) -> Int {
        var wait = 0.0
        for key in keys {
            guard let e = entries[key] else { continue }
            if now.timeIntervalSince(e.last) > window { entries[key] = nil; continue }
            guard e.failures >= freeAttempts else { continue }
            let delay = min(maximumDelay, pow(2, Double(e.failures - freeAttempts + 1)))
            wait = max(wait, delay - now.timeIntervalSince(e.last))
        }
        return wait > 0 ? Int(wait.rounded(.up)) : 0
    }

    /// Records one failure for each key.
    func fail(_ keys: [String], now: Date = Date()) {
        if entries.count >= capacity {
            let oldest = entries.sorted { $0.value.last < $1.value.last }.prefix(capacity / 10).map(\.key)
            for key in oldest { entries[key] = nil }
        }
        for key in keys {
            var e = entries[key] ?? Entry(failures: 0, last: now)
            if now.timeIntervalSince(e.last) > window { e.failures = 0 }
            e.failures += 1
            e.last = now
            entries[key] = e
        }
    }

    /// Clears the keys after a success.
    func succeed(_ keys: [String]) {
        for key in keys { entries[key] = nil }
    }
}
