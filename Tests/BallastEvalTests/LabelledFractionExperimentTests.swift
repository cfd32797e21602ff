import BallastCore
import BallastData
import BallastEval
import BallastLearn
import BallastTestSupport
import Foundation
import Testing

/// Issue 15, the experiment part: `labelled-fractions` is a grid axis like seeds; supervised
/// detectors see only the labelled rows, semi-supervised ones also the hidden rows.
@Suite("ballast experiment: labelled fractions")
struct LabelledFractionExperimentTests {
    /// ROS beside the baseline, dt and a tiny ssflow (one epoch, no self-training), one seed, 10% and
    /// 30% of the labels: 8 cells.
    static let ssflow: DetectorChoice = "ssflow:epochs=1,rounds=0,widths=4,couplings=1,epoch-rows=256,manifold-weight=0"
    let spec = ExperimentSpec(name: "fractions", datasets: [.simulator(rows: 800)], balancings: ["ros"],
                              detectors: ["dt", ssflow], seeds: [1], labelledFractions: [0.1, 0.3])

    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ballast-fractions-\(UUID().uuidString)").path
    }

    /// Every cell's key and confusion matrices, in order; no timings.
    private func metrics(_ results: ExperimentResults) -> [String] {
        results.datasets.flatMap { d in
            d.cells.map { c in
                "\(c.balancing)|\(c.detector)|\(c.seed)|\(c.labelledFraction ?? -1)|\(c.trainRows ?? -1)|\(c.error ?? "")|"
                    + c.evaluations.map { "\($0.testSet):\($0.report.confusion.counts)" }.joined(separator: ";")
            }
        }
    }

    @Test("Experiments/semi-supervised.toml reads, validates and plans seeds × fractions")
    func specFile() throws {
        let path = SharedData.packageRoot.appendingPathComponent("Experiments/semi-supervised.toml").path
        let spec = try ExperimentSpec(contentsOf: path)
        try spec.validate()
        #expect(spec.labelledFractions == [0.01, 0.05, 0.1])
        #expect(spec.seeds == [1, 2, 3])
        for name in ["ssflow", "gbdt", "mlp"] { #expect(spec.detectors.map(\.text).contains(name)) }
        #expect(spec.datasets.map(\.source) == [.nslKDD] && spec.datasets[0].effectiveTests == ["KDDTest+.txt"])
        #expect(spec.datasets[0].directory?.hasSuffix("shared/datasets/nsl-kdd") == true)
        let plan = ExperimentPlan(spec: spec)
        #expect(plan.units.count == 3 * 3)
        #expect(plan.cellCount == 3 * 3 * spec.detectors.count)
        #expect(plan.units.map(\.labelledFraction).prefix(3) == [0.01, 0.05, 0.1])
        #expect(plan.units[1].description.contains("5% labels"))
    }

    @Test("Each fraction is its own unit: supervised detectors train on exactly the labelled rows, ssflow also on the rest")
    func runs() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let results = try ExperimentRunner(spec: spec, outputDirectory: directory).run()
        var allLabels = spec
        allLabels.labelledFractions = nil
        allLabels.detectors = ["dt"]
        allLabels.balancings = []
        let full = try ExperimentRunner(spec: allLabels).run()
        let fullCounts = try #require(full.datasets[0].balancings.first?.countsBefore)

        let d = try #require(results.datasets.first)
        #expect(d.cells.count == 8)
        #expect(d.cells.map(\.labelledFraction) == [0.1, 0.1, 0.1, 0.1, 0.3, 0.3, 0.3, 0.3])
        #expect(d.balancings.map(\.labelledFraction) == [0.1, 0.1, 0.3, 0.3])
        for fraction in [0.1, 0.3] {
            // The stratified rule of `ballast train --labelled-fraction`, on the same training part.
            let expected = fullCounts.map { min($0, max(1, Int((fraction * Double($0)).rounded()))) }
            let none = try #require(d.balancings.first { $0.method == "none" && $0.labelledFraction == fraction })
            #expect(none.countsBefore == expected)
            let labelled = expected.reduce(0, +), hidden = fullCounts.reduce(0, +) - labelled
            let dt = try #require(d.cells.first { $0.balancing == "none" && $0.detector == "dt" && $0.labelledFraction == fraction })
            #expect(dt.error == nil && dt.trainRows == labelled && dt.unlabelledRows == nil)
            let flow = try #require(d.cells.first { $0.balancing == "none" && $0.detector == Self.ssflow.text && $0.labelledFraction == fraction })
            #expect(flow.error == nil, "\(flow.error ?? "")")
            #expect(flow.trainRows == labelled && flow.unlabelledRows == hidden)
            // A balancing works on the labelled rows: ROS raises every class to the labelled majority.
            let ros = try #require(d.balancings.first { $0.method == "ros" && $0.labelledFraction == fraction })
            #expect(ros.countsBefore == expected && ros.countsAfter == Array(repeating: expected.max() ?? 0, count: expected.count))
            #expect(d.cells.first { $0.balancing == "ros" && $0.detector == "dt" && $0.labelledFraction == fraction }?.trainRows
                    == ros.countsAfter?.reduce(0, +))
        }
        let dt10 = d.cells[0].evaluations.first?.report.confusion, dt30 = d.cells[4].evaluations.first?.report.confusion
        #expect(dt10 != nil && dt10 != dt30, "the fractions are different units")

        // The reports show each fraction; results.json and results.csv carry it.
        let summary = ExperimentSummary(results: results)
        #expect(summary.datasets.map(\.labelledFraction) == [0.1, 0.3])
        #expect(summary.datasets.map(\.label) == ["simulated, 10% of the training labels", "simulated, 30% of the training labels"])
        #expect(summary.datasets[0].rows.count == 4 && summary.datasets[0].balancingSummaries.map(\.runs) == [1, 1])
        let markdown = results.markdownSummary()
        #expect(markdown.contains("10% of the training labels") && markdown.contains("labelled fractions: 10%, 30%"))
        let json = try String(contentsOfFile: directory + "/results.json", encoding: .utf8)
        #expect(json.contains("\"labelledFraction\"") && json.contains("\"labelledFractions\""))
        #expect(results.csv().hasPrefix("dataset,test_set,balancing,detector,seed,fold,labelled_fraction,"))
    }

    @Test("A run with labelled fractions resumes and shards like any other, and merges to the whole run")
    func resumeAndShards() throws {
        var small = spec
        small.detectors = ["dt"]
        small.balancings = []
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let whole = try ExperimentRunner(spec: small, outputDirectory: root + "/whole").run()
        #expect(whole.datasets[0].cells.count == 2)
        #expect(throws: ExperimentError.stopped(cellsDone: 1, cellsTotal: 2)) {
            try ExperimentRunner(spec: small, outputDirectory: root + "/parts", maximumNewCells: 1).run()
        }
        let resumed = try ExperimentRunner(spec: small, outputDirectory: root + "/parts").run()
        #expect(metrics(resumed) == metrics(whole) && resumed.resumedCount == 1)

        let directories = (1...2).map { "\(root)/shard-\($0)" }
        for (i, directory) in directories.enumerated() {
            let part = try ExperimentRunner(spec: small, outputDirectory: directory, shard: try ExperimentShard(index: i + 1, count: 2)).run()
            #expect(part.datasets[0].cells.map(\.labelledFraction) == [[0.1], [0.3]][i])
        }
        let merged = try ExperimentMerge.merge(directories: directories)
        #expect(metrics(merged) == metrics(whole))
    }

    @Test("A fraction outside (0, 1], a repeated one or an empty list is refused naming labelled-fractions")
    func invalid() throws {
        for bad in [[0.0], [1.5], [-0.1], [Double.nan], [0.1, 0.1], []] {
            var s = spec
            s.labelledFractions = bad
            #expect {
                try s.validate()
            } throws: { error in
                "\(error)".contains("labelled-fractions")
            }
            #expect(throws: ExperimentError.self) { try ExperimentRunner(spec: s).run() }
        }
        let toml = """
        detectors = ["dt"]
        labelled-fractions = [0.05, 2]

        [[dataset]]
        source = "simulator"
        rows = 500
        """
        #expect {
            try ExperimentSpec(toml: toml, file: "bad.toml", baseDirectory: "")
        } throws: { error in
            guard case ExperimentError.specSyntax(let file, let line, let message) = error else { return false }
            return file == "bad.toml" && line == 2 && message.contains("labelled-fractions") && message.contains("2.0")
        }
        #expect(throws: ExperimentError.self) {
            try ExperimentSpec(toml: "detectors = [\"dt\"]\nlabelled-fractions = [\"5%\"]\n", file: "bad.toml", baseDirectory: "")
        }
        // A spec without the setting encodes as before (its journal hash, hence resuming, is unchanged).
        let encoded = try JSONEncoder().encode(ExperimentSpec(name: "x", datasets: [.simulator(rows: 500)], balancings: [], detectors: ["dt"]))
        #expect(!String(decoding: encoded, as: UTF8.self).contains("labelledFraction"))
    }
}
