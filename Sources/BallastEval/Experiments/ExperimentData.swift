import BallastCore
import BallastData
import Foundation

/// A dataset of an experiment, read once, and the training/test parts each seed and fold uses.
struct ExperimentData {
    /// One training part with its test sets.
    struct Part {
        var train: LabeledTable
        var tests: [(name: String, table: LabeledTable, unknownLabels: [String: Int])]
    }

    let spec: ExperimentDataset
    let description: String
    /// What a reader of the results must know about the data: columns of a CSV that give the
    /// label away (``LabelProxy``).
    var warnings: [String] = []
    let simulated: Bool
    let classNames: [String]
    /// Fixed splits: the one part. Otherwise the whole table, split per seed.
    private enum Storage {
        case fixed(Part)
        case whole(LabeledTable)
    }

    private let storage: Storage
    /// NSL-KDD: attack names of the training file.
    let trainAttacks: Set<String>?

    /// Reads or generates the data.
    /// - Throws: ``DataError`` for unreadable or invalid files; ``ExperimentError`` for an
    ///   unsupported label mode or a test file whose classes cannot be aligned with training.
    init(_ spec: ExperimentDataset) throws {
        self.spec = spec
        switch spec.source {
        case .nslKDD:
            let mode = spec.labelMode ?? .fiveClass
            guard mode != .attackName else {
                throw ExperimentError.invalidSpec("dataset '\(spec.name)': label-mode 'attack' is not supported in experiments "
                    + "(the test sets hold attack names absent from training); use 5class or binary")
            }
            let directory = URL(fileURLWithPath: spec.directory ?? ".")
            let train = try NSLKDD.load(path: directory.appendingPathComponent(spec.effectiveTrain).path, labelMode: mode)
            classNames = train.classNames
            simulated = false
            trainAttacks = Self.attackNames(train).map(Set.init)
            guard spec.split == .fixed else {
                // Model selection: validation splits of the training file; the test files stay unread.
                storage = .whole(train)
                description = "NSL-KDD: \(spec.effectiveTrain) only (test files not read)" + Self.splitDescription(spec)
                return
            }
            var tests: [(String, LabeledTable, [String: Int])] = []
            for file in spec.effectiveTests {
                let test = try NSLKDD.load(path: directory.appendingPathComponent(file).path, labelMode: mode)
                guard test.classNames == train.classNames else {
                    throw ExperimentError.classMismatch(dataset: spec.name, train: train.classNames, test: test.classNames, file: file)
                }
                tests.append((Self.testSetName(file), test, [:]))
            }
            storage = .fixed(Part(train: train, tests: tests))
            description = "NSL-KDD: \(spec.effectiveTrain) → " + spec.effectiveTests.joined(separator: ", ")
        case .csv:
            let loader = DatasetLoader(format: .csv, label: spec.label, drop: spec.drop ?? [])
            let path = spec.path ?? ""
            let data = try loader.load(path: path).data
            classNames = data.classNames
            simulated = false
            trainAttacks = nil
            let file = URL(fileURLWithPath: path).lastPathComponent
            // A label column left in makes every cell look perfect: said on standard error as the
            // run starts and in every output.
            warnings = LabelProxy.find(in: data).map(\.description)
            if spec.split == .fixed, let testPath = spec.test {
                let test = try loader.load(path: testPath).data
                let (aligned, unknown) = Self.align(test, to: data.classNames)
                storage = .fixed(Part(train: data, tests: [(URL(fileURLWithPath: testPath).lastPathComponent, aligned, unknown)]))
                description = "\(file) → \(URL(fileURLWithPath: testPath).lastPathComponent)"
            } else {
                storage = .whole(data)
                description = file + Self.splitDescription(spec)
            }
        case .simulator:
            let rows = spec.rows ?? 20_000
            var rng = Xoshiro256StarStar(seed: ExperimentRunner.derivedSeed(0, "simulate", spec.name, String(rows)))
            let data = try TrafficSimulator(rowCount: rows).generate(using: &rng)
            classNames = data.classNames
            simulated = true
            trainAttacks = nil
            storage = .whole(data)
            description = "simulated traffic (Ballast traffic simulator, \(rows) rows, NSL-KDD schema; not real traffic)"
                + Self.splitDescription(spec)
        }
    }

    /// Every table read, named: the training part (or the whole data, split per seed) and each
    /// fixed test set.
    var tables: [(name: String, table: LabeledTable)] {
        switch storage {
        case .fixed(let part): return [("train", part.train)] + part.tests.map { ($0.name, $0.table) }
        case .whole(let table): return [("data", table)]
        }
    }

    /// Training rows per class of the whole training data.
    var trainCounts: [Int] {
        switch storage {
        case .fixed(let part): return part.train.classCounts
        case .whole(let table): return table.classCounts
        }
    }

    /// How many parts (folds) each seed has.
    var foldCount: Int { spec.split == .kfold ? spec.effectiveFolds : 1 }

    /// Whether every seed shares one part (fixed files), so preprocessing can be reused.
    var isFixed: Bool {
        if case .fixed = storage { return true }
        return false
    }

    /// The training and test rows of one seed and fold (1-based for K-fold, `nil` otherwise).
    /// - Throws: ``SplitError`` when a class is too small for the split.
    func part(seed: UInt64, fold: Int?) throws -> Part {
        let whole: LabeledTable
        switch storage {
        case .fixed(let part): return part
        case .whole(let table): whole = table
        }
        var rng = Xoshiro256StarStar(seed: ExperimentRunner.derivedSeed(seed, "split", spec.name))
        if let fold {
            let folds = try StratifiedKFold(folds: spec.effectiveFolds).split(labels: whole.labels, using: &rng)
            let chosen = folds[fold - 1]
            return Part(train: whole.gatherRows(chosen.train), tests: [("fold \(fold)", whole.gatherRows(chosen.test), [:])])
        }
        let parts = try StratifiedSplit(testFraction: spec.effectiveTestFraction).split(labels: whole.labels, using: &rng)
        return Part(train: whole.gatherRows(parts.train), tests: [("holdout", whole.gatherRows(parts.test), [:])])
    }

    /// The attack name of each row (NSL-KDD metadata), or `nil` for other data.
    static func attackNames(_ table: LabeledTable) -> [String]? {
        guard let column = table.metadata.column(named: "attack"), case .categorical(let codes, let names) = column.values else {
            return nil
        }
        return codes.map { $0 >= 0 && Int($0) < names.count ? names[Int($0)] : "" }
    }

    /// `KDDTest+.txt` → `KDDTest+`.
    static func testSetName(_ file: String) -> String {
        file.hasSuffix(".txt") ? String(file.dropLast(4)) : file
    }

    static func splitDescription(_ spec: ExperimentDataset) -> String {
        switch spec.split {
        case .fixed: return ""
        case .holdout:
            let test = Int((spec.effectiveTestFraction * 100).rounded())
            return ", stratified \(100 - test)/\(test) split per seed"
        case .kfold: return ", stratified \(spec.effectiveFolds)-fold per seed"
        }
    }

    /// Maps a test table's labels onto the training classes by name; rows whose label never occurs in
    /// training are dropped and counted.
    static func align(_ test: LabeledTable, to classNames: [String]) -> (LabeledTable, [String: Int]) {
        if test.classNames == classNames { return (test, [:]) }
        var index: [String: Int] = [:]
        for (i, name) in classNames.enumerated() { index[name] = i }
        var keep: [Int] = []
        var labels: [Int] = []
        var unknown: [String: Int] = [:]
        for (row, label) in test.labels.enumerated() {
            let name = test.classNames[label]
            if let mapped = index[name] {
                keep.append(row)
                labels.append(mapped)
            } else {
                unknown[name, default: 0] += 1
            }
        }
        var aligned = test.gatherRows(keep)
        aligned.labels = labels
        aligned.classNames = classNames
        return (aligned, unknown)
    }
}
