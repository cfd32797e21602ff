import Foundation

extension ExperimentSummary {
    /// The spec's published values beside the measured means: one row per (reference, metric) with
    /// the difference in points and whether it is within the reference's tolerance. `nil` when the
    /// spec gives no reference for this dataset's test sets.
    func referenceTable(_ d: Dataset, references: [ReferenceRow], title: String) -> ReportTable? {
        let relevant = references.filter { d.testSets.contains($0.testSet) }
        guard !relevant.isEmpty else { return nil }
        var table = ReportTable(title: title, columns: [
            .init("source", .left), .init("test set", .left), .init("balancing", .left), .init("detector", .left),
            .init("metric", .left), .init("published %"), .init("measured %"), .init("Δ points"), .init("within", .left),
        ])
        var within = 0, compared = 0
        for reference in relevant {
            let row = d.row(testSet: reference.testSet, balancing: reference.balancing, detector: reference.detector)
            let recalls = reference.values.keys.filter { $0.hasPrefix("recall-") }.sorted()
            for name in ReferenceRow.metrics + recalls {
                guard let published = reference.values[name], let metric = Self.referenceMetric(name, classNames: d.classNames) else { continue }
                var cells: [ReportTable.Cell] = [.init(reference.source), .init(reference.testSet), .init(reference.balancing),
                                                 .init(reference.detector), .init(name), .init(String(format: "%.2f", published))]
                guard let stat = row?.metrics[metric] else {
                    // In an unfinished run a missing cell is still to come, not a failure.
                    cells += [row == nil && unfinished != nil ? .init("not yet") : .init("not run", failed: true), .init("—"), .init("—")]
                    table.append(cells)
                    continue
                }
                let delta = stat.mean * 100 - published
                cells += [.init(metric.format(stat)), .init(String(format: "%+.2f", delta))]
                if let tolerance = reference.tolerance {
                    let ok = abs(delta) <= tolerance
                    compared += 1
                    within += ok ? 1 : 0
                    cells.append(.init(ok ? "yes (±\(Self.points(tolerance)))" : "no (±\(Self.points(tolerance)))", failed: !ok))
                } else {
                    cells.append(.init("—"))
                }
                table.append(cells)
            }
        }
        if compared > 0 {
            table.notes = ["\(within) of \(compared) published values reproduced within their tolerance "
                           + "(measured: mean ± sample std over \(meansOver(d) ?? runsPhrase(d)))"
                           + (unfinished != nil ? "; the run is unfinished, so the rest are still to come." : ".")]
        }
        return table
    }

    /// The summary metric a reference key names (`recall-R2L`: the recall of class R2L).
    static func referenceMetric(_ name: String, classNames: [String]) -> SummaryMetric? {
        if name.hasPrefix("recall-") {
            let className = String(name.dropFirst(7))
            return classNames.firstIndex { $0.lowercased() == className.lowercased() }.map { .recall(classIndex: $0) }
        }
        switch name {
        case "accuracy": return .accuracy
        case "weighted-precision": return .weightedPrecision
        case "weighted-recall": return .weightedRecall
        case "weighted-f1": return .weightedF1
        case "macro-f1": return .macroF1
        default: return nil
        }
    }

    static func points(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
}
