import Foundation

extension ExperimentResults {
    /// The widest line ``renderPlainSummary()`` aims for.
    public static let plainSummaryWidth = 120

    /// The summary a terminal shows after a run: per dataset and test set, one aligned table of
    /// accuracy, macro-F1, weighted-F1 and each class's recall (%, `mean±std` over runs) per
    /// (balancing, detector), best of each column marked `*`; failed cells as `failed [n]` with the
    /// shortened errors listed below; then the time split. When the table with standard deviations
    /// would be wider than ``plainSummaryWidth`` columns, means alone are shown (summary.md has both).
    public func renderPlainSummary() -> String {
        let summary = ExperimentSummary(results: self)
        var out = "experiment \(summary.name)" + (summary.simulated ? " (simulated data)" : "") + "\n"
        if let notice = unfinishedNotice { out += "unfinished run: " + notice + "\n" }
        out += seedLines().joined(separator: "\n") + "\n"
        for d in summary.datasets {
            out += "\ndataset \(d.label): \(d.description)\n"
            out += dataWarnings(d).map { "warning: " + $0 + "\n" }.joined()
            if !d.hasCells {  // an unfinished run that has not reached this dataset
                out += ExperimentSummary.noCellsYet + "\n"
                continue
            }
            for t in d.testSets {
                var table = summary.plainTable(d, testSet: t, showStd: true).textTable(markdown: false).renderPlain()
                var note = summary.runsPhrase(d)
                let width = table.split(separator: "\n").map(\.count).max() ?? 0
                if width > Self.plainSummaryWidth {
                    table = summary.plainTable(d, testSet: t, showStd: false).textTable(markdown: false).renderPlain()
                    note = "means over runs (std in summary.md)"
                }
                out += "\ntest set \(t): \(note); values in %; class columns: recall; *: best in column\n"
                out += table
            }
            out += unknownLabelLines(d).map { "note: " + $0 + "\n" }.joined()
            if let table = summary.referenceTable(d, references: spec.references, title: "measured vs published") {
                out += "\ncomparison with published values (%):\n" + table.textTable(markdown: false).renderPlain()
                out += table.notes.map { $0 + "\n" }.joined()
            }
            let notes = summary.errorNotes(d.rows.flatMap(\.errors) + d.balancingSummaries.flatMap(\.errors))
            if !notes.isEmpty {
                out += "failed:\n" + notes.map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        let overhead = max(0, totalSeconds - workSeconds)
        out += String(format: "\ntime: total %.1f s; balancing, fitting and predicting %.1f s; runner overhead %.1f s",
                      totalSeconds, workSeconds, overhead)
        if totalSeconds > 0 { out += String(format: " (%.1f%%)", 100 * overhead / totalSeconds) }
        return out + "\n"
    }
}
