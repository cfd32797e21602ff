/// A validation's report and the chart data its HTML page draws.
public struct FidelityOutcome: Sendable {
    /// The report (`report.json`).
    public var report: FidelityReport
    /// The chart data.
    public var charts: FidelityCharts
}
