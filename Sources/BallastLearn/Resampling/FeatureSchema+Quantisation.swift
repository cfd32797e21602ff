import BallastCore
import Foundation

extension FeatureSchema {
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
        if case .real = kind { return nil }
        if case .categorical = kind { return (value - 0.5, value + 0.5) }
        guard let preprocessor else {
            if case .binary = kind, minimums.indices.contains(column) {
                let half = Swift.max((maximums[column] - minimums[column]) / 2, .leastNormalMagnitude)
                let centre = value < (minimums[column] + maximums[column]) / 2 ? minimums[column] : maximums[column]
                return (centre - half, centre + half)
            }
            let k = value.rounded()
            return (k - 0.5, k + 0.5)
        }
        let output = preprocessor.outputColumns[column]
        let f = preprocessor.columns[output.sourceColumn]
        guard f.factor != 0, f.factor.isFinite else { return (value - 0.5, value + 0.5) }
        var raw = (Double(value) - f.base) / f.factor + f.shift
        if f.logTransformed { raw = expm1(Swift.min(raw, 700)) }
        let k = kind == .binary ? (raw >= 0.5 ? 1.0 : 0.0) : raw.rounded()
        func scaled(_ r: Double) -> Float {
            let t = f.logTransformed ? log1p(Swift.max(r, -0.999_999)) : r
            return Float((t - f.shift) * f.factor + f.base)
        }
        let a = scaled(k - 0.5), b = scaled(k + 0.5)
        guard a.isFinite, b.isFinite, a != b else { return nil }
        return (Swift.min(a, b), Swift.max(a, b))
    }
}
