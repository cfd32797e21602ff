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
    /// Run only this shard of the plan (see ``ExperimentShard``); `nil`: the whole plan. The
    /// shards' directories are combined by ``ExperimentMerge``.
    public var shard: ExperimentShard?
    /// Run no cell: read the journal in the output directory (without changing it) and write the
    /// outputs of the cells finished so far under ``ExperimentOutput/partialPrefix`` (marked
    /// ``ExperimentResults/unfinished`` while cells are missing). The run's own outputs are never
    /// touched, so this is safe while the run goes on in another process. It loads the data and
    /// prepares the first seed's training part (to describe the test sets), like a run's start.
    public var reportOnly: Bool
    /// Called with each warning about a dataset as it is loaded (the results carry them too), so
    /// that a long run's user hears of a problem with the data before the run, not after.
    public var warn: (@Sendable (String) -> Void)?

    /// Creates a runner.
    /// - Parameters:
    ///   - spec: the experiment.
    ///   - outputDirectory: the output directory, or `nil` for an in-memory run.
    ///   - fresh: start over even when the directory holds a partial run of this spec.
    ///   - maximumNewCells: run at most this many new cells, then stop.
    ///   - shard: run only this shard of the plan.
    ///   - reportOnly: run nothing; report the cells the output directory's journal holds.
    public init(spec: ExperimentSpec, outputDirectory: String? = nil, fresh: Bool = false, maximumNewCells: Int? = nil,
                shard: ExperimentShard? = nil, reportOnly: Bool = false) {
        self.spec = spec
        self.outputDirectory = outputDirectory
        self.fresh = fresh
        self.maximumNewCells = maximumNewCells
        self.shard = shard
        self.reportOnly = reportOnly
    }

    /// Cells the experiment has: datasets × seeds × folds × labelled fractions × balancings × detectors.
    public var cellCount: Int {
        spec.datasets.reduce(0) { $0 + ($1.split == .kfold ? $1.effectiveFolds : 1) }
            * spec.seeds.count * spec.plannedFractions.count * spec.plannedBalancings.count * spec.detectors.count
    }

    /// The units this runner runs: the whole plan, or its shard.
    public var plan: ExperimentPlan { ExperimentPlan(spec: spec, shard: shard) }

    /// Runs (or resumes) the experiment.
    /// - Parameter progress: called as each step starts and each cell ends.
    /// - Returns: every record, in plan order.
    /// - Throws: ``ExperimentError`` for an invalid spec, a directory holding another experiment (or
    ///   another shard), an early stop, or (``reportOnly``) a directory without a journal;
    ///   ``CatalogError`` for unknown methods; ``DataError`` for unreadable data;
    ///   ``PreprocessingError`` when preprocessing cannot be fitted. Errors of single balancings and
    ///   cells are recorded, not thrown.
    public func run(progress: (ExperimentProgress) -> Void = { _ in }) throws -> ExperimentResults {
        try withoutActuallyEscaping(progress) { try run(reporting: $0) }
    }

    /// Plan → resume → execute, per dataset; then the results are assembled and written.
    private func run(reporting progress: @escaping (ExperimentProgress) -> Void) throws -> ExperimentResults {
        try spec.validate()
        try checkFilesExist()
        let clock = Stopwatch()
        let plan = self.plan
        let journal: ExperimentJournal?, state: ExperimentJournal.State?
        if reportOnly {
            guard let outputDirectory else { throw ExperimentError.invalidSpec("a report of finished cells needs the run's output directory") }
            (journal, state) = (nil, try readForReport(outputDirectory))
        } else {
            journal = try outputDirectory.map {
                try ExperimentJournal(directory: URL(fileURLWithPath: $0), spec: spec, shard: shard, fresh: fresh)
            }
            state = journal?.state
        }
        defer { journal?.close() }
        var execution = Execution(journal: journal, clock: clock, maximumNewCells: maximumNewCells,
                                  tracker: ProgressTracker(total: plan.cellCount, alreadyDone: 0, clock: clock, report: progress))
        var datasets: [DatasetResults] = []
        for dataset in spec.datasets {
            execution.tracker.stage("load \(dataset.name)")
            let data = try ExperimentData(dataset)
            for warning in data.warnings { warn?("dataset '\(dataset.name)': \(warning)") }
            let units = plan.units(of: dataset.name)
            var records = DatasetRecords(resuming: state, dataset: dataset.name, units: units)
            execution.tracker.done += records.doneCells.count
            let pending = reportOnly ? [] : records.pending(units)
            let descriptions = try execute(pending, data: data, records: &records, execution: &execution)
            datasets.append(results(of: data, descriptions: descriptions, records: records))
        }
        execution.tracker.stage("write results")
        // A report-only pass adds none of its own time: the run's time is what its journal recorded.
        let earlier = state?.earlierSeconds ?? 0, ownSeconds = { reportOnly ? 0 : clock.seconds }
        var results = ExperimentResults(
            spec: spec, ballastVersion: reportOnly ? state?.ballastVersion ?? BallastVersion.current : BallastVersion.current,
            environment: ExperimentEnvironment(threads: Parallel.threadCount, blas: GEMM.blasLibrary,
                                               operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString),
            startedAt: state?.startedAt ?? ExperimentJournal.timestamp(), finishedAt: ExperimentJournal.timestamp(),
            resumedCount: state?.resumedCount ?? 0, totalSeconds: earlier + ownSeconds(), workSeconds: 0, datasets: datasets)
        results.shard = shard
        results.workSeconds = Self.workSeconds(of: results)
        let cellsDone = datasets.reduce(0) { $0 + $1.cells.count }
        if cellsDone < plan.cellCount { results.unfinished = UnfinishedRun(cellsDone: cellsDone, cellsPlanned: plan.cellCount) }
        if let outputDirectory {
            let prefix = reportOnly ? ExperimentOutput.partialPrefix : ""
            try ExperimentOutput.writeReadable(results, to: outputDirectory, prefix: prefix)
            results.totalSeconds = earlier + ownSeconds()
            try ExperimentOutput.writeJSON(results, to: outputDirectory, prefix: prefix)
            if !reportOnly { ExperimentOutput.removePartial(in: outputDirectory) }
        }
        execution.tracker.stage("done")
        return results
    }

    /// The state of the run in `directory`, read for a report without changing its journal.
    /// - Throws: ``ExperimentError/nothingToReport(directory:)`` without a journal;
    ///   ``ExperimentError/cannotReport(_:)`` when the journal belongs to another spec or shard, or
    ///   cannot be read (advice that fits a report, not a run: nothing is to be discarded).
    private func readForReport(_ directory: String) throws -> ExperimentJournal.State {
        let found: ExperimentJournal.Existing?
        do {
            found = try ExperimentJournal.existing(in: URL(fileURLWithPath: directory), spec: spec, shard: shard)
        } catch ExperimentError.specChanged {
            throw ExperimentError.cannotReport("\(directory) holds a run of a different specification; give --report-only the run's "
                + "own command (the same spec file or flags)")
        } catch ExperimentError.shardChanged(_, let found, let requested) {
            throw ExperimentError.cannotReport("\(directory) holds \(found) of this experiment, not \(requested); give --report-only "
                + "the run's own command, --shard included")
        } catch ExperimentError.corruptJournal(let file, let line, let message) {
            throw ExperimentError.cannotReport("\(file), line \(line): \(message)"
                + (line == 1 ? " (if the run has only just started, try again once it has written its first line)" : ""))
        }
        guard let found else { throw ExperimentError.nothingToReport(directory: directory) }
        return found.state
    }

    /// What the execution of a plan carries from unit to unit.
    struct Execution {
        let journal: ExperimentJournal?
        let clock: Stopwatch
        let maximumNewCells: Int?
        var tracker: ProgressTracker
        var newCells = 0
    }

    /// A dataset's records: those of earlier parts of the run (from the journal, limited to the
    /// plan's units) and those this run adds.
    struct DatasetRecords {
        var balancings: [BalancingRecord] = []
        var cells: [CellRecord] = []
        var doneBalancings: Set<Key> = []
        var doneCells: Set<Key> = []

        /// The journal's records of `dataset` that belong to `units`.
        init(resuming state: ExperimentJournal.State?, dataset: String, units: [ExperimentUnit]) {
            var plannedBalancings: Set<Key> = [], plannedCells: Set<Key> = []
            for unit in units {
                plannedBalancings.insert(Key(unit, detector: ""))
                for detector in unit.detectors { plannedCells.insert(Key(unit, detector: detector.text)) }
            }
            for record in state?.balancings[dataset] ?? [] {
                let key = Key(record)
                if plannedBalancings.contains(key), doneBalancings.insert(key).inserted { balancings.append(record) }
            }
            for record in state?.cells[dataset] ?? [] {
                let key = Key(record)
                if plannedCells.contains(key), doneCells.insert(key).inserted { cells.append(record) }
            }
        }

        /// `units` with the detectors still to run (units with none left are dropped).
        func pending(_ units: [ExperimentUnit]) -> [ExperimentUnit] {
            units.compactMap { unit in
                var left = unit
                left.detectors = unit.detectors.filter { !doneCells.contains(Key(unit, detector: $0.text)) }
                return left.detectors.isEmpty ? nil : left
            }
        }
    }

    /// Test sets and feature count of the first seed's part of each fold (what the results describe).
    typealias PartDescriptions = [Int?: (testSets: [TestSetInfo], featureColumns: Int)]

    /// Runs `pending` units of one dataset: each (seed, fold) part is prepared once, each unit's
    /// balancing runs once and its detectors are fitted on the output; every record goes to the
    /// journal as soon as it exists.
    /// - Returns: the descriptions of the first seed's parts, every fold included.
    /// - Throws: ``ExperimentError/stopped(cellsDone:cellsTotal:)`` at the new-cell limit;
    ///   preprocessing, split and journal errors.
    private func execute(_ pending: [ExperimentUnit], data: ExperimentData, records: inout DatasetRecords,
                         execution: inout Execution) throws -> PartDescriptions {
        var fixedPart: PreparedPart?
        var descriptions: PartDescriptions = [:]
        func prepare(seed: UInt64, fold: Int?) throws -> PreparedPart {
            if let fixedPart { return fixedPart }
            execution.tracker.stage("prepare \(data.spec.name) seed \(seed)" + (fold.map { " fold \($0)" } ?? ""))
            let prepared = try PreparedPart(try data.part(seed: seed, fold: fold), spec: spec, data: data)
            if data.isFixed { fixedPart = prepared }
            if seed == spec.seeds.first { descriptions[fold] = (prepared.testSetInfos, prepared.featureColumns) }
            return prepared
        }
        var current: (seed: UInt64, fold: Int?, part: PreparedPart)?
        var labelled: (seed: UInt64, fold: Int?, fraction: Double, part: PreparedPart)?
        for unit in pending {
            var prepared: PreparedPart
            if let current, current.seed == unit.seed, current.fold == unit.fold {
                prepared = current.part
            } else {
                prepared = try prepare(seed: unit.seed, fold: unit.fold)
                current = (unit.seed, unit.fold, prepared)
            }
            if let fraction = unit.labelledFraction {
                if let labelled, labelled.seed == unit.seed, labelled.fold == unit.fold, labelled.fraction == fraction {
                    prepared = labelled.part
                } else {
                    // The same labelled rows for every balancing and detector of this (seed, fold, fraction).
                    var rng = Xoshiro256StarStar(seed: Self.derivedSeed(unit.seed, ["labels", unit.dataset, unit.fold.map(String.init) ?? "",
                                                                                    String(fraction)]))
                    prepared = try prepared.keepingLabels(fraction, using: &rng)
                    labelled = (unit.seed, unit.fold, fraction, prepared)
                }
            }
            try execute(unit, on: prepared, records: &records, execution: &execution)
        }
        let folds: [Int?] = data.spec.split == .kfold ? (1...data.spec.effectiveFolds).map { $0 } : [nil]
        for fold in folds where descriptions[fold] == nil {  // done before a resume, or in another shard
            let prepared = try fixedPart ?? PreparedPart(try data.part(seed: spec.seeds[0], fold: fold), spec: spec, data: data)
            descriptions[fold] = (prepared.testSetInfos, prepared.featureColumns)
        }
        return descriptions
    }

    /// Runs one unit: its balancing, then each of its (pending) detectors.
    private func execute(_ unit: ExperimentUnit, on prepared: PreparedPart, records: inout DatasetRecords,
                         execution: inout Execution) throws {
        let place = "seed \(unit.seed)\(unit.fold.map { ", fold \($0)" } ?? "")"
            + (unit.labelledFraction.map { ", \(ExperimentSpec.percentText($0)) labels" } ?? "")
        execution.tracker.stage("balance: \(unit.balancing.name) (\(place))")
        let (record, balanced) = balance(prepared, unit: unit)
        let balancingKey = Key(unit, detector: "")
        if records.doneBalancings.insert(balancingKey).inserted {
            records.balancings.append(record)
            try execution.journal?.append(.init(kind: .balancing, partSeconds: execution.clock.seconds, dataset: unit.dataset,
                                                balancing: record))
        }
        for detector in unit.detectors {
            if let limit = execution.maximumNewCells, execution.newCells >= limit {
                throw ExperimentError.stopped(cellsDone: execution.tracker.done, cellsTotal: execution.tracker.total)
            }
            execution.tracker.stage("\(unit.balancing.name) × \(detector.text) (\(place))")
            let cell = evaluate(detector, on: balanced, record: record, prepared: prepared, unit: unit)
            records.cells.append(cell)
            records.doneCells.insert(Key(unit, detector: detector.text))
            try execution.journal?.append(.init(kind: .cell, partSeconds: execution.clock.seconds, dataset: unit.dataset, cell: cell))
            execution.newCells += 1
            execution.tracker.cellFinished()
        }
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
        var labelledFraction: Double?

        /// The key of `unit`'s balancing (empty `detector`) or of one of its cells.
        init(_ unit: ExperimentUnit, detector: String) {
            self.init(balancing: unit.balancing.name, detector: detector, seed: unit.seed, fold: unit.fold, labelledFraction: unit.labelledFraction)
        }

        /// The key of a recorded balancing.
        init(_ record: BalancingRecord) {
            self.init(balancing: record.method, detector: "", seed: record.seed, fold: record.fold, labelledFraction: record.labelledFraction)
        }

        /// The key of a recorded cell.
        init(_ cell: CellRecord) {
            self.init(balancing: cell.balancing, detector: cell.detector, seed: cell.seed, fold: cell.fold, labelledFraction: cell.labelledFraction)
        }

        init(balancing: String, detector: String, seed: UInt64, fold: Int?, labelledFraction: Double?) {
            self.balancing = balancing
            self.detector = detector
            self.seed = seed
            self.fold = fold
            self.labelledFraction = labelledFraction
        }
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

    /// The names a unit's random streams are derived from after the step's own names: its fold,
    /// and its labelled fraction when it has one (so runs without one keep their seeds).
    private static func place(_ unit: ExperimentUnit) -> [String] {
        [unit.fold.map(String.init) ?? ""] + (unit.labelledFraction.map { ["labels", String($0)] } ?? [])
    }

    /// Runs one unit's balancing on a prepared training part (its labelled rows); a failure is
    /// recorded in the record.
    private func balance(_ prepared: PreparedPart, unit: ExperimentUnit) -> (BalancingRecord, LabeledMatrix?) {
        let before = prepared.train.classCounts
        func record(countsAfter: [Int]?, warnings: [String] = [], error: String? = nil, seconds: Double = 0,
                    generators: [GeneratorReport]? = nil) -> BalancingRecord {
            BalancingRecord(method: unit.balancing.name, seed: unit.seed, fold: unit.fold, countsBefore: before, countsAfter: countsAfter,
                            warnings: warnings, error: error, seconds: seconds, peakMemoryBytes: ProcessMemory.peakResidentBytes(),
                            generators: generators, labelledFraction: unit.labelledFraction)
        }
        guard case .resampler(let resampler) = unit.balancing.method else { return (record(countsAfter: before), prepared.train) }
        let text = unit.balancing.name
        let clock = Stopwatch()
        var rng = Xoshiro256StarStar(seed: Self.derivedSeed(unit.seed, ["balance", unit.dataset, text] + Self.place(unit)))
        do {
            let result = try resampler.fitResample(prepared.train, schema: prepared.schema, using: &rng)
            var balanced = record(countsAfter: result.data.classCounts, warnings: result.warnings.map(\.description), seconds: clock.seconds,
                                  generators: result.generators.isEmpty ? nil : result.generators)
            let fidelityClock = Stopwatch()
            var fidelityRng = Xoshiro256StarStar(seed: Self.derivedSeed(unit.seed, ["fidelity", unit.dataset, text] + Self.place(unit)))
            balanced.fidelity = ExperimentFidelity.summaries(of: result.data, from: prepared, using: &fidelityRng)
            balanced.fidelitySeconds = balanced.fidelity == nil ? nil : fidelityClock.seconds
            return (balanced, result.data)
        } catch {
            return (record(countsAfter: nil, error: "\(error)", seconds: clock.seconds), nil)
        }
    }

    /// Fits one detector on balanced rows (a semi-supervised one also on the part's unlabelled
    /// rows) and evaluates it on every test set; a failure is recorded.
    private func evaluate(_ choice: DetectorChoice, on balanced: LabeledMatrix?, record: BalancingRecord, prepared: PreparedPart,
                          unit: ExperimentUnit) -> CellRecord {
        let detector = choice.text
        var cell = CellRecord(balancing: unit.balancing.name, detector: detector, trainedDetector: choice.effectiveDescription(quick: spec.quick),
                              seed: unit.seed, fold: unit.fold, trainRows: balanced?.count, error: record.error.map { "balancing failed: \($0)" },
                              fitSeconds: 0, predictSeconds: 0, peakMemoryBytes: 0, evaluations: [], labelledFraction: unit.labelledFraction)
        guard let balanced else {
            cell.peakMemoryBytes = ProcessMemory.peakResidentBytes()
            return cell
        }
        var rng = Xoshiro256StarStar(seed: Self.derivedSeed(unit.seed, ["fit", unit.dataset, unit.balancing.name, detector] + Self.place(unit)))
        do {
            let classifier = try choice.classifier(classWeights: unit.balancing.isClassWeights, quick: spec.quick)
            let fitClock = Stopwatch()
            let (model, usedUnlabelled) = try fitWithUnlabelled(classifier, labelled: balanced, unlabelled: prepared.unlabelled,
                                                                 schema: prepared.schema, using: &rng)
            cell.fitSeconds = fitClock.seconds
            cell.unlabelledRows = usedUnlabelled ? prepared.unlabelled.rows : nil
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
    private func results(of data: ExperimentData, descriptions: PartDescriptions, records: DatasetRecords) -> DatasetResults {
        let folds: [Int?] = data.spec.split == .kfold ? (1...data.spec.effectiveFolds).map { $0 } : [nil]
        var results = DatasetResults(
            name: data.spec.name, description: data.description, simulated: data.simulated, classNames: data.classNames,
            trainCounts: data.trainCounts, featureColumns: folds.compactMap { descriptions[$0]?.featureColumns }.last ?? 0,
            testSets: folds.flatMap { descriptions[$0]?.testSets ?? [] },
            balancings: records.balancings, cells: records.cells)
        results.dataFingerprint = data.fingerprint
        results.warnings = data.warnings.isEmpty ? nil : data.warnings
        Self.sortInPlanOrder(&results, spec: spec)
        return results
    }

    /// Sorts a dataset's records in plan order: seed, fold, labelled fraction, balancing, detector
    /// (as the spec lists them).
    static func sortInPlanOrder(_ results: inout DatasetResults, spec: ExperimentSpec) {
        let balancingOrder = Dictionary(spec.plannedBalancings.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let detectorOrder = Dictionary(spec.detectors.enumerated().map { ($1.text, $0) }, uniquingKeysWith: { a, _ in a })
        let seedOrder = Dictionary(spec.seeds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let fractionOrder = Dictionary(spec.plannedFractions.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func rank(_ seed: UInt64, _ fold: Int?, _ fraction: Double?, _ balancing: String, _ detector: String) -> [Int] {
            [seedOrder[seed] ?? .max, fold ?? 0, fractionOrder[fraction] ?? .max, balancingOrder[balancing] ?? .max, detectorOrder[detector] ?? .max]
        }
        results.balancings.sort {
            rank($0.seed, $0.fold, $0.labelledFraction, $0.method, "")
                .lexicographicallyPrecedes(rank($1.seed, $1.fold, $1.labelledFraction, $1.method, ""))
        }
        results.cells.sort {
            rank($0.seed, $0.fold, $0.labelledFraction, $0.balancing, $0.detector)
                .lexicographicallyPrecedes(rank($1.seed, $1.fold, $1.labelledFraction, $1.balancing, $1.detector))
        }
    }

    /// A seed for one named part of the experiment: FNV-1a of the names, mixed with `seed` by
    /// SplitMix64 (stable across runs, platforms and the other methods in the plan).
    static func derivedSeed(_ seed: UInt64, _ names: String...) -> UInt64 { derivedSeed(seed, names) }

    /// ``derivedSeed(_:_:)-(_,String...)`` with the names as an array.
    static func derivedSeed(_ seed: UInt64, _ names: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in names.joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: seed ^ hash)
        return mixer.next()
    }
}
