import BallastCore
import BallastData
import BallastLearn
import Foundation

/// Validates synthetic records against real ones, per class: the job behind `ballast validate`.
///
/// For each validated class (and, with ``includeAllRows``, for every real row against every
/// synthetic row, as SDMetrics would see the two files) it computes the HIKARI paper's statistics
/// table, column shapes and pair trends (SDMetrics' quality report), validity (its diagnostic
/// report), real-vs-synthetic detection and copying measures; then one utility test over all
/// classes. Detection, privacy and utility work on the real file's preprocessing (one-hot, log1p,
/// z-score, clipped to the real range) and sample each side down to documented caps, so the cost
/// stays bounded; shapes, pairs and validity use every row unless ``maxRowsPerGroup`` is set.
///
/// ```swift
/// let data = try FidelityDataset(real: train, synthetic: balanced, realName: "KDDTrain+.txt", syntheticName: "b.csv")
/// var rng = Xoshiro256StarStar(seed: 42)
/// let outcome = try FidelityValidator(classes: ["R2L", "U2R"]).validate(data, using: &rng)
/// print(outcome.report.renderPlain())
/// ```
public struct FidelityValidator: Sendable, Equatable, Codable {
    /// The classes to validate (`nil`: every class with synthetic rows).
    public var classes: [String]?
    /// Also compare every real row with every synthetic row.
    public var includeAllRows: Bool
    /// The most rows of each side per group for every part (`nil`: all rows; experiments cap it).
    public var maxRowsPerGroup: Int?
    /// The real-vs-synthetic detectors (the first one's AUC gives the verdict; empty: no detection).
    public var detectors: [DetectorChoice]
    /// The most rows of each side a detector sees.
    public var detectionRows: Int
    /// Whether the whole-files group runs detection too.
    public var detectAllRows: Bool
    /// The detector of the utility test (`nil`: no utility test).
    public var utilityModel: DetectorChoice?
    /// The most real rows, and separately synthetic rows, per class in the utility test.
    public var utilityRowsPerClass: Int
    /// Whether to measure DCR, exact copies and NewRowSynthesis.
    public var privacy: Bool
    /// The most synthetic rows whose DCR is measured.
    public var privacyRows: Int
    /// The share of real rows held out (DCR baseline; utility test rows without a test file).
    public var holdoutFraction: Double
    /// Whether to compute chart data (histograms, ECDFs, PCA).
    public var charts: Bool
    /// The most rows of each side drawn in a PCA projection.
    public var chartRows: Int
    /// The thresholds of the verdicts.
    public var targets: FidelityTargets

    /// The default real-vs-synthetic detectors: gradient boosting (quick settings) and logistic regression.
    public static let defaultDetectors: [DetectorChoice] = ["gbdt", "lr"]
    /// The default detector of the utility test.
    public static let defaultUtilityModel: DetectorChoice = "gbdt:rounds=30"

    /// Creates a validator; the defaults are what `ballast validate` runs.
    public init(classes: [String]? = nil, includeAllRows: Bool = true, maxRowsPerGroup: Int? = nil,
                detectors: [DetectorChoice] = defaultDetectors, detectionRows: Int = 3_000, detectAllRows: Bool = false,
                utilityModel: DetectorChoice? = defaultUtilityModel, utilityRowsPerClass: Int = 1_000, privacy: Bool = true, privacyRows: Int = 5_000, holdoutFraction: Double = 0.2,
                charts: Bool = true, chartRows: Int = 1_000, targets: FidelityTargets = FidelityTargets()) {
        self.classes = classes
        self.includeAllRows = includeAllRows
        self.maxRowsPerGroup = maxRowsPerGroup
        self.detectors = detectors
        self.detectionRows = detectionRows
        self.detectAllRows = detectAllRows
        self.utilityModel = utilityModel
        self.utilityRowsPerClass = utilityRowsPerClass
        self.privacy = privacy
        self.privacyRows = privacyRows
        self.holdoutFraction = holdoutFraction
        self.charts = charts
        self.chartRows = chartRows
        self.targets = targets
    }

    /// A held-out real test set for the utility test (instead of rows held out from the real file).
    public struct TestSet: Sendable {
        /// The test rows, labelled (classes matched to the real file's by name).
        public var table: LabeledTable
        /// Its name in reports.
        public var name: String

        /// Wraps a test table.
        public init(table: LabeledTable, name: String) {
            self.table = table
            self.name = name
        }
    }

    /// Runs the validation.
    /// - Parameters:
    ///   - data: the aligned real and synthetic rows.
    ///   - test: real test rows the generator never saw, for the utility test.
    ///   - preprocessor: a preprocessing fitted on the real rows (default: one fitted here).
    ///   - rng: the only source of randomness (splits, samples, detectors).
    /// - Returns: the report and the chart data.
    /// - Throws: ``FidelityError`` for an unknown class or nothing to compare; ``PreprocessingError``
    ///   when the real rows cannot be preprocessed; ``CatalogError`` for an invalid detector.
    public func validate(_ data: FidelityDataset, test: TestSet? = nil, preprocessor: FittedPreprocessor? = nil,
                         using rng: inout some RandomNumberGenerator) throws -> FidelityOutcome {
        let clock = Stopwatch()
        var times = PartTimes()
        var warnings: [String] = []
        let chosen = try validatedClasses(data, warnings: &warnings)
        let fitted = try times.measure("preprocessing") { try preprocessor ?? Preprocessor(clipping: .always).fit(data.real) }
        var splitRng = Xoshiro256StarStar(seed: rng.next())
        let split = data.realLabels.count >= 2
            ? try StratifiedSplit(testFraction: holdoutFraction).split(labels: data.realLabels, using: &splitRng)
            : (train: Array(data.realLabels.indices), test: [])
        var data = data
        for (j, c) in data.columns.enumerated() where c.kind == .numeric {
            data.columns[j].heavyTailed = fitted.columns.first { $0.name == c.name }?.logTransformed ?? false
        }
        var inHoldout = [Bool](repeating: false, count: data.realLabels.count)
        for r in split.test { inHoldout[r] = true }
        let scaling = data.columns.map { c in fitted.columns.first { $0.name == c.name && $0.kind != .categorical } }
        let types = (ValidityCheck.pandasTypes(data.columns, data.real), ValidityCheck.pandasTypes(data.columns, data.synthetic))
        let context = GroupContext(data: data, fitted: fitted, inHoldout: inHoldout, scaling: scaling, types: types)

        var plan = chosen.map { c in
            Planned(name: data.classNames[c], isClass: true, real: data.realLabels.indices.filter { data.realLabels[$0] == c },
                    synthetic: data.syntheticLabels.indices.filter { data.syntheticLabels[$0] == c })
        }
        if includeAllRows {
            let set = Set(chosen)
            plan.append(Planned(name: FidelityReport.allRowsGroup, isClass: false, real: Array(data.realLabels.indices),
                                synthetic: data.syntheticLabels.indices.filter { set.contains(data.syntheticLabels[$0]) }))
        }
        // The groups and the utility test are independent: they run side by side (seeds drawn first), which
        // keeps both cores busy through the parts that are serial inside.
        let seeds = rng.childSeeds(plan.count + 1)
        let taskCount = plan.count + (utilityModel == nil ? 0 : 1)
        let groupsPlanned = plan
        let outputs = Parallel.mapChunks(0..<taskCount, minimumChunk: 1, chunksPerThread: taskCount) { tasks in
            tasks.map { t -> Result<TaskOutput, any Error> in
                var taskRng = Xoshiro256StarStar(seed: seeds[t])
                var taskTimes = PartTimes()
                return Result {
                    if t < groupsPlanned.count {
                        let entry = groupsPlanned[t]
                        let (group, charts) = try validateGroup(entry.name, isClass: entry.isClass, realRows: entry.real,
                                                                syntheticRows: entry.synthetic, context, times: &taskTimes, using: &taskRng)
                        return TaskOutput(group: group, charts: charts, utility: nil, times: taskTimes)
                    }
                    let utility = try utilityModel.map { model in
                        try taskTimes.measure("utility") {
                            try runUtility(model, classes: chosen, split: split, test: test, context, using: &taskRng)
                        }
                    }
                    return TaskOutput(group: nil, charts: nil, utility: utility, times: taskTimes)
                }
            }
        }.flatMap { $0 }
        var groups: [GroupFidelity] = [], chartGroups: [FidelityCharts.Group] = []
        var utility: UtilityTest?
        for (t, output) in outputs.enumerated() {
            switch output {
            case .success(let done):
                times.add(done.times)
                if let group = done.group { groups.append(group) }
                if let charts = done.charts { chartGroups.append(charts) }
                utility = done.utility ?? utility
            case .failure(let error):
                guard t >= plan.count else { throw error }
                warnings.append("utility test skipped: \(error)")
            }
        }
        if utility?.testMayLeak == true {
            warnings.append("the utility test rows are held out from \(data.realName), which the synthetic rows were "
                + "probably generated from: TSTR and real+synthetic scores are optimistic (pass --test with a file "
                + "the generator never saw)")
        }
        let report = FidelityReport(
            ballastVersion: BallastVersion.current, realFile: data.realName, syntheticFile: data.syntheticName,
            realRows: data.realLabels.count, syntheticRows: data.syntheticLabels.count, markedRealRows: data.markedRealRows,
            classNames: data.classNames, classes: chosen.map { data.classNames[$0] }, columns: data.columns, groups: groups,
            utility: utility, targets: targets, settings: self, warnings: warnings, seconds: clock.seconds,
            partSeconds: times.seconds)
        return FidelityOutcome(report: report, charts: FidelityCharts(groups: chartGroups))
    }

    /// The class indices to validate, in class order; warns about requested classes without rows.
    private func validatedClasses(_ data: FidelityDataset, warnings: inout [String]) throws -> [Int] {
        let synthCounts = LabeledMatrix.classCounts(of: data.syntheticLabels, classCount: data.classNames.count)
        let realCounts = LabeledMatrix.classCounts(of: data.realLabels, classCount: data.classNames.count)
        var chosen: [Int]
        if let classes {
            chosen = try classes.map { name in
                guard let c = data.classNames.firstIndex(of: name) else {
                    throw FidelityError.unknownRequestedClass(name, known: data.classNames)
                }
                return c
            }
            chosen = Array(Set(chosen)).sorted()
        } else {
            chosen = data.classNames.indices.filter { synthCounts[$0] > 0 }
        }
        for c in chosen where synthCounts[c] == 0 || realCounts[c] == 0 {
            warnings.append("class \(data.classNames[c]) skipped: \(synthCounts[c] == 0 ? "no synthetic rows" : "no real rows")")
        }
        chosen = chosen.filter { synthCounts[$0] > 0 && realCounts[$0] > 0 }
        guard !chosen.isEmpty else {
            throw FidelityError.noSyntheticRows(file: data.syntheticName, detail: classes == nil
                ? "no synthetic row belongs to a class of the real file with rows"
                : "none of the classes \(classes?.joined(separator: ", ") ?? "") has both real and synthetic rows")
        }
        return chosen
    }
}

/// One group to validate.
struct Planned: Sendable {
    var name: String
    var isClass: Bool
    var real: [Int]
    var synthetic: [Int]
}

/// What one task of a validation produced: a group, or the utility test.
struct TaskOutput: Sendable {
    var group: GroupFidelity?
    var charts: FidelityCharts.Group?
    var utility: UtilityTest?
    var times: PartTimes
}
