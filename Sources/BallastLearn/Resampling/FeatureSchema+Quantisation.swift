import BallastCore
import Foundation

/// How one preprocessed column maps to the raw record's units: `value = (t − shift) · factor + base`
/// with `t = log1p(raw)` when the column is log-transformed and `t = raw` otherwise.
struct RawMapping: Sendable, Equatable {
    var shift = 0.0
    var factor = 1.0
    var base = 0.0
    var logTransformed = false

    /// The raw value of a preprocessed value.
    func raw(_ value: Float) -> Double {
        let t = (Double(value) - base) / factor + shift
        return logTransformed ? expm1(Swift.min(t, 700)) : t
    }

    /// The preprocessed value of a raw value.
    func value(_ raw: Double) -> Float {
        let t = logTransformed ? log1p(Swift.max(raw, -0.999_999)) : raw
        return Float((t - shift) * factor + base)
    }
}

extension FeatureSchema {
    /// The raw-unit mapping of a column: the preprocessing's, or the identity for an inferred schema.
    func rawMapping(column: Int) -> RawMapping {
        guard let preprocessor, case let f = preprocessor.columns[preprocessor.outputColumns[column].sourceColumn],
              f.factor != 0, f.factor.isFinite else { return RawMapping() }
        switch kinds[column] {
        case .categorical: return RawMapping()
        case .real, .integer, .binary: return RawMapping(shift: f.shift, factor: f.factor, base: f.base, logTransformed: f.logTransformed)
        }
    }

    /// The rounding cell of a discrete value: the interval of the column's (preprocessed) values
    /// that snapping maps to the same valid record, or `nil` for a real column.
    ///
    /// A density model of discrete values needs them spread over an interval (dequantisation,
    /// Uria et al. 2013; Dinh et al. 2017): uniform noise over the value's rounding cell gives a
    /// continuous density whose samples snap back to the values that were observed. The cells are
    /// those of the raw record, mapped through the preprocessing:
    /// - integer columns: raw `k` owns `[k − ½, k + ½]` (through `log1p` and the scaling when the
    ///   preprocessing applies them, so the cell is exact, not one step of the scaled column);
    /// - binary columns: raw 0 owns `[−½, ½]`, raw 1 owns `[½, 1½]` (the snap thresholds at ½);
    /// - one-hot indicators and ordinal codes (unscaled): `v` owns `[v − ½, v + ½]`, so a row's
    ///   noisy group still has its own category as the argmax;
    /// - a schema inferred from a matrix: an integer column as raw, a two-valued column splits at
    ///   the midpoint of its two values.
    /// - Parameters:
    ///   - column: a column index below ``width``.
    ///   - value: a finite value of that column, as the preprocessing outputs it.
    /// - Returns: the cell's bounds, `lower < upper`, or `nil` for real columns (and for a cell
    ///   narrower than the Float resolution of the value, which needs no noise).
    public func quantisationCell(column: Int, value: Float) -> (lower: Float, upper: Float)? {
        let kind = kinds[column]
        switch kind {
        case .real: return nil
        case .categorical: return (value - 0.5, value + 0.5)
        case .binary where preprocessor == nil && minimums.indices.contains(column):
            let half = Swift.max((maximums[column] - minimums[column]) / 2, .leastNormalMagnitude)
            let centre = value < (minimums[column] + maximums[column]) / 2 ? minimums[column] : maximums[column]
            return (centre - half, centre + half)
        case .integer, .binary:
            let mapping = rawMapping(column: column)
            let raw = mapping.raw(value)
            let k = kind == .binary ? (raw >= 0.5 ? 1.0 : 0.0) : raw.rounded()
            return Self.cell(mapping, k - 0.5, k + 0.5)
        }
    }

    /// The preprocessed interval of the raw interval `a...b`, or `nil` when it is empty in Float.
    static func cell(_ mapping: RawMapping, _ a: Double, _ b: Double) -> (lower: Float, upper: Float)? {
        let lower = mapping.value(a), upper = mapping.value(b)
        guard lower.isFinite, upper.isFinite, lower != upper else { return nil }
        return (Swift.min(lower, upper), Swift.max(lower, upper))
    }
}
