import BallastLearn
import Foundation

extension ExperimentReport {
    /// The deep generators of a dataset's balancings: size and cost beside the rows they made per
    /// class (mean and worst column KS, distinct share, coverage of the real values), and the loss
    /// curves and validation KS of the first run of each method. `nil` when no balancing used one.
    func generatorSection(_ datasetResults: DatasetResults, prefix p: String) -> Section? {
        let records = datasetResults.balancings.filter { $0.generators?.isEmpty == false }
        guard !records.isEmpty else { return nil }
        var html = "<p>Every balancing that trained a deep generator, per run. <em>mean KS</em> is the mean over columns of "
            + "the two-sample Kolmogorov–Smirnov statistic between the class's real training rows and its generated rows "
            + "(0 is best), <em>distinct</em> the share of generated rows that differ from each other, <em>coverage</em> "
            + "the mean share of real values inside the generated rows' range per column. Classes below the generator's "
            + "minimum size are raised by SMOTE (column <em>by</em>).</p>\n"
        html += Self.generatorTable(records).html()
        var firstOfMethod: [String: BalancingRecord] = [:]
        var methods: [String] = []
        for record in records where firstOfMethod[record.method] == nil {
            firstOfMethod[record.method] = record
            methods.append(record.method)
        }
        html += "<div class=\"grid\">\n"
        for (m, method) in methods.enumerated() {
            guard let record = firstOfMethod[method] else { continue }
            for (g, report) in (record.generators ?? []).enumerated() {
                for (n, network) in report.training.enumerated() {
                    let who = network.classIndex.map { report.classNames.indices.contains($0) ? report.classNames[$0] : "#\($0)" } ?? "all classes"
                    let id = "\(p)-gen-\(m)-\(g)-\(n)"
                    let series = network.lossTerms.compactMap { term in network.curve(term).map { (term, $0) } }
                    html += "<figure>\n" + SVGChart.lossCurves(
                        id: id, title: "\(method) · \(who): training losses",
                        description: "Loss terms per epoch of the \(report.method) network for \(who), seed \(record.seed).",
                        series: series, xTitle: "epoch", yTitle: "loss", marker: (network.bestEpoch, "kept")).svg + "</figure>\n"
                    let ks = network.epochs.map { $0.validationMetric ?? .nan }
                    if ks.contains(where: \.isFinite) {
                        html += "<figure>\n" + SVGChart.lossCurves(
                            id: id + "-ks", title: "\(method) · \(who): validation KS",
                            description: "Mean column KS of generated rows against held-out rows per epoch; training keeps the lowest.",
                            series: [("mean column KS", ks)], xTitle: "epoch", yTitle: "KS (lower is better)",
                            marker: (network.bestEpoch, "kept")).svg + "</figure>\n"
                    }
                }
            }
        }
        html += "</div>\n"
        return Section(id: "\(p)-generators", title: "Deep generators: size, loss curves and fidelity of their rows", level: 3, html: html)
    }

    /// One row per (balancing run, generator, raised class).
    static func generatorTable(_ records: [BalancingRecord]) -> ReportTable {
        var table = ReportTable(title: "generated rows per class", columns: [
            .init("balancing", .left), .init("seed"), .init("parameters"), .init("FLOPs / row"), .init("fit s"), .init("class", .left),
            .init("by", .left), .init("made"), .init("mean KS"), .init("worst KS"), .init("distinct"), .init("coverage"),
        ])
        for record in records {
            for report in record.generators ?? [] {
                for c in report.classes {
                    table.append([
                        .init(record.method), .init("\(record.seed)"), .init(report.parameterCount.formatted()),
                        .init(report.flopsPerRow.formatted()), .init(String(format: "%.1f", report.fitSeconds)), .init(c.className),
                        .init(c.generatedBy), .init("\(c.syntheticRows)"), .init(String(format: "%.3f", c.meanKS)),
                        .init(String(format: "%.3f", c.worstKS)), .init(String(format: "%.0f%%", 100 * c.distinctFraction)),
                        .init(String(format: "%.0f%%", 100 * c.rangeCoverage)),
                    ])
                }
            }
            table.appendSeparator()
        }
        return table
    }
}
