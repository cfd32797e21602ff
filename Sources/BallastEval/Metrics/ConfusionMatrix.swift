/// Counts of (true class, predicted class) pairs.
///
/// `counts[t][p]` is the number of rows whose true class is `t` and whose predicted class is `p`.
/// Rows are true classes, columns are predictions, as in scikit-learn's `confusion_matrix`.
public struct ConfusionMatrix: Sendable, Equatable, Codable {
    /// Class names, indexed by label.
    public let classNames: [String]
    /// `counts[true][predicted]`.
    public private(set) var counts: [[Int]]

    /// An all-zero matrix for the given classes.
    public init(classNames: [String]) {
        self.classNames = classNames
        self.counts = Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
    }

    /// Tallies true against predicted labels.
    ///
    /// - Parameters:
    ///   - truth: the true class index of each row.
    ///   - predicted: the predicted class index of each row.
    ///   - classNames: the class names; every label must be in `0..<classNames.count`.
    /// - Throws: ``MetricsError/lengthMismatch(truth:predicted:)`` when the arrays differ in length,
    ///   ``MetricsError/labelOutOfRange(row:label:classCount:)`` for a label outside the classes.
    public init(truth: [Int], predicted: [Int], classNames: [String]) throws {
        guard truth.count == predicted.count else {
            throw MetricsError.lengthMismatch(truth: truth.count, predicted: predicted.count)
        }
        self.init(classNames: classNames)
        let k = classNames.count
        for (row, (t, p)) in zip(truth, predicted).enumerated() {
            guard t >= 0 && t < k else { throw MetricsError.labelOutOfRange(row: row, label: t, classCount: k) }
            guard p >= 0 && p < k else { throw MetricsError.labelOutOfRange(row: row, label: p, classCount: k) }
            counts[t][p] += 1
        }
    }

    private enum CodingKeys: String, CodingKey { case classNames, counts }

    /// Decodes a matrix and checks its shape: a results file read back (a shard's, for
    /// `ballast experiment merge`) must not make a report index past a row or overflow a sum.
    /// - Throws: `DecodingError.dataCorrupted` when `counts` is not `k × k` for `k` class names,
    ///   holds a negative count, or sums past `Int.max`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        classNames = try container.decode([String].self, forKey: .classNames)
        counts = try container.decode([[Int]].self, forKey: .counts)
        let k = classNames.count
        var total = 0
        for row in counts {
            for n in row {
                var overflow = n < 0
                if !overflow { (total, overflow) = total.addingReportingOverflow(n) }
                if overflow {
                    throw DecodingError.dataCorruptedError(forKey: .counts, in: container,
                                                           debugDescription: "a count is negative or the counts sum past \(Int.max)")
                }
            }
        }
        guard counts.count == k, counts.allSatisfy({ $0.count == k }) else {
            throw DecodingError.dataCorruptedError(forKey: .counts, in: container,
                                                   debugDescription: "expected \(k) × \(k) counts for \(k) classes")
        }
    }

    /// Number of classes.
    public var classCount: Int { classNames.count }

    /// Total number of rows tallied.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Rows whose true class is `c` (the class's support).
    public func trueCount(_ c: Int) -> Int { counts[c].reduce(0, +) }

    /// Rows predicted as class `c`.
    public func predictedCount(_ c: Int) -> Int { counts.reduce(0) { $0 + $1[c] } }

    /// Correctly classified rows.
    public var correct: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }
}

/// Invalid input to a metric.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    /// The true and predicted label arrays have different lengths.
    case lengthMismatch(truth: Int, predicted: Int)
    /// A label is not a valid class index.
    case labelOutOfRange(row: Int, label: Int, classCount: Int)

    public var description: String {
        switch self {
        case let .lengthMismatch(truth, predicted):
            return "\(truth) true labels but \(predicted) predictions: they must be the same length"
        case let .labelOutOfRange(row, label, classCount):
            return "row \(row): label \(label) is outside the \(classCount) classes 0..<\(classCount)"
        }
    }
}

extension ConfusionMatrix {
    /// The matrix over `kept` classes (in the order given) plus one class `other` holding every
    /// other class's rows and predictions: how a report summarises hundreds of classes.
    /// - Parameters:
    ///   - kept: class indices to keep (each in `0..<classCount`, no repeats).
    ///   - other: the name of the class that gathers the rest.
    /// - Returns: a `(kept.count + 1)`-class matrix with the same total; `self` when nothing is left
    ///   to gather.
    public func folded(keeping kept: [Int], other: String) -> ConfusionMatrix {
        let valid = kept.filter { $0 >= 0 && $0 < classCount }
        guard valid.count < classCount else { return self }
        var position = [Int](repeating: valid.count, count: classCount)
        for (i, c) in valid.enumerated() { position[c] = i }
        var result = ConfusionMatrix(classNames: valid.map { classNames[$0] } + [other])
        for t in 0..<classCount {
            for p in 0..<classCount where counts[t][p] != 0 {
                result.counts[position[t]][position[p]] += counts[t][p]
            }
        }
        return result
    }
}
