import BallastLearn
import Foundation

/// Everything an experiment measured: the specification it ran, where and with what, and one record
/// per balancing and per (balancing, detector, seed, fold) cell. This is `results.json`; its schema
/// is documented in `Docs/results-schema.json` and versioned by ``schemaVersion``.
public struct ExperimentResults: Sendable, Equatable, Codable {
    /// The version of this layout (``currentSchemaVersion``).
    public var schemaVersion: Int
    /// The specification that was run.
    public var spec: ExperimentSpec
    /// Ballast's version.
    public var ballastVersion: String
    /// The machine: threads, BLAS library, operating system.
    public var environment: ExperimentEnvironment
    /// When the run (or its first part, when resumed) started, ISO 8601 UTC.
    public var startedAt: String
    /// When the last cell finished, ISO 8601 UTC; for an ``unfinished`` run, when these results
    /// were written.
    public var finishedAt: String
    /// How many times the run was resumed after an interruption.
    public var resumedCount: Int
    /// Wall time of all parts of the run, seconds (merged shards: the longest shard's).
    public var totalSeconds: Double
    /// Seconds spent in balancing, fitting and predicting (the rest is runner overhead:
    /// loading, preprocessing, metrics, writing results).
    public var workSeconds: Double
    /// One entry per dataset of the spec, in spec order.
    public var datasets: [DatasetResults]
    /// The shard of the plan these results hold (`ballast experiment --shard I/N`); `nil` for a
    /// whole run, and for shards merged by ``ExperimentMerge``.
    public var shard: ExperimentShard?
    /// How far an unfinished run had got when these results were written from its journal
    /// (`ballast experiment … --report-only`); `nil` when every cell of the plan (or of the shard)
    /// has run.
    public var unfinished: UnfinishedRun?

    /// The layout version written by this build.
    public static let currentSchemaVersion = 1

    /// Creates results.
    public init(spec: ExperimentSpec, ballastVersion: String, environment: ExperimentEnvironment, startedAt: String,
                finishedAt: String, resumedCount: Int, totalSeconds: Double, workSeconds: Double, datasets: [DatasetResults]) {
        self.schemaVersion = Self.currentSchemaVersion
        self.spec = spec
        self.ballastVersion = ballastVersion
        self.environment = environment
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.resumedCount = resumedCount
        self.totalSeconds = totalSeconds
        self.workSeconds = workSeconds
        self.datasets = datasets
    }
}

/// How much of an unfinished run's plan has run (``ExperimentResults/unfinished``).
public struct UnfinishedRun: Sendable, Equatable, Codable {
    /// Cells recorded in the journal so far (failed ones included).
    public var cellsDone: Int
    /// Cells of the plan (of the shard, for a shard).
    public var cellsPlanned: Int

    /// Creates the record.
    public init(cellsDone: Int, cellsPlanned: Int) {
        self.cellsDone = cellsDone
        self.cellsPlanned = cellsPlanned
    }

    /// `16 of 72 cells`.
    public var phrase: String { "\(cellsDone) of \(cellsPlanned) cell\(cellsPlanned == 1 ? "" : "s")" }
}

/// Where an experiment ran.
public struct ExperimentEnvironment: Sendable, Equatable, Codable {
    /// Worker threads used by parallel kernels.
    public var threads: Int
    /// The BLAS library loaded, or `nil` when products ran on the Swift kernels only.
    public var blas: String?
    /// Operating system and version.
    public var operatingSystem: String

    /// Creates an environment record.
    public init(threads: Int, blas: String?, operatingSystem: String) {
        self.threads = threads
        self.blas = blas
        self.operatingSystem = operatingSystem
    }
}

/// The results of one dataset: what the data looked like, each balancing, each cell.
public struct DatasetResults: Sendable, Equatable, Codable {
    /// The dataset's name in the spec (e.g. `nsl-kdd`, `flows`).
    public var name: String
    /// A sentence describing the data and the split ("NSL-KDD: KDDTrain+ → KDDTest+, KDDTest-21").
    public var description: String
    /// Whether the data is simulated (labelled so wherever it appears).
    public var simulated: Bool
    /// Class names, in label order.
    public var classNames: [String]
    /// Training rows per class (of the whole training set; per fold see ``BalancingRecord/countsBefore``).
    public var trainCounts: [Int]
    /// Feature columns after preprocessing.
    public var featureColumns: Int
    /// The test sets every cell is evaluated on (one per fold for K-fold splits: `fold 1`, …).
    public var testSets: [TestSetInfo]
    /// One record per (balancing, seed, fold), in run order.
    public var balancings: [BalancingRecord]
    /// One record per (balancing, detector, seed, fold, labelled fraction), in run order.
    public var cells: [CellRecord]
    /// SHA-256 of the data the experiment read (features, labels and class names of every
    /// table), so that shards run on different machines can be checked to have read the same data.
    public var dataFingerprint: String?
    /// What a reader must know about the data, such as a column that gives the label away
    /// (``LabelProxy``); `nil` when there is nothing.
    public var warnings: [String]?

    /// Creates a dataset's results.
    public init(name: String, description: String, simulated: Bool, classNames: [String], trainCounts: [Int],
                featureColumns: Int, testSets: [TestSetInfo], balancings: [BalancingRecord], cells: [CellRecord]) {
        self.name = name
        self.description = description
        self.simulated = simulated
        self.classNames = classNames
        self.trainCounts = trainCounts
        self.featureColumns = featureColumns
        self.testSets = testSets
        self.balancings = balancings
        self.cells = cells
    }
}

extension DatasetResults {
    /// The labelled fractions the records hold, and those of `planned`, in `preferred` order then
    /// first-seen order (`[nil]` for a run with every label).
    /// - Parameters:
    ///   - preferred: the spec's order (``ExperimentSpec/plannedFractions``).
    ///   - planned: fractions to list though no record has them yet (an unfinished run's plan), so
    ///     a fraction not reached says so instead of vanishing; only those in `preferred` count.
    public func labelledFractions(preferred: [Double?], planned: Set<Double?> = []) -> [Double?] {
        let present = balancings.map(\.labelledFraction) + cells.map(\.labelledFraction)
        var seen: Set<Double?> = []
        let ordered = (preferred.filter { present.contains($0) || planned.contains($0) } + present).filter { seen.insert($0).inserted }
        return ordered.isEmpty ? [preferred.first ?? nil] : ordered
    }

    /// These results limited to the records of one labelled fraction.
    /// - Parameter fraction: the fraction, `nil` for the records with every label.
    public func only(labelledFraction fraction: Double?) -> DatasetResults {
        var copy = self
        copy.balancings = balancings.filter { $0.labelledFraction == fraction }
        copy.cells = cells.filter { $0.labelledFraction == fraction }
        return copy
    }
}

/// A test set: its name and what it contains.
public struct TestSetInfo: Sendable, Equatable, Codable {
    /// The test set's name (`KDDTest+`, `KDDTest-21`, `holdout`, `fold 3`).
    public var name: String
    /// Rows per class, in ``DatasetResults/classNames`` order (a class may have 0 rows).
    public var counts: [Int]
    /// Category values never seen in training (summed over categorical columns).
    public var unseenCategories: Int
    /// NSL-KDD only: attack names in this test set and whether each occurs in the training file.
    public var attacks: [AttackInfo]?
    /// Test rows whose label never occurs in training, by label: left out of every metric (a
    /// detector cannot predict a class it never saw), and counted here.
    public var unknownLabels: [String: Int]

    /// Creates a test-set record.
    public init(name: String, counts: [Int], unseenCategories: Int, attacks: [AttackInfo]?, unknownLabels: [String: Int] = [:]) {
        self.name = name
        self.counts = counts
        self.unseenCategories = unseenCategories
        self.attacks = attacks
        self.unknownLabels = unknownLabels
    }
}

/// An NSL-KDD attack name in a test set.
public struct AttackInfo: Sendable, Equatable, Codable {
    /// The attack name (`neptune`, `mailbomb`, …).
    public var name: String
    /// Its category, a class name (`DoS`, …).
    public var category: String
    /// Test rows with this attack.
    public var rows: Int
    /// Whether the attack occurs in the training file.
    public var seenInTraining: Bool

    /// Creates an attack record.
    public init(name: String, category: String, rows: Int, seenInTraining: Bool) {
        self.name = name
        self.category = category
        self.rows = rows
        self.seenInTraining = seenInTraining
    }
}

/// One balancing of the training data: the counts before and after, or its error.
public struct BalancingRecord: Sendable, Equatable, Codable {
    /// The balancing as written in the spec (`none`, `class-weights`, `smote`, `smote:k=3`).
    public var method: String
    /// The seed it ran with.
    public var seed: UInt64
    /// The K-fold fold (1-based), or `nil` for fixed or hold-out splits.
    public var fold: Int?
    /// The share of training labels kept (``ExperimentSpec/labelledFractions``); `nil`: all.
    public var labelledFraction: Double?
    /// Training rows per class before balancing (the labelled rows, with a labelled fraction).
    public var countsBefore: [Int]
    /// Rows per class after balancing, or `nil` when it failed.
    public var countsAfter: [Int]?
    /// Warnings the method gave (tiny-class fallbacks).
    public var warnings: [String]
    /// The error that stopped it, or `nil`.
    public var error: String?
    /// Wall time, seconds.
    public var seconds: Double
    /// Peak resident memory of the process after this step, bytes (a high-water mark: it never
    /// decreases during a run).
    public var peakMemoryBytes: Int
    /// What each deep generator of the method did (size, loss curves, per-class fidelity of its
    /// rows); `nil` for classic methods.
    public var generators: [GeneratorReport]?
    /// For a balancing that added synthetic rows: their fidelity per raised class (see
    /// ``ExperimentFidelity``); `nil` otherwise.
    public var fidelity: [FidelitySummary]?
    /// Seconds spent measuring ``fidelity`` (not counted in ``seconds``).
    public var fidelitySeconds: Double?

    /// Creates a balancing record.
    public init(method: String, seed: UInt64, fold: Int?, countsBefore: [Int], countsAfter: [Int]?, warnings: [String],
                error: String?, seconds: Double, peakMemoryBytes: Int, generators: [GeneratorReport]? = nil,
                labelledFraction: Double? = nil) {
        self.method = method
        self.seed = seed
        self.fold = fold
        self.labelledFraction = labelledFraction
        self.countsBefore = countsBefore
        self.countsAfter = countsAfter
        self.warnings = warnings
        self.error = error
        self.seconds = seconds
        self.peakMemoryBytes = peakMemoryBytes
        self.generators = generators
    }
}

/// One (balancing, detector, seed, fold) cell: its evaluation on every test set, or its error.
public struct CellRecord: Sendable, Equatable, Codable {
    /// The balancing as written in the spec.
    public var balancing: String
    /// The detector as written in the spec (`dt`, `rf:trees=50`).
    public var detector: String
    /// The detector as trained (with quick settings applied).
    public var trainedDetector: String
    /// The seed.
    public var seed: UInt64
    /// The K-fold fold (1-based), or `nil`.
    public var fold: Int?
    /// The share of training labels kept (``ExperimentSpec/labelledFractions``); `nil`: all.
    public var labelledFraction: Double?
    /// Labelled training rows the detector saw (after balancing), or `nil` when balancing failed.
    public var trainRows: Int?
    /// Rows without labels a semi-supervised detector was also fitted on; `nil` when it used none
    /// (every supervised detector, and every run without a labelled fraction).
    public var unlabelledRows: Int?
    /// The error that stopped the cell (its balancing's or its own), or `nil`.
    public var error: String?
    /// Seconds fitting the detector.
    public var fitSeconds: Double
    /// Seconds predicting all test sets.
    public var predictSeconds: Double
    /// Peak resident memory after this cell, bytes (high-water mark of the process).
    public var peakMemoryBytes: Int
    /// One evaluation per test set of the cell's fold (empty when the cell failed).
    public var evaluations: [TestEvaluation]

    /// Creates a cell record.
    public init(balancing: String, detector: String, trainedDetector: String, seed: UInt64, fold: Int?, trainRows: Int?,
                error: String?, fitSeconds: Double, predictSeconds: Double, peakMemoryBytes: Int, evaluations: [TestEvaluation],
                labelledFraction: Double? = nil) {
        self.balancing = balancing
        self.detector = detector
        self.trainedDetector = trainedDetector
        self.seed = seed
        self.fold = fold
        self.labelledFraction = labelledFraction
        self.trainRows = trainRows
        self.error = error
        self.fitSeconds = fitSeconds
        self.predictSeconds = predictSeconds
        self.peakMemoryBytes = peakMemoryBytes
        self.evaluations = evaluations
    }
}

/// A fitted cell's metrics on one test set.
public struct TestEvaluation: Sendable, Equatable, Codable {
    /// The test set's name (see ``TestSetInfo/name``).
    public var testSet: String
    /// Per-class precision/recall/F1, macro and weighted averages, accuracy, MCC, G-mean, confusion matrix.
    public var report: ClassificationReport
    /// NSL-KDD only: detection of attacks seen in training vs only in the test set.
    public var attackGroups: AttackGroupMetrics?

    /// Creates an evaluation.
    public init(testSet: String, report: ClassificationReport, attackGroups: AttackGroupMetrics?) {
        self.testSet = testSet
        self.report = report
        self.attackGroups = attackGroups
    }
}

/// How well attacks were caught, split into attack names seen in training and names that occur only
/// in the test set (NSL-KDD's novel attacks). An attack row counts as caught when it is predicted
/// as its own category; as detected when it is predicted as any attack (not `normal`).
public struct AttackGroupMetrics: Sendable, Equatable, Codable {
    /// Rows of attacks seen in training.
    public var seenRows: Int
    /// Of those, predicted as their own category.
    public var seenCaught: Int
    /// Of those, predicted as any attack.
    public var seenDetected: Int
    /// Rows of attacks that occur only in the test set.
    public var novelRows: Int
    /// Of those, predicted as their own category.
    public var novelCaught: Int
    /// Of those, predicted as any attack.
    public var novelDetected: Int

    /// Creates the two groups' counts.
    public init(seenRows: Int, seenCaught: Int, seenDetected: Int, novelRows: Int, novelCaught: Int, novelDetected: Int) {
        self.seenRows = seenRows
        self.seenCaught = seenCaught
        self.seenDetected = seenDetected
        self.novelRows = novelRows
        self.novelCaught = novelCaught
        self.novelDetected = novelDetected
    }

    /// Share of seen-attack rows predicted as their own category (0 when there are none).
    public var seenRecall: Double { seenRows == 0 ? 0 : Double(seenCaught) / Double(seenRows) }
    /// Share of novel-attack rows predicted as their own category (0 when there are none).
    public var novelRecall: Double { novelRows == 0 ? 0 : Double(novelCaught) / Double(novelRows) }
    /// Share of seen-attack rows flagged as any attack.
    public var seenDetectionRate: Double { seenRows == 0 ? 0 : Double(seenDetected) / Double(seenRows) }
    /// Share of novel-attack rows flagged as any attack.
    public var novelDetectionRate: Double { novelRows == 0 ? 0 : Double(novelDetected) / Double(novelRows) }
}
