/// Joint counts of two discrete columns (categories, or numeric columns cut into bins), and what
/// SDMetrics' `ContingencySimilarity` and the association threshold of its quality report compute
/// from them.
///
/// Codes are small non-negative integers per column (a missing value has its own code, as pandas'
/// `groupby(dropna=False)` keeps it as a group). Tables whose code space is small are dense; others
/// are kept as a dictionary of the cells that occur.
struct ContingencyTable: Sendable {
    /// Rows counted.
    let total: Int
    /// Codes of the second column (the cell of `(a, b)` is `a × widthB + b`).
    private let widthB: Int
    /// Counts of every cell when the code space is small (`widthA × widthB` ≤ 65,536), else empty.
    private let dense: [Int]
    /// Counts of the cells that occur, when the code space is large.
    private let sparse: [Int: Int]

    /// Counts the pairs `(a[i], b[i])`.
    /// - Precondition: equal lengths, non-negative codes below `widthA` in `a` and `widthB` in `b`.
    init(_ a: [Int32], _ b: [Int32], widthA: Int, widthB: Int) {
        precondition(a.count == b.count, "ContingencyTable: columns of \(a.count) and \(b.count) rows")
        total = a.count
        self.widthB = widthB
        if widthA * widthB <= 1 << 16 {
            var counts = [Int](repeating: 0, count: max(1, widthA * widthB))
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    counts.withUnsafeMutableBufferPointer { c in
                        for i in 0..<x.count { c[Int(x[i]) * widthB + Int(y[i])] += 1 }
                    }
                }
            }
            dense = counts
            sparse = [:]
        } else {
            var found: [Int: Int] = [:]
            for i in 0..<a.count { found[Int(a[i]) * widthB + Int(b[i]), default: 0] += 1 }
            dense = []
            sparse = found
        }
    }

    /// The cells that occur, with their counts, in cell order (so that sums do not depend on
    /// dictionary order).
    private var cells: [(cell: Int, count: Int)] {
        dense.isEmpty ? sparse.keys.sorted().map { ($0, sparse[$0] ?? 0) }
            : dense.enumerated().filter { $0.element > 0 }.map { ($0.offset, $0.element) }
    }

    private func count(_ cell: Int) -> Int {
        dense.isEmpty ? sparse[cell] ?? 0 : (cell < dense.count ? dense[cell] : 0)
    }

    /// SDMetrics' `ContingencySimilarity`: `1 − ½ Σ |p_real(cell) − p_synthetic(cell)|` over the
    /// cells of either table. `nil` when a side has no rows.
    /// - Precondition: both tables were counted with the same widths.
    static func similarity(_ real: ContingencyTable, _ synthetic: ContingencyTable) -> Double? {
        guard real.total > 0, synthetic.total > 0 else { return nil }
        let nr = Double(real.total), ns = Double(synthetic.total)
        var variation = 0.0
        if !real.dense.isEmpty && real.dense.count == synthetic.dense.count {
            for (r, s) in zip(real.dense, synthetic.dense) where r > 0 || s > 0 { variation += abs(Double(r) / nr - Double(s) / ns) }
            return 1 - variation / 2
        }
        for (cell, count) in real.cells { variation += abs(Double(count) / nr - Double(synthetic.count(cell)) / ns) }
        for (cell, count) in synthetic.cells where real.count(cell) == 0 { variation += Double(count) / ns }
        return 1 - variation / 2
    }

    /// Cramér's V of the table (scipy's `association(method="cramer")` on the table of the codes
    /// that occur, without continuity correction): `√(χ² / (n · (min(r, c) − 1)))`. `nil` when
    /// the table has fewer than two distinct codes on either side.
    var cramersV: Double? {
        var rowTotals: [Int: Int] = [:], columnTotals: [Int: Int] = [:]
        for (cell, count) in cells {
            rowTotals[cell / widthB, default: 0] += count
            columnTotals[cell % widthB, default: 0] += count
        }
        let r = rowTotals.count, c = columnTotals.count
        guard total > 0, r >= 2, c >= 2 else { return nil }
        let n = Double(total)
        var chi2 = 0.0
        for (row, rowTotal) in rowTotals.sorted(by: { $0.key < $1.key }) {
            for (column, columnTotal) in columnTotals.sorted(by: { $0.key < $1.key }) {
                let expected = Double(rowTotal) * Double(columnTotal) / n
                let observed = Double(count(row * widthB + column))
                chi2 += (observed - expected) * (observed - expected) / expected
            }
        }
        return (chi2 / n / Double(min(r, c) - 1)).squareRoot()
    }
}
