import BallastEval
import BallastTestSupport
import Foundation
import Testing

/// `ballast experiment … --report-only`: the outputs of a run's finished cells, written from its
/// journal without running anything, so a grid that takes many hours can be read while it runs.
@Suite("ballast experiment: reports of unfinished runs")
struct ExperimentReportOnlyTests {
    /// The baseline and SMOTE × two detectors × two seeds on 1,500 simulated rows: 8 cells.
    let spec = ExperimentSpec(name: "partial", datasets: [.simulator(rows: 1_500)], balancings: ["smote"],
                              detectors: ["dt", "lr"], seeds: [1, 2])

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
        #expect(report.resumedCount == 0)
        let d = try #require(report.datasets.first)
        #expect(d.cells.count == 3 && d.cells.allSatisfy { $0.seed == 1 })
        #expect(d.featureColumns > 0 && !d.testSets.isEmpty, "the data is described though no cell ran in this process")

        // Every output is written and says what it is.
        for name in ExperimentOutput.fileNames {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + name), "missing \(name)")
        }
        let json = try #require(FileManager.default.contents(atPath: directory + "/results.json"))
        let schema = try JSONSchemaValidator(contentsOf: SharedData.packageRoot.appendingPathComponent("Docs/results-schema.json").path)
        let problems = try schema.validate(json)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        let markdown = try String(contentsOfFile: directory + "/summary.md", encoding: .utf8)
        #expect(markdown.contains("**Unfinished run.** 3 of 8 cells had finished"))
        #expect(markdown.contains("seeds finished so far"))
        // The accuracy tables' header lines: the report of an unfinished run has a runs column.
        func accuracyHeaders(_ markdown: String) -> [Substring] {
            markdown.split(separator: "\n").filter { $0.hasPrefix("| balancing") && $0.contains("accuracy %") }
        }
        #expect(!accuracyHeaders(markdown).isEmpty && accuracyHeaders(markdown).allSatisfy { $0.hasSuffix("| runs |") },
                "every table says over how many runs a row is")
        #expect(markdown.contains(" 1/1 "))
        let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
        #expect(html.contains("<p class=\"unfinished\"><strong>Unfinished run.</strong> 3 of 8 cells"))
        #expect(report.renderPlainSummary().contains("unfinished run: 3 of 8 cells"))

        // The run continues from the same journal, and its final results are a finished run's,
        // cell for cell those of an uninterrupted run.
        let finished = try ExperimentRunner(spec: spec, outputDirectory: directory).run()
        #expect(finished.unfinished == nil && finished.resumedCount == 1)
        let uninterrupted = try ExperimentRunner(spec: spec, outputDirectory: whole).run()
        #expect(metrics(finished) == metrics(uninterrupted))
        let final = try String(contentsOfFile: directory + "/summary.md", encoding: .utf8)
        #expect(!final.contains("Unfinished") && !accuracyHeaders(final).isEmpty && !accuracyHeaders(final).contains { $0.contains("runs") })

        // A report of a finished run is a finished run's results.
        let again = try ExperimentRunner(spec: spec, outputDirectory: directory, reportOnly: true).run()
        #expect(again.unfinished == nil && metrics(again) == metrics(uninterrupted))
    }

    @Test("Nothing to report, another spec and a partial last line: each has a defined answer")
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
        let journal = directory + "/journal.jsonl"
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        handle.seekToEndOfFile()
        handle.write(Data("{\"kind\":\"cell\",\"partSe".utf8))
        try handle.close()
        let before = try #require(FileManager.default.contents(atPath: journal))
        let report = try ExperimentRunner(spec: spec, outputDirectory: directory, reportOnly: true).run()
        #expect(report.unfinished == UnfinishedRun(cellsDone: 2, cellsPlanned: 8))
        #expect(FileManager.default.contents(atPath: journal) == before, "the partial line is left for the run that writes it")
        var other = spec
        other.seeds = [7]
        #expect(throws: ExperimentError.specChanged(directory: directory)) {
            try ExperimentRunner(spec: other, outputDirectory: directory, reportOnly: true).run()
        }
    }

    @Test("The report of an unfinished shard cannot be merged")
    func unfinishedShard() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directories = (1...2).map { "\(root)/shard-\($0)" }
        let shards = try (1...2).map { try ExperimentShard(index: $0, count: 2) }
        _ = try ExperimentRunner(spec: spec, outputDirectory: directories[0], shard: shards[0]).run()
        #expect(throws: ExperimentError.self) {
            try ExperimentRunner(spec: spec, outputDirectory: directories[1], maximumNewCells: 1, shard: shards[1]).run()
        }
        let part = try ExperimentRunner(spec: spec, outputDirectory: directories[1], shard: shards[1], reportOnly: true).run()
        #expect(part.unfinished == UnfinishedRun(cellsDone: 1, cellsPlanned: 4))
        #expect(throws: ExperimentError.cannotMerge("\(directories[1]) holds the report of an unfinished shard (1 of 4 cells); "
                                                    + "run it again to finish it (it resumes from its journal)")) {
            try ExperimentMerge.merge(directories: directories)
        }
    }
}
