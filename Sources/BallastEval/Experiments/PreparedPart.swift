import BallastCore
import BallastData
import BallastLearn

/// One training part preprocessed (fitted on its training rows only) with its test sets transformed.
struct PreparedPart {
    /// One transformed test set.
    struct Test {
        var name: String
        var features: Matrix
        var truth: [Int]
        /// NSL-KDD: each row's attack name.
        var attacks: [String]?
        /// NSL-KDD: attack names of the training file.
        var trainAttacks: Set<String>?

        /// Counts of attacks seen in training vs only in this test set that were caught (predicted
        /// as their own class) and detected (predicted as any non-normal class); `nil` without
        /// attack names or a `normal` class.
        func attackGroups(predicted: [Int], normal: Int?) -> AttackGroupMetrics? {
            guard let attacks, let trainAttacks, let normal else { return nil }
            var m = AttackGroupMetrics(seenRows: 0, seenCaught: 0, seenDetected: 0, novelRows: 0, novelCaught: 0, novelDetected: 0)
            for row in truth.indices where truth[row] != normal {
                let caught = predicted[row] == truth[row] ? 1 : 0
                let detected = predicted[row] != normal ? 1 : 0
                if trainAttacks.contains(attacks[row]) {
                    m.seenRows += 1
                    m.seenCaught += caught
                    m.seenDetected += detected
                } else {
                    m.novelRows += 1
                    m.novelCaught += caught
                    m.novelDetected += detected
                }
            }
            return m
        }
    }

    /// The labelled training rows (with a labelled fraction, only those that kept their labels).
    var train: LabeledMatrix
    /// Training rows whose labels were hidden by a labelled fraction (for semi-supervised
    /// detectors); no rows otherwise.
    var unlabelled: Matrix
    /// The preprocessing fitted on the training rows.
    var fitted: FittedPreprocessor
    var schema: FeatureSchema
    var classNames: [String]
    var featureColumns: Int
    /// The index of the `normal` class, when there is one.
    var normalClass: Int?
    var tests: [Test]
    var testSetInfos: [TestSetInfo]

    /// Fits the spec's preprocessing on the part's training rows and transforms its test sets.
    /// - Throws: ``PreprocessingError`` when preprocessing cannot be fitted or applied.
    init(_ part: ExperimentData.Part, spec: ExperimentSpec, data: ExperimentData) throws {
        let fitted = try spec.preprocessing.preprocessor().fit(part.train.features)
        self.fitted = fitted
        train = try part.train.labeledMatrix(using: fitted)
        unlabelled = Matrix(rows: 0, columns: train.features.columns)
        schema = FeatureSchema(preprocessor: fitted)
        classNames = part.train.classNames
        featureColumns = fitted.outputWidth
        normalClass = classNames.firstIndex { $0.lowercased() == "normal" }
        tests = []
        testSetInfos = []
        for test in part.tests {
            let (features, report) = try fitted.transformWithReport(test.table.features)
            let attacks = ExperimentData.attackNames(test.table)
            tests.append(Test(name: test.name, features: features, truth: test.table.labels, attacks: attacks, trainAttacks: data.trainAttacks))
            testSetInfos.append(TestSetInfo(name: test.name, counts: test.table.classCounts, unseenCategories: report.totalUnseen,
                                            attacks: Self.attackInfos(attacks, labels: test.table.labels, classNames: classNames,
                                                                      normal: normalClass, seen: data.trainAttacks),
                                            unknownLabels: test.unknownLabels))
        }
    }

    /// This part with only a stratified `fraction` of its training rows labelled — the split of
    /// `ballast train --labelled-fraction` (``LabelledFraction``: at least one row of every class);
    /// the other rows become ``unlabelled``. Preprocessing stays the one fitted on every training
    /// row (it never reads labels).
    /// - Parameters:
    ///   - fraction: the share of each class's rows that keep their labels, in (0, 1].
    ///   - rng: picks the labelled rows.
    /// - Throws: ``SplitError/invalidLabelledFraction(_:)`` for a fraction outside (0, 1].
    func keepingLabels(_ fraction: Double, using rng: inout some RandomNumberGenerator) throws -> PreparedPart {
        let split = try LabelledFraction(fraction).split(labels: train.labels, using: &rng)
        var part = self
        part.unlabelled = train.features.gatherRows(split.unlabelled)
        part.train = train.gatherRows(split.labelled)
        return part
    }

    /// The attack names of a test set with their category, rows and whether training has them.
    static func attackInfos(_ attacks: [String]?, labels: [Int], classNames: [String], normal: Int?, seen: Set<String>?) -> [AttackInfo]? {
        guard let attacks, let seen else { return nil }
        var rows: [String: (label: Int, count: Int)] = [:]
        for (row, attack) in attacks.enumerated() where labels[row] != normal {
            rows[attack, default: (labels[row], 0)].count += 1
        }
        return rows.keys.sorted().compactMap { name in
            guard let entry = rows[name] else { return nil }
            return AttackInfo(name: name, category: classNames[entry.label], rows: entry.count, seenInTraining: seen.contains(name))
        }
    }
}
