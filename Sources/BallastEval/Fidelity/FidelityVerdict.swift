/// Whether a class's synthetic rows meet the ``FidelityTargets``.
public struct FidelityVerdict: Sendable, Equatable, Codable {
    /// One missed target.
    public struct Failure: Sendable, Equatable, Codable {
        /// A short key (`KS`, `AUC`, `copies`, `validity`).
        public var key: String
        /// What was measured against what was required.
        public var reason: String
    }

    /// Every target met.
    public var passed: Bool
    /// The targets missed.
    public var failures: [Failure]

    /// `pass`, or `fail (KS, AUC)`.
    public var summary: String {
        var keys: [String] = []
        for f in failures where !keys.contains(f.key) { keys.append(f.key) }
        return passed ? "pass" : "fail (" + keys.joined(separator: ", ") + ")"
    }
}
