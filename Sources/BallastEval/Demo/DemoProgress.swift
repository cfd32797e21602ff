/// What the demo is doing, reported as each step starts.
public struct DemoProgress: Sendable, Equatable {
    /// The part of the comparison a step belongs to.
    public enum Phase: Sendable, Equatable {
        /// Loading or generating the data, splitting, preprocessing.
        case preparing
        /// Running one balancing on the training rows.
        case balancing
        /// Fitting and evaluating one detector on balanced rows.
        case detecting
        /// Every cell is done.
        case finished
    }

    /// The part of the comparison.
    public var phase: Phase
    /// The step, in words: `load KDDTest+.txt`, `balance: smote`, `smote × rf`.
    public var stage: String
    /// Cells (balancing × detector) finished so far.
    public var completedCells: Int
    /// Cells in the whole comparison.
    public var totalCells: Int

    /// Creates a progress report.
    public init(phase: Phase, stage: String, completedCells: Int, totalCells: Int) {
        self.phase = phase
        self.stage = stage
        self.completedCells = completedCells
        self.totalCells = totalCells
    }

    /// Finished share of the cells, in [0, 1].
    public var fraction: Double { totalCells > 0 ? Double(completedCells) / Double(totalCells) : 0 }
}
