import BallastCore
import BallastData
import BallastLearn

/// What every group of one validation shares: the aligned rows, the preprocessing fitted on the
/// real rows, the real rows held out, and the preprocessing's scaling of each column.
struct GroupContext: Sendable {
    let data: FidelityDataset
    let fitted: FittedPreprocessor
    let inHoldout: [Bool]
    let scaling: [FittedColumn?]
    /// The pandas dtypes of the whole real and synthetic tables (Data Structure).
    let types: (real: [String], synthetic: [String])

    /// The preprocessed features of some real rows (only the rows a part uses are transformed:
    /// detection, copying, utility and charts sample a few thousand).
    func realFeatures(_ rows: [Int]) throws -> Matrix { try fitted.transform(data.real.gatherRows(rows)) }

    /// The preprocessed features of some synthetic rows.
    func syntheticFeatures(_ rows: [Int]) throws -> Matrix { try fitted.transform(data.synthetic.gatherRows(rows)) }
}

extension FidelityValidator {
    /// Validates one group: statistics, shapes, pairs, validity, then detection and privacy.
    func validateGroup(_ name: String, isClass: Bool, realRows allReal: [Int], syntheticRows allSynthetic: [Int],
                       _ context: GroupContext, times: inout PartTimes,
                       using rng: inout some RandomNumberGenerator) throws -> (GroupFidelity, FidelityCharts.Group?) {
        let columns = context.data.columns
        let realRows = maxRowsPerGroup.map { DetectionTest.sample(allReal, $0, &rng) } ?? allReal
        let synthRows = maxRowsPerGroup.map { DetectionTest.sample(allSynthetic, $0, &rng) } ?? allSynthetic
        let (real, synth) = times.measure("columns") {
            (ColumnSample(context.data.real, rows: realRows, columns: columns),
             ColumnSample(context.data.synthetic, rows: synthRows, columns: columns))
        }
        let statistics = times.measure("statistics") {
            columns.indices.filter { columns[$0].kind == .numeric }.map {
                ColumnStatistics(column: columns[$0].name, real: real.sorted[$0], synthetic: synth.sorted[$0])
            }
        }
        var group = GroupFidelity(
            name: name, className: isClass ? name : nil, realRows: allReal.count, syntheticRows: allSynthetic.count,
            comparedRealRows: realRows.count, comparedSyntheticRows: synthRows.count, statistics: statistics,
            shapes: times.measure("column shapes") { ColumnShapes(columns: columns, real: real, synthetic: synth, scaling: context.scaling) },
            pairs: times.measure("pair trends") { PairTrends(columns: columns, real: real, synthetic: synth) },
            validity: times.measure("validity") { ValidityCheck(columns: columns, real: real, synthetic: synth, types: context.types) })
        if !detectors.isEmpty && (isClass || detectAllRows) {
            group.detection = try times.measure("detection") {
                let r = DetectionTest.sample(realRows, detectionRows, &rng), s = DetectionTest.sample(synthRows, detectionRows, &rng)
                return try DetectionTest.run(real: context.realFeatures(r), synthetic: context.syntheticFeatures(s),
                                             detectors: detectors, using: &rng)
            }
        }
        if privacy && isClass {
            let reference = realRows.filter { !context.inHoldout[$0] }, holdout = realRows.filter { context.inHoldout[$0] }
            let measured = DetectionTest.sample(synthRows, privacyRows, &rng)
            group.privacy = try times.measure("privacy") {
                // Copies are looked for among all the class's real rows, even when the comparison is capped.
                let everyReal = realRows.count < allReal.count ? ColumnSample(context.data.real, rows: allReal, columns: columns) : real
                return try PrivacyCheck(columns: columns, real: everyReal, synthetic: synth, reference: context.realFeatures(reference),
                                        holdout: context.realFeatures(holdout), syntheticFeatures: context.syntheticFeatures(measured))
            }
        }
        if isClass {
            let failures = targets.failures(of: group)
            group.verdict = FidelityVerdict(passed: failures.isEmpty, failures: failures)
        }
        guard charts else { return (group, nil) }
        let chartGroup = try times.measure("charts") {
            try chartData(name, columns: columns, real: real, synthetic: synth, realRows: realRows, syntheticRows: synthRows,
                          context, using: &rng)
        }
        return (group, chartGroup)
    }

    /// The histograms, ECDFs or category shares of every column, and the PCA projection.
    private func chartData(_ name: String, columns: [FidelityColumn], real: ColumnSample, synthetic: ColumnSample, realRows: [Int],
                           syntheticRows: [Int], _ context: GroupContext,
                           using rng: inout some RandomNumberGenerator) throws -> FidelityCharts.Group {
        let chartColumns = columns.indices.map { j -> FidelityCharts.Column in
            switch columns[j].kind {
            case .numeric: return FidelityCharts.numeric(columns[j], real: real.sorted[j], synthetic: synthetic.sorted[j])
            case .categorical:
                let k = columns[j].categories.count
                return FidelityCharts.categorical(columns[j], real: real.categoryCounts(j, categoryCount: k),
                                                  synthetic: synthetic.categoryCounts(j, categoryCount: k))
            }
        }
        let projection = FidelityCharts.projection(
            real: try context.realFeatures(DetectionTest.sample(realRows, chartRows, &rng)),
            synthetic: try context.syntheticFeatures(DetectionTest.sample(syntheticRows, chartRows, &rng)))
        return FidelityCharts.Group(name: name, columns: chartColumns, projection: projection)
    }

    /// The utility test: on `test` when given, otherwise on the real rows held out. Each class's
    /// real and synthetic training rows are capped before they are preprocessed.
    func runUtility(_ model: DetectorChoice, classes: [Int], split: (train: [Int], test: [Int]), test: TestSet?,
                    _ context: GroupContext, using rng: inout some RandomNumberGenerator) throws -> UtilityTest {
        let data = context.data
        let chosen = Set(classes)
        let trainRows = UtilityTest.capped(test == nil ? split.train : Array(data.realLabels.indices), labels: data.realLabels,
                                           cap: utilityRowsPerClass, using: &rng)
        let synthRows = UtilityTest.capped(data.syntheticLabels.indices.filter { chosen.contains(data.syntheticLabels[$0]) },
                                           labels: data.syntheticLabels, cap: utilityRowsPerClass, using: &rng)
        let real = LabeledMatrix(features: try context.realFeatures(trainRows), labels: trainRows.map { data.realLabels[$0] },
                                 classNames: data.classNames)
        let synthetic = LabeledMatrix(features: try context.syntheticFeatures(synthRows), labels: synthRows.map { data.syntheticLabels[$0] },
                                      classNames: data.classNames)
        if let test {
            let (aligned, _) = ExperimentData.align(test.table, to: data.classNames)
            return try UtilityTest.run(realTrain: real, synthetic: synthetic, test: try aligned.labeledMatrix(using: context.fitted),
                                       testSet: test.name, testMayLeak: false, model: model, using: &rng)
        }
        let held = LabeledMatrix(features: try context.realFeatures(split.test), labels: split.test.map { data.realLabels[$0] },
                                 classNames: data.classNames)
        let percent = Int((holdoutFraction * 100).rounded())
        return try UtilityTest.run(realTrain: real, synthetic: synthetic, test: held, testSet: "\(percent)% of \(data.realName) held out",
                                   testMayLeak: true, model: model, using: &rng)
    }
}
