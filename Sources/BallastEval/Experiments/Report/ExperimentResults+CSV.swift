import Foundation
import BallastData

extension ExperimentResults {
    /// The fixed columns of ``csv()``, before the per-class ones.
    public static let csvFixedColumns = [
        "dataset", "test_set", "balancing", "detector", "seed", "fold", "labelled_fraction", "status", "error", "train_rows",
        "accuracy", "balanced_accuracy", "macro_precision", "macro_recall", "macro_f1",
        "weighted_precision", "weighted_recall", "weighted_f1", "mcc", "g_mean",
        "seen_attack_recall", "novel_attack_recall", "balance_seconds", "fit_seconds", "predict_seconds",
    ]

    /// `results.csv`: one row per (cell, test set) with every number of the cell, for spreadsheets
    /// and pandas.
    ///
    /// Columns are ``csvFixedColumns`` then, for each class name (the union over datasets, in
    /// first-seen order), `precision_<class>`, `recall_<class>`, `f1_<class>`, `support_<class>`.
    /// Metrics are fractions in [0, 1] (MCC in [−1, 1]), times in seconds. `status` is `ok` or
    /// `failed`; a failed cell has one row per test set of its fold with its `error` and empty
    /// metrics. Empty fields mean "undefined": a class with no rows in the test set has empty
    /// precision/recall/F1 and support 0; attack recalls exist for NSL-KDD only; `labelled_fraction`
    /// is empty when every training label was used. Fields are quoted
    /// as ``CSVWriter`` does (RFC 4180: only when they contain a comma, quote or line break).
    public func csv() -> String {
        var classes: [String] = []
        for name in datasets.flatMap(\.classNames) where !classes.contains(name) { classes.append(name) }
        let header = Self.csvFixedColumns + classes.flatMap { ["precision_\($0)", "recall_\($0)", "f1_\($0)", "support_\($0)"] }
        var out = header.map { CSVWriter.quoted($0) }.joined(separator: ",") + "\n"
        for dataset in datasets {
            for cell in dataset.cells {
                let balance = dataset.balancings.first {
                    $0.method == cell.balancing && $0.seed == cell.seed && $0.fold == cell.fold && $0.labelledFraction == cell.labelledFraction
                }
                let lead = { (testSet: String, status: String) -> [String] in
                    [dataset.name, testSet, cell.balancing, cell.detector, String(cell.seed), cell.fold.map(String.init) ?? "",
                     cell.labelledFraction.map { String($0) } ?? "",
                     status, cell.error ?? "", cell.trainRows.map(String.init) ?? ""]
                }
                let times = [balance.flatMap { $0.error == nil ? Self.csvNumber($0.seconds) : nil } ?? "",
                             Self.csvNumber(cell.fitSeconds), Self.csvNumber(cell.predictSeconds)]
                if cell.error != nil || cell.evaluations.isEmpty {
                    let empty = Array(repeating: "", count: SummaryMetric.overall.count + 2)
                    for testSet in Self.testSetNames(of: cell, in: dataset) {
                        let fields = lead(testSet, "failed") + empty + times + Array(repeating: "", count: classes.count * 4)
                        out += fields.map { CSVWriter.quoted($0) }.joined(separator: ",") + "\n"
                    }
                    continue
                }
                for evaluation in cell.evaluations {
                    let r = evaluation.report
                    var fields = lead(evaluation.testSet, "ok")
                    fields += [r.accuracy, r.balancedAccuracy, r.macro.precision, r.macro.recall, r.macro.f1,
                               r.weighted.precision, r.weighted.recall, r.weighted.f1, r.mcc, r.gMean].map(Self.csvNumber)
                    fields += [SummaryMetric.seenAttackRecall, .novelAttackRecall].map { metric in
                        metric.value(in: evaluation).map(Self.csvNumber) ?? ""
                    }
                    fields += times
                    for name in classes {
                        guard let c = r.perClass.firstIndex(where: { $0.name == name }) else {
                            fields += ["", "", "", ""]
                            continue
                        }
                        let m = r.perClass[c]
                        fields += m.support > 0 ? [m.precision, m.recall, m.f1].map(Self.csvNumber) : ["", "", ""]
                        fields.append(String(m.support))
                    }
                    out += fields.map { CSVWriter.quoted($0) }.joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }

    /// The test sets a failed cell would have been evaluated on: every test set for a fixed split;
    /// for a fold, the names its successful neighbours of the same fold used (else `fold N`).
    private static func testSetNames(of cell: CellRecord, in dataset: DatasetResults) -> [String] {
        guard let fold = cell.fold else {
            return dataset.testSets.isEmpty ? [""] : dataset.testSets.map(\.name)
        }
        if let sibling = dataset.cells.first(where: { $0.fold == fold && !$0.evaluations.isEmpty }) {
            return sibling.evaluations.map(\.testSet)
        }
        return ["fold \(fold)"]
    }

    private static func csvNumber(_ value: Double) -> String { value.isFinite ? CSVWriter.number(value) : "" }
}
