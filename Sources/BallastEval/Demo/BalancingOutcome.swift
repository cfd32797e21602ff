/// What one balancing did to the training rows (computed once, shared by every detector).
public struct BalancingOutcome: Sendable, Equatable, Codable {
    /// The balancing's name as shown in the table.
    public var name: String
    /// Training rows per class after balancing (`nil` when it failed).
    public var counts: [Int]?
    /// The resampler's warnings.
    public var warnings: [String]
    /// The error that stopped it, if any (every cell of this balancing then reports it).
    public var error: String?
    /// Seconds spent resampling.
    public var seconds: Double

    /// Creates an outcome.
    public init(name: String, counts: [Int]?, warnings: [String], error: String?, seconds: Double) {
        self.name = name
        self.counts = counts
        self.warnings = warnings
        self.error = error
        self.seconds = seconds
    }
}
