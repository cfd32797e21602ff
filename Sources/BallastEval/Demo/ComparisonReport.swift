import BallastLearn
import Foundation

/// The result of a ``ComparisonDemo``: the data used, what each balancing did to the training rows,
/// and the test metrics of every (balancing, detector) cell.
public struct ComparisonReport: Sendable, Equatable, Codable {
    /// What data was used, in words (says "simulated" for the simulator).
    public var dataset: String
    /// Whether the data came from the simulator.
    public var simulated: Bool
    /// The seed used.
    public var seed: UInt64
    /// Whether quick settings were used.
    public var quick: Bool
    /// What quick mode changed, in words (empty when not quick).
    public var settingsNote: String
    /// Class names, in label order.
    public var classNames: [String]
    /// Training rows per class (before balancing).
    public var trainCounts: [Int]
    /// Test rows per class.
    public var testCounts: [Int]
    /// Width of the preprocessed feature matrix.
    public var featureColumns: Int
    /// Test values whose category was never seen in training (mapped to the unknown bucket).
    public var unseenCategoriesInTest: Int
    /// What each balancing did, in table order.
    public var balancings: [BalancingOutcome]
    /// Every cell, balancing-major, in table order.
    public var cells: [ComparisonCell]
    /// Seconds spent loading and preprocessing the data.
    public var preparationSeconds: Double
    /// Wall time of the whole comparison.
    public var totalSeconds: Double

    /// Creates a report.
    public init(dataset: String, simulated: Bool, seed: UInt64, quick: Bool, settingsNote: String, classNames: [String],
                trainCounts: [Int], testCounts: [Int], featureColumns: Int, unseenCategoriesInTest: Int,
                balancings: [BalancingOutcome], cells: [ComparisonCell], preparationSeconds: Double, totalSeconds: Double) {
        self.dataset = dataset
        self.simulated = simulated
        self.seed = seed
        self.quick = quick
        self.settingsNote = settingsNote
        self.classNames = classNames
        self.trainCounts = trainCounts
        self.testCounts = testCounts
        self.featureColumns = featureColumns
        self.unseenCategoriesInTest = unseenCategoriesInTest
        self.balancings = balancings
        self.cells = cells
        self.preparationSeconds = preparationSeconds
        self.totalSeconds = totalSeconds
    }

    /// The metric columns of the table: accuracy, macro-F1, weighted-F1, then the recall of each class.
    public var columns: [ComparisonColumn] {
        [.accuracy, .macroF1, .weightedF1] + classNames.indices.map { .recall(classIndex: $0) }
    }

    /// The indices (into ``cells``) of the cells with the best value of `column`: the highest value
    /// among cells that succeeded, compared at the table's precision (hundredths of a percent) so
    /// that every cell showing the best printed value is marked. Empty when no cell succeeded.
    public func bestCells(_ column: ComparisonColumn) -> [Int] {
        let values = cells.map { $0.report.map { Self.displayed(column.value(in: $0)) } }
        guard let best = values.compactMap({ $0 }).max() else { return [] }
        return values.indices.filter { values[$0] == best }
    }

    /// A fraction as the integer number of hundredths of a percent the table prints.
    static func displayed(_ fraction: Double) -> Int { Int((fraction * 10_000).rounded()) }
}
