import BallastCore

/// A class's training rows as a RealNVP sees them: min-max scaled to [0, 1] (``ColumnScaler``),
/// discrete values spread uniformly over their rounding cells (dequantisation), then standardised
/// column by column.
///
/// **Dequantisation.** A flow is a density on ℝᵈ; on integer, binary and one-hot columns the data
/// is a set of points, where the likelihood is unbounded (Uria et al., 2013; Theis et al., 2016).
/// Each discrete value is replaced by a fresh uniform draw over its rounding cell
/// (``FeatureSchema/quantisationCell(column:value:)``: exactly the values the schema's snap maps
/// back to that value), in every batch. The flow then learns a proper density whose samples snap
/// to the discrete values in proportion to their frequency. One-hot indicators get `v ± ½`, so a
/// noisy group keeps its category as the argmax — sampling takes the argmax. A column that is
/// constant within the class (common in a rare class) gets uniform noise over its whole scaled
/// range, [0, 1]: the scaler maps every value back to the constant, and the flow is spared a point
/// mass. A real column recorded at a resolution (see ``ColumnGrid``) is dequantised like an integer
/// column, over the values that round to its grid point; other real columns are used as they are.
///
/// **Standardisation.** The dequantised columns are shifted and scaled to mean 0 and variance 1
/// (computed exactly from the cells: the mean of a uniform cell is its centre, its variance
/// `width²/12`), so the N(0, I) base fits at initialisation and the bounded coupling scales
/// (at most `e` per coupling) need not stretch a narrow column (a data-dependent initialisation
/// like Glow's actnorm, kept fixed). The shift and scale are stored with the weights.
struct DequantisedRows {
    /// Columns.
    let columns: Int
    /// Lower end of each value's cell in the scaled space (the value itself for real columns).
    let lower: [Float]
    /// Width of each value's cell (0 for real columns).
    let width: [Float]
    /// Mean of each dequantised column.
    let mean: [Float]
    /// Standard deviation of each dequantised column (at least ``minimumDeviation``).
    let deviation: [Float]

    /// The smallest standard deviation used to standardise a column (in [0, 1]-scaled units).
    static let minimumDeviation: Float = 1e-3

    /// Computes the cells and statistics of `rows`.
    /// - Parameters:
    ///   - rows: the class's rows in the preprocessed space.
    ///   - scaled: `scaler.transform(rows)`.
    ///   - scaler: the network's column scaling (to [0, 1]).
    ///   - schema: which columns are discrete.
    ///   - grid: the resolution of real columns.
    init(rows: Matrix, scaled: Matrix, scaler: ColumnScaler, schema: FeatureSchema, grid: ColumnGrid) {
        let n = rows.rows, cols = rows.columns, span = scaler.upper - scaler.lower
        var lower = scaled.storage, width = [Float](repeating: 0, count: n * cols)
        for c in 0..<cols {
            let range = scaler.maximums[c] - scaler.minimums[c]
            for r in 0..<n {
                let i = r * cols + c
                if range <= 0 {
                    lower[i] = scaler.lower
                    width[i] = span
                } else if let cell = schema.quantisationCell(column: c, value: rows[r, c]) ?? grid.cell(column: c, value: rows[r, c]) {
                    lower[i] = scaler.lower + (cell.lower - scaler.minimums[c]) / range * span
                    width[i] = (cell.upper - cell.lower) / range * span
                }
            }
        }
        var mean = [Float](repeating: 0, count: cols), deviation = mean
        for c in 0..<cols {
            var sum = 0.0, squares = 0.0
            for r in 0..<n {
                let w = Double(width[r * cols + c]), centre = Double(lower[r * cols + c]) + w / 2
                sum += centre
                squares += centre * centre + w * w / 12
            }
            let m = sum / Double(max(n, 1))
            mean[c] = Float(m)
            deviation[c] = max(Float((max(squares / Double(max(n, 1)) - m * m, 0)).squareRoot()), Self.minimumDeviation)
        }
        columns = cols
        self.lower = lower
        self.width = width
        self.mean = mean
        self.deviation = deviation
    }

    /// Writes the dequantised, standardised rows `indices` into `out` (`indices.count × columns`),
    /// with fresh noise from `rng`.
    func fill(_ out: UnsafeMutableBufferPointer<Float>, rows indices: some Collection<Int>, using rng: inout some RandomNumberGenerator) {
        var o = 0
        for r in indices {
            let base = r * columns
            for c in 0..<columns {
                let w = width[base + c]
                let v = w > 0 ? lower[base + c] + w * rng.nextUniformFloat() : lower[base + c]
                out[o + c] = (v - mean[c]) / deviation[c]
            }
            o += columns
        }
    }
}
