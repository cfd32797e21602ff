import BallastCore
import BallastData
import Foundation

/// How each column's values are distributed, real vs synthetic — SDMetrics' "Column Shapes"
/// property and the HIKARI paper's KS tests.
///
/// Numeric columns: the two-sample Kolmogorov–Smirnov statistic (with its asymptotic p-value), the
/// Wasserstein distance on the column as the preprocessing scales it (log1p for heavy tails, then
/// z-score on the real rows, so distances of different columns are comparable), and SDMetrics'
/// `KSComplement` = 1 − KS, computed as SDMetrics does: missing values dropped, values rounded to
/// 14 decimals first. Categorical columns: the total-variation distance of the category shares and
/// SDMetrics' `TVComplement` (which gives a category that only the synthetic rows have a real count of
/// 10⁻⁶). The property score is the mean of the column scores (columns without values are skipped).
public struct ColumnShapes: Sendable, Equatable, Codable {
    /// One column's comparison.
    public struct Column: Sendable, Equatable, Codable {
        /// The column name.
        public var column: String
        /// `KSComplement` (numeric) or `TVComplement` (categorical).
        public var metric: String
        /// The SDMetrics score in [0, 1] (1: same shape), `nil` when a side has no values.
        public var score: Double?
        /// Numeric: the KS statistic.
        public var ks: Double?
        /// Numeric: its asymptotic two-sided p-value.
        public var pValue: Double?
        /// Numeric: the Wasserstein distance in scaled units (real standard deviations).
        public var wasserstein: Double?
        /// Categorical: the total-variation distance of the category shares.
        public var totalVariation: Double?
    }

    /// One entry per column, in column order.
    public var columns: [Column]
    /// The mean column score (SDMetrics' Column Shapes score).
    public var score: Double?
    /// The median KS statistic over numeric columns.
    public var medianKS: Double?
    /// The largest KS statistic over numeric columns.
    public var worstKS: Double?
    /// The column with the largest KS statistic.
    public var worstKSColumn: String?

    /// Compares the columns of two samples.
    /// - Parameters:
    ///   - columns: the column descriptions.
    ///   - real: the real side.
    ///   - synthetic: the synthetic side.
    ///   - scaling: the fitted preprocessing's column for each numeric column (for Wasserstein).
    init(columns: [FidelityColumn], real: ColumnSample, synthetic: ColumnSample, scaling: [FittedColumn?]) {
        let results = Parallel.mapChunks(0..<columns.count, minimumChunk: 1, chunksPerThread: 64) { range in
            range.map { j -> Column in
                let c = columns[j]
                switch c.kind {
                case .numeric:
                    return Self.numeric(c.name, real.sorted[j], synthetic.sorted[j], scale: scaling[j])
                case .categorical:
                    let k = c.categories.count
                    return Self.categorical(c.name, real.categoryCounts(j, categoryCount: k).dropLast(),
                                            synthetic.categoryCounts(j, categoryCount: k).dropLast())
                }
            }
        }.flatMap { $0 }
        self.columns = results
        score = Self.mean(results.compactMap(\.score))
        let ks = results.compactMap(\.ks)
        medianKS = ks.isEmpty ? nil : Distribution.quantile(sorted: ks.sorted(), 0.5)
        if let worst = results.filter({ $0.ks != nil }).max(by: { ($0.ks ?? 0) < ($1.ks ?? 0) }) {
            worstKS = worst.ks
            worstKSColumn = worst.column
        }
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// SDMetrics' `round(MAX_DECIMALS)` (14 decimals) as numpy computes it: multiply, round half
    /// to even, divide.
    @inline(__always)
    static func roundedTo14Decimals(_ x: Double) -> Double {
        (x * 1e14).rounded(.toNearestOrEven) / 1e14
    }

    static func numeric(_ name: String, _ real: [Double], _ synthetic: [Double], scale: FittedColumn?) -> Column {
        var column = Column(column: name, metric: "KSComplement")
        // Rounding is monotone, so sorted values stay sorted; most values are unchanged by it.
        func rounded(_ x: [Double]) -> [Double] {
            x.contains { roundedTo14Decimals($0) != $0 } ? x.map(roundedTo14Decimals) : x
        }
        if let test = Distribution.kolmogorovSmirnov(sorted: rounded(real), rounded(synthetic)) {
            column.ks = test.statistic
            column.pValue = test.pValue.finite
            column.score = 1 - test.statistic
        }
        if let scale {
            // The scaling is increasing: the distance of the scaled values is the factor times the
            // distance of the (log1p-transformed) values.
            func transformed(_ x: [Double]) -> [Double] { scale.logTransformed ? x.filter { $0 > -1 }.map { log1p($0) } : x }
            let r = transformed(real), s = transformed(synthetic)
            column.wasserstein = r.withUnsafeBufferPointer { a in
                s.withUnsafeBufferPointer { Distribution.wasserstein(sorted: a, $0) }
            }.flatMap { ($0 * abs(scale.factor)).finite }
        }
        return column
    }

    static func categorical(_ name: String, _ real: ArraySlice<Int>, _ synthetic: ArraySlice<Int>) -> Column {
        var column = Column(column: name, metric: "TVComplement")
        let nr = real.reduce(0, +), ns = synthetic.reduce(0, +)
        guard nr > 0, ns > 0 else { return column }
        // SDMetrics' get_frequencies: a category only the synthetic rows have gets a real count of 1e-6.
        var realCounts = real.map(Double.init)
        for (k, count) in synthetic.enumerated() where count > 0 && real[real.startIndex + k] == 0 { realCounts[k] += 1e-6 }
        let realTotal = realCounts.reduce(0, +)
        var tv = 0.0, plain = 0.0
        for (k, count) in synthetic.enumerated() where count > 0 || realCounts[k] > 0 {
            let p = Double(count) / Double(ns)
            tv += abs(p - realCounts[k] / realTotal)
            plain += abs(p - Double(real[real.startIndex + k]) / Double(nr))
        }
        column.score = 1 - 0.5 * tv
        column.totalVariation = 0.5 * plain
        return column
    }
}
