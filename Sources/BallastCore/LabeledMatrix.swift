/// A feature matrix with one integer class label per row and the class-name table beside it.
///
/// This is what resamplers, generators and classifiers consume: rows are samples, `labels[i]` is the
/// class index of row `i` in `0..<classNames.count`.
public struct LabeledMatrix: Sendable, Equatable {
    /// Features, one row per sample.
    public var features: Matrix
    /// Class index per row.
    public var labels: [Int]
    /// Class names, indexed by label.
    public var classNames: [String]

    /// Creates a labelled matrix.
    /// - Precondition: `labels.count == features.rows` (validate user data with ``validate()``).
    public init(features: Matrix, labels: [Int], classNames: [String]) {
        self.features = features
        self.labels = labels
        self.classNames = classNames
    }

    /// Number of rows.
    public var count: Int { features.rows }

    /// Rows per class, indexed by label.
    public var classCounts: [Int] { Self.classCounts(of: labels, classCount: classNames.count) }

    /// How many of `labels` fall in each class `0..<classCount` (labels outside are not counted).
    public static func classCounts(of labels: [Int], classCount: Int) -> [Int] {
        var counts = Array(repeating: 0, count: max(0, classCount))
        for l in labels where l >= 0 && l < counts.count { counts[l] += 1 }
        return counts
    }

    /// The rows at `indices`, with their labels.
    public func gatherRows<C: Collection>(_ indices: C) -> LabeledMatrix where C.Element == Int {
        LabeledMatrix(features: features.gatherRows(indices), labels: indices.map { labels[$0] }, classNames: classNames)
    }

    /// Checks the invariants that user-supplied data can break.
    ///
    /// - Throws: ``LabeledMatrixError`` when the label count differs from the row count, a label is
    ///   outside `0..<classNames.count`, or a feature is NaN or infinite.
    public func validate() throws {
        if labels.count != features.rows {
            throw LabeledMatrixError.labelCountMismatch(rows: features.rows, labels: labels.count)
        }
        for (row, l) in labels.enumerated() where l < 0 || l >= classNames.count {
            throw LabeledMatrixError.labelOutOfRange(row: row, label: l, classCount: classNames.count)
        }
        if let (r, c) = features.firstNonFinite() {
            throw LabeledMatrixError.nonFinite(row: r, column: c, value: features[r, c])
        }
    }
}

/// Invalid labelled data.
public enum LabeledMatrixError: Error, Equatable, CustomStringConvertible {
    /// `labels.count` differs from the number of feature rows.
    case labelCountMismatch(rows: Int, labels: Int)
    /// A label is not a valid class index.
    case labelOutOfRange(row: Int, label: Int, classCount: Int)
    /// A feature value is NaN or infinite.
    case nonFinite(row: Int, column: Int, value: Float)

    public var description: String {
        switch self {
        case let .labelCountMismatch(rows, labels):
            return "label count \(labels) does not match the \(rows) feature rows"
        case let .labelOutOfRange(row, label, classCount):
            return "row \(row): label \(label) is outside 0..<\(classCount)"
        case let .nonFinite(row, column, value):
            return "row \(row), column \(column): feature value \(value) is not finite"
        }
    }
}
