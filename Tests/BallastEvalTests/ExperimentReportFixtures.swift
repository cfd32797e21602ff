import BallastCore
import BallastEval
import Foundation

/// Hand-built ``ExperimentResults`` for the report tests: small, exact, with the awkward cases a
/// report must survive (a failed cell, a balancing that fails for one seed only, a class missing
/// from a test set, a method name that needs escaping).
enum ReportFixtures {
    static let classes = ["normal", "DoS", "U2R"]
    /// A balancing name that must be escaped in HTML, XML, Markdown and CSV.
    static let nastyMethod = "a<b&\"c\""
    static let nastyError = "a<b&\"c\": k_neighbors=5, but U2R has 4 rows\nafter the split"
    static let mlpError = "mlp: loss diverged at epoch 3"

    static func report(_ counts: [[Int]], classNames: [String] = classes) throws -> ClassificationReport {
        var truth: [Int] = [], predicted: [Int] = []
        for (t, row) in counts.enumerated() {
            for (p, n) in row.enumerated() {
                truth += Array(repeating: t, count: n)
                predicted += Array(repeating: p, count: n)
            }
        }
        return ClassificationReport(confusion: try ConfusionMatrix(truth: truth, predicted: predicted, classNames: classNames))
    }

    /// Test set "test" (60 / 35 / 5 rows): `q` rows of DoS move from "predicted normal" to correct,
    /// `q/4` of normal are mistaken for DoS and `min(q/4, 5)` U2R rows are caught.
    static func testMatrix(_ q: Int) -> [[Int]] {
        [[60 - q / 4, q / 4, 0], [20 - q, 15 + q, 0], [5 - min(q / 4, 5), 0, min(q / 4, 5)]]
    }

    /// Test set "test-21" (20 / 30 / 0 rows): no U2R rows at all.
    static func test21Matrix(_ q: Int) -> [[Int]] {
        [[20 - q / 4, q / 4, 0], [10 - q / 2, 20 + q / 2, 0], [0, 0, 0]]
    }

    static func quality(balancing: String, detector: String, seed: UInt64) -> Int {
        let b = ["none": 0, "smote": 12, nastyMethod: 8][balancing] ?? 0
        return b + (seed == 2 ? 4 : 0) + (detector == "mlp" ? 2 : 0)
    }

    /// none, smote and the nasty method × dt and mlp × `seeds`; mlp fails after smote; the nasty
    /// method fails for seed 1 only.
    static func results(seeds: [UInt64] = [1, 2]) throws -> ExperimentResults {
        let balancings = ["none", "smote", nastyMethod]
        let detectors = ["dt", "mlp"]
        let dataset = ExperimentDataset(name: "toy", source: .csv, path: "toy.csv", label: "label", split: .holdout)
        // A specification holds only methods the catalogue accepts; the nasty name reaches the
        // renderings through the records (as from results of another build).
        let spec = ExperimentSpec(name: "report-test", datasets: [dataset], balancings: ["smote"],
                                  detectors: detectors.map(DetectorChoice.init(stringLiteral:)), seeds: seeds)
        var records: [BalancingRecord] = []
        var cells: [CellRecord] = []
        for seed in seeds {
            for b in balancings {
                let failed = b == nastyMethod && seed == 1
                let after: [Int]? = failed ? nil : (b == "none" ? [600, 300, 5] : (b == "smote" ? [600, 600, 600] : [600, 300, 300]))
                records.append(BalancingRecord(method: b, seed: seed, fold: nil, countsBefore: [600, 300, 5], countsAfter: after,
                                               warnings: b == "smote" ? ["U2R: k_neighbors lowered to 4"] : [],
                                               error: failed ? nastyError : nil, seconds: b == "none" ? 0 : 0.5 + Double(seed) * 0.1,
                                               peakMemoryBytes: 50_000_000))
                for detector in detectors {
                    let error: String? = failed ? nastyError : (b == "smote" && detector == "mlp" ? mlpError : nil)
                    var evaluations: [TestEvaluation] = []
                    if error == nil {
                        let q = quality(balancing: b, detector: detector, seed: seed)
                        evaluations = [
                            TestEvaluation(testSet: "test", report: try report(testMatrix(q)),
                                           attackGroups: AttackGroupMetrics(seenRows: 30, seenCaught: 10 + q, seenDetected: 20 + q / 2,
                                                                            novelRows: 10, novelCaught: q / 4, novelDetected: q / 2)),
                            TestEvaluation(testSet: "test-21", report: try report(test21Matrix(q)), attackGroups: nil),
                        ]
                    }
                    cells.append(CellRecord(balancing: b, detector: detector, trainedDetector: detector, seed: seed, fold: nil,
                                            trainRows: after.map { $0.reduce(0, +) }, error: error,
                                            fitSeconds: error == nil ? 1.0 + Double(seed) : 0, predictSeconds: error == nil ? 0.1 : 0,
                                            peakMemoryBytes: 60_000_000, evaluations: evaluations))
                }
            }
        }
        let data = DatasetResults(
            name: "toy", description: "toy.csv, stratified hold-out", simulated: false, classNames: classes,
            trainCounts: [600, 300, 5], featureColumns: 12,
            testSets: [TestSetInfo(name: "test", counts: [60, 35, 5], unseenCategories: 0, attacks: nil),
                       TestSetInfo(name: "test-21", counts: [20, 30, 0], unseenCategories: 2, attacks: nil)],
            balancings: records, cells: cells)
        return ExperimentResults(spec: spec, ballastVersion: "0.0-test",
                                 environment: ExperimentEnvironment(threads: 2, blas: nil, operatingSystem: "Linux"),
                                 startedAt: "2026-11-23T12:00:00Z", finishedAt: "2026-11-23T12:01:00Z", resumedCount: 0,
                                 totalSeconds: 60, workSeconds: 57, datasets: [data])
    }

    /// An NSL-KDD-shaped simulated run for the sample report and screenshot: five classes with
    /// KDDTrain+'s counts, six balancings (one failing for a seed), three detectors (one failing
    /// after one balancing), three seeds, two test sets; confusion matrices drawn from a seeded
    /// generator.
    static func sample() throws -> ExperimentResults {
        let names = ["normal", "DoS", "Probe", "R2L", "U2R"]
        let train = [67_343, 45_927, 11_656, 995, 52]
        let tests: [(String, [Int])] = [("KDDTest+", [9_711, 7_458, 2_421, 2_754, 200]), ("KDDTest-21", [2_152, 4_342, 2_402, 2_754, 200])]
        let balancings = ["none", "ros", "smote", "borderline-smote", "kmeans-smote", nastyMethod]
        let detectors = ["dt", "rf", "mlp"]
        let seeds: [UInt64] = [1, 2, 3]
        let baseRecall = [0.97, 0.80, 0.68, 0.08, 0.05]
        let lift = ["none": 0.0, "ros": 0.05, "smote": 0.07, "borderline-smote": 0.06, "kmeans-smote": 0.04, nastyMethod: 0.09]
        var rng = Xoshiro256StarStar(seed: 2026)
        var records: [BalancingRecord] = []
        var cells: [CellRecord] = []
        for seed in seeds {
            for b in balancings {
                let failed = b == nastyMethod && seed == 2
                var after = train
                if b != "none" { after = train.map { max($0, b == "kmeans-smote" ? 20_000 : 67_343) } ; after[0] = 67_343 }
                records.append(BalancingRecord(method: b, seed: seed, fold: nil, countsBefore: train, countsAfter: failed ? nil : after,
                                               warnings: [], error: failed ? nastyError : nil,
                                               seconds: b == "none" ? 0.01 : 2 + rng.nextUniform() * 3, peakMemoryBytes: 900_000_000))
                for detector in detectors {
                    let error: String? = failed ? nastyError : (detector == "mlp" && b == "kmeans-smote" ? mlpError : nil)
                    var evaluations: [TestEvaluation] = []
                    if error == nil {
                        for (testName, counts) in tests {
                            var matrix = Array(repeating: Array(repeating: 0, count: 5), count: 5)
                            for t in 0..<5 {
                                let hardness = testName == "KDDTest-21" ? 0.75 : 1.0
                                let detectorShift = detector == "rf" ? 0.02 : (detector == "mlp" ? -0.01 : 0)
                                let recall = min(0.995, max(0, (baseRecall[t] + (t == 0 ? -lift[b, default: 0] / 4 : lift[b, default: 0] * (t >= 3 ? 2 : 1))
                                    + detectorShift) * hardness + rng.nextNormal() * 0.01))
                                let correct = Int((Double(counts[t]) * recall).rounded())
                                matrix[t][t] = correct
                                var rest = counts[t] - correct
                                let others = (0..<5).reversed().filter { $0 != t }
                                for (i, p) in others.enumerated() {
                                    let share = i == others.count - 1 ? rest : Int(Double(rest) * 0.3 * rng.nextUniform())
                                    matrix[t][p] += share
                                    rest -= share
                                }
                            }
                            evaluations.append(TestEvaluation(
                                testSet: testName, report: try report(matrix, classNames: names),
                                attackGroups: AttackGroupMetrics(
                                    seenRows: counts[1...].reduce(0, +) - 3_750, seenCaught: matrix[1][1] + matrix[2][2],
                                    seenDetected: counts[1...].reduce(0, +) - 3_750 - matrix[1][0] / 2,
                                    novelRows: 3_750, novelCaught: matrix[3][3] + matrix[4][4], novelDetected: 3_750 - matrix[3][0])))
                        }
                    }
                    cells.append(CellRecord(balancing: b, detector: detector, trainedDetector: detector, seed: seed, fold: nil,
                                            trainRows: failed ? nil : after.reduce(0, +), error: error,
                                            fitSeconds: error == nil ? (detector == "rf" ? 20 : 4) * (1 + rng.nextUniform() * 0.1) : 0,
                                            predictSeconds: error == nil ? 0.3 : 0, peakMemoryBytes: 1_200_000_000,
                                            evaluations: evaluations))
                }
            }
        }
        let data = DatasetResults(
            name: "simulated", description: "Ballast traffic simulator, NSL-KDD schema, KDDTrain+-like counts", simulated: true,
            classNames: names, trainCounts: train, featureColumns: 122,
            testSets: tests.map { TestSetInfo(name: $0.0, counts: $0.1, unseenCategories: 0, attacks: nil) },
            balancings: records, cells: cells)
        let spec = ExperimentSpec(name: "sample", datasets: [.simulator(rows: 125_973)],
                                  balancings: balancings.dropFirst().filter { $0 != nastyMethod }.map(BalancingChoice.init(stringLiteral:)),
                                  detectors: detectors.map(DetectorChoice.init(stringLiteral:)), seeds: seeds)
        return ExperimentResults(spec: spec, ballastVersion: "0.6-sample",
                                 environment: ExperimentEnvironment(threads: 2, blas: nil, operatingSystem: "Linux"),
                                 startedAt: "2026-11-23T12:00:00Z", finishedAt: "2026-11-23T12:20:00Z", resumedCount: 1,
                                 totalSeconds: 1_200, workSeconds: 1_150, datasets: [data])
    }
}
