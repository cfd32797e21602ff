import BallastData
import Foundation

/// What an experiment runs: datasets × balancings × detectors × seeds.
///
/// Written as a TOML file (see ``init(toml:name:)`` and `Docs/experiment-spec.md`) or built from
/// `ballast experiment` flags. `"none"` (the no-rebalancing baseline) is always run, first; every
/// other balancing is a resampler from the ``Catalog`` (chains with `+`) or `class-weights`.
/// Balancings and detectors are parsed and checked when the specification is read (a bad entry is
/// refused then, by name) and travel as typed values; they are encoded as written.
public struct ExperimentSpec: Sendable, Equatable, Codable {
    /// A short name for titles (`nsl-kdd-table2`).
    public var name: String
    /// The datasets, each with its split.
    public var datasets: [ExperimentDataset]
    /// Balancings (`none`, `class-weights`, `ros`, `smote:k=3`, `smote+tomek`).
    public var balancings: [BalancingChoice]
    /// Detectors (`dt`, `rf:trees=50`, `gbdt`, `vote`).
    public var detectors: [DetectorChoice]
    /// The seeds; every cell runs once per seed and the report gives mean ± std.
    public var seeds: [UInt64]
    /// The labelled fractions (`labelled-fractions`), a grid axis like ``seeds``: for each fraction
    /// `f`, a stratified sample of the training rows keeps its labels (``LabelledFraction``, seeded
    /// per seed, fold and fraction), balancing and supervised detectors see only those rows, and a
    /// semi-supervised detector (`ssflow`) also gets the other rows without labels. `nil`: every
    /// training row is labelled.
    public var labelledFractions: [Double]?
    /// Quick mode: lighter detector defaults (each catalogue entry's quick profile,
    /// ``CatalogEntry/quickParameters``).
    public var quick: Bool
    /// How features are prepared (fitted on each training part only).
    public var preprocessing: PreprocessingChoice
    /// Published values to compare with (e.g. a paper's table); the report shows each beside the
    /// measured mean with the difference and whether it is within the tolerance.
    public var references: [ReferenceRow]
    /// Free text shown at the top of the summary and report (what the experiment reproduces, known
    /// differences from the original setup).
    public var notes: String?

    /// Creates a specification; ``validate()`` checks it.
    public init(name: String, datasets: [ExperimentDataset], balancings: [BalancingChoice], detectors: [DetectorChoice],
                seeds: [UInt64] = [1, 2, 3], labelledFractions: [Double]? = nil, quick: Bool = false, preprocessing: PreprocessingChoice = PreprocessingChoice(),
                references: [ReferenceRow] = [], notes: String? = nil) {
        self.name = name
        self.datasets = datasets
        self.balancings = balancings
        self.detectors = detectors
        self.seeds = seeds
        self.labelledFractions = labelledFractions
        self.quick = quick
        self.preprocessing = preprocessing
        self.references = references
        self.notes = notes
    }

    private enum CodingKeys: String, CodingKey {
        case name, datasets, balancings, detectors, seeds, labelledFractions, quick, preprocessing, references, notes
    }

    /// Decodes a specification; `references`, `notes` and `labelledFractions` may be absent
    /// (results of older runs).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        datasets = try c.decode([ExperimentDataset].self, forKey: .datasets)
        balancings = try c.decode([BalancingChoice].self, forKey: .balancings)
        detectors = try c.decode([DetectorChoice].self, forKey: .detectors)
        seeds = try c.decode([UInt64].self, forKey: .seeds)
        labelledFractions = try c.decodeIfPresent([Double].self, forKey: .labelledFractions)
        quick = try c.decode(Bool.self, forKey: .quick)
        preprocessing = try c.decode(PreprocessingChoice.self, forKey: .preprocessing)
        references = try c.decodeIfPresent([ReferenceRow].self, forKey: .references) ?? []
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
    }

    /// The balancings in run order: the baseline (`none`) first, each once (`baseline` is `none`,
    /// `class-weight`/`weights` are `class-weights`).
    public var plannedBalancings: [BalancingChoice] { BalancingChoice.withBaseline(balancings) }

    /// The labelled fractions in run order: ``labelledFractions``, or `[nil]` (all labels).
    public var plannedFractions: [Double?] { labelledFractions.map { $0.map { Optional($0) } } ?? [nil] }

    /// Checks every name and number, so that a typo fails before hours of work.
    /// - Throws: ``ExperimentError/invalidSpec(_:)`` naming the field and value; ``CatalogError``
    ///   for a detector that cannot be built with the quick profile.
    public func validate() throws {
        guard !datasets.isEmpty else { throw ExperimentError.invalidSpec("no datasets: give at least one") }
        guard !detectors.isEmpty else { throw ExperimentError.invalidSpec("no detectors: give at least one (e.g. dt)") }
        guard !seeds.isEmpty else { throw ExperimentError.invalidSpec("no seeds: give at least one") }
        guard Set(seeds).count == seeds.count else { throw ExperimentError.invalidSpec("seeds repeat: \(seeds)") }
        try Self.validateLabelledFractions(labelledFractions)
        var names: Set<String> = []
        for dataset in datasets {
            guard names.insert(dataset.name).inserted else {
                throw ExperimentError.invalidSpec("dataset name '\(dataset.name)' is used twice")
            }
            try dataset.validate()
        }
        for detector in detectors { _ = try detector.classifier(classWeights: false, quick: quick) }
        _ = try preprocessing.preprocessor()
        for reference in references {
            for key in reference.values.keys where !ReferenceRow.metrics.contains(key) && !(key.hasPrefix("recall-") && key.count > 7) {
                throw ExperimentError.invalidSpec("reference '\(reference.balancing)': unknown metric '\(key)'; accepted: "
                    + ReferenceRow.metrics.joined(separator: ", ") + ", recall-CLASS")
            }
        }
    }
}

extension ExperimentSpec {
    /// Checks a `labelled-fractions` setting: at least one fraction, each in (0, 1], none twice.
    /// - Parameter fractions: the setting, `nil` when absent.
    /// - Throws: ``ExperimentError/invalidSpec(_:)`` naming `labelled-fractions` and the value.
    public static func validateLabelledFractions(_ fractions: [Double]?) throws {
        guard let fractions else { return }
        guard !fractions.isEmpty else {
            throw ExperimentError.invalidSpec("labelled-fractions is empty: give fractions in (0, 1] such as [0.01, 0.05, 0.1], or leave it out to use every label")
        }
        for f in fractions where !(f.isFinite && f > 0 && f <= 1) {
            throw ExperimentError.invalidSpec("labelled-fractions: \(f) is not a fraction in (0, 1] (0.05 keeps 5% of each class's labels)")
        }
        guard Set(fractions).count == fractions.count else {
            throw ExperimentError.invalidSpec("labelled-fractions repeat: \(fractions)")
        }
    }

    /// A fraction as the tables show it: `5%`, `0.5%`, `100%`.
    /// - Parameter fraction: a fraction in (0, 1].
    public static func percentText(_ fraction: Double) -> String {
        var text = String(format: "%.3f", fraction * 100)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }
}

/// One row of published values to compare with: a balancing × detector on a test set, with the
/// values in percent as the source prints them.
public struct ReferenceRow: Sendable, Equatable, Codable {
    /// The metrics a reference may give (percent): `accuracy`, `weighted-precision`,
    /// `weighted-recall`, `weighted-f1`, `macro-f1`.
    /// (Per-class recalls are given as `recall-CLASS` keys besides these.)
    public static let metrics = ["accuracy", "weighted-precision", "weighted-recall", "weighted-f1", "macro-f1"]

    /// Where the values come from (`DCBN-VAE paper, Table 2`).
    public var source: String
    /// The test set they were measured on (`KDDTest+`).
    public var testSet: String
    /// The balancing, as written in ``ExperimentSpec/balancings`` (`none`, `smote`).
    public var balancing: String
    /// The detector, as written in ``ExperimentSpec/detectors``.
    public var detector: String
    /// The largest difference, in points, counted as reproduced (e.g. 2).
    public var tolerance: Double?
    /// Values by metric name (see ``metrics``), in percent.
    public var values: [String: Double]

    /// Creates a reference row.
    public init(source: String, testSet: String, balancing: String, detector: String, tolerance: Double?, values: [String: Double]) {
        self.source = source
        self.testSet = testSet
        self.balancing = balancing
        self.detector = detector
        self.tolerance = tolerance
        self.values = values
    }
}

/// One dataset of an experiment and how it is split.
public struct ExperimentDataset: Sendable, Equatable, Codable {
    /// Where the data comes from.
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// NSL-KDD's fixed files in a directory.
        case nslKDD = "nsl-kdd"
        /// Any labelled CSV (or a second CSV as the test set).
        case csv
        /// The seeded traffic simulator (NSL-KDD schema; labelled "simulated").
        case simulator
    }

    /// How training and test rows are formed.
    public enum Split: String, Sendable, Codable, CaseIterable {
        /// The dataset's own files (NSL-KDD: `train` → every file of `tests`; CSV: `path` → `test`).
        case fixed
        /// One stratified hold-out split with ``ExperimentDataset/testFraction``, drawn from each seed.
        case holdout
        /// Stratified K-fold with ``ExperimentDataset/folds`` folds, drawn from each seed.
        case kfold
    }

    /// The name used in tables and file names (`nsl-kdd`, `flows`).
    public var name: String
    /// The source kind.
    public var source: Source
    /// NSL-KDD: the directory holding the files.
    public var directory: String?
    /// NSL-KDD: the training file (default `KDDTrain+.txt`).
    public var train: String?
    /// NSL-KDD: the test files (default `KDDTest+.txt`, `KDDTest-21.txt`).
    public var tests: [String]?
    /// NSL-KDD: how records are labelled (default five classes).
    public var labelMode: NSLKDD.LabelMode?
    /// CSV: the file.
    public var path: String?
    /// CSV: a separate test file for the fixed split.
    public var test: String?
    /// CSV: the label column.
    public var label: String?
    /// CSV: columns to drop besides those detected as identifiers.
    public var drop: [String]?
    /// Simulator: rows to generate.
    public var rows: Int?
    /// The split.
    public var split: Split
    /// Hold-out test share (default 0.3).
    public var testFraction: Double?
    /// K-fold folds (default 5).
    public var folds: Int?

    /// Creates a dataset entry.
    public init(name: String, source: Source, directory: String? = nil, train: String? = nil, tests: [String]? = nil,
                labelMode: NSLKDD.LabelMode? = nil, path: String? = nil, test: String? = nil, label: String? = nil,
                drop: [String]? = nil, rows: Int? = nil, split: Split, testFraction: Double? = nil, folds: Int? = nil) {
        self.name = name
        self.source = source
        self.directory = directory
        self.train = train
        self.tests = tests
        self.labelMode = labelMode
        self.path = path
        self.test = test
        self.label = label
        self.drop = drop
        self.rows = rows
        self.split = split
        self.testFraction = testFraction
        self.folds = folds
    }

    /// NSL-KDD in `directory`: KDDTrain+ (or the 20% subset) → KDDTest+ and KDDTest-21.
    public static func nslKDD(directory: String, name: String = "nsl-kdd", trainSubset: Bool = false,
                              labelMode: NSLKDD.LabelMode = .fiveClass) -> ExperimentDataset {
        ExperimentDataset(name: name, source: .nslKDD, directory: directory,
                          train: trainSubset ? "KDDTrain+_20Percent.txt" : "KDDTrain+.txt",
                          tests: ["KDDTest+.txt", "KDDTest-21.txt"], labelMode: labelMode, split: .fixed)
    }

    /// The simulator with `rows` rows and a stratified hold-out split.
    public static func simulator(rows: Int, testFraction: Double = 0.3, name: String = "simulated") -> ExperimentDataset {
        ExperimentDataset(name: name, source: .simulator, rows: rows, split: .holdout, testFraction: testFraction)
    }

    /// The hold-out test share in effect.
    public var effectiveTestFraction: Double { testFraction ?? 0.3 }
    /// The number of folds in effect.
    public var effectiveFolds: Int { folds ?? 5 }
    /// The NSL-KDD training file in effect.
    public var effectiveTrain: String { train ?? "KDDTrain+.txt" }
    /// The NSL-KDD test files in effect.
    public var effectiveTests: [String] { tests ?? ["KDDTest+.txt", "KDDTest-21.txt"] }

    /// Checks the fields the source and split need.
    /// - Throws: ``ExperimentError/invalidSpec(_:)`` naming the dataset, field and value.
    public func validate() throws {
        func fail(_ message: String) -> ExperimentError { .invalidSpec("dataset '\(name)': \(message)") }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ExperimentError.invalidSpec("dataset name '\(name)': use letters, digits, '-', '_' or '.'")
        }
        switch source {
        case .nslKDD:
            guard directory != nil else { throw fail("nsl-kdd needs directory = \"…/nsl-kdd\"") }
            // holdout / kfold split the training file alone (model selection: no test file is read).
            guard !effectiveTests.isEmpty else { throw fail("tests is empty: name at least one test file") }
        case .csv:
            guard path != nil else { throw fail("csv needs path = \"file.csv\"") }
            if split == .fixed, test == nil { throw fail("split \"fixed\" needs test = \"test.csv\"; or use split = \"holdout\" or \"kfold\"") }
        case .simulator:
            guard let rows, rows >= 100 else { throw fail("simulator needs rows ≥ 100 (got \(rows.map(String.init) ?? "none"))") }
            do { try TrafficSimulator(rowCount: rows).requireMemory() } catch { throw fail("rows: \(error)") }
            guard split != .fixed else { throw fail("the simulator has no fixed files; use split = \"holdout\" or \"kfold\"") }
        }
        if split == .holdout, !(effectiveTestFraction > 0 && effectiveTestFraction < 1) {
            throw fail("test-fraction \(effectiveTestFraction) must be between 0 and 1")
        }
        if split == .kfold, !(2...100).contains(effectiveFolds) { throw fail("folds \(effectiveFolds) must be between 2 and 100") }
    }
}

/// How features are prepared, by name (TOML/flags friendly); see ``Preprocessor``.
public struct PreprocessingChoice: Sendable, Equatable, Codable {
    /// `zscore` (default), `minmax` ([0, 1]), `minmax-sym` ([-1, 1]) or `none`.
    public var scaling: String
    /// `auto` (heavy-tail rule, default) or `none`.
    public var log: String
    /// `onehot` (default) or `ordinal`.
    public var categorical: String

    /// Creates a choice; ``preprocessor()`` validates it.
    public init(scaling: String = "zscore", log: String = "auto", categorical: String = "onehot") {
        self.scaling = scaling
        self.log = log
        self.categorical = categorical
    }

    /// The preprocessing configuration.
    /// - Throws: ``ExperimentError/invalidSpec(_:)`` naming the field and value.
    public func preprocessor() throws -> Preprocessor {
        let scaling: Preprocessor.Scaling
        switch self.scaling {
        case "zscore": scaling = .zScore
        case "minmax": scaling = .minMax(lower: 0, upper: 1)
        case "minmax-sym": scaling = .minMax(lower: -1, upper: 1)
        case "none": scaling = .none
        default: throw ExperimentError.invalidSpec("preprocessing scaling '\(self.scaling)': expected zscore, minmax, minmax-sym or none")
        }
        let log: Preprocessor.LogTransform
        switch self.log {
        case "auto": log = .auto
        case "none": log = .none
        default: throw ExperimentError.invalidSpec("preprocessing log '\(self.log)': expected auto or none")
        }
        let encoding: Preprocessor.CategoricalEncoding
        switch categorical {
        case "onehot": encoding = .oneHot
        case "ordinal": encoding = .ordinal
        default: throw ExperimentError.invalidSpec("preprocessing categorical '\(categorical)': expected onehot or ordinal")
        }
        return Preprocessor(categoricalEncoding: encoding, scaling: scaling, logTransform: log)
    }
}
