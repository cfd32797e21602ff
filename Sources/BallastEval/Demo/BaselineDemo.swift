import BallastCore
import BallastData
import BallastLearn
import Foundation

/// The main job on a fresh machine: load traffic (the simulator by default, or NSL-KDD), split it,
/// fit preprocessing on the training part only, train a k-nearest-neighbour detector and report
/// per-class metrics on the held-out part.
///
/// Later stages grow this into the full balancing comparison; the shape of the result — dataset,
/// class distributions, metrics per class — stays.
public struct BaselineDemo: Sendable {
    /// Where the data comes from.
    public enum Source: Sendable, Equatable {
        /// The seeded traffic simulator with this many rows, split 70/30 stratified.
        case simulator(rows: Int)
        /// NSL-KDD in a directory: train on `KDDTrain+.txt` (or the 20% subset when `quick`), test
        /// on `KDDTest+.txt`.
        case nslKDD(directory: String, quick: Bool)
    }

    /// The data source.
    public var source: Source
    /// Neighbours of the k-NN detector.
    public var k: Int
    /// Test share for the simulator split.
    public var testFraction: Double

    /// Creates the demo's configuration.
    public init(source: Source = .simulator(rows: 20_000), k: Int = 5, testFraction: Double = 0.3) {
        self.source = source
        self.k = k
        self.testFraction = testFraction
    }

    /// Runs the demo.
    /// - Parameters:
    ///   - seed: seeds the simulator, the split and everything stochastic.
    ///   - progress: called with the name of each stage as it starts.
    /// - Throws: ``DataError`` for unreadable or invalid NSL-KDD files, and preprocessing or learning
    ///   errors (not expected on the simulator).
    public func run(seed: UInt64, progress: (String) -> Void = { _ in }) throws -> DemoReport {
        var rng = Xoshiro256StarStar(seed: seed)
        var timings: [String: Double] = [:]
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            progress(stage)
            let start = DispatchTime.now().uptimeNanoseconds
            defer { timings[stage] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            return try body()
        }

        let train: LabeledTable, test: LabeledTable, description: String
        switch source {
        case .simulator(let rows):
            var simulatorRNG = rng.split()
            let all = timed("simulate") { TrafficSimulator(rowCount: rows).generate(using: &simulatorRNG) }
            let parts = try timed("split") { try StratifiedSplit(testFraction: testFraction).split(labels: all.labels, using: &rng) }
            train = all.gatherRows(parts.train)
            test = all.gatherRows(parts.test)
            description = "simulated traffic (Ballast traffic simulator, \(rows) rows, NSL-KDD schema; not real traffic), stratified \(Int((1 - testFraction) * 100))/\(Int(testFraction * 100)) split"
        case .nslKDD(let directory, let quick):
            let trainFile = quick ? "KDDTrain+_20Percent.txt" : "KDDTrain+.txt"
            let dir = URL(fileURLWithPath: directory)
            train = try timed("load") { try NSLKDD.load(path: dir.appendingPathComponent(trainFile).path) }
            test = try timed("load test") { try NSLKDD.load(path: dir.appendingPathComponent("KDDTest+.txt").path) }
            description = "NSL-KDD: \(trainFile) → KDDTest+.txt"
        }

        let fitted = try timed("preprocess") { try Preprocessor().fit(train.features) }
        let trainMatrix = try train.labeledMatrix(using: fitted)
        let (testFeatures, transformReport) = try fitted.transformWithReport(test.features)
        let detector = KNearestNeighborsClassifier(k: k)
        let model = try timed("fit") { try detector.fit(trainMatrix, using: &rng) }
        let predicted = try timed("predict") { try model.predict(testFeatures) }
        let report = try ClassificationReport(truth: test.labels, predicted: predicted, classNames: train.classNames)
        return DemoReport(
            dataset: description, simulated: { if case .simulator = source { return true } else { return false } }(),
            seed: seed, classNames: train.classNames, trainCounts: train.classCounts, testCounts: test.classCounts,
            featureColumns: fitted.outputWidth, unseenCategoriesInTest: transformReport.totalUnseen,
            detector: "k-nearest neighbours (k = \(k), Euclidean on preprocessed features)",
            report: report, seconds: timings)
    }
}

/// The result of ``BaselineDemo``.
public struct DemoReport: Sendable, Equatable, Codable {
    /// What data was used, in words (says "simulated" for the simulator).
    public var dataset: String
    /// Whether the data came from the simulator.
    public var simulated: Bool
    /// The seed used.
    public var seed: UInt64
    /// Class names, in label order.
    public var classNames: [String]
    /// Training rows per class.
    public var trainCounts: [Int]
    /// Test rows per class.
    public var testCounts: [Int]
    /// Width of the preprocessed feature matrix.
    public var featureColumns: Int
    /// Test values whose category was never seen in training (mapped to the unknown bucket).
    public var unseenCategoriesInTest: Int
    /// The detector evaluated.
    public var detector: String
    /// Metrics on the test part.
    public var report: ClassificationReport
    /// Seconds per stage.
    public var seconds: [String: Double]

    /// Plain-text rendering for a terminal.
    public func renderPlain() -> String {
        var s = "dataset: \(dataset)\nseed: \(seed)\n"
        var t = TextTable(columns: [.init("class", .left), .init("train rows"), .init("test rows")])
        for (i, n) in classNames.enumerated() { t.append([n, "\(trainCounts[i])", "\(testCounts[i])"]) }
        s += "\n" + t.renderPlain()
        s += "\nfeatures after preprocessing: \(featureColumns)"
        if unseenCategoriesInTest > 0 { s += " (test values with categories unseen in training: \(unseenCategoriesInTest))" }
        s += "\ndetector: \(detector) — no rebalancing (baseline)\n\n"
        s += report.renderPlain()
        let total = seconds.values.reduce(0, +)
        s += "\ntime: " + seconds.keys.sorted().map { "\($0) \(String(format: "%.2f", seconds[$0] ?? 0))s" }.joined(separator: ", ")
            + String(format: " (total %.2fs)\n", total)
        return s
    }

    /// JSON with sorted keys.
    /// - Throws: an encoding error (not expected).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
