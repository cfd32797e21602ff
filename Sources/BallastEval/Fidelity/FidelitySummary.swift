/// The headline numbers of one group: what the terminal prints per class and what experiments
/// record for each class a resampler raised.
public struct FidelitySummary: Sendable, Equatable, Codable {
    /// The class (or the whole files).
    public var group: String
    /// Real rows of the class.
    public var realRows: Int
    /// Synthetic rows of the class.
    public var syntheticRows: Int
    /// Real rows compared (after caps).
    public var comparedRealRows: Int
    /// Synthetic rows compared.
    public var comparedSyntheticRows: Int
    /// SDMetrics' Column Shapes score.
    public var shapeScore: Double?
    /// SDMetrics' Column Pair Trends score.
    public var pairScore: Double?
    /// SDMetrics' quality score.
    public var quality: Double?
    /// Median KS over numeric columns.
    public var medianKS: Double?
    /// Largest KS.
    public var worstKS: Double?
    /// Its column.
    public var worstKSColumn: String?
    /// Detection ROC-AUC (first detector).
    public var detectionAUC: Double?
    /// Median DCR ratio (synthetic / holdout).
    public var dcrRatio: Double?
    /// Share of exact copies of real rows.
    public var exactCopyShare: Double?
    /// SDMetrics' NewRowSynthesis.
    public var newRowSynthesis: Double?
    /// SDMetrics' Data Validity score.
    public var validity: Double?
    /// `pass` or `fail (…)`, for classes.
    public var verdict: String?
}
