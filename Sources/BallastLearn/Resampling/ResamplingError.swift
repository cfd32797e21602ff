/// A sampling strategy that cannot be met on the given data.
public enum ResamplingError: Error, Equatable, CustomStringConvertible {
    /// `.ratio` was used with more than two classes.
    case ratioNeedsTwoClasses(found: Int)
    /// A ratio asks for fewer rows than the class already has (over-sampling) or more (under-sampling).
    case ratioNotAttainable(ratio: Double, reason: String)
    /// An over-sampler was asked for fewer rows of a class than it has.
    case overSamplingBelowCurrent(className: String, requested: Int, current: Int)
    /// An under-sampler was asked for more rows of a class than it has.
    case underSamplingAboveCurrent(className: String, requested: Int, current: Int)
    /// A requested count is negative.
    case negativeCount(className: String, requested: Int)
    /// A class named in a strategy has no rows in the data.
    case classAbsent(className: String)
    /// A cleaning method was given explicit counts (it removes what its rule says, not a number).
    case countsNotSupported(method: String)
    /// A strategy text could not be parsed.
    case invalidStrategy(text: String, reason: String)
    /// The method left no rows at all (a strategy of zero rows for every class, or cleaning that
    /// removed everything): there is nothing to write or train on.
    case noRowsLeft(method: String)

    public var description: String {
        switch self {
        case let .ratioNeedsTwoClasses(found):
            return "sampling strategy ratio=… needs exactly two classes; the data has \(found): use class=count pairs instead"
        case let .ratioNotAttainable(ratio, reason): return "sampling ratio \(ratio) cannot be met: \(reason)"
        case let .overSamplingBelowCurrent(className, requested, current):
            return "class '\(className)': an over-sampler cannot reduce \(current) rows to \(requested)"
        case let .underSamplingAboveCurrent(className, requested, current):
            return "class '\(className)': an under-sampler cannot raise \(current) rows to \(requested)"
        case let .negativeCount(className, requested): return "class '\(className)': requested count \(requested) is negative"
        case let .classAbsent(className): return "class '\(className)' has no rows in the data"
        case let .countsNotSupported(method):
            return "\(method) is a cleaning method: it accepts which classes to clean (auto, all, not-minority, …), not counts"
        case let .invalidStrategy(text, reason): return "sampling strategy '\(text)': \(reason)"
        case let .noRowsLeft(method): return "\(method) left no rows: there is nothing to write (ask for at least one row of some class)"
        }
    }
}
