import Foundation

extension ExperimentReport {
    /// The sections of one dataset: its tables in the papers' shapes and its charts.
    func datasetSections(_ d: ExperimentSummary.Dataset, index: Int, summary: ExperimentSummary) -> [Section] {
        let p = "d\(index)"
        var sections: [Section] = []

        var intro = "<ul class=\"meta\">\n" + results.datasetLines(d).map { "<li>\(Self.plain($0).htmlEscaped)</li>" }
            .joined(separator: "\n") + "\n</ul>\n"
        let failedBalancings = d.balancingSummaries.filter { $0.succeeded < $0.runs }
        if !failedBalancings.isEmpty {
            intro += "<p class=\"warn\">" + failedBalancings.map {
                "\($0.method): \($0.succeeded) of \($0.runs) runs succeeded".htmlEscaped
            }.joined(separator: "; ") + " (means are over the runs that succeeded).</p>\n"
        }
        if !d.hasCells {  // an unfinished run that has not reached this dataset
            intro += "<p class=\"warn\">\(ExperimentSummary.noCellsYet.htmlEscaped)</p>\n"
            return [Section(id: p, title: "Dataset \(d.label)", level: 2, html: intro)]
        }
        sections.append(Section(id: p, title: "Dataset \(d.label)", level: 2, html: intro))

        if let table = summary.referenceTable(d, references: results.spec.references, title: "measured vs published") {
            sections.append(Section(id: "\(p)-reference", title: "Comparison with published values", level: 3, html: table.html()))
        }

        var overall = "<p>\(summary.runsPhrase(d).htmlEscaped). One table per test set and detector; rows are balancings.</p>\n"
        overall += "<div class=\"grid\">\n"
        for t in d.testSets {
            for detector in d.detectors {
                overall += "<div>" + summary.overallTable(d, testSet: t, detector: detector, title: "\(t) · \(detector)").html() + "</div>\n"
            }
        }
        overall += "</div>\n"
        sections.append(Section(id: "\(p)-overall", title: "Accuracy and weighted P / R / F1 (DCBN-VAE Table 2 shape)",
                                level: 3, html: overall))

        var f1 = "<div class=\"grid\">\n"
        for (t, testSet) in d.testSets.enumerated() {
            f1 += figure(weightedF1Chart(d, testSet: testSet, id: "\(p)-f1-\(t)"))
        }
        sections.append(Section(id: "\(p)-f1", title: "Weighted F1 per detector", level: 3, html: f1 + "</div>\n"))

        var perClass = "<div class=\"grid\">\n"
        for t in d.testSets {
            for detector in d.detectors {
                perClass += "<div>" + summary.perClassTable(d, testSet: t, detector: detector, title: "\(t) · \(detector)").html()
                    + "</div>\n"
            }
        }
        sections.append(Section(id: "\(p)-perclass", title: "Per-class precision / recall / F1 (AE-Flow Tables 4–6 shape)",
                                level: 3, html: perClass + "</div>\n"))

        var recall = ""
        for (t, testSet) in d.testSets.enumerated() {
            for (j, detector) in d.detectors.enumerated() {
                recall += figure(recallChart(d, testSet: testSet, detector: detector, id: "\(p)-recall-\(t)-\(j)"))
            }
        }
        sections.append(Section(id: "\(p)-recall", title: "Per-class recall per balancing", level: 3, html: recall))
        if let fidelity = results.fidelityTable(d, title: "synthetic rows per raised class, mean over runs") {
            sections.append(Section(id: "\(p)-fidelity", title: "Fidelity of synthetic rows, beside recall", level: 3, html: fidelity.html()))
        }

        let counts = summary.countsTable(d, title: "training rows per class, mean over runs").html()
            + figure(countsChart(d, id: "\(p)-counts-chart"))
        sections.append(Section(id: "\(p)-counts", title: "Class counts before and after balancing (AE-Flow Table 3 shape)",
                                level: 3, html: counts))
        if let records = results.records(of: d), let generators = generatorSection(records, prefix: p) {
            sections.append(generators)
        }

        if d.hasAttackGroups {
            var attacks = "<p>NSL-KDD test files contain attack names that never occur in KDDTrain+; these novel attacks "
                + "are what makes KDDTest+ hard.</p>\n"
            for t in d.testSets { attacks += summary.attackTable(d, testSet: t, title: t).html() }
            sections.append(Section(id: "\(p)-attacks", title: "Attacks seen in training vs novel (NSL-KDD)", level: 3, html: attacks))
        }

        var other = "<div class=\"grid\">\n"
        for t in d.testSets {
            for detector in d.detectors {
                other += "<div>" + summary.overallTable(d, testSet: t, detector: detector,
                                                        metrics: [.macroPrecision, .macroRecall, .macroF1, .balancedAccuracy, .mcc, .gMean],
                                                        title: "\(t) · \(detector)").html() + "</div>\n"
            }
        }
        sections.append(Section(id: "\(p)-other", title: "Macro averages, balanced accuracy, MCC, G-mean", level: 3,
                                html: other + "</div>\n"))

        sections.append(Section(id: "\(p)-confusion", title: "Confusion matrices", level: 3,
                                html: confusionSection(d, prefix: p)))

        let time = summary.timeTable(d, title: "seconds, mean ± std over successful runs").html()
            + figure(timeChart(d, id: "\(p)-time-chart"))
        sections.append(Section(id: "\(p)-time", title: "Time per method", level: 3, html: time))
        return sections
    }

    private func figure(_ chart: SVGChart) -> String {
        "<figure>\n" + chart.svg + "</figure>\n"
    }

    private func confusionSection(_ d: ExperimentSummary.Dataset, prefix p: String) -> String {
        guard let testSet = d.testSets.first else { return "<p>No test set.</p>\n" }
        let rows = d.rows(testSet: testSet)
        let drawn = rows.filter { $0.firstConfusion != nil }.prefix(max(0, maxHeatmaps))
        var html = "<p>Test set \(testSet.htmlEscaped), first successful run of each balancing × detector"
        if let seed = drawn.first?.firstSeed { html += " (seed \(seed)" + (drawn.first?.firstFold.map { ", fold \($0)" } ?? "") + ")" }
        html += ". Rows are true classes, columns predicted classes; colour is the share of the true class's rows, "
            + "the number is the count."
        if d.classNames.count > SVGChart.heatmapClassLimit {
            html += " With \(d.classNames.count) classes, each matrix shows the \(SVGChart.heatmapClassLimit - 1) classes with the "
                + "most test rows; the others are gathered into one \"other\" row and column."
        }
        html += "</p>\n<div class=\"heatmaps\">\n"
        for (i, row) in drawn.enumerated() {
            guard let confusion = row.firstConfusion else { continue }
            html += "<figure>\n" + SVGChart.heatmap(id: "\(p)-cm-\(i)", title: "\(row.balancing) × \(row.detector)",
                                                   confusion: confusion).svg + "</figure>\n"
        }
        html += "</div>\n"
        let failed = rows.filter(\.failed)
        if !failed.isEmpty {
            html += "<p class=\"note\">No matrix (every run failed): " + failed.map { "\($0.balancing) × \($0.detector)" }
                .joined(separator: ", ").htmlEscaped + ".</p>\n"
        }
        let skipped = rows.filter { $0.firstConfusion != nil }.count - drawn.count
        if skipped > 0 {
            html += "<p class=\"note\">\(skipped) more matrices not drawn (limit \(maxHeatmaps)); every count is in results.json.</p>\n"
        }
        return html
    }
}
