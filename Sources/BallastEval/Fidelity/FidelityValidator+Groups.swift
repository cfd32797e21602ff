import BallastCore
import BallastData
import BallastLearn

/// What every group of one validation shares: the aligned rows, their preprocessed matrices, the
/// real rows held out, and the preprocessing's scaling of each column.
struct GroupContext: Sendable {
    let data: FidelityDataset
    let realX: Matrix
    let synthX: Matrix
    let inHoldout: [Bool]
    let scaling: [FittedColumn?]
    /// The pandas dtypes of the whole real and synthetic tables (Data Structure).
    let types: (real: [String], synthetic: [String])
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
                try DetectionTest.run(real: context.realX, realRows: realRows, synthetic: context.synthX,
                                      syntheticRows: synthRows, detectors: detectors, maxRows: detectionRows, using: &rng)
            }
        }
        if privacy && isClass {
            let reference = realRows.filter { !context.inHoldout[$0] }, holdout = realRows.filter { context.inHoldout[$0] }
            let measured = DetectionTest.sample(synthRows, privacyRows, &rng)
            group.privacy = try times.measure("privacy") {
                // Copies are looked for among all the class's real rows, even when the comparison is capped.
                let everyReal = realRows.count < allReal.count ? ColumnSample(context.data.real, rows: allReal, columns: columns) : real
                return try PrivacyCheck(columns: columns, real: everyReal, synthetic: synth, reference: context.realX.gatherRows(reference),
                                        holdout: context.realX.gatherRows(holdout), syntheticFeatures: context.synthX.gatherRows(measured))
            }
        }
        if isClass {
            let failures = targets.failures(of: group)
            group.verdict = FidelityVerdict(passed: failures.isEmpty, failures: failures)
        }
        guard charts else { return (group, nil) }
        let chartGroup = times.measure("charts") {
            chartData(name, columns: columns, real: real, synthetic: synth, realRows: realRows, syntheticRows: synthRows,
                      context, using: &rng)
        }
        return (group, chartGroup)
    }

    /// The histograms, ECDFs or category shares of every column, and the PCA projection.
    private func chartData(_ name: String, columns: [FidelityColumn], real: ColumnSample, synthetic: ColumnSample, realRows: [Int],
                           syntheticRows: [Int], _ context: GroupContext, using rng: inout some RandomNumberGenerator) -> FidelityCharts.Group {
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
            real: context.realX.gatherRows(DetectionTest.sample(realRows, chartRows, &rng)),
            synthetic: context.synthX.gatherRows(DetectionTest.sample(syntheticRows, chartRows, &rng)))
        return FidelityCharts.Group(name: name, columns: chartColumns, projection: projection)
    }

    /// The utility test: on `test` when given, otherwise on the real rows held out.
    func runUtility(_ model: DetectorChoice, data: FidelityDataset, classes: [Int], fitted: FittedPreprocessor, realX: Matrix,
                    synthX: Matrix, split: (train: [Int], test: [Int]), test: TestSet?,
                    using rng: inout some RandomNumberGenerator) throws -> UtilityTest {
        let real = LabeledMatrix(features: realX, labels: data.realLabels, classNames: data.classNames)
        let chosen = Set(classes)
        let synthRows = data.syntheticLabels.indices.filter { chosen.contains(data.syntheticLabels[$0]) }
        let synthetic = LabeledMatrix(features: synthX.gatherRows(synthRows), labels: synthRows.map { data.syntheticLabels[$0] },
                                      classNames: data.classNames)
        if let test {
            let (aligned, _) = ExperimentData.align(test.table, to: data.classNames)
            let testMatrix = try aligned.labeledMatrix(using: fitted)
            return try UtilityTest.run(realTrain: real, synthetic: synthetic, test: testMatrix, testSet: test.name,
                                       testMayLeak: false, model: model, maxRowsPerClass: utilityRowsPerClass, using: &rng)
        }
        let percent = Int((holdoutFraction * 100).rounded())
        return try UtilityTest.run(realTrain: real.gatherRows(split.train), synthetic: synthetic, test: real.gatherRows(split.test),
                                   testSet: "\(percent)% of \(data.realName) held out", testMayLeak: true, model: model,
                                   maxRowsPerClass: utilityRowsPerClass, using: &rng)
    }
}
