/// What the demo is doing, reported as each step starts.
public struct DemoProgress: Sendable, Equatable {
    /// The step, in words: `load KDDTest+.txt`, `balance: smote`, `smote × rf: fit`.
    public var stage: String
    /// Cells (balancing × detector) finished so far.
    public var completedCells: Int
    /// Cells in the whole comparison.
    public var totalCells: Int

    /// Creates a progress report.
    public init(stage: String, completedCells: Int, totalCells: Int) {
        self.stage = stage
        self.completedCells = completedCells
        self.totalCells = totalCells
    }

    /// Finished share of the cells, in [0, 1].
    public var fraction: Double { totalCells > 0 ? Double(completedCells) / Double(totalCells) : 0 }
}
