import BallastCore
import BallastData

/// The kinds of a feature matrix's columns, so that synthetic rows can be made valid records.
///
/// Built from the fitted preprocessing (exact: integer and binary raw columns, one-hot groups,
/// observed ranges) or inferred from a matrix (two-valued columns are binary-like, integral columns
/// are integers, every column is bounded by its observed range).
public struct FeatureSchema: Sendable, Equatable {
    /// What one feature column holds.
    public enum Kind: Sendable, Equatable {
        /// Continuous values.
        case real
        /// Integer values (in the raw space of the preprocessing, or of the matrix when inferred).
        case integer
        /// Two values only (0/1 raw).
        case binary
        /// One indicator of a one-hot group (an index into ``FeatureSchema/categoricalGroups``).
        case categorical(group: Int)
    }

    /// One kind per column.
    public let kinds: [Kind]
    /// Column ranges that encode one categorical variable: one-hot groups, or single ordinal-code columns.
    public let categoricalGroups: [Range<Int>]
    let minimums: [Float]
    let maximums: [Float]
    let preprocessor: FittedPreprocessor?

    /// The schema of a preprocessing's output: snapping is ``FittedPreprocessor/snap(_:)``.
    public init(preprocessor: FittedPreprocessor) {
        var groups: [Range<Int>] = []
        var kinds: [Kind] = []
        var seenGroup: [Int: Int] = [:]
        for (j, column) in preprocessor.outputColumns.enumerated() {
            switch column.role {
            case .real: kinds.append(.real)
            case .integer: kinds.append(.integer)
            case .binary: kinds.append(.binary)
            case .ordinal:
                groups.append(j..<(j + 1))
                kinds.append(.categorical(group: groups.count - 1))
            case .oneHot(let g):
                if let existing = seenGroup[g] {
                    kinds.append(.categorical(group: existing))
                } else {
                    groups.append(preprocessor.oneHotGroups[g])
                    seenGroup[g] = groups.count - 1
                    kinds.append(.categorical(group: groups.count - 1))
                }
            }
        }
        self.kinds = kinds
        self.categoricalGroups = groups
        self.minimums = []
        self.maximums = []
        self.preprocessor = preprocessor
    }

    /// A schema inferred from the values of `features`: a column with exactly two distinct values is
    /// binary-like (snapped to the nearer value), one with only integral values is integer (rounded),
    /// any other is real; every column is clipped to its observed range. No categorical groups are
    /// inferred.
    public init(inferredFrom features: Matrix) {
        let rows = features.rows, cols = features.columns
        var lo = [Float](repeating: .infinity, count: cols), hi = [Float](repeating: -.infinity, count: cols)
        var integral = [Bool](repeating: true, count: cols), twoValued = [Bool](repeating: true, count: cols)
        features.withUnsafeBufferPointer { x in
            for r in 0..<rows {
                for c in 0..<cols {
                    let v = x[r * cols + c]
                    if v < lo[c] { lo[c] = v }
                    if v > hi[c] { hi[c] = v }
                    if integral[c], v.rounded() != v { integral[c] = false }
                }
            }
            for r in 0..<rows {
                for c in 0..<cols where twoValued[c] {
                    let v = x[r * cols + c]
                    if v != lo[c] && v != hi[c] { twoValued[c] = false }
                }
            }
        }
        kinds = (0..<cols).map { c in
            if rows > 0 && lo[c] < hi[c] && twoValued[c] { return .binary }
            return integral[c] ? .integer : .real
        }
        categoricalGroups = []
        minimums = rows > 0 ? lo : []
        maximums = rows > 0 ? hi : []
        preprocessor = nil
    }

    /// Number of columns described.
    public var width: Int { kinds.count }

    /// Moves every row of `matrix` to the nearest valid record of this schema, in place.
    /// - Precondition: `matrix.columns == width`.
    public func snap(_ matrix: inout Matrix) {
        precondition(matrix.columns == width, "FeatureSchema.snap: \(matrix.columns) columns, expected \(width)")
        if let preprocessor {
            preprocessor.snap(&matrix)
            return
        }
        guard !minimums.isEmpty else { return }
        let cols = width, rows = matrix.rows
        matrix.withUnsafeMutableBufferPointer { x in
            for r in 0..<rows {
                for c in 0..<cols {
                    var v = x[r * cols + c]
                    switch kinds[c] {
                    case .binary: v = (v - minimums[c]) < (maximums[c] - v) ? minimums[c] : maximums[c]
                    case .integer: v = v.rounded()
                    case .real, .categorical: break
                    }
                    x[r * cols + c] = v.isNaN ? minimums[c] : min(max(v, minimums[c]), maximums[c])
                }
            }
        }
    }
}
