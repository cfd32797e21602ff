import BallastCore
import BallastData
import BallastEval
import BallastLearn
import BallastTestSupport
import Foundation
import Testing

@Suite("ballast experiment: the runner")
struct ExperimentRunnerTests {
    /// Two balancings × two detectors × two seeds on 1,500 simulated rows: a couple of seconds.
    let small = ExperimentSpec(name: "small", datasets: [.simulator(rows: 1_500)], balancings: ["smote"],
                               detectors: ["dt", "gbdt:rounds=5"], seeds: [1, 2])

    @Test("A small simulator experiment runs end to end and writes every output; results.json validates against the documented schema")
    func endToEnd() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var stages: [ExperimentProgress] = []
        let results = try ExperimentRunner(spec: small, outputDirectory: directory).run { stages.append($0) }
        let d = try #require(results.datasets.first)
        #expect(d.simulated && d.description.contains("simulated"))
        #expect(d.cells.count == 8)
        #expect(d.cells.map(\.balancing) == ["none", "none", "smote", "smote", "none", "none", "smote", "smote"])
        #expect(d.cells.map(\.seed) == [1, 1, 1, 1, 2, 2, 2, 2])
        #expect(d.balancings.count == 4)
        for cell in d.cells {
            #expect(cell.error == nil, "\(cell.balancing) × \(cell.detector): \(cell.error ?? "")")
            let evaluation = try #require(cell.evaluations.first)
            #expect(evaluation.testSet == "holdout")
            #expect(evaluation.report.accuracy > 0.5 && evaluation.report.accuracy <= 1)
            #expect(evaluation.report.total == d.testSets[0].counts.reduce(0, +), "the test rows are never resampled")
            #expect(cell.peakMemoryBytes > 0)
        }
        // SMOTE raises every class to the majority's count; the baseline trains on the rows as they are.
        let smote = try #require(d.balancings.first { $0.method == "smote" }?.countsAfter)
        #expect(Set(smote).count == 1)
        #expect(d.cells[2].trainRows == smote.reduce(0, +))
        #expect(d.cells[0].trainRows == d.balancings[0].countsBefore.reduce(0, +))
        // Different seeds draw different splits.
        #expect(d.cells[0].evaluations[0].report.confusion != d.cells[4].evaluations[0].report.confusion)
        // Progress counts every cell and ends on the last.
        #expect(stages.last?.cellsDone == 8 && stages.last?.cellsTotal == 8)
        #expect(stages.contains { $0.stage.hasPrefix("smote × gbdt:rounds=5") })
        #expect(results.workSeconds > 0 && results.workSeconds <= results.totalSeconds)

        for name in ExperimentOutput.fileNames {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + name), "missing \(name)")
        }
        let json = try #require(FileManager.default.contents(atPath: directory + "/results.json"))
        let decoded = try JSONDecoder().decode(ExperimentResults.self, from: json)
        #expect(metrics(decoded) == metrics(results))
        let schema = try JSONSchemaValidator(contentsOf: SharedData.packageRoot.appendingPathComponent("Docs/results-schema.json").path)
        let problems = try schema.validate(json)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test("A generator cell records its report (size, loss curves, per-class fidelity); results.json validates and the outputs show it")
    func generatorCell() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = ExperimentSpec(name: "generator", datasets: [.simulator(rows: 1_500)], balancings: ["cvae:epochs=3"],
                                  detectors: ["dt"], seeds: [1])
        let results = try ExperimentRunner(spec: spec, outputDirectory: directory).run { _ in }
        let d = try #require(results.datasets.first)
        let record = try #require(d.balancings.first { $0.method == "cvae:epochs=3" })
        let report = try #require(record.generators?.first)
        #expect(report.method == "cvae" && report.parameterCount > 0 && report.training.first?.epochs.count == 3)
        #expect(report.training.first?.lossTerms == ["loss", "reconstruction", "kl"])
        #expect(Set(report.classes.map(\.className)) == Set(["DoS", "Probe", "R2L", "U2R"]))
        #expect(d.balancings.first { $0.method == "none" }?.generators == nil)

        let json = try #require(FileManager.default.contents(atPath: directory + "/results.json"))
        let schema = try JSONSchemaValidator(contentsOf: SharedData.packageRoot.appendingPathComponent("Docs/results-schema.json").path)
        let problems = try schema.validate(json)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(try JSONDecoder().decode(ExperimentResults.self, from: json).datasets.first?.balancings == d.balancings)
        let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
        #expect(html.contains("d0-generators") && html.contains("cvae:epochs=3 · all classes: training losses") && html.contains("<polyline"))
        let markdown = try String(contentsOfFile: directory + "/summary.md", encoding: .utf8)
        #expect(markdown.contains("### Deep generators") && markdown.contains("| cvae:epochs=3"))
    }

    @Test("A run stopped after some cells resumes where it stopped and gives the same results as an uninterrupted run")
    func resume() throws {
        let whole = temporaryDirectory(), parts = temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: whole)
            try? FileManager.default.removeItem(atPath: parts)
        }
        let uninterrupted = try ExperimentRunner(spec: small, outputDirectory: whole).run()
        #expect(throws: ExperimentError.stopped(cellsDone: 3, cellsTotal: 8)) {
            try ExperimentRunner(spec: small, outputDirectory: parts, maximumNewCells: 3).run()
        }
        // A kill in the middle of a write leaves a partial line: it is dropped on resume.
        try appendPartialJournalLine(in: parts)
        var resumedStages: [ExperimentProgress] = []
        let resumed = try ExperimentRunner(spec: small, outputDirectory: parts).run { resumedStages.append($0) }
        #expect(metrics(resumed) == metrics(uninterrupted))
        #expect(resumed.resumedCount == 1)
        #expect(resumedStages.first { $0.stage.contains("×") }?.cellsDone == 3, "the resumed run starts from the 3 cells done")
        // Every balancing appears once in the results, even though the resumed run recomputed one.
        #expect(resumed.datasets[0].balancings.count == 4)
        // Running again finds everything done and changes nothing.
        let again = try ExperimentRunner(spec: small, outputDirectory: parts).run()
        #expect(metrics(again) == metrics(uninterrupted))
        #expect(resumed.datasets[0].testSets == uninterrupted.datasets[0].testSets)
        #expect(again.datasets[0].testSets == uninterrupted.datasets[0].testSets, "described even when every cell was done before")
        #expect(again.datasets[0].featureColumns == uninterrupted.datasets[0].featureColumns)
        // A different spec in the same directory is refused; --fresh starts over.
        var other = small
        other.seeds = [9]
        #expect(throws: ExperimentError.specChanged(directory: parts)) { try ExperimentRunner(spec: other, outputDirectory: parts).run() }
        let fresh = try ExperimentRunner(spec: other, outputDirectory: parts, fresh: true).run()
        #expect(fresh.datasets[0].cells.allSatisfy { $0.seed == 9 })
    }

    @Test("A cell does not depend on the other methods in the plan")
    func independence() throws {
        var wider = small
        wider.balancings = ["ros", "smote"]
        wider.detectors = ["dt"]
        wider.seeds = [2]
        let a = try ExperimentRunner(spec: small).run(), b = try ExperimentRunner(spec: wider).run()
        func smoteDT(_ r: ExperimentResults) -> ConfusionMatrix? {
            r.datasets[0].cells.first { $0.balancing == "smote" && $0.detector == "dt" && $0.seed == 2 }?.evaluations.first?.report.confusion
        }
        #expect(smoteDT(a) != nil && smoteDT(a) == smoteDT(b))
    }

    @Test("A balancing or detector that fails is recorded in its cells; the rest go on and the report renders")
    func failures() throws {
        // A ratio strategy needs two classes; the simulator has five. knn:k=500 needs more rows than
        // under-sampling leaves.
        let spec = ExperimentSpec(name: "failures", datasets: [.simulator(rows: 1_500)],
                                  balancings: ["ros:strategy=0.5", "class-weights", "rus"], detectors: ["knn:k=500"], seeds: [4])
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let results = try ExperimentRunner(spec: spec, outputDirectory: directory).run()
        let cells = results.datasets[0].cells
        #expect(cells.map(\.balancing) == ["none", "ros:strategy=0.5", "class-weights", "rus"])
        #expect(cells[1].error?.contains("balancing failed") == true && cells[1].error?.contains("two classes") == true,
                "\(cells[1].error ?? "no error")")
        #expect(cells[1].evaluations.isEmpty && cells[1].trainRows == nil)
        #expect(cells[0].error == nil && cells[2].error == nil)
        #expect(cells[3].error?.contains("500") == true, "\(cells[3].error ?? "no error")")
        #expect(results.datasets[0].balancings[3].error == nil, "the under-sampling itself succeeded")
        let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
        #expect(html.contains("ros:strategy=0.5"))
        #expect(results.renderPlainSummary().contains("failed"))
    }

    @Test("K-fold on a CSV: one cell per fold, each test row in exactly one fold")
    func kFoldCSV() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var rng = Xoshiro256StarStar(seed: 8)
        var csv = "id,proto,bytes,rate,Label\n"
        for row in 0..<300 {
            let attack = row % 10 == 0
            let bytes = attack ? 900 + rng.nextInt(below: 200) : rng.nextInt(below: 500)
            csv += "\(row),\(row % 3 == 0 ? "udp" : "tcp"),\(bytes),\(rng.nextUniform()),\(attack ? "attack" : "benign")\n"
        }
        let path = directory + "/flows.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let spec = ExperimentSpec(name: "flows", datasets: [ExperimentDataset(name: "flows", source: .csv, path: path, label: "Label",
                                                                              split: .kfold, folds: 3)],
                                  balancings: ["smote"], detectors: ["dt"], seeds: [1])
        let results = try ExperimentRunner(spec: spec, outputDirectory: directory + "/out").run()
        let d = results.datasets[0]
        #expect(d.cells.count == 6)
        #expect(d.cells.compactMap(\.fold) == [1, 1, 2, 2, 3, 3])
        let tested = d.cells.filter { $0.balancing == "none" }.map { $0.evaluations[0].report.total }
        #expect(tested.reduce(0, +) == 300)
        #expect(d.testSets.map(\.name) == ["fold 1", "fold 2", "fold 3"])
        #expect(d.testSets.map { $0.counts.reduce(0, +) } == tested)
        #expect(d.cells.allSatisfy { $0.evaluations.first?.report.accuracy ?? 0 > 0.9 })
    }

    @Test("Invalid specifications fail before any work, naming the field")
    func invalid() throws {
        var spec = small
        spec.detectors = []
        #expect(throws: ExperimentError.invalidSpec("no detectors: give at least one (e.g. dt)")) { try spec.validate() }
        // An unknown balancing cannot enter a specification: it is refused when parsed.
        #expect(throws: CatalogError.self) { try BalancingChoice(parsing: "nosuch") }
        spec = small
        spec.datasets = [ExperimentDataset(name: "x", source: .csv, split: .holdout)]
        #expect(throws: ExperimentError.invalidSpec("dataset 'x': csv needs path = \"file.csv\"")) { try spec.validate() }
        spec.datasets = [ExperimentDataset(name: "x", source: .csv, path: "/nonexistent/flows.csv", label: "y", split: .holdout)]
        #expect(throws: DataError.self) { try ExperimentRunner(spec: spec).run() }
    }

    @Test("NSL-KDD (20% subset): KDDTest+ and KDDTest-21 beside each other, attacks seen in training vs novel",
          .enabled(if: SharedData.hasNSLKDD("KDDTrain+_20Percent.txt", "KDDTest+.txt", "KDDTest-21.txt"), "NSL-KDD is absent from ../shared/datasets/nsl-kdd (see its README)"))
    func nslKDD() throws {
        let path = try #require(SharedData.nslKDD(file: "KDDTrain+_20Percent.txt"))
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let spec = ExperimentSpec(name: "kdd", datasets: [.nslKDD(directory: directory, trainSubset: true)],
                                  balancings: [], detectors: ["dt"], seeds: [1])
        let results = try ExperimentRunner(spec: spec).run()
        let d = results.datasets[0]
        #expect(d.testSets.map(\.name) == ["KDDTest+", "KDDTest-21"])
        #expect(d.testSets[0].counts.reduce(0, +) == 22_544 && d.testSets[1].counts.reduce(0, +) == 11_850)
        let attacks = try #require(d.testSets[0].attacks)
        #expect(attacks.contains { $0.name == "neptune" && $0.seenInTraining })
        #expect(attacks.contains { $0.name == "mailbomb" && !$0.seenInTraining && $0.category == "DoS" })
        let groups = try #require(d.cells[0].evaluations[0].attackGroups)
        #expect(groups.seenRows + groups.novelRows == 22_544 - d.testSets[0].counts[0])
        #expect(groups.novelRows > 3_000 && groups.seenRecall > groups.novelRecall, "novel attacks are harder: \(groups)")
    }
}
