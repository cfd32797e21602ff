import Foundation

extension ExperimentReport {
    /// The colour of a balancing: the same in every chart of a dataset.
    func color(of balancing: String, in d: ExperimentSummary.Dataset) -> String {
        SVGChart.color(d.balancings.firstIndex(of: balancing) ?? 0)
    }

    /// Grouped bars of each class's rows before balancing (grey) and after each balancing, on a
    /// log scale, so that a class of 52 rows is visible beside one of 67,343.
    func countsChart(_ d: ExperimentSummary.Dataset, id: String) -> SVGChart {
        let before = d.countsBefore
        var series = [SVGChart.Series(name: "before", color: "#9a9a9a", values: d.classNames.indices.map {
            $0 < before.count ? before[$0]?.mean : nil
        })]
        for s in d.balancingSummaries {
            let after = s.countsAfter
            series.append(SVGChart.Series(name: s.method + (after == nil ? " (failed)" : ""), color: color(of: s.method, in: d),
                                          values: d.classNames.indices.map { c in after.flatMap { c < $0.count ? $0[c]?.mean : nil } }))
        }
        let top = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 1
        return .groupedBars(id: id, title: "Training rows per class before and after balancing — \(d.label)",
                            description: "Grouped bars: for each class, its training rows before balancing and after each "
                                + "balancing method, on a logarithmic axis.",
                            groups: d.classNames, groupAxisTitle: "class",
                            series: series, axis: .log(max: top, title: "training rows (log scale)"),
                            valueFormat: { String(format: "%.0f", $0) })
    }

    /// Grouped bars of each class's recall (%) per balancing, with ± std whiskers.
    func recallChart(_ d: ExperimentSummary.Dataset, testSet: String, detector: String, id: String) -> SVGChart {
        let series = d.balancings.compactMap { b -> SVGChart.Series? in
            guard let row = d.row(testSet: testSet, balancing: b, detector: detector) else { return nil }
            let stats = d.classNames.indices.map { row.value(.recall(classIndex: $0)) }
            return SVGChart.Series(name: b + (row.failed ? " (failed)" : ""), color: color(of: b, in: d),
                                   values: stats.map { $0.map { $0.mean * 100 } }, errors: stats.map { $0?.std.map { $0 * 100 } })
        }
        return .groupedBars(id: id, title: "Recall per class — \(testSet) · \(detector)" + (d.simulated ? " (simulated)" : ""),
                            description: "Grouped bars: for each class, the recall (detection rate) in percent reached by "
                                + "\(detector) after each balancing method, mean over runs with ± standard deviation.",
                            groups: d.classNames, groupAxisTitle: "class", series: series,
                            axis: .linear(max: 100, title: "recall %"), valueFormat: { String(format: "%.1f", $0) })
    }

    /// Grouped bars of weighted F1 (%) per detector, one bar per balancing.
    func weightedF1Chart(_ d: ExperimentSummary.Dataset, testSet: String, id: String) -> SVGChart {
        // A balancing none of whose cells has finished yet (an unfinished run) gets no series.
        let reached = d.balancings.filter { b in d.detectors.contains { d.row(testSet: testSet, balancing: b, detector: $0) != nil } }
        let series = reached.map { b in
            let stats = d.detectors.map { d.row(testSet: testSet, balancing: b, detector: $0)?.value(.weightedF1) }
            return SVGChart.Series(name: b, color: color(of: b, in: d), values: stats.map { $0.map { $0.mean * 100 } },
                                   errors: stats.map { $0?.std.map { $0 * 100 } })
        }
        return .groupedBars(id: id, title: "Weighted F1 per detector — \(testSet)" + (d.simulated ? " (simulated)" : ""),
                            description: "Grouped bars: for each detector, the weighted F1 in percent after each balancing "
                                + "method, mean over runs with ± standard deviation.",
                            groups: d.detectors, groupAxisTitle: "detector", series: series,
                            axis: .linear(max: 100, title: "weighted F1 %"), valueFormat: { String(format: "%.1f", $0) })
    }

    /// Stacked horizontal bars of balance + fit + predict seconds per (balancing, detector).
    func timeChart(_ d: ExperimentSummary.Dataset, id: String) -> SVGChart {
        let rows = d.testSets.first.map { d.rows(testSet: $0) } ?? []
        return .stackedBars(id: id, title: "Time per balancing × detector — \(d.label)",
                            description: "Stacked horizontal bars: seconds spent balancing the training data, fitting the "
                                + "detector and predicting the test sets, mean over successful runs.",
                            rows: rows.map { "\($0.balancing) × \($0.detector)" },
                            segments: [("balance", "#E69F00"), ("fit", "#0072B2"), ("predict", "#56B4E9")],
                            values: rows.map { row in
                                row.failed ? nil : [row.balanceSeconds?.mean ?? 0, row.fitSeconds?.mean ?? 0,
                                                    row.predictSeconds?.mean ?? 0]
                            },
                            axisTitle: "seconds (mean over runs)", valueFormat: { String(format: $0 < 10 ? "%.2f s" : "%.1f s", $0) })
    }
}
