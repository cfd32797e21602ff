import Foundation

/// A number an experiment summary reports for each (test set, balancing, detector) row: an overall
/// metric, one class's precision, recall or F1, or an NSL-KDD seen/novel-attack rate.
///
/// Every metric is "higher is better". Fractions are shown in percent with two decimals
/// (`75.88`); MCC, which lies in [−1, 1], is shown as a coefficient with four decimals.
public enum SummaryMetric: Sendable, Hashable {
    /// Correct / total.
    case accuracy
    /// Mean recall over classes with test rows.
    case balancedAccuracy
    /// Unweighted mean precision over classes.
    case macroPrecision
    /// Unweighted mean recall over classes.
    case macroRecall
    /// Unweighted mean F1 over classes.
    case macroF1
    /// Support-weighted precision.
    case weightedPrecision
    /// Support-weighted recall.
    case weightedRecall
    /// Support-weighted F1.
    case weightedF1
    /// Multiclass Matthews correlation coefficient.
    case mcc
    /// Geometric mean of per-class recall.
    case gMean
    /// Precision of one class (undefined when the test set has no rows of it).
    case precision(classIndex: Int)
    /// Recall (detection rate) of one class (undefined when the test set has no rows of it).
    case recall(classIndex: Int)
    /// F1 of one class (undefined when the test set has no rows of it).
    case f1(classIndex: Int)
    /// NSL-KDD: share of rows of attacks seen in training predicted as their own category.
    case seenAttackRecall
    /// NSL-KDD: share of rows of attacks only in the test set predicted as their own category.
    case novelAttackRecall
    /// NSL-KDD: share of rows of seen attacks flagged as any attack.
    case seenAttackDetection
    /// NSL-KDD: share of rows of novel attacks flagged as any attack.
    case novelAttackDetection

    /// The overall metrics, in table order.
    public static let overall: [SummaryMetric] = [
        .accuracy, .weightedPrecision, .weightedRecall, .weightedF1, .macroPrecision, .macroRecall, .macroF1,
        .balancedAccuracy, .mcc, .gMean,
    ]

    /// The NSL-KDD attack-group metrics.
    public static let attackGroups: [SummaryMetric] = [
        .seenAttackRecall, .novelAttackRecall, .seenAttackDetection, .novelAttackDetection,
    ]

    /// The metric's value in one evaluation, or `nil` where it is undefined: a class with no rows in
    /// the test set, or an attack group that is empty or not measured.
    /// - Parameter evaluation: a cell's metrics on one test set.
    public func value(in evaluation: TestEvaluation) -> Double? {
        let report = evaluation.report
        func perClass(_ c: Int, _ pick: (ClassificationReport.ClassMetrics) -> Double) -> Double? {
            guard c >= 0, c < report.perClass.count, report.perClass[c].support > 0 else { return nil }
            return pick(report.perClass[c])
        }
        let value: Double?
        switch self {
        case .accuracy: value = report.accuracy
        case .balancedAccuracy: value = report.balancedAccuracy
        case .macroPrecision: value = report.macro.precision
        case .macroRecall: value = report.macro.recall
        case .macroF1: value = report.macro.f1
        case .weightedPrecision: value = report.weighted.precision
        case .weightedRecall: value = report.weighted.recall
        case .weightedF1: value = report.weighted.f1
        case .mcc: value = report.mcc
        case .gMean: value = report.gMean
        case .precision(let c): value = perClass(c) { $0.precision }
        case .recall(let c): value = perClass(c) { $0.recall }
        case .f1(let c): value = perClass(c) { $0.f1 }
        case .seenAttackRecall: value = evaluation.attackGroups.flatMap { $0.seenRows > 0 ? $0.seenRecall : nil }
        case .novelAttackRecall: value = evaluation.attackGroups.flatMap { $0.novelRows > 0 ? $0.novelRecall : nil }
        case .seenAttackDetection: value = evaluation.attackGroups.flatMap { $0.seenRows > 0 ? $0.seenDetectionRate : nil }
        case .novelAttackDetection: value = evaluation.attackGroups.flatMap { $0.novelRows > 0 ? $0.novelDetectionRate : nil }
        }
        return value.flatMap { $0.isFinite ? $0 : nil }
    }

    /// The column heading, with the unit (`accuracy %`, `DoS recall %`, `MCC`).
    /// - Parameter classNames: the dataset's class names, for per-class metrics.
    public func title(classNames: [String]) -> String {
        func name(_ c: Int) -> String { c >= 0 && c < classNames.count ? classNames[c] : "class \(c)" }
        switch self {
        case .accuracy: return "accuracy %"
        case .balancedAccuracy: return "balanced acc. %"
        case .macroPrecision: return "macro-P %"
        case .macroRecall: return "macro-R %"
        case .macroF1: return "macro-F1 %"
        case .weightedPrecision: return "weighted-P %"
        case .weightedRecall: return "weighted-R %"
        case .weightedF1: return "weighted-F1 %"
        case .mcc: return "MCC"
        case .gMean: return "G-mean %"
        case .precision(let c): return "\(name(c)) precision %"
        case .recall(let c): return "\(name(c)) recall %"
        case .f1(let c): return "\(name(c)) F1 %"
        case .seenAttackRecall: return "seen caught %"
        case .novelAttackRecall: return "novel caught %"
        case .seenAttackDetection: return "seen detected %"
        case .novelAttackDetection: return "novel detected %"
        }
    }

    /// Whether the metric is a fraction shown in percent (all but MCC).
    public var isPercent: Bool { self != .mcc }

    /// The value as the integer the tables print (hundredths of a percent, or 1/10,000 of MCC), so
    /// that "best" compares what a reader sees and ties at the printed precision are all marked.
    /// - Parameter value: a metric value (fraction, or MCC).
    public func displayed(_ value: Double) -> Int {
        guard value.isFinite else { return Int.min }
        return Int((value * 10_000).rounded())
    }

    /// The value as printed: `75.88` for a fraction, `0.7321` for MCC, `n/a` when not finite.
    /// - Parameter value: a metric value.
    public func format(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return isPercent ? String(format: "%.2f", value * 100) : String(format: "%.4f", value)
    }

    /// A mean ± std as printed: `75.88 ± 0.21`, or the mean alone when there is one run (or when
    /// `showStd` is false); `compact` drops the spaces and prints the std with one decimal fewer.
    /// - Parameters:
    ///   - stat: the mean and std over runs.
    ///   - showStd: whether to print the std.
    ///   - compact: `75.88±0.2` instead of `75.88 ± 0.21`.
    public func format(_ stat: MeanStd, showStd: Bool = true, compact: Bool = false) -> String {
        let mean = format(stat.mean)
        guard showStd, let std = stat.std, std.isFinite else { return mean }
        if compact {
            let text = isPercent ? String(format: "%.1f", std * 100) : String(format: "%.3f", std)
            return mean + "±" + text
        }
        return mean + " ± " + format(std)
    }
}
