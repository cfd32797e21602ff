import Foundation

extension FidelityHTML {
    /// The HIKARI paper's table: per numeric column, real / synthetic / difference rows.
    func statisticsHTML(_ g: GroupFidelity) -> String {
        let fields = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
        var table = ReportTable(title: "real, synthetic and difference in % of the real value, per numeric column",
                                columns: [.init("column", .left), .init("", .left)] + fields.map { .init($0) })
        for s in g.statistics {
            table.appendSeparator()
            table.append([.init(s.column), .init("real"), .init("\(s.real.count)")] + s.real.fields.map { .init(Self.number($0.value)) })
            table.append([.init(""), .init("synthetic"), .init("\(s.synthetic.count)")]
                         + s.synthetic.fields.map { .init(Self.number($0.value)) })
            table.append([.init(""), .init("Δ %"), .init("")] + s.percentDifference.map { .init($0.map { String(format: "%+.1f", $0) } ?? "–") })
        }
        return "<details>\n<summary>Statistics table (\(g.statistics.count) numeric columns)</summary>\n" + table.html() + "</details>\n"
    }

    func validityHTML(_ g: GroupFidelity) -> String {
        let v = g.validity
        var html = "<p>Data validity (SDMetrics, mean of boundary and category adherence) \(Self.number(v.score)); data structure "
            + "\(Self.number(v.structure)); diagnostic score \(Self.number(v.diagnosticScore)). Lowest integer share "
            + "\(Self.number(v.integerValidity)), lowest 0/1 share \(Self.number(v.flagValidity)). "
        html += v.oneHotGroups.isEmpty ? "The raw columns contain no one-hot groups.</p>\n"
            : "One-hot groups: " + v.oneHotGroups.map { "\($0.columns.joined(separator: "+")): \(Self.number($0.validShare))" }
                .joined(separator: "; ").htmlEscaped + ".</p>\n"
        let flawed = v.columns.filter { ($0.score ?? 1) < 1 || ($0.integerShare ?? 1) < 1 || ($0.flagShare ?? 1) < 1 }
        guard !flawed.isEmpty else { return html + "<p>Every synthetic value is valid in every column.</p>\n" }
        var table = ReportTable(title: "columns with invalid synthetic values", columns: [
            .init("column", .left), .init("metric", .left), .init("adherence"), .init("integer share"), .init("0/1 share"),
        ])
        for c in flawed {
            table.append([.init(c.column), .init(c.metric), .init(Self.number(c.score)), .init(Self.number(c.integerShare)),
                          .init(Self.number(c.flagShare))])
        }
        return html + table.html()
    }

    func detectionHTML(_ d: DetectionTest) -> String {
        var table = ReportTable(title: "\(d.realRows) real and \(d.syntheticRows) synthetic rows, \(DetectionTest.folds)-fold cross-validation",
                                columns: [.init("detector", .left), .init("ROC-AUC per fold", .left), .init("mean AUC"),
                                          .init("SDMetrics detection score")])
        for m in d.models {
            table.append([.init(m.model), .init(m.foldAUC.map { String(format: "%.3f", $0) }.joined(separator: ", ")),
                          .init(Self.number(m.auc)), .init(Self.number(m.score))])
        }
        table.notes = ["AUC from predicted probabilities of the held-out fold (0.5: cannot tell; 1: always tells). "
            + "SDMetrics' score is 1 − mean(2 · max(AUC, 0.5) − 1): 1 means indistinguishable."]
        return table.html()
    }

    func privacyHTML(_ p: PrivacyCheck, isClass: Bool) -> String {
        var table = ReportTable(title: "distance to the closest real record (preprocessed space) and copies", columns: [
            .init("measure", .left), .init("synthetic rows"), .init("real holdout rows"),
        ])
        if isClass {
            table.append([.init("rows measured"), .init("\(p.syntheticRowsMeasured)"), .init("\(p.holdoutRows)")])
            table.append([.init("median DCR to the \(p.referenceRows) reference rows"), .init(Self.number(p.syntheticMedianDCR)),
                          .init(Self.number(p.holdoutMedianDCR))])
            table.append([.init("5th percentile DCR"), .init(Self.number(p.syntheticP5DCR)), .init(Self.number(p.holdoutP5DCR))])
            table.append([.init("DCR ratio (median synthetic / median holdout)"), .init(Self.number(p.dcrRatio)), .init("")])
        }
        table.append([.init("exact copies of a real row"), .init("\(p.exactCopies) (\(Self.number(p.exactCopyShare * 100))%)"), .init("")])
        table.append([.init("NewRowSynthesis (no real row within 1%)"), .init(Self.number(p.newRowSynthesis)),
                      .init("\(p.matchedRows) matched")])
        return table.html()
    }

    func methodsSection() -> String {
        let s = report.settings
        let items: [(String, String)] = [
            ("groups", "each validated class's real rows against its synthetic rows; then every real row against every synthetic "
                + "row (the whole files)"),
            ("column shapes", "numeric: two-sample KS statistic (SDMetrics' KSComplement = 1 − KS, values rounded to 14 decimals, "
                + "missing dropped) with its asymptotic p-value, Wasserstein distance after log1p (heavy tails) and z-scoring on "
                + "the real file; categorical: total-variation distance and SDMetrics' TVComplement"),
            ("pair trends", "Pearson (and Spearman) CorrelationSimilarity for numeric pairs, ContingencySimilarity otherwise; the "
                + "score counts pairs as SDMetrics' quality report does (|r_real| > \(Self.number(PairTrends.defaultCorrelationThreshold)), "
                + "Cramér's V > \(Self.number(PairTrends.defaultAssociationThreshold))); quality = mean of shapes and pair trends"),
            ("validity", "SDMetrics' BoundaryAdherence, CategoryAdherence and TableStructure; integer, 0/1 and one-hot checks"),
            ("detection", s.detectors.isEmpty ? "not run"
                : s.detectors.map(\.description).joined(separator: ", ") + " (quick settings) on at most \(s.detectionRows) rows "
                    + "per side, 3-fold stratified cross-validation, ROC-AUC from probabilities"),
            ("copying", s.privacy ? "DCR of at most \(s.privacyRows) synthetic rows and of a \(Self.number(s.holdoutFraction * 100))% "
                + "real holdout to the remaining real rows of the class (exact Euclidean search); exact copies and NewRowSynthesis "
                + "over every synthetic row" : "not run"),
            ("utility", s.utilityModel.map { "\($0.description) trained on at most \(s.utilityRowsPerClass) real and "
                + "\(s.utilityRowsPerClass) synthetic rows per class" } ?? "not run"),
            ("rows per group", s.maxRowsPerGroup.map { "at most \($0) of each side" } ?? "all"),
        ]
        return "<dl class=\"run\">\n" + items.map { "<dt>\($0.0.htmlEscaped)</dt><dd>\($0.1.htmlEscaped)</dd>" }
            .joined(separator: "\n") + "\n</dl>\n"
    }
}
