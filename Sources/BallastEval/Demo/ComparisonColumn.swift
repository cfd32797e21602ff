/// One metric column of the comparison table.
public enum ComparisonColumn: Sendable, Hashable {
    /// Correct / total.
    case accuracy
    /// Unweighted mean F1 over classes.
    case macroF1
    /// Support-weighted mean F1.
    case weightedF1
    /// The recall (detection rate) of one class.
    case recall(classIndex: Int)

    /// The column's value in a report (0 for a class index outside it).
    public func value(in report: ClassificationReport) -> Double {
        switch self {
        case .accuracy: return report.accuracy
        case .macroF1: return report.macro.f1
        case .weightedF1: return report.weighted.f1
        case .recall(let c): return c < report.perClass.count ? report.perClass[c].recall : 0
        }
    }

    /// The heading, given the class names.
    public func title(classNames: [String]) -> String {
        switch self {
        case .accuracy: return "accuracy"
        case .macroF1: return "macro-F1"
        case .weightedF1: return "weighted-F1"
        case .recall(let c): return c < classNames.count ? classNames[c] : "class \(c)"
        }
    }

    /// A stable key for JSON: `accuracy`, `macroF1`, `weightedF1`, `recall.CLASS`.
    public func key(classNames: [String]) -> String {
        switch self {
        case .accuracy: return "accuracy"
        case .macroF1: return "macroF1"
        case .weightedF1: return "weightedF1"
        case .recall: return "recall." + title(classNames: classNames)
        }
    }
}
