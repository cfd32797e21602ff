/// An ``ExperimentResults`` reduced to what the tables and charts show: for every dataset, test
/// set, balancing and detector, each metric's mean ± sample std over the runs (seeds, and folds for
/// K-fold splits) that succeeded, and for every balancing the class counts before and after.
///
/// Rules the renderings rely on:
/// - Only successful runs are averaged; ``Row/succeeded`` says how many (a balancing that failed for
///   some seeds shows fewer runs than seeds). A row where every run failed has no metrics and lists
///   its errors.
/// - A per-class metric of a class with no rows in the test set is absent (`n/a`), never NaN.
/// - K-fold evaluations (each on its own fold) are pooled into one test set named
///   ``pooledFoldsTestSet``, so mean ± std runs over seeds × folds.
/// - "Best" (``best(_:among:)``) compares means at the printed precision; failed rows are never best.
public struct ExperimentSummary: Sendable, Equatable {
    /// One (test set, balancing, detector) row: the mean ± std of every metric over successful runs.
    public struct Row: Sendable, Equatable {
        /// The test set (or ``ExperimentSummary/pooledFoldsTestSet``).
        public var testSet: String
        /// The balancing as written in the spec.
        public var balancing: String
        /// The detector as written in the spec.
        public var detector: String
        /// Runs recorded (seeds × folds).
        public var runs: Int
        /// Runs that succeeded and were evaluated on this test set.
        public var succeeded: Int
        /// Mean ± std per metric; a metric undefined in every run (a class without test rows) is absent.
        public var metrics: [SummaryMetric: MeanStd]
        /// Seconds fitting the detector, over successful runs.
        public var fitSeconds: MeanStd?
        /// Seconds predicting all test sets, over successful runs.
        public var predictSeconds: MeanStd?
        /// Seconds balancing the training data, over the balancing's successful runs.
        public var balanceSeconds: MeanStd?
        /// Training rows the detector saw, over successful runs.
        public var trainRows: MeanStd?
        /// Distinct errors of the runs that failed, in run order.
        public var errors: [String]
        /// The confusion matrix of the first successful run (first seed and fold), for heatmaps.
        public var firstConfusion: ConfusionMatrix?
        /// The seed of ``firstConfusion``'s run.
        public var firstSeed: UInt64?
        /// The fold of ``firstConfusion``'s run, for K-fold splits.
        public var firstFold: Int?

        /// The metric's mean ± std, or `nil` when undefined or when every run failed.
        /// - Parameter metric: the metric.
        public func value(_ metric: SummaryMetric) -> MeanStd? { metrics[metric] }

        /// Whether every run failed.
        public var failed: Bool { succeeded == 0 }
    }

    /// What one balancing did to the training rows, over its runs.
    public struct BalancingSummary: Sendable, Equatable {
        /// The balancing as written in the spec.
        public var method: String
        /// Runs recorded (seeds × folds).
        public var runs: Int
        /// Runs that succeeded.
        public var succeeded: Int
        /// Mean ± std training rows per class before balancing (class-name order).
        public var countsBefore: [MeanStd?]
        /// Mean ± std rows per class after balancing, over successful runs; `nil` when all failed.
        public var countsAfter: [MeanStd?]?
        /// Seconds balancing, over successful runs.
        public var seconds: MeanStd?
        /// The highest peak resident memory recorded after this balancing, bytes.
        public var peakMemoryBytes: Int
        /// Distinct errors, in run order.
        public var errors: [String]
        /// Distinct warnings, in run order.
        public var warnings: [String]
    }

    /// A run that failed: a balancing (``detector`` is `nil`) or a cell.
    public struct Failure: Sendable, Equatable {
        /// The dataset's name.
        public var dataset: String
        /// The balancing.
        public var balancing: String
        /// The detector, or `nil` for a failed balancing.
        public var detector: String?
        /// The seed.
        public var seed: UInt64
        /// The K-fold fold, or `nil`.
        public var fold: Int?
        /// The share of training labels kept, or `nil` for all.
        public var labelledFraction: Double? = nil
        /// The full error message.
        public var error: String
    }

    /// A (balancing, detector) pair, the rows of a table across test sets.
    public struct RowKey: Sendable, Hashable {
        /// The balancing.
        public var balancing: String
        /// The detector.
        public var detector: String
    }

    /// One dataset's summary (with labelled fractions, one per dataset and fraction).
    public struct Dataset: Sendable, Equatable {
        /// The dataset's name in the spec.
        public var name: String
        /// The share of training labels the runs kept (``ExperimentSpec/labelledFractions``), or
        /// `nil` when every label was used.
        public var labelledFraction: Double? = nil
        /// What the data and split are, in words.
        public var description: String
        /// Whether the data is simulated.
        public var simulated: Bool
        /// Class names, in label order.
        public var classNames: [String]
        /// Feature columns after preprocessing.
        public var featureColumns: Int
        /// Training rows per class before balancing: the mean over the balancings' runs (per fold
        /// for K-fold), or the whole training set's counts when no balancing has run yet.
        public var countsBefore: [MeanStd?]
        /// Test sets in order (K-fold folds pooled into ``ExperimentSummary/pooledFoldsTestSet``).
        public var testSets: [String]
        /// Rows per class of each test set (summed over folds when pooled).
        public var testCounts: [String: [Int]]
        /// Balancings in run order (the baseline first).
        public var balancings: [String]
        /// Detectors in spec order.
        public var detectors: [String]
        /// Rows, test-set-major, then balancing, then detector; only combinations that were run.
        public var rows: [Row]
        /// One summary per balancing, in ``balancings`` order.
        public var balancingSummaries: [BalancingSummary]
        /// Whether any evaluation carries NSL-KDD seen/novel attack counts.
        public var hasAttackGroups: Bool
        /// For an unfinished run: the runs the plan (or the shard's plan) holds per balancing and
        /// detector; empty for a finished run.
        public var plannedRuns: [RowKey: Int] = [:]

        /// Whether any cell of this dataset has finished (only an unfinished run has none).
        public var hasCells: Bool { !rows.isEmpty }

        /// The name for headings: the name, with " (simulated)" added for simulated data unless the
        /// name already says so.
        public var label: String {
            let base = simulated && !name.lowercased().contains("simulated") ? name + " (simulated)" : name
            return base + (labelledFraction.map { ", \(ExperimentSpec.percentText($0)) of the training labels" } ?? "")
        }

        /// The rows of one test set.
        /// - Parameter testSet: a name from ``testSets``.
        public func rows(testSet: String) -> [Row] { rows.filter { $0.testSet == testSet } }

        /// The row of one (test set, balancing, detector), if it was run.
        /// - Parameters:
        ///   - testSet: a name from ``testSets``.
        ///   - balancing: a name from ``balancings``.
        ///   - detector: a name from ``detectors``.
        public func row(testSet: String, balancing: String, detector: String) -> Row? {
            rows.first { $0.testSet == testSet && $0.balancing == balancing && $0.detector == detector }
        }
    }

    /// What a report says in place of the tables of a dataset no cell of which has finished.
    public static let noCellsYet = "No cell of this dataset has finished yet."

    /// The name given to the pooled K-fold test sets.
    public static let pooledFoldsTestSet = "all folds"

    /// The experiment's name.
    public var name: String
    /// The seeds of the spec.
    public var seeds: [UInt64]
    /// One summary per dataset, in spec order.
    public var datasets: [Dataset]
    /// Every failed balancing and cell, in run order.
    public var failures: [Failure]
    /// The distinct error messages, in first-seen order; tables refer to them as `[1]`, `[2]`, ….
    public var errors: [String]
    /// How far the run had got, when the results are those of an unfinished run.
    public var unfinished: UnfinishedRun?

    /// Whether any dataset is simulated (the title then says so).
    public var simulated: Bool { datasets.contains(where: \.simulated) }

    /// Summarises `results`.
    /// - Parameter results: an experiment's results (complete or partial).
    public init(results: ExperimentResults) {
        name = results.spec.name
        seeds = results.spec.seeds
        unfinished = results.unfinished
        let fractions = results.spec.plannedFractions
        // The runs planned per row, for the "1/1 of 3" of an unfinished run's tables (not for a
        // plan too large to be real: these results may come from an untrusted file).
        let plan = results.unfinished != nil && ExperimentPlan.unitCount(of: results.spec) != nil
            ? ExperimentPlan(spec: results.spec, shard: results.shard) : nil
        datasets = results.datasets.flatMap { data in
            let units = plan?.units(of: data.name) ?? []
            return data.labelledFractions(preferred: fractions, planned: Set(units.map(\.labelledFraction))).map { fraction in
                var summary = Self.summarize(data.only(labelledFraction: fraction), spec: results.spec)
                summary.labelledFraction = fraction
                for unit in units where unit.labelledFraction == fraction {
                    for detector in unit.detectors {
                        summary.plannedRuns[RowKey(balancing: unit.balancing.name, detector: detector.text), default: 0] += 1
                    }
                }
                return summary
            }
        }
        var failures: [Failure] = []
        for dataset in results.datasets {
            for record in dataset.balancings {
                if let error = record.error {
                    failures.append(Failure(dataset: dataset.name, balancing: record.method, detector: nil,
                                            seed: record.seed, fold: record.fold, labelledFraction: record.labelledFraction, error: error))
                }
            }
            for cell in dataset.cells {
                if let error = cell.error {
                    failures.append(Failure(dataset: dataset.name, balancing: cell.balancing, detector: cell.detector,
                                            seed: cell.seed, fold: cell.fold, labelledFraction: cell.labelledFraction, error: error))
                }
            }
        }
        self.failures = failures
        errors = Self.distinct(failures.map(\.error))
    }

    /// The number (from 1) under which `error` is listed, or `nil`.
    /// - Parameter error: a full error message.
    public func errorNumber(_ error: String) -> Int? { errors.firstIndex(of: error).map { $0 + 1 } }

    /// The short form of an error for table cells: its first line, cut at `limit` characters with `…`.
    /// - Parameters:
    ///   - error: a full error message.
    ///   - limit: the longest result, in characters.
    public static func shortened(_ error: String, limit: Int = 60) -> String {
        let line = error.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count <= limit ? line : String(line.prefix(max(1, limit - 1))) + "…"
    }

    /// The indices (into `rows`) of the rows with the best mean of `metric`: every row whose mean,
    /// at the printed precision, equals the highest. Failed rows and rows where the metric is
    /// undefined are never best; empty when no row has a value, or when two or more rows all tie.
    /// - Parameters:
    ///   - metric: the metric compared.
    ///   - rows: the rows of one table.
    public static func best(_ metric: SummaryMetric, among rows: [Row]) -> Set<Int> {
        let shown = rows.map { row in row.failed ? nil : row.value(metric).map { metric.displayed($0.mean) } }
        let values = shown.compactMap { $0 }
        guard let top = values.max() else { return [] }
        // A column where every row ties (say, 0% recall of a class nobody catches) has no best.
        if values.count > 1 && values.allSatisfy({ $0 == top }) { return [] }
        return Set(shown.indices.filter { shown[$0] == top })
    }

    static func distinct(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }

    private static func ordered(_ preferred: [String], present: [String]) -> [String] {
        let presentSet = Set(present)
        return distinct(preferred.filter { presentSet.contains($0) } + present)
    }

    private static func summarize(_ data: DatasetResults, spec: ExperimentSpec) -> Dataset {
        let k = data.classNames.count
        let pooled = data.cells.contains { $0.fold != nil } || data.balancings.contains { $0.fold != nil }
        func group(_ cell: CellRecord, _ evaluation: TestEvaluation) -> String {
            cell.fold != nil ? pooledFoldsTestSet : evaluation.testSet
        }
        var testSets: [String]
        var testCounts: [String: [Int]] = [:]
        if pooled {
            testSets = [pooledFoldsTestSet]
            testCounts[pooledFoldsTestSet] = data.testSets.reduce(into: Array(repeating: 0, count: k)) { sum, info in
                for c in 0..<min(k, info.counts.count) { sum[c] += info.counts[c] }
            }
        } else {
            let evaluated = data.cells.flatMap { cell in cell.evaluations.map(\.testSet) }
            testSets = ordered(data.testSets.map(\.name), present: data.testSets.map(\.name) + evaluated)
            for info in data.testSets { testCounts[info.name] = info.counts }
        }
        let balancings = ordered(spec.plannedBalancings.map(\.name), present: data.balancings.map(\.method) + data.cells.map(\.balancing))
        let detectors = ordered(spec.detectors.map(\.text), present: data.cells.map(\.detector))

        let balancingSummaries = balancings.map { method in
            summarizeBalancing(method, data.balancings.filter { $0.method == method }, classCount: k)
        }
        let metrics = SummaryMetric.overall + SummaryMetric.attackGroups
            + (0..<k).flatMap { [SummaryMetric.precision(classIndex: $0), .recall(classIndex: $0), .f1(classIndex: $0)] }

        var rows: [Row] = []
        for testSet in testSets {
            for balancing in balancings {
                let balanceSeconds = balancingSummaries.first { $0.method == balancing }?.seconds
                for detector in detectors {
                    let cells = data.cells.filter { $0.balancing == balancing && $0.detector == detector }
                    guard !cells.isEmpty else { continue }
                    let ok = cells.filter { $0.error == nil }
                    let runs = ok.flatMap { cell in cell.evaluations.filter { group(cell, $0) == testSet }.map { (cell, $0) } }
                    let evaluations = runs.map(\.1)
                    var values: [SummaryMetric: MeanStd] = [:]
                    for metric in metrics {
                        if let stat = MeanStd(evaluations.compactMap { metric.value(in: $0) }) { values[metric] = stat }
                    }
                    let evaluatedCells = ok.filter { cell in cell.evaluations.contains { group(cell, $0) == testSet } }
                    rows.append(Row(
                        testSet: testSet, balancing: balancing, detector: detector, runs: cells.count,
                        succeeded: evaluations.count, metrics: values,
                        fitSeconds: MeanStd(evaluatedCells.map(\.fitSeconds)),
                        predictSeconds: MeanStd(evaluatedCells.map(\.predictSeconds)),
                        balanceSeconds: balanceSeconds,
                        trainRows: MeanStd(evaluatedCells.compactMap(\.trainRows)),
                        errors: distinct(cells.compactMap(\.error)),
                        firstConfusion: runs.first?.1.report.confusion, firstSeed: runs.first?.0.seed,
                        firstFold: runs.first?.0.fold))
                }
            }
        }
        let hasAttackGroups = data.cells.contains { $0.evaluations.contains { $0.attackGroups != nil } }
        let recorded = balancingSummaries.first { $0.runs > 0 }?.countsBefore
        let countsBefore = recorded ?? (0..<k).map { c in c < data.trainCounts.count ? MeanStd([data.trainCounts[c]]) : nil }
        return Dataset(name: data.name, description: data.description, simulated: data.simulated, classNames: data.classNames,
                       featureColumns: data.featureColumns, countsBefore: countsBefore, testSets: testSets, testCounts: testCounts,
                       balancings: balancings, detectors: detectors, rows: rows,
                       balancingSummaries: balancingSummaries, hasAttackGroups: hasAttackGroups)
    }

    private static func summarizeBalancing(_ method: String, _ records: [BalancingRecord], classCount k: Int) -> BalancingSummary {
        let ok = records.filter { $0.error == nil }
        func perClass(_ counts: [[Int]]) -> [MeanStd?] {
            (0..<k).map { c in MeanStd(counts.compactMap { c < $0.count ? $0[c] : nil }) }
        }
        let after = ok.compactMap(\.countsAfter)
        return BalancingSummary(
            method: method, runs: records.count, succeeded: ok.count,
            countsBefore: perClass(records.map(\.countsBefore)),
            countsAfter: after.isEmpty ? nil : perClass(after),
            seconds: MeanStd(ok.map(\.seconds)),
            peakMemoryBytes: records.map(\.peakMemoryBytes).max() ?? 0,
            errors: distinct(records.compactMap(\.error)),
            warnings: distinct(records.flatMap(\.warnings)))
    }
}
