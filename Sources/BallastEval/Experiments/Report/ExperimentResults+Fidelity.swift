import Foundation

extension ExperimentResults {
    /// The records a dataset summary was made from: its dataset's, limited to its labelled fraction.
    /// - Parameter d: a dataset of ``ExperimentSummary``.
    func records(of d: ExperimentSummary.Dataset) -> DatasetResults? {
        datasets.first { $0.name == d.name }?.only(labelledFraction: d.labelledFraction)
    }

    /// The fidelity of every over-sampling balancing's synthetic rows, one row per (balancing, raised
    /// class), means over the runs that recorded it, beside that class's recall with each detector
    /// on the first test set — so that a generator whose rows look real can be told from one whose
    /// rows help. `nil` when no balancing of the dataset recorded fidelity.
    /// - Parameters:
    ///   - d: the dataset's summary.
    ///   - title: the table's caption.
    func fidelityTable(_ d: ExperimentSummary.Dataset, title: String) -> ReportTable? {
        guard let records = records(of: d)?.balancings,
              records.contains(where: { $0.fidelity != nil }) else { return nil }
        let testSet = d.testSets.first
        var table = ReportTable(title: title, columns: [
            .init("balancing", .left), .init("class", .left), .init("runs"), .init("shapes"), .init("pairs"), .init("median KS"),
            .init("worst KS"), .init("detection AUC"), .init("DCR ratio"), .init("exact copies %"), .init("new rows"),
            .init("passes"),
        ] + d.detectors.map { .init("recall % \($0)") })
        func mean(_ values: [Double?]) -> String {
            let present = values.compactMap { $0 }
            return present.isEmpty ? "–" : FidelityReport.number(present.reduce(0, +) / Double(present.count))
        }
        for balancing in d.balancings {
            let summaries = records.filter { $0.method == balancing }.compactMap(\.fidelity).flatMap { $0 }
            guard !summaries.isEmpty else { continue }
            table.appendSeparator()
            for className in d.classNames where summaries.contains(where: { $0.group == className }) {
                let s = summaries.filter { $0.group == className }
                let c = d.classNames.firstIndex(of: className) ?? 0
                let recalls = d.detectors.map { detector -> ReportTable.Cell in
                    guard let testSet, let value = d.row(testSet: testSet, balancing: balancing, detector: detector)?
                        .value(.recall(classIndex: c)) else { return .init("–") }
                    return .init(String(format: "%.1f", value.mean * 100))
                }
                table.append([.init(balancing), .init(className), .init("\(s.count)"), .init(mean(s.map(\.shapeScore))),
                              .init(mean(s.map(\.pairScore))), .init(mean(s.map(\.medianKS))), .init(mean(s.map(\.worstKS))),
                              .init(mean(s.map(\.detectionAUC))), .init(mean(s.map(\.dcrRatio))),
                              .init(mean(s.map { $0.exactCopyShare.map { $0 * 100 } })), .init(mean(s.map(\.newRowSynthesis))),
                              .init("\(s.filter { $0.verdict == "pass" }.count) of \(s.count)")] + recalls)
            }
        }
        table.notes = [
            "Synthetic rows of each raised class against its real training rows, at most \(ExperimentFidelity.maxRowsPerClass) of each; "
                + "shapes and pairs are SDMetrics' Column Shapes and Column Pair Trends (1 = same); detection AUC of "
                + "\(ExperimentFidelity.detector) telling real from synthetic (0.5: indistinguishable); DCR ratio ≈ 1: as far from "
                + "real rows as unseen real rows, ≪ 1: near-copies; new rows: SDMetrics' NewRowSynthesis.",
            "passes: runs meeting median KS ≤ 0.05, worst KS ≤ 0.15, AUC ≤ 0.7, ≤ 1% exact copies, NewRowSynthesis ≥ 0.9, validity ≥ 0.99."
                + (testSet.map { " Recall: on \($0), mean over runs." } ?? ""),
        ]
        return table
    }
}
