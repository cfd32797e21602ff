import Foundation

/// Verified API keys, remembered for a few seconds so that a script's stream of requests does not
/// query the database for its key on every call.
///
/// Entries are keyed by the SHA-256 of the whole token (the secret itself is not kept). Any change
/// that can withdraw a key — revoking it, disabling its account, changing a role — clears the cache
/// before it returns, so revocation takes effect at once; the time limit only bounds how long an
/// edit made outside this process (another tool on the database file) can go unnoticed.
final class APIKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (user: User, until: Date)] = [:]
    private let lifetime: TimeInterval
    private let capacity: Int

    init(lifetime: TimeInterval = 10, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The user a token was verified for, if that was less than `lifetime` ago.
    func user(tokenHash: String, now: Date = Date()) -> User? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[tokenHash] else { return nil }
        guard entry.until > now else {
            entries[tokenHash] = nil
            return nil
        }
        return entry.user
    }

    /// Remembers a verified token (the cache is emptied when full: it refills from the database).
    func remember(tokenHash: String, user: User, now: Date = Date()) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[tokenHash] = (user, now.addingTimeInterval(lifetime))
    }

    /// Forgets every key (after a revocation or an account change).
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll()
    }
}
