import BallastEval
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("Experiment report")
struct ExperimentReportTests {
    @Test("Mean ± sample std over seeds, per test set, balancing and detector")
    func meanAndStd() throws {
        let summary = ExperimentSummary(results: try ReportFixtures.results())
        let d = try #require(summary.datasets.first)
        #expect(d.testSets == ["test", "test-21"])
        #expect(d.balancings == ["none", "smote", ReportFixtures.nastyMethod])
        // none × dt on "test": accuracy 75/100 (seed 1) and 79/100 (seed 2).
        let row = try #require(d.row(testSet: "test", balancing: "none", detector: "dt"))
        let accuracy = try #require(row.value(.accuracy))
        #expect(accuracy.count == 2)
        #expect(abs(accuracy.mean - 0.77) < 1e-12)
        #expect(abs(try #require(accuracy.std) - (2 * 0.02 * 0.02).squareRoot()) < 1e-12)
        #expect(SummaryMetric.accuracy.format(accuracy) == "77.00 ± 2.83")
        // Fit seconds 2 and 3 → 2.5 ± 0.707.
        #expect(row.fitSeconds?.mean == 2.5)
        let markdown = try ReportFixtures.results().markdownSummary()
        #expect(markdown.contains("77.00 ± 2.83"))
        // Class counts before/after: smote makes 600 of every class in both seeds.
        let smote = try #require(d.balancingSummaries.first { $0.method == "smote" })
        #expect(smote.countsAfter?.map { $0?.mean } == [600, 600, 600])
        #expect(smote.countsAfter?.compactMap { $0?.std }.allSatisfy { $0 == 0 } == true)
    }

    @Test("Best is the highest printed mean; ties for the top all marked, a column where every row ties has none; failed rows never best")
    func bestMarking() throws {
        let summary = ExperimentSummary(results: try ReportFixtures.results())
        let d = try #require(summary.datasets.first)
        let rows = d.rows(testSet: "test").filter { $0.detector == "dt" }
        let best = ExperimentSummary.best(.accuracy, among: rows)
        #expect(best.map { rows[$0].balancing } == ["smote"])  // 87 and 91 → 89.00
        let top = try #require(best.first)
        let other = try #require(rows.indices.first { $0 != top && !rows[$0].failed })
        #expect(ExperimentSummary.best(.accuracy, among: [rows[top], rows[top], rows[other]]) == [0, 1])
        #expect(ExperimentSummary.best(.accuracy, among: [rows[top], rows[top]]) == [], "all rows tie: nothing is best")
        let mlp = d.rows(testSet: "test").filter { $0.detector == "mlp" }
        let failed = try #require(mlp.firstIndex { $0.balancing == "smote" })
        #expect(mlp[failed].failed)
        #expect(!ExperimentSummary.best(.accuracy, among: mlp).contains(failed))
        // Markdown: the best value in bold; plain text: marked with *.
        let results = try ReportFixtures.results()
        #expect(results.markdownSummary().contains("**89.00 ± 2.83**"))
        #expect(results.renderPlainSummary().contains("89.00±2.8*"))
    }

    @Test("A failed cell shows its error, shortened in tables and in full in the failure list")
    func failedCell() throws {
        let results = try ReportFixtures.results()
        let summary = ExperimentSummary(results: results)
        let number = try #require(summary.errorNumber(ReportFixtures.mlpError))
        let markdown = results.markdownSummary()
        #expect(markdown.contains("failed [\(number)]"))
        #expect(markdown.contains("## Failures"))
        #expect(markdown.contains("        " + ReportFixtures.mlpError))
        let plain = results.renderPlainSummary()
        #expect(plain.contains("failed [\(number)]"))
        #expect(plain.contains("[\(number)] \(ReportFixtures.mlpError)"))
        let html = ExperimentReport(results: results).html()
        #expect(html.contains("failed [\(number)]"))
        #expect(html.contains("<pre>\(ReportFixtures.mlpError)</pre>"))
        #expect(ExperimentSummary.shortened(String(repeating: "x", count: 100), limit: 10) == String(repeating: "x", count: 9) + "…")
    }

    @Test("A balancing that failed for one seed of two shows 1/2 runs and averages the other")
    func partialBalancing() throws {
        let results = try ReportFixtures.results()
        let d = try #require(ExperimentSummary(results: results).datasets.first)
        let row = try #require(d.row(testSet: "test", balancing: ReportFixtures.nastyMethod, detector: "dt"))
        #expect(row.runs == 2 && row.succeeded == 1)
        #expect(row.value(.accuracy)?.std == nil)  // one run: no std
        let balancing = try #require(d.balancingSummaries.first { $0.method == ReportFixtures.nastyMethod })
        #expect(balancing.succeeded == 1)
        #expect(balancing.countsAfter?.map { $0?.mean } == [600, 300, 300])
        #expect(results.markdownSummary().contains(" 1/2 |"))
    }

    @Test("One seed: means without ±, and the header says so")
    func oneSeed() throws {
        let results = try ReportFixtures.results(seeds: [7])
        let markdown = results.markdownSummary()
        #expect(markdown.contains("one seed (7): no standard deviation"))
        let table2 = try #require(markdown.components(separatedBy: "### Other overall").first)
        #expect(!table2.split(separator: "\n").filter { $0.hasPrefix("|") }.contains { $0.contains("±") })
        #expect(!results.renderPlainSummary().contains("±"))
        #expect(ExperimentReport(results: results).html().contains("<svg"))
    }

    @Test("A class missing from a test set shows n/a, never NaN")
    func missingClass() throws {
        let results = try ReportFixtures.results()
        let d = try #require(ExperimentSummary(results: results).datasets.first)
        let row = try #require(d.row(testSet: "test-21", balancing: "none", detector: "dt"))
        #expect(row.value(.recall(classIndex: 2)) == nil)
        #expect(row.value(.recall(classIndex: 1)) != nil)
        let markdown = results.markdownSummary(), plain = results.renderPlainSummary()
        let html = ExperimentReport(results: results).html(), csv = results.csv()
        #expect(markdown.contains("n/a") && plain.contains("n/a") && html.contains("n/a"))
        for text in [markdown, plain, html, csv] {
            let words = Set(text.split { !$0.isLetter }.map { $0.lowercased() })
            #expect(words.isDisjoint(with: ["nan", "inf", "infinity"]), "\(words.intersection(["nan", "inf", "infinity"]))")
        }
    }

    @Test("results.csv: header, one row per (cell, test set), RFC 4180 quoting")
    func csv() throws {
        let results = try ReportFixtures.results()
        let lines = parseCSV(results.csv())
        let header = try #require(lines.first)
        #expect(Array(header.prefix(ExperimentResults.csvFixedColumns.count)) == ExperimentResults.csvFixedColumns)
        #expect(header.suffix(4) == ["precision_U2R", "recall_U2R", "f1_U2R", "support_U2R"])
        #expect(header.count == ExperimentResults.csvFixedColumns.count + 3 * 4)
        // 3 balancings × 2 detectors × 2 seeds = 12 cells, each on 2 test sets.
        #expect(lines.count == 1 + 12 * 2)
        #expect(lines.allSatisfy { $0.count == header.count })
        let status = try #require(header.firstIndex(of: "status")), error = try #require(header.firstIndex(of: "error"))
        let failed = lines.dropFirst().filter { $0[status] == "failed" }
        #expect(failed.count == 2 * 2 + 2 * 2)  // mlp after smote (2 seeds) + nasty seed 1 (2 detectors), × 2 test sets
        #expect(failed.contains { $0[error] == ReportFixtures.nastyError })
        let recallU2R = try #require(header.firstIndex(of: "recall_U2R")), testSet = try #require(header.firstIndex(of: "test_set"))
        let test21 = lines.dropFirst().filter { $0[testSet] == "test-21" && $0[status] == "ok" }
        #expect(!test21.isEmpty && test21.allSatisfy { $0[recallU2R] == "" })
        let accuracy = try #require(header.firstIndex(of: "accuracy"))
        #expect(lines[1][accuracy] == "0.75")
    }

    @Test("report.html is self-contained, every <svg> is well-formed XML, and names are escaped")
    func html() throws {
        let results = try ReportFixtures.results()
        let html = ExperimentReport(results: results).html()
        try checkSelfContained(html)
        #expect(html.contains("a&lt;b&amp;&quot;c&quot;"))
        #expect(!html.contains(ReportFixtures.nastyMethod))
        #expect(html.contains("<nav class=\"toc\">"))
        #expect(html.contains("DCBN-VAE Table 2") && html.contains("AE-Flow Tables 4–6") && html.contains("AE-Flow Table 3"))
        #expect(html.contains("log scale"))
        let markdown = results.markdownSummary()
        // Escaped in tables and lists; literal only inside the indented code block of the failure list.
        let markdownTables = markdown.split(separator: "\n").filter { $0.hasPrefix("|") || $0.hasPrefix("- ") }
        #expect(!markdownTables.isEmpty && !markdownTables.contains { $0.contains(ReportFixtures.nastyMethod) })
        #expect(markdown.contains("a\\<b\\&\"c\""))
        #expect(!results.csv().contains("\n" + ReportFixtures.nastyMethod))
    }

    @Test("The NSL-KDD-shaped sample renders: simulated in the title, charts parse, terminal table fits 120 columns")
    func sample() throws {
        let results = try ReportFixtures.sample()
        let html = ExperimentReport(results: results).html()
        try checkSelfContained(html)
        #expect(html.contains("<title>Experiment sample — simulated data</title>"))
        #expect(html.contains("Attacks seen in training vs novel"))
        let svgs = svgElements(html)
        // counts + 2 weighted-F1 + 2 × 3 recall + 17 heatmaps (18 cells, one failed in every seed) + time.
        #expect(svgs.count == 1 + 2 + 6 + 17 + 1)
        let plain = results.renderPlainSummary()
        #expect(plain.split(separator: "\n").allSatisfy { $0.count <= ExperimentResults.plainSummaryWidth })
        #expect(plain.contains("(simulated"))
        // For looking at a report by eye (Scripts/screenshot-report.sh): write the sample's outputs, or
        // those of an existing results.json named by BALLAST_REPORT_RESULTS, into BALLAST_REPORT_SAMPLE_DIR.
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["BALLAST_REPORT_SAMPLE_DIR"] {
            var shown = results
            if let path = environment["BALLAST_REPORT_RESULTS"] {
                shown = try JSONDecoder().decode(ExperimentResults.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(ExperimentReport(results: shown).html().utf8).write(to: URL(fileURLWithPath: directory + "/report.html"))
            try Data(shown.markdownSummary().utf8).write(to: URL(fileURLWithPath: directory + "/summary.md"))
            try Data(shown.csv().utf8).write(to: URL(fileURLWithPath: directory + "/results.csv"))
            try Data(shown.renderPlainSummary().utf8).write(to: URL(fileURLWithPath: directory + "/summary.txt"))
        }
    }

    // MARK: - helpers

    private func svgElements(_ html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    private func checkSelfContained(_ html: String) throws {
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("<img") && !html.contains("@import"))
        #expect(!html.contains("url("))
        let svgs = svgElements(html)
        #expect(!svgs.isEmpty)
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            let ok = parser.parse()
            #expect(ok, "SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?") in \(svg.prefix(200))")
            #expect(svg.contains("<title") && svg.contains("aria-labelledby"))
            #expect(!svg.contains("NaN") && !svg.contains("nan\""))
        }
    }
}

@Suite("Experiment report: K-fold")
struct ExperimentReportKFoldTests {
    @Test("K-fold evaluations are pooled into one test set; mean ± std runs over seeds × folds")
    func pooledFolds() throws {
        var results = try ReportFixtures.results()
        var data = results.datasets[0]
        // Turn the two test sets into two folds: each cell becomes two cells, one per fold.
        data.testSets = [TestSetInfo(name: "fold 1", counts: [60, 35, 5], unseenCategories: 0, attacks: nil),
                         TestSetInfo(name: "fold 2", counts: [20, 30, 0], unseenCategories: 0, attacks: nil)]
        data.cells = data.cells.flatMap { cell -> [CellRecord] in
            (1...2).map { fold in
                var copy = cell
                copy.fold = fold
                copy.evaluations = cell.evaluations.isEmpty ? [] : [cell.evaluations[fold - 1]]
                copy.evaluations.indices.forEach { copy.evaluations[$0].testSet = "fold \(fold)" }
                return copy
            }
        }
        data.balancings = data.balancings.flatMap { record in (1...2).map { var r = record; r.fold = $0; return r } }
        results.datasets = [data]
        let d = try #require(ExperimentSummary(results: results).datasets.first)
        #expect(d.testSets == [ExperimentSummary.pooledFoldsTestSet])
        #expect(d.testCounts[ExperimentSummary.pooledFoldsTestSet] == [80, 65, 5])
        let row = try #require(d.row(testSet: ExperimentSummary.pooledFoldsTestSet, balancing: "none", detector: "dt"))
        #expect(row.runs == 4 && row.succeeded == 4)
        // The mean runs over the four (seed, fold) accuracies.
        let expected = data.cells.filter { $0.balancing == "none" && $0.detector == "dt" }.map { $0.evaluations[0].report.accuracy }
        let mean = expected.reduce(0, +) / 4
        #expect(abs(try #require(row.value(.accuracy)).mean - mean) < 1e-12)
        #expect(results.markdownSummary().contains("mean ± sample std over 4 runs (seeds × folds)"))
        // 24 cells, each on its own fold's test set; failed cells take the name their fold's other cells use.
        let lines = parseCSV(results.csv())
        #expect(lines.count == 1 + 24)
        let testSet = try #require(lines[0].firstIndex(of: "test_set")), status = try #require(lines[0].firstIndex(of: "status"))
        #expect(lines.dropFirst().filter { $0[status] == "failed" }.allSatisfy { $0[testSet] == "fold 1" || $0[testSet] == "fold 2" })
        try #require(ExperimentReport(results: results).html().contains("all folds"))
    }
}

/// A small RFC 4180 reader for the test: quoted fields with doubled quotes and line breaks.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false, atFieldStart = true
    var chars = Array(text)[...]
    while let ch = chars.popFirst() {
        if quoted {
            if ch == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else { field.append(ch) }
        } else if ch == "\"" && atFieldStart {
            quoted = true
        } else if ch == "," {
            row.append(field); field = ""; atFieldStart = true; continue
        } else if ch == "\n" {
            row.append(field); rows.append(row); row = []; field = ""; atFieldStart = true; continue
        } else {
            field.append(ch)
        }
        atFieldStart = false
    }
    #expect(!quoted && row.isEmpty && field.isEmpty, "CSV ends inside a row")
    return rows
}

@Suite("Experiment report: partial runs")
struct ExperimentReportPartialTests {
    @Test("Results with no finished cell yet render every output, saying so in place of the dataset's tables")
    func empty() throws {
        var results = try ReportFixtures.results()
        results.datasets[0].cells = []
        results.datasets[0].balancings = []
        results.unfinished = UnfinishedRun(cellsDone: 0, cellsPlanned: 4)
        let summary = ExperimentSummary(results: results)
        #expect(summary.datasets[0].rows.isEmpty)
        #expect(summary.datasets[0].countsBefore.map { $0?.mean } == [600, 300, 5])
        #expect(parseCSV(results.csv()).count == 1)
        let markdown = results.markdownSummary()
        #expect(markdown.contains("normal 600, DoS 300, U2R 5"), "the class counts are still stated")
        #expect(markdown.contains(ExperimentSummary.noCellsYet) && !markdown.contains("| balancing"))
        #expect(markdown.contains("0 of 4 cells had finished"))
        let plain = results.renderPlainSummary()
        #expect(plain.contains("runner overhead") && plain.contains(ExperimentSummary.noCellsYet))
        let html = ExperimentReport(results: results).html()
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains(ExperimentSummary.noCellsYet) && html.contains("<p class=\"unfinished\">"))
    }
}

@Suite("Experiment report: run notes")
struct ExperimentReportNotesTests {
    @Test("The seeds, quick-mode settings and test labels unseen in training are stated in every rendering")
    func notes() throws {
        var results = try ReportFixtures.results()
        results.spec.quick = true
        results.datasets[0].cells = results.datasets[0].cells.map { cell in
            var copy = cell
            if copy.detector == "mlp" { copy.trainedDetector = "mlp:epochs=5" }
            return copy
        }
        results.datasets[0].testSets[1].unknownLabels = ["spy": 3, "mailbomb": 2]
        let plain = results.renderPlainSummary(), markdown = results.markdownSummary()
        let html = ExperimentReport(results: results).html()
        for text in [plain, markdown, html] {
            #expect(text.contains("seeds: 1, 2"))
            #expect(text.contains("quick mode: mlp trained as mlp:epochs=5"))
            #expect(text.contains("5 rows with labels never seen in training are left out of the metrics (mailbomb 2, spy 3)"))
        }
        #expect(try ReportFixtures.results(seeds: [7]).renderPlainSummary().contains("seed: 7\n"))
    }
}
