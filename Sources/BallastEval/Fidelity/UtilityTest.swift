import BallastCore
import BallastLearn

/// Do the synthetic rows help a detector? One multi-class detector (5 classes stay 5 classes: the
/// label is never treated as a regression target, as synthcity does) is trained three ways and
/// tested on the same held-out real rows:
///
/// - **TRTR** (train real, test real): the real training rows.
/// - **TSTR** (train synthetic, test real): the synthetic rows of the validated classes; a class
///   without synthetic rows keeps its real training rows (listed in ``realOnlyClasses``), so the
///   comparison with TRTR isolates what replacing those classes' real rows by synthetic ones does.
/// - **Augmented**: the real training rows plus the synthetic rows — what over-sampling is for.
///
/// Scores are macro-F1, accuracy and each class's recall. Callers sample each class's real and
/// synthetic training rows down to a cap first (``capped(_:labels:cap:using:)``), the same way for
/// all three, so the cost is bounded.
public struct UtilityTest: Sendable, Equatable, Codable {
    /// One training set's scores on the test rows.
    public struct Scores: Sendable, Equatable, Codable {
        /// Training rows (after the caps).
        public var trainRows: Int
        /// Macro-averaged F1 over the classes in the truth or the predictions.
        public var macroF1: Double
        /// Accuracy.
        public var accuracy: Double
        /// Recall per class (``UtilityTest/classNames`` order); `nil` for a class without test rows.
        public var recall: [Double?]
    }

    /// The detector trained, as configured (`gbdt:rounds=50`).
    public var model: String
    /// Where the test rows come from (a file, or the real rows held out).
    public var testSet: String
    /// Test rows per class.
    public var testCounts: [Int]
    /// Class names.
    public var classNames: [String]
    /// Classes whose synthetic rows were used.
    public var syntheticClasses: [String]
    /// Classes without synthetic rows, represented in TSTR by their real training rows.
    public var realOnlyClasses: [String]
    /// Whether the generator may have seen the test rows (they are held out from the real file the
    /// synthetic rows were presumably made from): then TSTR and augmentation look better than they are.
    public var testMayLeak: Bool
    /// Train real, test real.
    public var trtr: Scores
    /// Train synthetic, test real.
    public var tstr: Scores
    /// Train real + synthetic, test real.
    public var augmented: Scores

    /// Trains and scores the three detectors.
    /// - Parameters:
    ///   - realTrain: the real training rows (preprocessed).
    ///   - synthetic: the synthetic rows (preprocessed), labelled in the same classes.
    ///   - test: the test rows (preprocessed).
    ///   - testSet: a description of the test rows.
    ///   - testMayLeak: whether the generator may have seen them.
    ///   - model: the detector.
    ///   - rng: the random source.
    /// - Throws: ``CatalogError`` for an invalid model; ``LearnError`` or ``MetricsError`` from training.
    static func run(realTrain: LabeledMatrix, synthetic: LabeledMatrix, test: LabeledMatrix, testSet: String, testMayLeak: Bool,
                    model: DetectorChoice, using rng: inout some RandomNumberGenerator) throws -> UtilityTest {
        let classifier = try model.classifier(classWeights: false, quick: true)
        let real = realTrain, synth = synthetic
        let synthClasses = Set(synthetic.labels)
        let realOnly = real.gatherRows(real.labels.indices.filter { !synthClasses.contains(real.labels[$0]) })
        func scores(_ train: LabeledMatrix) throws -> Scores {
            let fitted = try classifier.fit(train, using: &rng)
            let report = try ClassificationReport(truth: test.labels, predicted: fitted.predict(test.features),
                                                  classNames: test.classNames)
            return Scores(trainRows: train.count, macroF1: report.macro.f1, accuracy: report.accuracy,
                          recall: report.perClass.map { $0.support > 0 ? $0.recall : nil })
        }
        let names = realTrain.classNames
        return UtilityTest(model: model.effectiveDescription(quick: true), testSet: testSet, testCounts: test.classCounts,
                           classNames: names, syntheticClasses: names.indices.filter(synthClasses.contains).map { names[$0] },
                           realOnlyClasses: names.indices.filter { !synthClasses.contains($0) }.map { names[$0] },
                           testMayLeak: testMayLeak, trtr: try scores(real), tstr: try scores(stack(realOnly, synth)),
                           augmented: try scores(stack(real, synth)))
    }

    /// At most `cap` of `rows` of each class, sampled without replacement, in row order.
    /// - Parameters:
    ///   - rows: candidate row positions.
    ///   - labels: the class of every row (indexed by position).
    ///   - cap: the most rows kept per class.
    ///   - rng: the random source.
    static func capped(_ rows: [Int], labels: [Int], cap: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
        var byClass: [Int: [Int]] = [:]
        for row in rows { byClass[labels[row], default: []].append(row) }
        var keep: [Int] = []
        for label in byClass.keys.sorted() {
            keep += DetectionTest.sample(byClass[label] ?? [], cap, &rng)
        }
        return keep.sorted()
    }

    /// `a`'s rows followed by `b`'s.
    static func stack(_ a: LabeledMatrix, _ b: LabeledMatrix) -> LabeledMatrix {
        var features = a.features
        features.appendRows(b.features)
        return LabeledMatrix(features: features, labels: a.labels + b.labels, classNames: a.classNames)
    }
}
