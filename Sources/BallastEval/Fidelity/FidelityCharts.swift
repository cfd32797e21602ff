import BallastCore
import Foundation

/// What the HTML report draws and `report.json` leaves out: per group and column, histogram and
/// empirical-CDF overlays of real and synthetic values (on a log1p axis for heavy-tailed columns)
/// or category shares; and a 2-D PCA projection of real and synthetic rows.
public struct FidelityCharts: Sendable, Equatable {
    /// One column's real and synthetic distributions.
    public struct Column: Sendable, Equatable {
        /// The column name.
        public var name: String
        /// Whether the x axis is `log1p(value)` (heavy-tailed counters).
        public var logScale: Bool
        /// Numeric: the histogram's bin edges (in raw units), ascending.
        public var edges: [Double]
        /// Numeric: each bin's share of the real values; categorical: each category's share.
        public var real: [Double]
        /// The same for the synthetic values.
        public var synthetic: [Double]
        /// Numeric: where the ECDFs are evaluated (raw units), ascending.
        public var ecdfX: [Double]
        /// The real ECDF at ``ecdfX``.
        public var realECDF: [Double]
        /// The synthetic ECDF at ``ecdfX``.
        public var syntheticECDF: [Double]
        /// Categorical: the category labels of ``real``/``synthetic`` (the most frequent, then `other`).
        public var categories: [String]
    }

    /// A 2-D projection on the real rows' first two principal components.
    public struct Projection: Sendable, Equatable {
        /// Real points, `x, y` interleaved.
        public var real: [Double]
        /// Synthetic points, `x, y` interleaved.
        public var synthetic: [Double]
        /// Share of the real rows' variance along each axis.
        public var explained: [Double]
    }

    /// One group's charts.
    public struct Group: Sendable, Equatable {
        /// The group's name.
        public var name: String
        /// One entry per column.
        public var columns: [Column]
        /// The projection (`nil` with fewer than 2 real rows).
        public var projection: Projection?
    }

    /// One entry per group of the report, in order.
    public var groups: [Group]

    /// Histogram bins of a numeric chart.
    static let bins = 30
    /// ECDF evaluation points.
    static let ecdfPoints = 120
    /// Categories shown before the rest are pooled as `other`.
    static let categoriesShown = 12

    /// The charts of one numeric column from its ascending real and synthetic values.
    static func numeric(_ column: FidelityColumn, real: [Double], synthetic: [Double]) -> Column {
        let log = column.heavyTailed && (min(real.first ?? 0, synthetic.first ?? 0) > -1)
        let forward: (Double) -> Double = log ? { log1p($0) } : { $0 }
        let backward: (Double) -> Double = log ? { expm1($0) } : { $0 }
        let lows = [real.first, synthetic.first].compactMap { $0 }, highs = [real.last, synthetic.last].compactMap { $0 }
        guard let lo = lows.min().map(forward), var hi = highs.max().map(forward) else {
            return Column(name: column.name, logScale: log, edges: [], real: [], synthetic: [], ecdfX: [], realECDF: [],
                          syntheticECDF: [], categories: [])
        }
        if hi <= lo { hi = lo + 1 }
        let edges = (0...bins).map { backward(lo + (hi - lo) * Double($0) / Double(bins)) }
        func shares(_ sorted: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: bins)
            for v in sorted {
                let position = (forward(v) - lo) / (hi - lo) * Double(bins)
                counts[position.isFinite ? Int(min(max(position, 0), Double(bins - 1))) : 0] += 1
            }
            return counts.map { sorted.isEmpty ? 0 : $0 / Double(sorted.count) }
        }
        let xs = (0..<ecdfPoints).map { backward(lo + (hi - lo) * Double($0) / Double(ecdfPoints - 1)) }
        func ecdf(_ sorted: [Double]) -> [Double] {
            sorted.withUnsafeBufferPointer { s in xs.map { Distribution.empiricalCDF(sorted: s, at: $0) } }
        }
        return Column(name: column.name, logScale: log, edges: edges, real: shares(real), synthetic: shares(synthetic),
                      ecdfX: xs, realECDF: ecdf(real), syntheticECDF: ecdf(synthetic), categories: [])
    }

    /// The charts of one categorical column from its category counts (the last entry counts missing).
    static func categorical(_ column: FidelityColumn, real: [Int], synthetic: [Int]) -> Column {
        let names = column.categories + ["(missing)"]
        let nr = Double(max(real.reduce(0, +), 1)), ns = Double(max(synthetic.reduce(0, +), 1))
        let order = names.indices.filter { real[$0] + synthetic[$0] > 0 }
            .sorted { max(Double(real[$0]) / nr, Double(synthetic[$0]) / ns) > max(Double(real[$1]) / nr, Double(synthetic[$1]) / ns) }
        let shown = Array(order.prefix(categoriesShown)), rest = order.dropFirst(categoriesShown)
        var labels = shown.map { names[$0] }
        var r = shown.map { Double(real[$0]) / nr }, s = shown.map { Double(synthetic[$0]) / ns }
        if !rest.isEmpty {
            labels.append("other (\(rest.count))")
            r.append(rest.reduce(0.0) { $0 + Double(real[$1]) / nr })
            s.append(rest.reduce(0.0) { $0 + Double(synthetic[$1]) / ns })
        }
        return Column(name: column.name, logScale: false, edges: [], real: r, synthetic: s, ecdfX: [], realECDF: [],
                      syntheticECDF: [], categories: labels)
    }

    /// Projects sampled real and synthetic rows on the first two principal components of the real rows.
    static func projection(real: Matrix, synthetic: Matrix) -> Projection? {
        guard let pca = PrincipalComponents(fitting: real, components: 2), pca.axes.count == 2 else { return nil }
        let total = max(real.columnVariances().reduce(0, +), 1e-300)
        return Projection(real: pca.project(real), synthetic: pca.project(synthetic),
                          explained: pca.variances.map { $0 / total })
    }
}

extension Matrix {
    /// The sample variance (n − 1) of each column, in Double.
    func columnVariances() -> [Double] {
        let means = columnMeans(), d = columns
        var sums = [Double](repeating: 0, count: d)
        withUnsafeBufferPointer { x in
            for r in 0..<rows {
                for j in 0..<d { let e = Double(x[r * d + j]) - means[j]; sums[j] += e * e }
            }
        }
        return sums.map { rows > 1 ? $0 / Double(rows - 1) : 0 }
    }
}
