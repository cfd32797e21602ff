import BallastCore
import BallastData
import BallastLearn
import Foundation

/// Trains a detector on a labelled table and packs it into a ``ModelBundle``: the job behind
/// `ballast train`.
///
/// Preprocessing is fitted on the training table; the optional resampler runs on the preprocessed
/// rows with the fitted schema; the classifier is fitted on the result.
public struct TrainJob: Sendable {
    /// The classifier specification (`dt`, `gbdt:rounds=200`).
    public var model: String
    /// The resampler specification, if any (`smote`, `smote+kmeans-under`).
    public var balance: String?
    /// Overrides the resampler's strategy.
    public var strategy: SamplingStrategy?
    /// Class weights (`balanced` or explicit `c:w;c:w`), passed to the classifier as `class-weight`.
    public var classWeight: String?
    /// How features are prepared.
    public var preprocessing: Preprocessor
    /// Keep the labels of this stratified fraction of the training rows (at least one row per
    /// class) and treat the others as unlabelled (``LabelledFraction``); `nil`: every row is labelled.
    public var labelledFraction: Double?

    /// Creates a job.
    public init(model: String, balance: String? = nil, strategy: SamplingStrategy? = nil, classWeight: String? = nil,
                preprocessing: Preprocessor = Preprocessor(), labelledFraction: Double? = nil) {
        self.labelledFraction = labelledFraction
        self.model = model
        self.balance = balance
        self.strategy = strategy
        self.classWeight = classWeight
        self.preprocessing = preprocessing
    }

    /// The classifier specification with the class weight added.
    /// - Throws: ``CatalogError``.
    public func modelSpecification() throws -> AlgorithmSpec {
        var spec = try AlgorithmSpec(parsing: model)
        if let classWeight {
            if let given = spec.parameters["class-weight"], given != classWeight {
                throw CatalogError.malformed(model, reason: "class-weight=\(given) conflicts with --class-weight \(classWeight)")
            }
            spec.parameters["class-weight"] = classWeight
        }
        return spec
    }

    /// Runs the job.
    /// - Parameters:
    ///   - data: the labelled training table. It is released once the features are preprocessed, so
    ///     pass it with `consume` when the caller no longer needs it: the fit then runs without the
    ///     typed table in memory.
    ///   - format: the dataset format name, recorded in the bundle.
    ///   - labelColumn: the CSV label column, recorded in the bundle.
    ///   - labelMode: the NSL-KDD label mode, recorded in the bundle.
    ///   - seed: seeds every random choice.
    ///   - unlabelled: feature columns of unlabelled rows (an `--unlabelled` file, or CSV rows with
    ///     an empty label cell), transformed with the preprocessing fitted on `data`.
    ///   - progress: receives stage names.
    /// - Throws: ``CatalogError``, ``PreprocessingError``, ``LearnError``, ``SemiSupervisedError``,
    ///   ``SplitError`` or ``ResamplingError``.
    public func run(_ data: consuming LabeledTable, format: String, labelColumn: String?, labelMode: String, seed: UInt64,
                    unlabelled: Table? = nil, progress: (String) -> Void = { _ in }) throws -> TrainOutcome {
        let spec = try modelSpecification()
        let classifier = try Catalog.classifier(spec.description)
        var resampler = try balance.map { try Catalog.resampler($0) }
        if let strategy { resampler?.strategy = strategy }
        var rng = Xoshiro256StarStar(seed: seed)
        progress("preprocessing \(data.rowCount) rows")
        let fitted = try preprocessing.fit(data.features)
        let all = try data.labeledMatrix(using: fitted)
        let classNames = data.classNames, source = data.source, columnNames = data.features.columnNames
        _ = consume data
        var matrix = all
        var unlabelledRows = Matrix(rows: 0, columns: all.features.columns)
        if let labelledFraction {
            let split = try LabelledFraction(labelledFraction).split(labels: all.labels, using: &rng)
            matrix = all.gatherRows(split.labelled)
            unlabelledRows = all.features.gatherRows(split.unlabelled)
            progress("kept the labels of \(split.labelled.count) rows; \(split.unlabelled.count) unlabelled")
        }
        if let unlabelled, unlabelled.rowCount > 0 {
            unlabelledRows = Matrix.vstack([unlabelledRows, try fitted.transform(unlabelled)])
        }
        var training = matrix
        var warnings: [ResamplingWarning] = []
        var balanceSeconds = 0.0
        let schema = FeatureSchema(preprocessor: fitted)
        if let resampler, let balance {
            progress("balancing with \(balance)")
            let start = Date()
            let result = try resampler.fitResample(matrix, schema: schema, using: &rng)
            balanceSeconds = Date().timeIntervalSince(start)
            training = result.data
            warnings = result.warnings
        }
        progress("fitting \(spec.description) on \(training.count) rows")
        let start = Date(), startCPU = processCPUSeconds()
        let (model, usedUnlabelled) = try fitWithUnlabelled(classifier, labelled: training, unlabelled: unlabelledRows, schema: schema,
                                                            using: &rng)
        let fitSeconds = Date().timeIntervalSince(start), fitCPUSeconds = processCPUSeconds() - startCPU
        let trainingReport = try ClassificationReport(truth: matrix.labels, predicted: model.predict(matrix.features),
                                                      classNames: classNames)
        var bundle = ModelBundle(
            preprocessor: fitted, model: model, classNames: classNames,
            training: TrainingFingerprint(source: source, columns: columnNames, data: all,
                                          fittedClassCounts: training.classCounts),
            options: TrainingOptions(model: spec.description, balance: balance, seed: seed, format: format,
                                     labelColumn: labelColumn, labelMode: labelMode))
        bundle.options.labelledFraction = labelledFraction
        bundle.options.unlabelledRows = unlabelledRows.rows > 0 ? unlabelledRows.rows : nil
        return TrainOutcome(bundle: bundle, before: matrix.classCounts, after: training.classCounts, warnings: warnings,
                            balanceSeconds: balanceSeconds, fitSeconds: fitSeconds, fitCPUSeconds: fitCPUSeconds,
                            trainingReport: trainingReport, unlabelledRows: unlabelledRows.rows, usedUnlabelled: usedUnlabelled)
    }
}

/// What ``TrainJob`` produced.
public struct TrainOutcome: Sendable {
    /// The bundle to save.
    public var bundle: ModelBundle
    /// Rows per class in the training data.
    public var before: [Int]
    /// Rows per class the classifier was fitted on.
    public var after: [Int]
    /// Resampler adjustments.
    public var warnings: [ResamplingWarning]
    /// Time spent rebalancing.
    public var balanceSeconds: Double
    /// Time spent fitting the classifier.
    public var fitSeconds: Double
    /// CPU time (all threads) spent fitting the classifier.
    public var fitCPUSeconds: Double
    /// The model's scores on its own (un-rebalanced) training rows — an optimistic sanity check, not
    /// an evaluation.
    public var trainingReport: ClassificationReport
    /// Unlabelled rows given (a labelled fraction's hidden rows, an `--unlabelled` file, empty label cells).
    public var unlabelledRows: Int = 0
    /// Whether the detector learned from them (only semi-supervised detectors do).
    public var usedUnlabelled = false

    /// A readable summary.
    public func renderPlain() -> String {
        var table = TextTable(columns: [.init("class", .left), .init("training rows"), .init("fitted on"), .init("training recall %")])
        for (c, name) in bundle.classNames.enumerated() {
            table.append([name, "\(before[c])", "\(after[c])", percent(trainingReport.perClass[c].recall)])
        }
        var text = "model: \(bundle.options.model)" + (bundle.options.balance.map { "  balance: \($0)" } ?? "") + "\n"
        text += table.renderPlain()
        text += String(format: "balance %.2f s, fit %.2f s", balanceSeconds, fitSeconds)
            + "; training accuracy \(percent(trainingReport.accuracy))% (on the training rows: not an evaluation)\n"
        if unlabelledRows > 0 {
            text += usedUnlabelled ? "unlabelled rows used: \(unlabelledRows)\n"
                : "note: \(bundle.options.model) is supervised: it learned from the labelled rows only (\(unlabelledRows) unlabelled rows unused)\n"
        }
        for w in warnings { text += "warning: \(w)\n" }
        return text
    }
}
