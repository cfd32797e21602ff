/// Per-class and overall classification metrics computed from a ``ConfusionMatrix``.
///
/// Definitions, for class `c` with true positives TP, false positives FP, false negatives FN and true
/// negatives TN (one-vs-rest):
/// - precision = TP / (TP + FP), recall (detection rate) = TP / (TP + FN),
///   F1 = 2 · precision · recall / (precision + recall), support = TP + FN,
///   specificity = TN / (TN + FP), false-alarm rate = FP / (FP + TN).
/// - **Zero division**: a ratio whose denominator is 0 is reported as 0, as scikit-learn does with
///   `zero_division=0`, and the class is listed in ``undefinedPrecision`` / ``undefinedRecall`` so a
///   reader can tell "0 because never predicted" from "0 because always wrong".
/// - **Macro** averages are unweighted means over the classes that occur in the truth or in the
///   predictions (scikit-learn's default label set); **weighted** averages weight by support.
/// - Accuracy = correct / total; balanced accuracy = mean recall over classes with support > 0;
///   G-mean = geometric mean of those recalls (imbalanced-learn's multiclass `geometric_mean_score`);
///   MCC is the multiclass Matthews correlation (Gorodkin 2004), 0 when undefined.
public struct ClassificationReport: Sendable, Equatable, Codable {
    /// Metrics of one class.
    public struct ClassMetrics: Sendable, Equatable, Codable {
        /// Class name.
        public var name: String
        /// TP / (TP + FP).
        public var precision: Double
        /// TP / (TP + FN): the detection rate of this class.
        public var recall: Double
        /// Harmonic mean of precision and recall.
        public var f1: Double
        /// Rows whose true class is this one.
        public var support: Int
        /// TN / (TN + FP).
        public var specificity: Double
        /// FP / (FP + TN).
        public var falseAlarmRate: Double
    }

    /// Averages of precision, recall and F1 over classes.
    public struct Averages: Sendable, Equatable, Codable {
        /// Averaged precision.
        public var precision: Double
        /// Averaged recall.
        public var recall: Double
        /// Averaged F1.
        public var f1: Double
    }

    /// Per-class metrics, in label order.
    public var perClass: [ClassMetrics]
    /// Unweighted means over classes present in truth or predictions.
    public var macro: Averages
    /// Support-weighted means.
    public var weighted: Averages
    /// Correct / total.
    public var accuracy: Double
    /// Mean recall over classes with support.
    public var balancedAccuracy: Double
    /// Multiclass Matthews correlation coefficient.
    public var mcc: Double
    /// Geometric mean of per-class recall over classes with support.
    public var gMean: Double
    /// Number of rows evaluated.
    public var total: Int
    /// Classes that were never predicted (precision reported as 0).
    public var undefinedPrecision: [String]
    /// Classes absent from the truth (recall reported as 0 and excluded from balanced accuracy).
    public var undefinedRecall: [String]
    /// The confusion matrix the metrics come from.
    public var confusion: ConfusionMatrix

    private enum CodingKeys: String, CodingKey {
        case perClass, macro, weighted, accuracy, balancedAccuracy, mcc, gMean, total, undefinedPrecision, undefinedRecall, confusion
    }

    /// Decodes a report by recomputing every metric from its confusion matrix (checked on decode),
    /// so that a results file read back (a shard's, for `ballast experiment merge`) cannot carry
    /// per-class lists of another length than its classes, or numbers its counts do not give.
    /// The stored metrics are the same function of the same counts, so nothing written is lost.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(confusion: try container.decode(ConfusionMatrix.self, forKey: .confusion))
    }

    /// Computes every metric from a confusion matrix.
    public init(confusion: ConfusionMatrix) {
        self.confusion = confusion
        let k = confusion.classCount
        let n = confusion.total
        var perClass: [ClassMetrics] = []
        var undefinedP: [String] = [], undefinedR: [String] = []
        for c in 0..<k {
            let tp = confusion.counts[c][c]
            let support = confusion.trueCount(c)
            let predicted = confusion.predictedCount(c)
            let fp = predicted - tp, fn = support - tp
            let tn = n - tp - fp - fn
            if predicted == 0 && support > 0 { undefinedP.append(confusion.classNames[c]) }
            if support == 0 && predicted > 0 { undefinedR.append(confusion.classNames[c]) }
            let p = ratio(tp, tp + fp), r = ratio(tp, tp + fn)
            perClass.append(ClassMetrics(
                name: confusion.classNames[c], precision: p, recall: r,
                f1: p + r > 0 ? 2 * p * r / (p + r) : 0, support: support,
                specificity: ratio(tn, tn + fp), falseAlarmRate: ratio(fp, fp + tn)))
        }
        self.perClass = perClass
        self.undefinedPrecision = undefinedP
        self.undefinedRecall = undefinedR
        self.total = n

        let present = (0..<k).filter { confusion.trueCount($0) > 0 || confusion.predictedCount($0) > 0 }
        let m = Double(max(present.count, 1))
        macro = Averages(
            precision: present.reduce(0) { $0 + perClass[$1].precision } / m,
            recall: present.reduce(0) { $0 + perClass[$1].recall } / m,
            f1: present.reduce(0) { $0 + perClass[$1].f1 } / m)
        let w = Double(max(n, 1))
        weighted = Averages(
            precision: perClass.reduce(0) { $0 + $1.precision * Double($1.support) } / w,
            recall: perClass.reduce(0) { $0 + $1.recall * Double($1.support) } / w,
            f1: perClass.reduce(0) { $0 + $1.f1 * Double($1.support) } / w)
        accuracy = ratio(confusion.correct, n)

        let withSupport = perClass.filter { $0.support > 0 }
        balancedAccuracy = withSupport.isEmpty ? 0 : withSupport.reduce(0) { $0 + $1.recall } / Double(withSupport.count)
        if withSupport.isEmpty || withSupport.contains(where: { $0.recall == 0 }) {
            gMean = 0
        } else {
            gMean = exp(withSupport.reduce(0) { $0 + log($1.recall) } / Double(withSupport.count))
        }

        // Multiclass MCC: (c·s − Σ t_k p_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²)).
        let s = Double(n), correct = Double(confusion.correct)
        var tp = 0.0, pp = 0.0, tt = 0.0
        for c in 0..<k {
            let t = Double(confusion.trueCount(c)), p = Double(confusion.predictedCount(c))
            tp += t * p; pp += p * p; tt += t * t
        }
        let denominator = ((s * s - pp) * (s * s - tt)).squareRoot()
        mcc = denominator > 0 ? (correct * s - tp) / denominator : 0
    }

    /// Computes every metric from true and predicted labels.
    /// - Throws: ``MetricsError`` when the arrays differ in length or hold an invalid label.
    public init(truth: [Int], predicted: [Int], classNames: [String]) throws {
        self.init(confusion: try ConfusionMatrix(truth: truth, predicted: predicted, classNames: classNames))
    }
}

private func ratio(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : 0 }

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
