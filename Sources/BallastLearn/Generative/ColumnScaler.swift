import BallastCore

/// A per-column min-max scaling fitted on a generator's training rows, mapping each column's
/// observed range onto `lower...upper` — `[0, 1]` for a sigmoid decoder, `[−1, 1]` for a tanh GAN
/// generator (the HIKARI-2021 paper's scaling) — and back.
///
/// A constant column maps to the middle of the range and back to its constant. The inverse clips
/// to the observed range, so a bounded output activation never leaves it.
public struct ColumnScaler: Sendable, Codable, Equatable {
    /// The lower end of the scaled range.
    public let lower: Float
    /// The upper end of the scaled range.
    public let upper: Float
    /// Each column's observed minimum.
    public let minimums: [Float]
    /// Each column's observed maximum.
    public let maximums: [Float]

    /// Fits the column ranges of `matrix`.
    /// - Parameters:
    ///   - matrix: the training rows (finite; at least one row).
    ///   - lower: the scaled minimum.
    ///   - upper: the scaled maximum (greater than `lower`).
    public init(fitting matrix: Matrix, lower: Float = 0, upper: Float = 1) {
        precondition(lower < upper, "ColumnScaler: empty range \(lower)...\(upper)")
        self.lower = lower
        self.upper = upper
        minimums = matrix.columnMinimums()
        maximums = matrix.columnMaximums()
    }

    /// Number of columns.
    public var width: Int { minimums.count }

    /// `matrix` scaled column by column.
    public func transform(_ matrix: Matrix) -> Matrix {
        precondition(matrix.columns == width, "ColumnScaler: \(matrix.columns) columns, expected \(width)")
        var out = matrix
        let cols = width, mid = (lower + upper) / 2, span = upper - lower
        out.withUnsafeMutableBufferPointer { x in
            for r in 0..<matrix.rows {
                for c in 0..<cols {
                    let range = maximums[c] - minimums[c]
                    x[r * cols + c] = range > 0 ? lower + (x[r * cols + c] - minimums[c]) / range * span : mid
                }
            }
        }
        return out
    }

    /// `matrix` mapped back to the original units, clipped to each column's observed range; NaN
    /// becomes the column's minimum.
    public func inverse(_ matrix: Matrix) -> Matrix {
        precondition(matrix.columns == width, "ColumnScaler: \(matrix.columns) columns, expected \(width)")
        var out = matrix
        let cols = width, span = upper - lower
        out.withUnsafeMutableBufferPointer { x in
            for r in 0..<matrix.rows {
                for c in 0..<cols {
                    let v = minimums[c] + (x[r * cols + c] - lower) / span * (maximums[c] - minimums[c])
                    x[r * cols + c] = v.isNaN ? minimums[c] : min(max(v, minimums[c]), maximums[c])
                }
            }
        }
        return out
    }

    /// Checks a decoded scaler against the width it must have.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` naming the bad field.
    func validate(width expected: Int) throws {
        guard lower < upper, lower.isFinite, upper.isFinite else {
            throw LearnError.invalidParameter(name: "scaler range", value: "\(lower)...\(upper)", expected: "a finite, non-empty range")
        }
        guard minimums.count == expected, maximums.count == expected else {
            throw LearnError.invalidParameter(name: "scaler columns", value: "\(minimums.count)/\(maximums.count)", expected: "\(expected)")
        }
        guard zip(minimums, maximums).allSatisfy({ $0.isFinite && $1.isFinite && $0 <= $1 }) else {
            throw LearnError.invalidParameter(name: "scaler", value: "a non-finite or inverted range", expected: "finite minimum ≤ maximum")
        }
    }
}
