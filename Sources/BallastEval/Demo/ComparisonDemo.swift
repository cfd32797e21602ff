import BallastCore
import BallastData
import BallastLearn
import Foundation

/// The main job: compare ways of handling imbalance across detectors on one train/test split.
///
/// Traffic comes from the simulator (default) or NSL-KDD. The preprocessing is fitted on the
/// training rows only and applied to the test rows. Each balancing runs once on the preprocessed
/// training matrix (resamplers with the fitted ``FeatureSchema``, so synthetic rows are valid
/// records) and its output is reused by every detector; each detector is then fitted and evaluated
/// on the untouched test rows. The baseline (no balancing) is always included. A balancing or a
/// detector that throws is recorded in its cells and the comparison goes on.
///
/// Randomness: the simulator and split draw from `seed`; each balancing and each cell draws from
/// a seed derived from `seed` and its name, so a cell gives the same result whichever other
/// methods are in the table.
///
/// ```swift
/// let demo = ComparisonDemo(source: .simulator(rows: 2_000),
///                           balancings: [.none, .resampler("smote")],
///                           detectors: [DetectorChoice(spec: AlgorithmSpec(name: "dt"))])
/// let report = try demo.run(seed: 7)
/// print(report.renderPlain())
/// ```
public struct ComparisonDemo: Sendable {
    /// Where the data comes from.
    public var source: DemoSource
    /// The balancings to compare (the baseline is added first when missing).
    public var balancings: [BalancingChoice]
    /// The detectors to compare.
    public var detectors: [DetectorChoice]
    /// Quick mode: ``DetectorChoice/quickSettings`` apply (fewer trees and rounds).
    public var quick: Bool
    /// Test share for the simulator split.
    public var testFraction: Double
    /// How features are prepared (fitted on the training rows only).
    public var preprocessing: Preprocessor

    /// Creates the comparison's configuration.
    /// - Parameters:
    ///   - source: the simulator (default, 20,000 rows) or NSL-KDD.
    ///   - balancings: the methods compared (default ``BalancingChoice/defaults``).
    ///   - detectors: the detectors compared (default ``DetectorChoice/defaults``).
    ///   - quick: use the lighter quick settings.
    ///   - testFraction: the simulator's test share (default 0.3).
    ///   - preprocessing: the feature preparation (default ``Preprocessor/init(categoricalEncoding:scaling:logTransform:clipping:)``).
    public init(source: DemoSource = .simulator(rows: 20_000), balancings: [BalancingChoice] = BalancingChoice.defaults,
                detectors: [DetectorChoice] = DetectorChoice.defaults, quick: Bool = false, testFraction: Double = 0.3,
                preprocessing: Preprocessor = Preprocessor()) {
        self.source = source
        self.balancings = balancings
        self.detectors = detectors
        self.quick = quick
        self.testFraction = testFraction
        self.preprocessing = preprocessing
    }

    /// The balancings in table order: the baseline first, each once.
    public var plannedBalancings: [BalancingChoice] { BalancingChoice.withBaseline(balancings) }

    /// What quick mode changes, in words (empty when not quick).
    public var settingsNote: String {
        guard quick else { return "" }
        let settings = DetectorChoice.quickSettings.keys.sorted().map { name in
            name + ":" + (DetectorChoice.quickSettings[name] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ",")
        }
        var data = ""
        switch source {
        case .simulator(let rows): data = "\(rows) simulated rows; "
        case .nslKDD: data = "the 20% NSL-KDD training subset; "
        }
        return "quick mode: " + data + settings.joined(separator: ", ") + " unless set (also inside vote)"
    }

    /// Runs the comparison.
    /// - Parameters:
    ///   - seed: seeds the simulator, the split, every balancing and every detector.
    ///   - progress: called as each step starts (loading, preprocessing, each balancing, each cell).
    /// - Returns: the metrics of every cell, with errors recorded in the cells that failed.
    /// - Throws: ``DemoError/noDetectors``; ``DataError`` for unreadable or invalid NSL-KDD files;
    ///   ``PreprocessingError`` when preprocessing cannot be fitted. Errors of balancings and
    ///   detectors do not throw: they are recorded in their cells.
    public func run(seed: UInt64, progress: (DemoProgress) -> Void = { _ in }) throws -> ComparisonReport {
        guard !detectors.isEmpty else { throw DemoError.noDetectors }
        let clock = Stopwatch()
        let plan = plannedBalancings
        let total = plan.count * detectors.count
        var done = 0
        func report(_ phase: DemoProgress.Phase, _ stage: String) {
            progress(DemoProgress(phase: phase, stage: stage, completedCells: done, totalCells: total))
        }

        var rng = Xoshiro256StarStar(seed: seed)
        let data = try source.load(testFraction: testFraction, using: &rng) { report(.preparing, $0) }
        report(.preparing, "preprocess")
        let fitted = try preprocessing.fit(data.train.features)
        let trainMatrix = try data.train.labeledMatrix(using: fitted)
        let (testFeatures, transformReport) = try fitted.transformWithReport(data.test.features)
        let schema = FeatureSchema(preprocessor: fitted)
        let preparationSeconds = clock.seconds

        var outcomes: [BalancingOutcome] = []
        var cells: [ComparisonCell] = []
        for balancing in plan {
            report(.balancing, "balance: \(balancing)")
            let (outcome, balanced) = balance(trainMatrix, with: balancing, schema: schema, seed: seed)
            outcomes.append(outcome)
            for detector in detectors {
                report(.detecting, "\(balancing) × \(detector.effectiveDescription(quick: quick))")
                cells.append(evaluate(detector, on: balanced, balancing: balancing, outcome: outcome,
                                      test: testFeatures, truth: data.test.labels, seed: seed))
                done += 1
            }
        }
        report(.finished, "done")
        return ComparisonReport(
            dataset: data.description, simulated: source.isSimulated, seed: seed, quick: quick, settingsNote: settingsNote,
            classNames: data.train.classNames, trainCounts: data.train.classCounts, testCounts: data.test.classCounts,
            featureColumns: fitted.outputWidth, unseenCategoriesInTest: transformReport.totalUnseen,
            balancings: outcomes, cells: cells, preparationSeconds: preparationSeconds, totalSeconds: clock.seconds)
    }

    /// Runs one balancing on the training matrix; a failure is recorded in the outcome.
    private func balance(_ train: LabeledMatrix, with balancing: BalancingChoice, schema: FeatureSchema,
                         seed: UInt64) -> (BalancingOutcome, LabeledMatrix?) {
        guard case .resampler(let text) = balancing else {
            return (BalancingOutcome(name: balancing.description, counts: train.classCounts, warnings: [], error: nil, seconds: 0), train)
        }
        let clock = Stopwatch()
        var rng = Xoshiro256StarStar(seed: Self.derivedSeed(seed, "balance", text))
        do {
            let result = try Catalog.resampler(text).fitResample(train, schema: schema, using: &rng)
            return (BalancingOutcome(name: text, counts: result.data.classCounts, warnings: result.warnings.map(\.description),
                                     error: nil, seconds: clock.seconds), result.data)
        } catch {
            return (BalancingOutcome(name: text, counts: nil, warnings: [], error: "\(error)", seconds: clock.seconds), nil)
        }
    }

    /// Fits one detector on balanced rows and evaluates it on the test rows; a failure is recorded
    /// in the cell.
    private func evaluate(_ detector: DetectorChoice, on balanced: LabeledMatrix?, balancing: BalancingChoice,
                          outcome: BalancingOutcome, test: Matrix, truth: [Int], seed: UInt64) -> ComparisonCell {
        var cell = ComparisonCell(balancing: balancing.description, detector: detector.description,
                                  trainedDetector: detector.effectiveDescription(quick: quick), trainRows: balanced?.count,
                                  report: nil, error: outcome.error.map { "balancing failed: \($0)" }, fitSeconds: 0, predictSeconds: 0)
        guard let balanced else { return cell }
        var rng = Xoshiro256StarStar(seed: Self.derivedSeed(seed, "fit", balancing.description, detector.description))
        do {
            let classifier = try detector.classifier(classWeights: balancing == .classWeights, quick: quick)
            let fitClock = Stopwatch()
            let model = try classifier.fit(balanced, using: &rng)
            cell.fitSeconds = fitClock.seconds
            let predictClock = Stopwatch()
            let predicted = try model.predict(test)
            cell.predictSeconds = predictClock.seconds
            cell.report = try ClassificationReport(truth: truth, predicted: predicted, classNames: balanced.classNames)
        } catch {
            cell.error = "\(error)"
        }
        return cell
    }

    /// A seed for one named part of the comparison: FNV-1a of the names, mixed with `seed` by
    /// SplitMix64 (stable across runs, platforms and the other methods in the table).
    static func derivedSeed(_ seed: UInt64, _ names: String...) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in names.joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: seed ^ hash)
        return mixer.next()
    }
}

/// Wall time since creation, in seconds.
struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Seconds elapsed.
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
