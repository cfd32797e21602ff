import Foundation

/// The tables every rendering of an experiment shares, built once as ``ReportTable`` values.
extension ExperimentSummary {
    /// Accuracy and weighted precision/recall/F1 per balancing: the DCBN-VAE paper's Table 2 shape,
    /// for one test set and detector. With `metrics` other overall metrics can be shown the same way.
    func overallTable(_ d: Dataset, testSet: String, detector: String,
                      metrics: [SummaryMetric] = [.accuracy, .weightedPrecision, .weightedRecall, .weightedF1],
                      title: String) -> ReportTable {
        let rows = d.balancings.compactMap { d.row(testSet: testSet, balancing: $0, detector: detector) }
        let showRuns = showsRuns(rows)
        var table = ReportTable(title: title, columns: [.init("balancing", .left)]
            + metrics.map { .init($0.title(classNames: d.classNames)) } + Self.runsColumn(showRuns))
        let cells = metricCells(metrics, rows: rows, showStd: true)
        for (row, metricCells) in zip(rows, cells) {
            table.append([.init(row.balancing)] + metricCells + runsCells(row, in: d, shown: showRuns))
        }
        table.notes = errorNotes(rows.flatMap(\.errors))
        return table
    }

    /// Per-class precision, recall and F1 per balancing (the AE-Flow paper's Tables 4–6 shape), for
    /// one test set and detector: a group of rows per class, best marked within each class.
    func perClassTable(_ d: Dataset, testSet: String, detector: String, title: String) -> ReportTable {
        let rows = d.balancings.compactMap { d.row(testSet: testSet, balancing: $0, detector: detector) }
        let showRuns = showsRuns(rows)
        var table = ReportTable(title: title, columns: [.init("class", .left), .init("balancing", .left),
                                                        .init("precision %"), .init("recall %"), .init("F1 %")]
                                + Self.runsColumn(showRuns))
        let support = d.testCounts[testSet] ?? []
        for (c, name) in d.classNames.enumerated() {
            table.appendSeparator()
            let metrics: [SummaryMetric] = [.precision(classIndex: c), .recall(classIndex: c), .f1(classIndex: c)]
            let cells = metricCells(metrics, rows: rows, showStd: true)
            let label = c < support.count ? "\(name) (\(support[c]) rows)" : name
            for (i, (row, metricCells)) in zip(rows, cells).enumerated() {
                table.append([.init(i == 0 ? label : ""), .init(row.balancing)] + metricCells
                             + runsCells(row, in: d, shown: showRuns))
            }
        }
        table.notes = errorNotes(rows.flatMap(\.errors))
        if support.contains(0) {
            table.notes.append("n/a: the test set has no rows of that class")
        }
        return table
    }

    /// Training rows per class before and after each balancing (the AE-Flow paper's Table 3 shape),
    /// as means over runs (± std when they differ).
    func countsTable(_ d: Dataset, title: String) -> ReportTable {
        let summaries = d.balancingSummaries
        let before = d.countsBefore
        var table = ReportTable(title: title, columns: [.init("class", .left), .init("before")]
                                + summaries.map { .init($0.method) })
        for (c, name) in d.classNames.enumerated() {
            var cells: [ReportTable.Cell] = [.init(name), .init(c < before.count ? Self.countText(before[c]) : "–")]
            for s in summaries {
                if let after = s.countsAfter {
                    cells.append(.init(c < after.count ? Self.countText(after[c]) : "–"))
                } else if s.runs == 0 {
                    cells.append(.init("not run"))
                } else {
                    cells.append(failedCell(s.errors))
                }
            }
            table.append(cells)
        }
        table.appendSeparator()
        func total(_ counts: [MeanStd?]) -> String {
            let sum = counts.reduce(0.0) { $0 + ($1?.mean ?? 0) }
            return String(format: "%.0f", sum)
        }
        table.append([.init("total"), .init(total(before))]
                     + summaries.map { $0.countsAfter.map { .init(total($0)) } ?? .init("–") })
        table.notes = errorNotes(summaries.flatMap(\.errors))
        if summaries.contains(where: { $0.succeeded < $0.runs && $0.succeeded > 0 }) {
            table.notes.append("some balancings failed for some runs: their counts are means over the runs that succeeded")
        }
        return table
    }

    /// NSL-KDD attacks seen in training vs only in the test set: share caught (predicted as their
    /// own category) and detected (predicted as any attack), per balancing and detector.
    func attackTable(_ d: Dataset, testSet: String, title: String) -> ReportTable {
        let rows = d.rows(testSet: testSet)
        let metrics = SummaryMetric.attackGroups
        let showRuns = showsRuns(rows)
        var table = ReportTable(title: title, columns: [.init("balancing", .left), .init("detector", .left)]
                                + metrics.map { .init($0.title(classNames: d.classNames)) } + Self.runsColumn(showRuns))
        let cells = metricCells(metrics, rows: rows, showStd: true)
        for (i, (row, metricCells)) in zip(rows, cells).enumerated() {
            if i > 0, rows[i - 1].balancing != row.balancing, d.detectors.count > 1 { table.appendSeparator() }
            table.append([.init(row.balancing), .init(row.detector)] + metricCells + runsCells(row, in: d, shown: showRuns))
        }
        table.notes = errorNotes(rows.flatMap(\.errors))
        table.notes.append("caught: predicted as its own category; detected: predicted as any attack (not normal); "
                           + "n/a: no such attacks in this test set")
        return table
    }

    /// Seconds per balancing and detector (mean ± std over successful runs), training rows and
    /// peak memory.
    func timeTable(_ d: Dataset, title: String) -> ReportTable {
        let rows = d.testSets.first.map { d.rows(testSet: $0) } ?? []
        let showRuns = showsRuns(rows)
        var table = ReportTable(title: title, columns: [
            .init("balancing", .left), .init("detector", .left), .init("balance s"), .init("fit s"), .init("predict s"),
            .init("train rows"), .init("peak memory MB"),
        ] + Self.runsColumn(showRuns))
        for (i, row) in rows.enumerated() {
            if i > 0, rows[i - 1].balancing != row.balancing, d.detectors.count > 1 { table.appendSeparator() }
            let memory = d.balancingSummaries.first { $0.method == row.balancing }?.peakMemoryBytes ?? 0
            let runs = runsCells(row, in: d, shown: showRuns)
            if row.failed {
                table.append([.init(row.balancing), .init(row.detector), Self.secondsCell(row.balanceSeconds),
                              failedCell(row.errors), .init("–"), .init("–"), .init("–")] + runs)
            } else {
                table.append([.init(row.balancing), .init(row.detector), Self.secondsCell(row.balanceSeconds),
                              Self.secondsCell(row.fitSeconds), Self.secondsCell(row.predictSeconds),
                              .init(row.trainRows.map { String(format: "%.0f", $0.mean) } ?? "–"),
                              .init(memory > 0 ? String(format: "%.0f", Double(memory) / 1_048_576) : "–")] + runs)
            }
        }
        table.notes = errorNotes(rows.flatMap(\.errors))
        table.notes.append("balance s is shared by every detector of a balancing (balanced data is reused); "
                           + "peak memory is the process high-water mark after the balancing")
        return table
    }

    /// The terminal table of one test set: accuracy, macro-F1, weighted-F1 and each class's recall
    /// per (balancing, detector).
    func plainTable(_ d: Dataset, testSet: String, showStd: Bool) -> ReportTable {
        let rows = d.rows(testSet: testSet)
        let metrics: [SummaryMetric] = [.accuracy, .macroF1, .weightedF1] + d.classNames.indices.map { .recall(classIndex: $0) }
        let showRuns = showsRuns(rows)
        let titles = ["accuracy", "macro-F1", "weighted-F1"] + d.classNames
        var table = ReportTable(title: testSet, columns: [.init("balancing", .left), .init("detector", .left)]
                                + titles.map { .init($0) } + Self.runsColumn(showRuns))
        let cells = metricCells(metrics, rows: rows, showStd: showStd, compact: true)
        for (i, (row, metricCells)) in zip(rows, cells).enumerated() {
            if i > 0, rows[i - 1].balancing != row.balancing, d.detectors.count > 1 { table.appendSeparator() }
            table.append([.init(row.balancing), .init(row.detector)] + metricCells + runsCells(row, in: d, shown: showRuns))
        }
        return table
    }

    /// The metric cells of `rows`, best marked per metric among `rows`; a failed row shows
    /// `failed [n]` in the first column and `–` in the others.
    func metricCells(_ metrics: [SummaryMetric], rows: [Row], showStd: Bool, compact: Bool = false) -> [[ReportTable.Cell]] {
        let best = metrics.map { ExperimentSummary.best($0, among: rows) }
        return rows.enumerated().map { i, row in
            if row.failed {
                return [failedCell(row.errors)] + Array(repeating: ReportTable.Cell("–"), count: max(0, metrics.count - 1))
            }
            return metrics.enumerated().map { j, metric in
                guard let stat = row.value(metric) else { return ReportTable.Cell("n/a") }
                return ReportTable.Cell(metric.format(stat, showStd: showStd, compact: compact), best: best[j].contains(i))
            }
        }
    }

    /// `failed [1, 2]`, with the full errors as a hint.
    func failedCell(_ errors: [String]) -> ReportTable.Cell {
        let numbers = errors.compactMap(errorNumber).map(String.init)
        let text = numbers.isEmpty ? "failed" : "failed [\(numbers.joined(separator: ", "))]"
        return ReportTable.Cell(text, failed: true, hint: errors.joined(separator: "\n"))
    }

    /// Whether a table of `rows` has a runs column: when some run failed, and in the report of an
    /// unfinished run (whose rows may hold fewer seeds than planned).
    func showsRuns(_ rows: [Row]) -> Bool {
        unfinished != nil || rows.contains { $0.succeeded < $0.runs }
    }

    /// The runs column, in a table that has one (``showsRuns(_:)``), else nothing.
    static func runsColumn(_ shown: Bool) -> [TextTable.Column] { shown ? [.init("runs")] : [] }

    /// `row`'s ``runsCell(_:in:)``, in a table that has the runs column, else nothing.
    func runsCells(_ row: Row, in d: Dataset, shown: Bool) -> [ReportTable.Cell] { shown ? [runsCell(row, in: d)] : [] }

    /// `2/3` runs succeeded, marked as a failure when some runs failed; in an unfinished run's
    /// report, `1/1 of 3` while runs of the row are still to come.
    func runsCell(_ row: Row, in d: Dataset) -> ReportTable.Cell {
        let planned = d.plannedRuns[.init(balancing: row.balancing, detector: row.detector)]
        let text = "\(row.succeeded)/\(row.runs)" + (planned.map { $0 > row.runs ? " of \($0)" : "" } ?? "")
        return ReportTable.Cell(text, failed: row.succeeded < row.runs, hint: row.errors.isEmpty ? nil : row.errors.joined(separator: "\n"))
    }

    /// `[n] short error` for each distinct error among `errors`.
    func errorNotes(_ errors: [String]) -> [String] {
        ExperimentSummary.distinct(errors).compactMap { error in errorNumber(error).map { ($0, error) } }
            .sorted { $0.0 < $1.0 }
            .map { "[\($0.0)] \(ExperimentSummary.shortened($0.1, limit: 100))" }
    }

    static func countText(_ stat: MeanStd?) -> String {
        guard let stat else { return "–" }
        guard let std = stat.std, std > 0 else { return String(format: "%.0f", stat.mean) }
        return String(format: "%.1f ± %.1f", stat.mean, std)
    }

    static func secondsText(_ stat: MeanStd?) -> String {
        guard let stat else { return "–" }
        let mean = String(format: stat.mean < 10 ? "%.3f" : "%.1f", stat.mean)
        guard let std = stat.std else { return mean }
        return mean + " ± " + String(format: std < 10 ? "%.3f" : "%.1f", std)
    }

    static func secondsCell(_ stat: MeanStd?) -> ReportTable.Cell { .init(secondsText(stat)) }

    /// "mean ± std over 3 seeds" (or folds), or "1 seed: no std".
    func runsPhrase(_ d: Dataset) -> String {
        guard let over = meansOver(d) else { return "one seed (\(seeds[0])): no standard deviation" }
        return "mean ± sample std over " + over + (unfinished != nil ? " (see the runs column)" : "")
    }

    /// What the means run over (`3 seeds`, `15 runs (seeds × folds)`, `the seeds finished so far`),
    /// or `nil` for one seed without folds (no standard deviation).
    func meansOver(_ d: Dataset) -> String? {
        let folds = d.testSets == [ExperimentSummary.pooledFoldsTestSet]
        if !folds && seeds.count == 1 { return nil }
        if unfinished != nil { return "the \(folds ? "runs" : "seeds") finished so far" }
        return folds ? "\(d.rows.map(\.runs).max() ?? seeds.count) runs (seeds × folds)" : "\(seeds.count) seeds"
    }
}
