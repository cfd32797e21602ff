import BallastCore
import BallastNN
import Foundation

/// The resolution at which real columns were recorded, found in a class's rows, so that generated
/// values land on the same grid (NSL-KDD's rates are multiples of 0.01: 0.00 is a point mass that a
/// continuous model only approaches, and a KS test sees every 0.003 as a miss).
///
/// The grid is found in raw units (through the preprocessing's `log1p` and scaling, see
/// ``FeatureSchema``): a real column counts as gridded when the gaps between consecutive distinct
/// values have a common
/// step that divides the smallest gap at most 1000 times (NSL-KDD's rates: {0, 0.5, 0.67, 1} in a
/// class have step 0.01), read as the short decimal it was recorded as (0.01, not 0.00999997);
/// unless the raw values repeat (at most half as many distinct values as rows), only the decimal
/// place counts (a tiny class's {1.3, 2.9} are on a 0.1 grid, not a 1.6 one); its origin is the
/// smallest value. A real column that is constant in the
/// rows stays that constant (step −1, the value in `origin`: a model only approaches it, and 15 U2R
/// rows with `srv_serror_rate` 0 give no grid to round to). A column of
/// distinct continuous values has no grid and is left alone; discrete columns are rounded by the
/// schema's snap instead. Kept with the weights as buffers: `grid.origin`, `grid.step` (raw units,
/// step 0 meaning no grid, −1 a constant), `grid.shift`, `grid.factor`, `grid.base` (the column's mapping to raw
/// units), each `2 × features` — a Float and its remainder, so the grid points map to exactly the
/// Float the preprocessing gives them — and `grid.log` (`features`, 1 for a `log1p` column).
final class ColumnGrid: Trainable {
    /// `2 × features` each: origin and step in raw units, then the raw mapping.
    let origin: Parameter, step: Parameter, shift: Parameter, factor: Parameter, base: Parameter
    /// `1 × features`: 1 where the column is `log1p`-transformed.
    let log: Parameter

    /// No grid on any of `features` columns.
    init(features: Int) {
        func buffer(_ name: String, _ value: Float) -> Parameter {
            Parameter(name: "grid." + name, value: Matrix(rows: 2, columns: features) { r, _ in r == 0 ? value : 0 }, shape: [2, features])
        }
        origin = buffer("origin", 0)
        step = buffer("step", 0)
        shift = buffer("shift", 0)
        factor = buffer("factor", 1)
        base = buffer("base", 0)
        log = Parameter(name: "grid.log", value: Matrix(rows: 1, columns: features), shape: [features])
    }

    /// Stores `value` in column `c` of a `2 × features` buffer as a Float and its remainder.
    private static func set(_ p: Parameter, _ c: Int, _ value: Double) {
        let high = Float(value)
        p.value[0, c] = high
        p.value[1, c] = Float(value - Double(high))
    }

    /// The Double stored in column `c` of a `2 × features` buffer.
    private static func get(_ p: Parameter, _ c: Int) -> Double { Double(p.value[0, c]) + Double(p.value[1, c]) }

    var parameters: [Parameter] { [] }
    var buffers: [Parameter] { [origin, step, shift, factor, base, log] }
    func flopsPerSample() -> Int { 8 * origin.value.columns }

    /// Column `c`'s mapping to raw units.
    private func mapping(_ c: Int) -> RawMapping {
        RawMapping(shift: Self.get(shift, c), factor: Self.get(factor, c), base: Self.get(base, c), logTransformed: log.value[0, c] != 0)
    }

    /// Finds the grid of each real column of a class's rows.
    /// - Parameters:
    ///   - rows: the rows in the preprocessed space.
    ///   - schema: which columns are real, and their raw units.
    func detect(in rows: Matrix, schema: FeatureSchema) {
        let n = rows.rows
        for c in 0..<rows.columns {
            guard case .real = schema.kinds[c] else { continue }
            let map = schema.rawMapping(column: c)
            let distinct = Array(Set((0..<n).map { map.raw(rows[$0, c]) })).sorted()
            if distinct.count == 1 && n >= 2 {
                store(column: c, origin: distinct[0], step: -1, map: map)
                continue
            }
            guard distinct.count >= 2 else { continue }
            let gaps = zip(distinct.dropFirst(), distinct).map { $0 - $1 }
            guard let smallest = gaps.min(), smallest > 1e-9 * max(1, abs(distinct[0])) else { continue }
            // The step is the largest `smallest / m` that divides every gap: {0, 0.5, 0.67, 1} gives 0.01.
            let whole = { (step: Double) in gaps.allSatisfy { abs($0 / step - ($0 / step).rounded()) <= 1e-3 } }
            guard let m = (1...1000).first(where: { whole(smallest / Double($0)) }),
                  (distinct[distinct.count - 1] - distinct[0]) / (smallest / Double(m)) <= 1e6 else { continue }
            // Raw values come back from Float with relative errors near 1e-7, so the step found from
            // their gaps is off in its sixth digit (0.00999997: 1.0 would come back as 0.999997); the
            // recorded step is the shortest decimal that still fits every value, and an origin on the
            // grid's multiples becomes that multiple.
            // Values that repeat (at most half as many distinct values as rows) show their grid; the
            // few distinct values of a tiny class show only the decimal places they were recorded
            // with ({0, 0.02, 0.05} in 0.01 steps; {1.3, 2.9} in 0.1, not 1.6).
            let found = smallest / Double(m), decimal = Self.recordedStep(near: found, fitting: distinct)
            guard let grain = distinct.count * 2 <= n ? decimal ?? found : decimal.flatMap(Self.decimalPlace) else { continue }
            let multiple = (distinct[0] / grain).rounded()
            store(column: c, origin: abs(distinct[0] / grain - multiple) < 1e-3 ? multiple * grain : distinct[0], step: grain, map: map)
        }
    }

    /// Records column `c`'s grid (or constant, `step` −1) and its mapping to raw units.
    private func store(column c: Int, origin value: Double, step grain: Double, map: RawMapping) {
        Self.set(origin, c, value)
        Self.set(step, c, grain)
        Self.set(shift, c, map.shift)
        Self.set(factor, c, map.factor)
        Self.set(base, c, map.base)
        log.value[0, c] = map.logTransformed ? 1 : 0
    }

    /// The shortest decimal (1 to 6 significant digits) within 1e-4 of `found`, relative, on which
    /// every value of `distinct` (sorted) lies within a thousandth of a step; `nil` when none does.
    static func recordedStep(near found: Double, fitting distinct: [Double]) -> Double? {
        for digits in 1...6 {
            guard let step = Double(String(format: "%.\(digits)g", found)), step > 0, abs(step - found) <= 1e-4 * found else { continue }
            let fits = distinct.allSatisfy { v in
                let k = (v - distinct[0]) / step
                return abs(k - k.rounded()) <= 1e-3
            }
            if fits { return step }
        }
        return nil
    }

    /// The largest power of ten that divides a decimal `step` (0.02 → 0.01, 1.6 → 0.1, 300 → 100).
    static func decimalPlace(_ step: Double) -> Double? {
        var place = pow(10, (log10(step)).rounded(.down))
        for _ in 0..<7 {
            let k = step / place
            if abs(k - k.rounded()) <= 1e-6 * max(1, k) { return place }
            place /= 10
        }
        return nil
    }

    /// The grid of column `c` (mapping, origin, step), or `nil` without one.
    private func grid(_ c: Int) -> (map: RawMapping, origin: Double, step: Double)? {
        let s = Self.get(step, c)
        return s > 0 ? (mapping(c), Self.get(origin, c), s) : nil
    }

    /// The raw grid point nearest to `value` on a grid.
    private static func nearest(_ grid: (map: RawMapping, origin: Double, step: Double), _ value: Float) -> Double {
        grid.origin + ((grid.map.raw(value) - grid.origin) / grid.step).rounded() * grid.step
    }

    /// The preprocessed interval that rounds to the grid point of `value` (for dequantisation), or
    /// `nil` when column `c` has no grid.
    func cell(column c: Int, value: Float) -> (lower: Float, upper: Float)? {
        guard let g = grid(c) else { return nil }
        let raw = Self.nearest(g, value)
        return FeatureSchema.cell(g.map, raw - g.step / 2, raw + g.step / 2)
    }

    /// Rounds every gridded column of `rows` (preprocessed space) to its nearest grid value, and sets
    /// every constant column to its constant.
    func round(_ rows: inout Matrix) {
        let cols = rows.columns, n = rows.rows
        let grids = (0..<cols).compactMap { c in grid(c).map { (c, $0) } }
        let constants = (0..<cols).compactMap { c in Self.get(step, c) < 0 ? (c, mapping(c).value(Self.get(origin, c))) : nil }
        guard !grids.isEmpty || !constants.isEmpty else { return }
        rows.withUnsafeMutableBufferPointer { x in
            for r in 0..<n {
                for (c, g) in grids { x[r * cols + c] = g.map.value(Self.nearest(g, x[r * cols + c])) }
                for (c, v) in constants { x[r * cols + c] = v }
            }
        }
    }
}
