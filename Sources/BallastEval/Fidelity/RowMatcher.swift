/// Finds real rows that a synthetic row copies, on raw values: exactly (every value equal), or as
/// SDMetrics' `NewRowSynthesis` matches (categorical values equal, missing where the synthetic
/// value is missing, numeric values within 1% of the synthetic value: `|r − s| ≤ |0.01 · s|`).
///
/// A tolerance match has the same categorical values and, column by column, the same sign class
/// (missing, zero, positive, negative: a zero matches only a zero, a positive value only a positive
/// one), so real rows are grouped by a hash of that key and a synthetic row is compared only with
/// its group. Within a group, rows are sorted by the non-zero numeric column with the most distinct
/// real values and the candidates found by binary search on it; candidates are then checked column
/// by column, the most varied columns first, so that most are rejected after a comparison or two.
struct RowMatcher: Sendable {
    private let columns: [FidelityColumn]
    private let real: ColumnSample
    /// Real rows by hash of their raw values (exact matching).
    private var exact: [Int: [Int32]] = [:]
    /// Real rows by hash of their tolerance key, sorted by the group's pivot column.
    private var groups: [Int: (pivot: Int?, rows: [Int32])] = [:]
    /// Numeric columns, most distinct real values first; then categorical columns.
    private let checkOrder: [Int]

    /// Indexes the real rows.
    init(columns: [FidelityColumn], real: ColumnSample) {
        self.columns = columns
        self.real = real
        let distinct = columns.indices.map { j -> Int in
            guard columns[j].kind == .numeric else { return -1 }
            let s = real.sorted[j]
            return s.indices.reduce(0) { $0 + ($1 == 0 || s[$1] != s[$1 - 1] ? 1 : 0) }
        }
        checkOrder = columns.indices.sorted { distinct[$0] != distinct[$1] ? distinct[$0] > distinct[$1] : $0 < $1 }
        var grouped: [Int: [Int32]] = [:]
        for r in 0..<real.rows {
            exact[Self.hash(columns, real, r, exact: true), default: []].append(Int32(r))
            grouped[Self.hash(columns, real, r, exact: false), default: []].append(Int32(r))
        }
        for (key, rows) in grouped {
            // Every row of a group has the same sign classes, so the first row tells which columns are non-zero.
            let first = Int(rows[0])
            let pivot = checkOrder.first { j in
                columns[j].kind == .numeric && !real.values[j][first].isNaN && real.values[j][first] != 0
            }
            let sorted = pivot.map { j in rows.sorted { real.values[j][Int($0)] < real.values[j][Int($1)] } } ?? rows
            groups[key] = (pivot, sorted)
        }
    }

    /// Whether synthetic row `s` of `synthetic` equals some real row in every value.
    func hasExactCopy(_ synthetic: ColumnSample, _ s: Int) -> Bool {
        guard let candidates = exact[Self.hash(columns, synthetic, s, exact: true)] else { return false }
        return candidates.contains { r in
            checkOrder.allSatisfy { j in
                columns[j].kind == .numeric
                    ? Self.same(real.values[j][Int(r)], synthetic.values[j][s])
                    : real.codes[j][Int(r)] == synthetic.codes[j][s]
            }
        }
    }

    /// Whether synthetic row `s` matches some real row within SDMetrics' tolerance.
    func hasToleranceMatch(_ synthetic: ColumnSample, _ s: Int) -> Bool {
        guard let group = groups[Self.hash(columns, synthetic, s, exact: false)] else { return false }
        var candidates = group.rows[...]
        if let j = group.pivot {
            let v = synthetic.values[j][s], tolerance = abs(0.01 * v)
            guard !v.isNaN else { return false }
            let values = real.values[j]
            let lo = Self.firstIndex(group.rows) { values[Int($0)] >= v - tolerance }
            let hi = Self.firstIndex(group.rows) { values[Int($0)] > v + tolerance }
            candidates = group.rows[lo..<max(lo, hi)]
        }
        return candidates.contains { r in
            checkOrder.allSatisfy { j in
                guard columns[j].kind == .numeric else { return real.codes[j][Int(r)] == synthetic.codes[j][s] }
                let a = real.values[j][Int(r)], b = synthetic.values[j][s]
                return (a.isNaN && b.isNaN) || abs(a - b) <= abs(0.01 * b)
            }
        }
    }

    private static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

    /// The first position in `rows` where `predicate` holds (it must be false, then true).
    private static func firstIndex(_ rows: [Int32], _ predicate: (Int32) -> Bool) -> Int {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if predicate(rows[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// A hash of row `r`: of its raw values (`exact`; NaN hashed alike, −0 as 0), or of its
    /// categorical codes and numeric sign classes (missing, zero, positive, negative).
    private static func hash(_ columns: [FidelityColumn], _ sample: ColumnSample, _ r: Int, exact: Bool) -> Int {
        var h = Hasher()
        for j in columns.indices {
            if columns[j].kind == .numeric {
                let v = sample.values[j][r]
                if exact {
                    h.combine(v.isNaN ? UInt64.max : (v == 0 ? 0 : v.bitPattern))
                } else {
                    h.combine(UInt8(v.isNaN ? 0 : (v == 0 ? 1 : (v > 0 ? 2 : 3))))
                }
            } else {
                h.combine(sample.codes[j][r])
            }
        }
        return h.finalize()
    }
}
