import BallastCore
import BallastData
import BallastLearn
import Foundation

/// Runs an experiment: every (balancing, detector, seed, fold) cell of an ``ExperimentSpec``,
/// fitted on training data only and evaluated on each test set.
///
/// - Preprocessing is fitted on each training part only (once for fixed files such as NSL-KDD).
/// - Each balancing runs once per (seed, fold) and its output is reused by every detector.
/// - A balancing or cell that throws is recorded with its error; the rest go on.
/// - With an output directory, each finished balancing and cell is appended to `journal.jsonl`
///   at once, so a run that is interrupted (killed, out of time) resumes where it stopped when
///   started again with the same specification; at the end `results.json`, `results.csv`,
///   `summary.md` and `report.html` are written (see ``ExperimentOutput``).
///
/// Randomness: splits draw from a seed derived from (seed, dataset); each balancing and each cell
/// from a seed derived from its names, so a cell's result does not depend on which other methods
/// run, in what order, or whether the run was resumed.
///
/// ```swift
/// let spec = ExperimentSpec(name: "demo", datasets: [.simulator(rows: 2_000)],
///                           balancings: ["smote"], detectors: ["dt"], seeds: [1, 2])
/// let results = try ExperimentRunner(spec: spec).run()
/// ```
public struct ExperimentRunner: Sendable {
    /// The experiment.
    public var spec: ExperimentSpec
    /// Where the journal and the outputs go; `nil` runs in memory only.
    public var outputDirectory: String?
    /// Discard an existing journal in the output directory instead of resuming it.
    public var fresh: Bool
    /// Stop (with ``ExperimentError/stopped(cellsDone:cellsTotal:)``) after running this many new
    /// cells; the journal keeps them and a later run continues. `nil`: run everything.
    public var maximumNewCells: Int?

    /// Creates a runner.
    /// - Parameters:
    ///   - spec: the experiment.
    ///   - outputDirectory: the output directory, or `nil` for an in-memory run.
    ///   - fresh: start over even when the directory holds a partial run of this spec.
    ///   - maximumNewCells: run at most this many new cells, then stop.
    public init(spec: ExperimentSpec, outputDirectory: String? = nil, fresh: Bool = false, maximumNewCells: Int? = nil) {
        self.spec = spec
        self.outputDirectory = outputDirectory
        self.fresh = fresh
        self.maximumNewCells = maximumNewCells
    }

    /// Cells the experiment has: datasets × seeds × folds × balancings × detectors.
    public var cellCount: Int {
        spec.datasets.reduce(0) { $0 + ($1.split == .kfold ? $1.effectiveFolds : 1) }
            * spec.seeds.count * spec.plannedBalancings.count * spec.detectors.count
    }

    /// Runs (or resumes) the experiment.
    /// - Parameter progress: called as each step starts and each cell ends.
    /// - Returns: every record, in plan order.
    /// - Throws: ``ExperimentError`` for an invalid spec, a directory holding another experiment, or
    ///   an early stop; ``CatalogError`` for unknown methods; ``DataError`` for unreadable data;
    ///   ``PreprocessingError`` when preprocessing cannot be fitted. Errors of single balancings
    ///   and cells are recorded, not thrown.
    public func run(progress: (ExperimentProgress) -> Void = { _ in }) throws -> ExperimentResults {
        try withoutActuallyEscaping(progress) { try run(reporting: $0) }
    }

    private func run(reporting progress: @escaping (ExperimentProgress) -> Void) throws -> ExperimentResults {
        try spec.validate()
        try checkFilesExist()
        let clock = Stopwatch()
        let journal = try outputDirectory.map { try ExperimentJournal(directory: URL(fileURLWithPath: $0), spec: spec, fresh: fresh) }
        defer { journal?.close() }
        let total = cellCount
        var tracker = ProgressTracker(total: total, alreadyDone: 0, clock: clock, report: progress)

        var datasets: [DatasetResults] = []
        var workSeconds = 0.0
        var newCells = 0
        for dataset in spec.datasets {
            tracker.stage("load \(dataset.name)")
            let data = try ExperimentData(dataset)
            var balancings = journal?.state.balancings[dataset.name] ?? []
            var cells = journal?.state.cells[dataset.name] ?? []
            let doneBalancings = Set(balancings.map { Key(balancing: $0.method, detector: "", seed: $0.seed, fold: $0.fold) })
            var doneCells = Set(cells.map { Key(balancing: $0.balancing, detector: $0.detector, seed: $0.seed, fold: $0.fold) })
            tracker.done += doneCells.count
            var fixedPart: PreparedPart?
            // Test-set descriptions of the first seed: one per fold for K-fold splits.
            var testSets: [Int?: [TestSetInfo]] = [:]
            var featureColumns = 0
            let folds: [Int?] = dataset.split == .kfold ? (1...dataset.effectiveFolds).map { $0 } : [nil]
            for seed in spec.seeds {
                for fold in folds {
                    let pending = spec.plannedBalancings.contains { balancing in
                        spec.detectors.contains { !doneCells.contains(Key(balancing: balancing, detector: $0, seed: seed, fold: fold)) }
                    }
                    guard pending else { continue }
                    let prepared: PreparedPart
                    if let fixedPart {
                        prepared = fixedPart
                    } else {
                        tracker.stage("prepare \(dataset.name) seed \(seed)" + (fold.map { " fold \($0)" } ?? ""))
                        prepared = try PreparedPart(try data.part(seed: seed, fold: fold), spec: spec, data: data)
                        if data.isFixed { fixedPart = prepared }
                    }
                    if seed == spec.seeds[0] {
                        testSets[fold] = prepared.testSetInfos
                        featureColumns = prepared.featureColumns
                    }
                    for balancing in spec.plannedBalancings {
                        let detectors = spec.detectors.filter {
                            !doneCells.contains(Key(balancing: balancing, detector: $0, seed: seed, fold: fold))
                        }
                        guard !detectors.isEmpty else { continue }
                        tracker.stage("balance: \(balancing) (seed \(seed)\(fold.map { ", fold \($0)" } ?? ""))")
                        let (record, balanced) = balance(prepared, balancing: balancing, dataset: dataset.name, seed: seed, fold: fold)
                        workSeconds += record.seconds
                        if !doneBalancings.contains(Key(balancing: balancing, detector: "", seed: seed, fold: fold)) {
                            balancings.append(record)
                            try journal?.append(.init(kind: .balancing, partSeconds: clock.seconds, dataset: dataset.name, balancing: record))
                        }
                        for detector in detectors {
                            if let maximumNewCells, newCells >= maximumNewCells {
                                throw ExperimentError.stopped(cellsDone: tracker.done, cellsTotal: total)
                            }
                            tracker.stage("\(balancing) × \(detector) (seed \(seed)\(fold.map { ", fold \($0)" } ?? ""))")
                            let cell = evaluate(detector, on: balanced, balancing: balancing, record: record, prepared: prepared,
                                                dataset: dataset.name, seed: seed, fold: fold)
                            workSeconds += cell.fitSeconds + cell.predictSeconds
                            cells.append(cell)
                            doneCells.insert(Key(balancing: balancing, detector: detector, seed: seed, fold: fold))
                            try journal?.append(.init(kind: .cell, partSeconds: clock.seconds, dataset: dataset.name, cell: cell))
                            newCells += 1
                            tracker.cellFinished()
                        }
                    }
                }
            }
            for fold in folds where testSets[fold] == nil {  // already done before a resume
                let prepared = try fixedPart ?? PreparedPart(try data.part(seed: spec.seeds[0], fold: fold), spec: spec, data: data)
                testSets[fold] = prepared.testSetInfos
                featureColumns = prepared.featureColumns
            }
            datasets.append(results(of: data, testSets: folds.flatMap { testSets[$0] ?? [] }, featureColumns: featureColumns,
                                    balancings: balancings, cells: cells))
        }
        tracker.stage("write results")
        let earlier = journal?.state.earlierSeconds ?? 0
        var results = ExperimentResults(
            spec: spec, ballastVersion: BallastVersion.current,
            environment: ExperimentEnvironment(threads: Parallel.threadCount, blas: GEMM.blasLibrary,
                                               operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString),
            startedAt: journal?.state.startedAt ?? ExperimentJournal.timestamp(), finishedAt: ExperimentJournal.timestamp(),
            resumedCount: journal?.state.resumedCount ?? 0, totalSeconds: earlier + clock.seconds, workSeconds: 0, datasets: datasets)
        results.workSeconds = Self.workSeconds(of: results)
        if let outputDirectory {
            try ExperimentOutput.writeReadable(results, to: outputDirectory)
            results.totalSeconds = earlier + clock.seconds
            try ExperimentOutput.writeJSON(results, to: outputDirectory)
        }
        tracker.stage("done")
        return results
    }

    /// Seconds of balancing, fitting and predicting recorded in `results` (everything else is the
    /// runner's overhead).
    static func workSeconds(of results: ExperimentResults) -> Double {
        results.datasets.reduce(0) { sum, d in
            sum + d.balancings.reduce(0) { $0 + $1.seconds } + d.cells.reduce(0) { $0 + $1.fitSeconds + $1.predictSeconds }
        }
    }

    /// Identifies a cell (or, with an empty detector, a balancing) of the plan.
    struct Key: Hashable {
        var balancing: String
        var detector: String
        var seed: UInt64
        var fold: Int?
    }

    /// Fails early, naming the file, when an input file is missing.
    private func checkFilesExist() throws {
        let manager = FileManager.default
        for dataset in spec.datasets {
            var files: [String] = []
            switch dataset.source {
            case .nslKDD:
                let directory = URL(fileURLWithPath: dataset.directory ?? ".")
                files = ([dataset.effectiveTrain] + (dataset.split == .fixed ? dataset.effectiveTests : []))
                    .map { directory.appendingPathComponent($0).path }
            case .csv:
                files = [dataset.path, dataset.split == .fixed ? dataset.test : nil].compactMap { $0 }
            case .simulator:
                break
            }
            for file in files where !manager.fileExists(atPath: file) {
                throw DataError(.fileNotFound, "dataset '\(dataset.name)': \(file) does not exist")
            }
        }
    }

    /// Runs one balancing on a prepared training part; a failure is recorded in the record.
    private func balance(_ prepared: PreparedPart, balancing: String, dataset: String, seed: UInt64,
                         fold: Int?) -> (BalancingRecord, LabeledMatrix?) {
        let before = prepared.train.classCounts
        let choice = (try? BalancingChoice(parsing: balancing)) ?? .none
        guard case .resampler(let text) = choice else {
            return (BalancingRecord(method: balancing, seed: seed, fold: fold, countsBefore: before, countsAfter: before, warnings: [],
                                    error: nil, seconds: 0, peakMemoryBytes: ProcessMemory.peakResidentBytes()), prepared.train)
        }
        let clock = Stopwatch()
        var rng = Xoshiro256StarStar(seed: Self.derivedSeed(seed, "balance", dataset, text, fold.map(String.init) ?? ""))
        do {
            let result = try Catalog.resampler(text).fitResample(prepared.train, schema: prepared.schema, using: &rng)
            var record = BalancingRecord(method: balancing, seed: seed, fold: fold, countsBefore: before, countsAfter: result.data.classCounts,
                                         warnings: result.warnings.map(\.description), error: nil, seconds: clock.seconds,
                                         peakMemoryBytes: ProcessMemory.peakResidentBytes(),
                                         generators: result.generators.isEmpty ? nil : result.generators)
            let fidelityClock = Stopwatch()
            var fidelityRng = Xoshiro256StarStar(seed: Self.derivedSeed(seed, "fidelity", dataset, text, fold.map(String.init) ?? ""))
            record.fidelity = ExperimentFidelity.summaries(of: result.data, from: prepared, using: &fidelityRng)
            record.fidelitySeconds = record.fidelity == nil ? nil : fidelityClock.seconds
            return (record, result.data)
        } catch {
            return (BalancingRecord(method: balancing, seed: seed, fold: fold, countsBefore: before, countsAfter: nil, warnings: [],
                                    error: "\(error)", seconds: clock.seconds, peakMemoryBytes: ProcessMemory.peakResidentBytes()), nil)
        }
    }

    /// Fits one detector on balanced rows and evaluates it on every test set; a failure is recorded.
    private func evaluate(_ detector: String, on balanced: LabeledMatrix?, balancing: String, record: BalancingRecord,
                          prepared: PreparedPart, dataset: String, seed: UInt64, fold: Int?) -> CellRecord {
        let choice = (try? DetectorChoice(parsing: detector)) ?? DetectorChoice(spec: AlgorithmSpec(name: detector))
        var cell = CellRecord(balancing: balancing, detector: detector, trainedDetector: choice.effectiveDescription(quick: spec.quick),
                              seed: seed, fold: fold, trainRows: balanced?.count, error: record.error.map { "balancing failed: \($0)" },
                              fitSeconds: 0, predictSeconds: 0, peakMemoryBytes: 0, evaluations: [])
        guard let balanced else {
            cell.peakMemoryBytes = ProcessMemory.peakResidentBytes()
            return cell
        }
        var rng = Xoshiro256StarStar(seed: Self.derivedSeed(seed, "fit", dataset, balancing, detector, fold.map(String.init) ?? ""))
        do {
            let weighted = (try? BalancingChoice(parsing: balancing)) == .classWeights
            let classifier = try choice.classifier(classWeights: weighted, quick: spec.quick)
            let fitClock = Stopwatch()
            let model = try classifier.fit(balanced, using: &rng)
            cell.fitSeconds = fitClock.seconds
            for test in prepared.tests {
                let predictClock = Stopwatch()
                let predicted = try model.predict(test.features)
                cell.predictSeconds += predictClock.seconds
                let report = try ClassificationReport(truth: test.truth, predicted: predicted, classNames: prepared.classNames)
                cell.evaluations.append(TestEvaluation(testSet: test.name, report: report,
                                                       attackGroups: test.attackGroups(predicted: predicted, normal: prepared.normalClass)))
            }
        } catch {
            cell.error = "\(error)"
            cell.evaluations = []
        }
        cell.peakMemoryBytes = ProcessMemory.peakResidentBytes()
        return cell
    }

    /// Assembles a dataset's results in plan order.
    private func results(of data: ExperimentData, testSets: [TestSetInfo], featureColumns: Int, balancings: [BalancingRecord],
                         cells: [CellRecord]) -> DatasetResults {
        let balancingOrder = Dictionary(uniqueKeysWithValues: spec.plannedBalancings.enumerated().map { ($1, $0) })
        let detectorOrder = Dictionary(uniqueKeysWithValues: spec.detectors.enumerated().map { ($1, $0) })
        let seedOrder = Dictionary(uniqueKeysWithValues: spec.seeds.enumerated().map { ($1, $0) })
        func rank(_ seed: UInt64, _ fold: Int?, _ balancing: String, _ detector: String) -> [Int] {
            [seedOrder[seed] ?? .max, fold ?? 0, balancingOrder[balancing] ?? .max, detectorOrder[detector] ?? .max]
        }
        let plannedBalancings = Set(spec.plannedBalancings), plannedDetectors = Set(spec.detectors), seeds = Set(spec.seeds)
        let sortedBalancings = balancings.filter { plannedBalancings.contains($0.method) && seeds.contains($0.seed) }
            .sorted { rank($0.seed, $0.fold, $0.method, "").lexicographicallyPrecedes(rank($1.seed, $1.fold, $1.method, "")) }
        let sortedCells = cells.filter { plannedBalancings.contains($0.balancing) && plannedDetectors.contains($0.detector) && seeds.contains($0.seed) }
            .sorted { rank($0.seed, $0.fold, $0.balancing, $0.detector).lexicographicallyPrecedes(rank($1.seed, $1.fold, $1.balancing, $1.detector)) }
        return DatasetResults(
            name: data.spec.name, description: data.description, simulated: data.simulated, classNames: data.classNames,
            trainCounts: data.trainCounts, featureColumns: featureColumns, testSets: testSets,
            balancings: sortedBalancings, cells: sortedCells)
    }

    /// A seed for one named part of the experiment: FNV-1a of the names, mixed with `seed` by
    /// SplitMix64 (stable across runs, platforms and the other methods in the plan).
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
