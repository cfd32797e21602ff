/// Everything measured for one compared group: one class's real rows against its synthetic rows,
/// or every real row against every synthetic row (the whole files, as SDMetrics sees them).
public struct GroupFidelity: Sendable, Equatable, Codable {
    /// `R2L`, or ``FidelityReport/allRowsGroup``.
    public var name: String
    /// The class, or `nil` for the whole files.
    public var className: String?
    /// Real rows of the group.
    public var realRows: Int
    /// Synthetic rows of the group.
    public var syntheticRows: Int
    /// Real rows compared (after the optional cap per group).
    public var comparedRealRows: Int
    /// Synthetic rows compared.
    public var comparedSyntheticRows: Int
    /// The HIKARI-style statistics table, one entry per numeric column.
    public var statistics: [ColumnStatistics]
    /// Column shapes (KS, Wasserstein, TV; SDMetrics' Column Shapes).
    public var shapes: ColumnShapes
    /// Column pair trends (correlations, contingency; SDMetrics' Column Pair Trends).
    public var pairs: PairTrends
    /// Validity (SDMetrics' diagnostic report, integer/flag/one-hot checks).
    public var validity: ValidityCheck
    /// Real-vs-synthetic detection, when run.
    public var detection: DetectionTest?
    /// DCR, exact copies and NewRowSynthesis, when run.
    public var privacy: PrivacyCheck?
    /// The verdict against the targets (classes only).
    public var verdict: FidelityVerdict?

    /// SDMetrics' quality score: the mean of the Column Shapes and Column Pair Trends scores
    /// (`numpy.nanmean`: a property without a score is left out).
    public var quality: Double? {
        ColumnShapes.mean([shapes.score, pairs.score].compactMap { $0 })
    }

    /// One line of numbers for summaries and experiment results.
    public var summary: FidelitySummary {
        FidelitySummary(group: name, realRows: realRows, syntheticRows: syntheticRows, comparedRealRows: comparedRealRows,
                        comparedSyntheticRows: comparedSyntheticRows, shapeScore: shapes.score, pairScore: pairs.score,
                        quality: quality, medianKS: shapes.medianKS, worstKS: shapes.worstKS, worstKSColumn: shapes.worstKSColumn,
                        detectionAUC: detection?.auc, dcrRatio: privacy?.dcrRatio, exactCopyShare: privacy?.exactCopyShare,
                        newRowSynthesis: privacy?.newRowSynthesis, validity: validity.score, verdict: verdict?.summary)
    }
}
