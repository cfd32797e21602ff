/// Why a train/test split or a K-fold partition was refused.
public enum SplitError: Error, Equatable, CustomStringConvertible {
    /// `testFraction` is not strictly between 0 and 1.
    case invalidTestFraction(Double)
    /// `folds` is below 2 or above the number of rows.
    case invalidFoldCount(folds: Int, rows: Int)
    /// Fewer than 2 rows: nothing can be split.
    case tooFewRows(Int)
    /// A labelled fraction outside (0, 1].
    case invalidLabelledFraction(Double)

    /// A message naming the column, row or parameter, the bad value and what was expected.
    public var description: String {
        switch self {
        case let .invalidTestFraction(f): return "testFraction \(f): expected a value strictly between 0 and 1"
        case let .invalidFoldCount(folds, rows): return "folds \(folds): expected 2 ≤ folds ≤ \(rows) (the number of rows)"
        case let .tooFewRows(n): return "cannot split \(n) row(s): at least 2 are needed"
        case let .invalidLabelledFraction(f): return "labelled fraction \(f): expected a fraction in (0, 1]"
        }
    }
}

/// Row indices grouped by class label, classes in ascending label order, rows in ascending order.
func rowsByClass(_ labels: [Int]) -> [[Int]] {
    var groups: [Int: [Int]] = [:]
    for (i, l) in labels.enumerated() { groups[l, default: []].append(i) }
    return groups.keys.sorted().map { groups[$0] ?? [] }
}
