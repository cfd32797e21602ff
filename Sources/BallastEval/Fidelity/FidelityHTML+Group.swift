import Foundation

extension FidelityHTML {
    static let realColor = "#0072B2"
    static let syntheticColor = "#E69F00"

    /// Everything about one group: shapes, distributions, pairs, statistics, validity, detection,
    /// copying, projection.
    func groupSection(_ g: GroupFidelity, _ charts: FidelityCharts.Group?, prefix p: String) -> String {
        var html = "<p>\(g.comparedRealRows) real rows against \(g.comparedSyntheticRows) synthetic rows"
        if g.comparedRealRows < g.realRows || g.comparedSyntheticRows < g.syntheticRows {
            html += " (sampled from \(g.realRows) and \(g.syntheticRows))"
        }
        html += ". Quality \(Self.number(g.quality)) = mean of column shapes \(Self.number(g.shapes.score)) and pair trends "
            + "\(Self.number(g.pairs.score)).</p>\n"
        if g.className == nil {
            html += "<p class=\"note\">Every real row (all classes) against every synthetic row, as SDMetrics sees the two files. "
                + "The class mix differs between the files, so these scores mix fidelity with class shares: judge by the classes.</p>\n"
        }
        if let verdict = g.verdict, !verdict.passed {
            html += "<p class=\"warn\">Fails: " + verdict.failures.map(\.reason).joined(separator: "; ").htmlEscaped + ".</p>\n"
        }
        html += "<h3>Column shapes</h3>\n" + shapesHTML(g, p)
        if let charts { html += "<h3>Distributions, real vs synthetic</h3>\n" + distributionsHTML(charts, p) }
        html += "<h3>Column pair trends</h3>\n" + pairsHTML(g, p)
        html += "<h3>Statistics (HIKARI-2021 table)</h3>\n" + statisticsHTML(g)
        html += "<h3>Validity</h3>\n" + validityHTML(g)
        if let d = g.detection { html += "<h3>Detection: real vs synthetic</h3>\n" + detectionHTML(d) }
        if let privacy = g.privacy { html += "<h3>Copying and privacy</h3>\n" + privacyHTML(privacy, isClass: g.className != nil) }
        if let projection = charts?.projection {
            let axes = projection.explained.map { String(format: "%.0f%%", $0 * 100) }
            let chart = SVGChart.scatter(
                id: "\(p)-pca", title: "PCA projection — \(g.name)",
                description: "Scatter of real and synthetic rows projected on the first two principal components of the real rows.",
                series: [.init(name: "real", color: Self.realColor, values: projection.real),
                         .init(name: "synthetic", color: Self.syntheticColor, values: projection.synthetic)],
                xTitle: "PC 1 (\(axes.first ?? "?") of real variance)", yTitle: "PC 2 (\(axes.last ?? "?"))")
            html += "<h3>2-D projection (PCA of the real rows, preprocessed features)</h3>\n<figure>\n" + chart.svg + "</figure>\n"
        }
        return html
    }

    private func shapesHTML(_ g: GroupFidelity, _ p: String) -> String {
        let distances = g.shapes.columns.map { c in c.ks ?? c.totalVariation }
        let t = report.targets
        let chart = SVGChart.groupedBars(
            id: "\(p)-shapes", title: "KS statistic (numeric) or total variation (categorical) per column — \(g.name)",
            description: "Bars: the distance between the real and synthetic distribution of each column; 0 means the same. "
                + "Column shape scores are 1 minus these distances.",
            groups: g.shapes.columns.map(\.column), groupAxisTitle: "column",
            series: [.init(name: "KS or TV distance (targets: median ≤ \(Self.number(t.medianKS)), every column ≤ "
                           + "\(Self.number(t.worstKS)))", color: Self.syntheticColor, values: distances)],
            axis: .linear(max: max(t.worstKS * 1.2, distances.compactMap { $0 }.max() ?? 0), title: "distance"),
            valueFormat: { String(format: "%.3f", $0) })
        var table = ReportTable(title: "per column (KS p-value asymptotic; Wasserstein in real standard deviations after log1p for heavy tails)",
                                columns: [.init("column", .left), .init("metric", .left), .init("score"), .init("KS"),
                                          .init("p-value"), .init("Wasserstein"), .init("TV")])
        for c in g.shapes.columns {
            table.append([.init(c.column), .init(c.metric), .init(Self.number(c.score)), .init(Self.number(c.ks)),
                          .init(c.pValue.map { String(format: "%.2g", $0) } ?? "–"), .init(Self.number(c.wasserstein)),
                          .init(Self.number(c.totalVariation))])
        }
        return "<figure>\n" + chart.svg + "</figure>\n<details>\n<summary>Table of column shapes</summary>\n" + table.html() + "</details>\n"
    }

    private func distributionsHTML(_ charts: FidelityCharts.Group, _ p: String) -> String {
        var html = "<p class=\"note\">Solid blue: real; dashed orange: synthetic. Heavy-tailed counters use a log1p axis.</p>\n"
        html += "<div class=\"charts\">\n"
        for (j, c) in charts.columns.enumerated() {
            let series: ([Double], [Double]) -> [SVGChart.LineSeries] = { r, s in
                [.init(name: "real", color: Self.realColor, values: r), .init(name: "synthetic", color: Self.syntheticColor, values: s)]
            }
            if !c.categories.isEmpty {
                let chart = SVGChart.groupedBars(
                    id: "\(p)-d\(j)", title: c.name, description: "Share of rows per category of \(c.name), real vs synthetic.",
                    groups: c.categories, groupAxisTitle: "category",
                    series: [.init(name: "real", color: Self.realColor, values: c.real.map(Optional.some)),
                             .init(name: "synthetic", color: Self.syntheticColor, values: c.synthetic.map(Optional.some))],
                    axis: .linear(max: max(c.real.max() ?? 0, c.synthetic.max() ?? 0, 0.01), title: "share of rows"),
                    valueFormat: { String(format: "%.3f", $0) })
                html += "<figure class=\"category\">\n" + chart.svg + "</figure>\n"
            } else if !c.edges.isEmpty {
                let axis = c.logScale ? "value (log1p axis)" : "value"
                html += "<figure class=\"column\"><figcaption>\(c.name.htmlEscaped)</figcaption>\n<div class=\"pair\">\n"
                html += SVGChart.histogram(
                    id: "\(p)-h\(j)", title: "histogram", description: "Share of rows per bin of \(c.name), real vs synthetic.",
                    edges: c.edges, series: series(c.real, c.synthetic), log: c.logScale, xTitle: axis).svg
                html += SVGChart.lines(
                    id: "\(p)-e\(j)", title: "empirical CDF", description: "Empirical CDFs of \(c.name), real vs synthetic.",
                    x: c.ecdfX, series: series(c.realECDF, c.syntheticECDF), log: c.logScale, xTitle: axis,
                    yTitle: "share ≤ x").svg
                html += "</div>\n</figure>\n"
            }
        }
        return html + "</div>\n"
    }

    private func pairsHTML(_ g: GroupFidelity, _ p: String) -> String {
        let t = g.pairs
        var scores = ReportTable(title: "pair-trend scores (1 = same)", columns: [.init("variant", .left), .init("score"), .init("pairs counted")])
        scores.append([.init("SDMetrics quality report: |r_real| > \(Self.number(t.correlationThreshold)) or Cramér's V > "
                             + "\(Self.number(t.associationThreshold)), 10 equal-width bins"), .init(Self.number(t.score)),
                       .init("\(t.pairs.filter(\.meetsThreshold).count) of \(t.pairs.count)")])
        scores.append([.init("same thresholds, decile bins of the real rows"), .init(Self.number(t.scoreQuantile)),
                       .init("\(t.pairs.filter(\.meetsThresholdQuantile).count)")])
        scores.append([.init("every pair, equal-width bins (no thresholds)"), .init(Self.number(t.scoreAllPairs)),
                       .init("\(t.pairs.filter { $0.score != nil }.count)")])
        scores.append([.init("numeric pairs, Spearman's ρ"), .init(Self.number(t.spearmanScore)),
                       .init("\(t.pairs.filter { $0.spearmanScore != nil }.count)")])
        var html = scores.html()
        html += "<p class=\"note\">Numeric pairs: CorrelationSimilarity = 1 − |r_real − r_synthetic| / 2. Pairs with a categorical "
            + "column: ContingencySimilarity = 1 − total variation of the joint shares. SDMetrics cuts a numeric column into 10 "
            + "equal-width bins between its own minimum and maximum, separately for the real and the synthetic rows; a "
            + "heavy-tailed counter such as src_bytes then has nearly every row in the first bin, so such pairs compare little "
            + "more than the categorical column. Decile bins of the real rows (the same edges for both sides) keep about a tenth "
            + "of the real rows per bin.</p>\n"
        let names = t.numericColumns
        if !names.isEmpty {
            let difference = zip(t.syntheticPearson, t.realPearson).map { s, r in zip(s, r).map { a, b -> Double? in
                guard let a, let b else { return nil }
                return a - b
            } }
            let largest = difference.flatMap { $0.compactMap { $0.map(abs) } }.max() ?? 0
            let differenceLimit = max(0.1, (largest * 10).rounded(.up) / 10)
            html += "<div class=\"charts\">\n"
            for (suffix, title, values, limit) in [("real", "Pearson correlation, real", t.realPearson, 1.0),
                                                   ("synth", "Pearson correlation, synthetic", t.syntheticPearson, 1.0),
                                                   ("diff", "synthetic − real", difference, differenceLimit)] {
                html += "<figure>\n" + SVGChart.correlationHeatmap(
                    id: "\(p)-corr-\(suffix)", title: "\(title) — \(g.name)",
                    description: "Heatmap of \(title) between numeric columns; grey cells are undefined (a constant column).",
                    names: names, values: values, limit: limit).svg + "</figure>\n"
            }
            html += "</div>\n"
        }
        let worst = t.pairs.filter { $0.score != nil }.sorted { ($0.score ?? 1) < ($1.score ?? 1) }.prefix(12)
        var table = ReportTable(title: "the 12 pairs with the lowest scores", columns: [
            .init("column 1", .left), .init("column 2", .left), .init("metric", .left), .init("score"), .init("decile-bin score"),
            .init("r real"), .init("r synthetic"), .init("Cramér's V real"), .init("counted"),
        ])
        for pair in worst {
            table.append([.init(pair.column1), .init(pair.column2), .init(pair.metric), .init(Self.number(pair.score)),
                          .init(Self.number(pair.quantileScore)), .init(Self.number(pair.realCorrelation)),
                          .init(Self.number(pair.syntheticCorrelation)), .init(Self.number(pair.realAssociation)),
                          .init(pair.meetsThreshold ? "yes" : "no")])
        }
        return html + table.html()
    }
}
