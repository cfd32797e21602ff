import BallastCore
import BallastData
import BallastLearn

/// Can a classifier tell the synthetic rows from the real ones? Each detector is trained to separate
/// them and scored by 3-fold stratified cross-validated ROC-AUC of its predicted probabilities — as
/// SDMetrics' `LogisticDetection`, which reports `1 − mean over folds of (2 · max(AUC, 0.5) − 1)`.
///
/// An AUC near 0.5 means the detector cannot tell them apart; near 1, the synthetic rows are easy
/// to spot. Unlike SDMetrics' plain stratified folds, rows with identical features stay in one fold
/// (with each label dealt to the folds in turn), so that a detector cannot score by recognizing in
/// the test fold a copy of a training row with the opposite label: identical files give an AUC of
/// 0.5, not less. Rows are the preprocessed features (one-hot, log1p, z-score fitted on the real file);
/// each side is sampled down to a cap first, so the cost is bounded whatever the data size.
public struct DetectionTest: Sendable, Equatable, Codable {
    /// One detector's result.
    public struct Model: Sendable, Equatable, Codable {
        /// The detector, as trained (`gbdt:rounds=50`).
        public var model: String
        /// ROC-AUC of each fold's held-out rows (real = positive).
        public var foldAUC: [Double]
        /// The mean fold AUC.
        public var auc: Double
        /// SDMetrics' detection score, `1 − mean(2 · max(AUC_fold, 0.5) − 1)`: 1 means indistinguishable.
        public var score: Double
    }

    /// Real rows used (after sampling).
    public var realRows: Int
    /// Synthetic rows used (after sampling).
    public var syntheticRows: Int
    /// One result per detector, in the order given.
    public var models: [Model]

    /// The first detector's mean AUC (the one verdicts use).
    public var auc: Double? { models.first?.auc }

    /// Number of cross-validation folds (as SDMetrics).
    public static let folds = 3

    /// Runs the detectors.
    /// - Parameters:
    ///   - real: preprocessed real rows of the group (callers sample them to a cap with ``sample(_:_:_:)``).
    ///   - synthetic: preprocessed synthetic rows of the group.
    ///   - detectors: the classifiers to train.
    ///   - rng: the random source (folds, fitting).
    /// - Returns: `nil` when a side has fewer rows than folds.
    /// - Throws: ``CatalogError`` for an invalid detector, ``LearnError`` from predicting.
    static func run(real r: Matrix, synthetic s: Matrix, detectors: [DetectorChoice],
                    using rng: inout some RandomNumberGenerator) throws -> DetectionTest? {
        guard r.rows >= folds, s.rows >= folds else { return nil }
        var features = s
        features.appendRows(r)
        let labels = [Int](repeating: 0, count: s.rows) + [Int](repeating: 1, count: r.rows)
        let data = LabeledMatrix(features: features, labels: labels, classNames: ["synthetic", "real"])
        let split = groupedFolds(features, labels: labels, using: &rng)
        var models: [Model] = []
        for detector in detectors {
            let classifier = try detector.classifier(classWeights: false, quick: true)
            var aucs: [Double] = []
            for fold in split {
                // A fold whose training part lacks a side (a handful of rows) cannot be scored.
                guard let model = try? classifier.fit(data.gatherRows(fold.train), using: &rng) else { continue }
                let test = data.gatherRows(fold.test)
                let p = try model.predictProbabilities(test.features)
                let scores = (0..<p.rows).map { Double(p[$0, 1]) }
                if let auc = ROCAUC.score(positive: test.labels.map { $0 == 1 }, scores: scores) { aucs.append(auc) }
            }
            guard !aucs.isEmpty else { continue }
            let auc = aucs.reduce(0, +) / Double(aucs.count)
            let score = 1 - aucs.map { 2 * max($0, 0.5) - 1 }.reduce(0, +) / Double(aucs.count)
            models.append(Model(model: detector.effectiveDescription(quick: true), foldAUC: aucs, auc: auc, score: score))
        }
        return DetectionTest(realRows: r.rows, syntheticRows: s.rows, models: models)
    }

    /// Stratified folds in which identical rows stay together: rows are grouped by their features;
    /// groups with only real rows, only synthetic rows, and both are each shuffled and dealt to the
    /// folds in turn (continuing from one kind to the next).
    static func groupedFolds(_ features: Matrix, labels: [Int], using rng: inout some RandomNumberGenerator)
        -> [(train: [Int], test: [Int])] {
        var groups: [[Float]: [Int]] = [:]
        var order: [[Float]] = []
        for r in 0..<features.rows {
            let key = features.row(r)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(r)
        }
        var kinds: [[[Int]]] = [[], [], []]
        for key in order {
            let rows = groups[key] ?? []
            let real = rows.filter { labels[$0] == 1 }.count
            kinds[real == 0 ? 0 : (real == rows.count ? 1 : 2)].append(rows)
        }
        var foldOf = [Int](repeating: 0, count: features.rows)
        var next = 0
        for var kind in kinds {
            rng.shuffle(&kind)
            for rows in kind {
                for r in rows { foldOf[r] = next }
                next = (next + 1) % folds
            }
        }
        return (0..<folds).map { f in
            (train: foldOf.indices.filter { foldOf[$0] != f }, test: foldOf.indices.filter { foldOf[$0] == f })
        }
    }

    /// At most `maxRows` of `rows`, drawn without replacement, in their original order (all of them
    /// when there are no more).
    static func sample(_ rows: [Int], _ maxRows: Int, _ rng: inout some RandomNumberGenerator) -> [Int] {
        guard rows.count > maxRows else { return rows }
        return rng.sampleWithoutReplacement(from: rows.count, count: maxRows).sorted().map { rows[$0] }
    }
}
