/// One (balancing, detector) cell of the comparison: test metrics, or the error that stopped it.
public struct ComparisonCell: Sendable, Equatable, Codable {
    /// The balancing's name.
    public var balancing: String
    /// The detector as given.
    public var detector: String
    /// The detector as trained (with quick settings).
    public var trainedDetector: String
    /// Training rows the detector saw (after balancing), or `nil` when balancing failed.
    public var trainRows: Int?
    /// Test metrics, or `nil` when the cell failed.
    public var report: ClassificationReport?
    /// The error that stopped the cell (its balancing's or its own).
    public var error: String?
    /// Seconds spent fitting the detector.
    public var fitSeconds: Double
    /// Seconds spent predicting the test rows.
    public var predictSeconds: Double

    /// Creates a cell.
    public init(balancing: String, detector: String, trainedDetector: String, trainRows: Int?, report: ClassificationReport?,
                error: String?, fitSeconds: Double, predictSeconds: Double) {
        self.balancing = balancing
        self.detector = detector
        self.trainedDetector = trainedDetector
        self.trainRows = trainRows
        self.report = report
        self.error = error
        self.fitSeconds = fitSeconds
        self.predictSeconds = predictSeconds
    }
}
