import BallastEval
import BallastTestSupport
import Foundation
import Testing

/// `ballast experiment … --report-only`: the finished cells of a run, written from its journal as
/// `partial-*` files without running anything, so a grid that takes many hours can be read while
/// it runs, and without ever touching the outputs the run writes when it finishes.
@Suite("ballast experiment: reports of unfinished runs")
struct ExperimentReportOnlyTests {
    /// The baseline and SMOTE × two detectors × two seeds on 1,500 simulated rows: 8 cells.
    let spec = ExperimentSpec(name: "partial", datasets: [.simulator(rows: 1_500)], balancings: ["smote"],
                              detectors: ["dt", "lr"], seeds: [1, 2])

    static func partial(_ name: String) -> String { ExperimentOutput.partialPrefix + name }

    /// The accuracy tables' header lines of a summary.md.
    static func accuracyHeaders(_ markdown: String) -> [Substring] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("| balancing") && $0.contains("accuracy %") }
    }

    /// The last column's title of a Markdown table's header line.
    static func lastColumn(_ header: Substring) -> String {
        header.split(separator: "|").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    @Test("A stopped run's finished cells are reported, marked unfinished, without running a cell or touching the journal")
    func unfinishedRun() throws {
        let directory = temporaryDirectory(), whole = temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: whole)
        }
        #expect(throws: ExperimentError.stopped(cellsDone: 3, cellsTotal: 8)) {
            try ExperimentRunner(spec: spec, outputDirectory: directory, maximumNewCells: 3).run()
        }
        let journal = directory + "/journal.jsonl"
        let before = try #require(FileManager.default.contents(atPath: journal))
        var stages: [ExperimentProgress] = []
        let report = try ExperimentRunner(spec: spec, outputDirectory: directory, reportOnly: true).run { stages.append($0) }
        #expect(FileManager.default.contents(atPath: journal) == before, "the journal is only read")
        #expect(!stages.contains { $0.stage.contains("×") }, "no cell runs")
        #expect(report.unfinished == UnfinishedRun(cellsDone: 3, cellsPlanned: 8))
        #expect(report.resumedCount == 0 && report.ballastVersion == BallastVersion.current)
        let d = try #require(report.datasets.first)
        #expect(d.cells.count == 3 && d.cells.allSatisfy { $0.seed == 1 })
        #expect(d.featureColumns > 0 && !d.testSets.isEmpty, "the data is described though no cell ran in this process")

        // The partial outputs are written and say what they are; the run's own names are not.
        for name in ExperimentOutput.fileNames {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + Self.partial(name)), "missing \(Self.partial(name))")
            #expect(!FileManager.default.fileExists(atPath: directory + "/" + name), "\(name) is the finished run's")
        }
        let json = try #require(FileManager.default.contents(atPath: directory + "/" + Self.partial("results.json")))
        let schema = try JSONSchemaValidator(contentsOf: SharedData.packageRoot.appendingPathComponent("Docs/results-schema.json").path)
        let problems = try schema.validate(json)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        let markdown = try String(contentsOfFile: directory + "/" + Self.partial("summary.md"), encoding: .utf8)
        #expect(markdown.contains("**Unfinished run.** 3 of 8 cells had finished"))
        #expect(markdown.contains("seeds finished so far"))
        let headers = Self.accuracyHeaders(markdown)
        #expect(!headers.isEmpty && headers.allSatisfy { Self.lastColumn($0) == "runs" }, "every metric table says over how many runs a row is")
        #expect(markdown.contains(" 1/1 of 2 "), "a row with one of its two seeds says so")
        let timeHeaders = markdown.split(separator: "\n").filter { $0.hasPrefix("| balancing | detector | balance s") }
        #expect(timeHeaders.count == 1 && timeHeaders.allSatisfy { Self.lastColumn($0) == "runs" }, "the times are means over the same runs")
        let html = try String(contentsOfFile: directory + "/" + Self.partial("report.html"), encoding: .utf8)
        #expect(html.contains("<p class=\"unfinished\"><strong>Unfinished run.</strong> 3 of 8 cells"))
        #expect(report.renderPlainSummary().contains("unfinished run: 3 of 8 cells"))

        // The run continues from the same journal; its final results are a finished run's, cell
        // for cell those of an uninterrupted run, and the partial files are gone.
        let finished = try ExperimentRunner(spec: spec, outputDirectory: directory).run()
        #expect(finished.unfinished == nil && finished.resumedCount == 1)
        let uninterrupted = try ExperimentRunner(spec: spec, outputDirectory: whole).run()
        #expect(metrics(finished) == metrics(uninterrupted))
        let final = try String(contentsOfFile: directory + "/summary.md", encoding: .utf8)
        #expect(!final.contains("Unfinished") && !Self.accuracyHeaders(final).isEmpty
                && !Self.accuracyHeaders(final).contains { Self.lastColumn($0) == "runs" })
        for name in ExperimentOutput.fileNames {
            #expect(!FileManager.default.fileExists(atPath: directory + "/" + Self.partial(name)), "\(Self.partial(name)) left behind")
        }

        // A report of a finished run is complete, and leaves the run's own outputs alone.
        let results = try #require(FileManager.default.contents(atPath: directory + "/results.json"))
        let again = try ExperimentRunner(spec: spec, outputDirectory: directory, reportOnly: true).run()
        #expect(again.unfinished == nil && metrics(again) == metrics(uninterrupted))
        // The run's own time and resumes, as its journal recorded them (without the final writes).
        #expect(again.resumedCount == 1 && again.totalSeconds > 0 && again.totalSeconds <= finished.totalSeconds)
        #expect(FileManager.default.contents(atPath: directory + "/results.json") == results)
    }

    @Test("Cells planned per row count folds and shards: N of M is the plan's")
    func plannedCounts() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var folds = ExperimentDataset.simulator(rows: 900)
        folds.split = .kfold
        folds.folds = 3
        let kfold = ExperimentSpec(name: "folds", datasets: [folds], balancings: ["ros"], detectors: ["dt"], seeds: [1, 2])
        #expect(throws: ExperimentError.stopped(cellsDone: 2, cellsTotal: 12)) {
            try ExperimentRunner(spec: kfold, outputDirectory: directory, maximumNewCells: 2).run()
        }
        let report = try ExperimentRunner(spec: kfold, outputDirectory: directory, reportOnly: true).run()
        #expect(report.unfinished == UnfinishedRun(cellsDone: 2, cellsPlanned: 12))
        let markdown = try String(contentsOfFile: directory + "/" + Self.partial("summary.md"), encoding: .utf8)
        #expect(markdown.contains(" 1/1 of 6 "), "none × dt: fold 1 of seed 1 done, 2 seeds × 3 folds planned")
        #expect(markdown.contains("runs finished so far"))
    }

    @Test("Nothing to report, another spec or shard, a partial last line: each has a defined answer")
    func edges() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ExperimentError.nothingToReport(directory: directory)) {
            try ExperimentRunner(spec: spec, outputDirectory: directory, reportOnly: true).run()
        }
        #expect(!FileManager.default.fileExists(atPath: directory), "a report of nothing creates nothing")
        #expect(throws: ExperimentError.self, "a report needs the run's directory") {
            try ExperimentRunner(spec: spec, reportOnly: true).run()
        }
        #expect(throws: ExperimentError.stopped(cellsDone: 2, cellsTotal: 8)) {
            try ExperimentRunner(spec: spec, outputDirectory: directory, maximumNewCells: 2).run()
        }
        // A run being written to: its last line is still partial.
        try appendPartialJournalLine(in: directory)
        let journal = directory + "/journal.jsonl"
        let before = try #require(FileManager.default.contents(atPath: journal))
        let report = try ExperimentRunner(spec: spec, outputDirectory: directory, reportOnly: true).run()
        #expect(report.unfinished == UnfinishedRun(cellsDone: 2, cellsPlanned: 8))
        #expect(FileManager.default.contents(atPath: journal) == before, "the partial line is left for the run that writes it")
        // SMOTE has balanced (its record is in the journal) but none of its cells has finished: the
        // weighted-F1 chart has no empty series for it.
        #expect(report.datasets[0].balancings.map(\.method) == ["none", "smote"])
        let html = try String(contentsOfFile: directory + "/" + Self.partial("report.html"), encoding: .utf8)
        let chart = try #require(html.components(separatedBy: "id=\"d0-f1-0-title\"").dropFirst().first?.components(separatedBy: "</svg>").first)
        #expect(chart.contains(">none</text>") && !chart.contains(">smote</text>"))
        // The advice fits a report: give the run's own command; nothing is to be discarded.
        var other = spec
        other.seeds = [7]
        #expect(throws: ExperimentError.cannotReport("\(directory) holds a run of a different specification; give --report-only "
                                                     + "the run's own command (the same spec file or flags)")) {
            try ExperimentRunner(spec: other, outputDirectory: directory, reportOnly: true).run()
        }
        #expect(throws: ExperimentError.cannotReport("\(directory) holds the whole run of this experiment, not shard 1/2; give "
                                                     + "--report-only the run's own command, --shard included")) {
            try ExperimentRunner(spec: spec, outputDirectory: directory, shard: try ExperimentShard(index: 1, count: 2), reportOnly: true).run()
        }
        #expect(!ExperimentError.cannotReport("x").description.contains("--fresh"))
    }

    @Test("An unfinished shard counts its own plan, and results marked unfinished cannot be merged")
    func unfinishedShard() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // 4 units dealt to 3 shards: shard 2 holds only smote (seed 1), where the whole plan has two seeds.
        let directories = (1...3).map { "\(root)/shard-\($0)" }
        let shards = try (1...3).map { try ExperimentShard(index: $0, count: 3) }
        for i in [0, 2] { _ = try ExperimentRunner(spec: spec, outputDirectory: directories[i], shard: shards[i]).run() }
        #expect(throws: ExperimentError.self) {
            try ExperimentRunner(spec: spec, outputDirectory: directories[1], maximumNewCells: 1, shard: shards[1]).run()
        }
        let part = try ExperimentRunner(spec: spec, outputDirectory: directories[1], shard: shards[1], reportOnly: true).run()
        #expect(part.unfinished == UnfinishedRun(cellsDone: 1, cellsPlanned: 2))
        let markdown = try String(contentsOfFile: directories[1] + "/" + Self.partial("summary.md"), encoding: .utf8)
        #expect(markdown.contains(" 1/1 ") && !markdown.contains("1/1 of 2"), "the shard plans one run of smote × dt, not the whole plan's two")
        // The merge reads results.json, which the report does not write…
        #expect(throws: ExperimentError.self) { try ExperimentMerge.merge(directories: directories) }
        // …and refuses unfinished results even when they are put there by hand.
        try FileManager.default.copyItem(atPath: directories[1] + "/" + Self.partial("results.json"), toPath: directories[1] + "/results.json")
        #expect(throws: ExperimentError.cannotMerge("\(directories[1]) holds the report of an unfinished shard (1 of 2 cells); "
                                                    + "run it again to finish it (it resumes from its journal)")) {
            try ExperimentMerge.merge(directories: directories)
        }
    }

    @Test("A labelled fraction the run has not reached is listed as not started, not left out")
    func fractionNotReached() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Seed 1 × (10%, 30%) × (none, ros) × dt: the first cell is the 10% fraction's, and nothing
        // of the 30% fraction, not even a balancing, is in the journal.
        let fractions = ExperimentSpec(name: "fractions", datasets: [.simulator(rows: 800)], balancings: ["ros"],
                                       detectors: ["dt"], seeds: [1], labelledFractions: [0.1, 0.3])
        #expect(throws: ExperimentError.stopped(cellsDone: 1, cellsTotal: 4)) {
            try ExperimentRunner(spec: fractions, outputDirectory: directory, maximumNewCells: 1).run()
        }
        let report = try ExperimentRunner(spec: fractions, outputDirectory: directory, reportOnly: true).run()
        let summary = ExperimentSummary(results: report)
        #expect(summary.datasets.map(\.labelledFraction) == [0.1, 0.3])
        #expect(summary.datasets.map(\.hasCells) == [true, false])
        let markdown = try String(contentsOfFile: directory + "/" + Self.partial("summary.md"), encoding: .utf8)
        let notReached = try #require(markdown.components(separatedBy: "## Dataset ").last)
        #expect(notReached.contains("30% of the training labels") && notReached.contains(ExperimentSummary.noCellsYet))
        #expect(report.renderPlainSummary().contains(ExperimentSummary.noCellsYet))
        #expect(ExperimentReport(results: report).html().contains(ExperimentSummary.noCellsYet))
        // A finished run lists only the fractions it has (all of them), with no such line.
        let finished = try ExperimentRunner(spec: fractions, outputDirectory: directory).run()
        #expect(ExperimentSummary(results: finished).datasets.map(\.hasCells) == [true, true])
    }

    @Test("Results read from an untrusted file with an absurd plan render, and merge refuses them, without building the plan")
    func absurdPlan() throws {
        var results = try ReportFixtures.results()
        results.unfinished = UnfinishedRun(cellsDone: 1, cellsPlanned: 2)
        results.spec.datasets[0].split = .kfold
        results.spec.datasets[0].folds = .max  // never validated when decoded: ExperimentPlan would loop over it
        #expect(ExperimentPlan.unitCount(of: results.spec) == nil)
        #expect(results.markdownSummary().contains("Unfinished run"))
        #expect(ExperimentReport(results: results).html().hasSuffix("</html>\n"))
        var wide = try ReportFixtures.results()
        wide.spec.seeds = (0..<UInt64(ExperimentPlan.readLimit + 1)).map { $0 }  // one unit too many with the baseline alone
        #expect(ExperimentPlan.unitCount(of: wide.spec) == nil)
        wide.spec.seeds = [1, 2]
        #expect(ExperimentPlan.unitCount(of: wide.spec) == 2 * wide.spec.plannedBalancings.count)

        results.shard = try ExperimentShard(index: 1, count: 1)
        results.unfinished = nil
        results.datasets[0].dataFingerprint = "f"
        #expect(throws: ExperimentError.cannotMerge("a holds a specification of more than \(ExperimentPlan.readLimit) units, "
                                                    + "which no run could have finished")) {
            try ExperimentMerge.merge([(directory: "a", results: results)])
        }
    }
}
