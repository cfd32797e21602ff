import BallastCore

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

/// How a numeric column is cut into bins for contingency tables.
public enum Binning: String, Sendable, Equatable, Codable, CaseIterable {
    /// SDMetrics' quality report: 10 equal-width bins between each side's own minimum and maximum
    /// (`numpy.histogram_bin_edges`), the maximum in a bin of its own (`numpy.digitize`). A heavy-tailed
    /// counter such as `src_bytes` puts almost every row in the first bin, and the real and
    /// synthetic sides are cut at different edges.
    case equalWidth = "equal-width"
    /// The real rows' deciles (repeated values merged), the same edges for both sides: every bin
    /// holds about a tenth of the real rows whatever the tail.
    case quantile

    /// The bin of every value and the number of codes. A missing value gets the code after the
    /// last bin (equal-width: the maximum's code, as `numpy.digitize` gives NaN).
    /// - Parameters:
    ///   - values: the column in row order.
    ///   - sorted: its non-missing values ascending.
    ///   - realSorted: the real side's non-missing values ascending (quantile edges).
    func codes(_ values: [Double], sorted: [Double], realSorted: [Double]) -> (codes: [Int32], width: Int) {
        let edges: [Double]
        switch self {
        case .equalWidth:
            guard var lo = sorted.first, var hi = sorted.last else { return (values.map { _ in 0 }, 1) }
            if lo == hi {
                lo -= 0.5
                hi += 0.5
            }
            let step = (hi - lo) / 10
            edges = (0...10).map { $0 == 10 ? hi : Double($0) * step + lo }
        case .quantile:
            var cuts: [Double] = []
            for q in 1...9 {
                if let v = Distribution.quantile(sorted: realSorted, Double(q) / 10), cuts.last != v { cuts.append(v) }
            }
            edges = cuts
        }
        // numpy.digitize puts NaN after the last edge, with the maximum: SDMetrics' bins mix them.
        let missing = Int32(self == .equalWidth ? edges.count : edges.count + 1)
        // Equal-width edges are evenly spaced: the bin is found arithmetically and corrected against
        // the edges themselves, so that a value on an edge lands where numpy.digitize puts it.
        let lo = edges.first ?? 0, width = edges.count > 1 ? (edges[edges.count - 1] - lo) / Double(edges.count - 1) : 0
        let arithmetic = self == .equalWidth && width > 0
        let codes = edges.withUnsafeBufferPointer { e in
            values.map { v -> Int32 in
                if v.isNaN { return missing }
                guard arithmetic else { return Int32(Distribution.upperBound(e, v)) }
                var c = min(max(Int(((v - lo) / width).rounded(.down)) + 1, 0), e.count)
                while c < e.count && e[c] <= v { c += 1 }
                while c > 0 && e[c - 1] > v { c -= 1 }
                return Int32(c)
            }
        }
        return (codes, edges.count + 2)
    }
}
