import BallastCore
import BallastEval
import Foundation
import Testing

/// Issue 18, item 14: `report.html` grew with the square of the class count (200 MB at 603
/// classes). Past a limit it summarises; at 300 classes the whole report stays under 3 MB.
@Suite("report.html with hundreds of classes")
struct ReportManyClassesTests {
    /// 300 classes of 5 to 1,500 test rows; two balancings × two detectors, one seed.
    static func results(classes k: Int = 300) throws -> ExperimentResults {
        let names = (0..<k).map { "class-\($0)" }
        var rng = Xoshiro256StarStar(seed: 4)
        let support = (0..<k).map { 5 + (1_500 * ($0 + 1)) / (k * ($0 % 7 + 1)) }
        func report() throws -> ClassificationReport {
            var truth: [Int] = [], predicted: [Int] = []
            for (t, n) in support.enumerated() {
                for _ in 0..<n {
                    truth.append(t)
                    predicted.append(rng.nextInt(below: 10) < 8 ? t : rng.nextInt(below: k))
                }
            }
            return ClassificationReport(confusion: try ConfusionMatrix(truth: truth, predicted: predicted, classNames: names))
        }
        let dataset = ExperimentDataset(name: "wide", source: .csv, path: "wide.csv", label: "label", split: .holdout)
        let spec = ExperimentSpec(name: "many-classes", datasets: [dataset], balancings: ["ros"], detectors: ["dt", "rf"], seeds: [1])
        var records: [BalancingRecord] = [], cells: [CellRecord] = []
        for b in ["none", "ros"] {
            let after = b == "none" ? support.map { $0 * 3 } : Array(repeating: (support.max() ?? 0) * 3, count: k)
            records.append(BalancingRecord(method: b, seed: 1, fold: nil, countsBefore: support.map { $0 * 3 }, countsAfter: after,
                                           warnings: [], error: nil, seconds: 0.1, peakMemoryBytes: 1))
            for d in ["dt", "rf"] {
                cells.append(CellRecord(balancing: b, detector: d, trainedDetector: d, seed: 1, fold: nil, trainRows: after.reduce(0, +),
                                        error: nil, fitSeconds: 1, predictSeconds: 0.1, peakMemoryBytes: 1,
                                        evaluations: [TestEvaluation(testSet: "test", report: try report(), attackGroups: nil)]))
            }
        }
        let data = DatasetResults(name: "wide", description: "300 classes", simulated: true, classNames: names,
                                  trainCounts: support.map { $0 * 3 }, featureColumns: 10,
                                  testSets: [TestSetInfo(name: "test", counts: support, unseenCategories: 0, attacks: nil)],
                                  balancings: records, cells: cells)
        return ExperimentResults(spec: spec, ballastVersion: "0.0-test",
                                 environment: ExperimentEnvironment(threads: 2, blas: nil, operatingSystem: "Linux"),
                                 startedAt: "2026-12-04T12:00:00Z", finishedAt: "2026-12-04T12:01:00Z", resumedCount: 0,
                                 totalSeconds: 60, workSeconds: 50, datasets: [data])
    }

    @Test("300 classes: report.html under 3 MB, heatmaps of 25 classes with an 'other' class")
    func bounded() throws {
        let html = ExperimentReport(results: try Self.results()).html()
        let megabytes = Double(html.utf8.count) / 1_000_000
        #expect(megabytes < 3, "report.html is \(megabytes) MB")
        #expect(html.contains("other (276 classes)"))
        #expect(html.contains("each matrix shows the 24 classes with the most test rows"))
    }

    @Test("folding a confusion matrix keeps the total and the kept classes' counts")
    func folding() throws {
        let confusion = try ConfusionMatrix(truth: [0, 0, 1, 2, 3, 3], predicted: [0, 1, 1, 3, 2, 0], classNames: ["a", "b", "c", "d"])
        let folded = confusion.folded(keeping: [0, 1], other: "rest")
        #expect(folded.classNames == ["a", "b", "rest"])
        #expect(folded.counts == [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
        #expect(folded.total == confusion.total)
    }
}
