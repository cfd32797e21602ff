#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One-dimensional distribution statistics, in Double: quantiles, histograms, the two-sample
/// Kolmogorov–Smirnov test and the Wasserstein distance. NaN values are ignored throughout.
public enum Distribution {
    /// The `q`-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics, as numpy's
    /// default (`method="linear"`). `nil` for no values or `q` outside [0, 1].
    public static func quantile<S: Sequence>(_ values: S, _ q: Double) -> Double? where S.Element: BinaryFloatingPoint {
        let sorted = values.map(Double.init).filter { !$0.isNaN }.sorted()
        return quantile(sorted: sorted, q)
    }

    /// ``quantile(_:_:)`` on values already sorted ascending (without NaN).
    public static func quantile(sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty, q >= 0, q <= 1 else { return nil }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// The two-sample Kolmogorov–Smirnov statistic `D = sup |F₁(x) − F₂(x)|` and its asymptotic
    /// two-sided p-value from the Kolmogorov distribution, `Q(√(n₁n₂/(n₁+n₂)) · D)` (scipy's
    /// `kstwobign.sf`). The asymptotic p-value is accurate for large samples; for a few dozen values
    /// it is conservative.
    /// - Returns: `nil` when either sample is empty.
    public static func kolmogorovSmirnov<S1: Sequence, S2: Sequence>(_ a: S1, _ b: S2) -> (statistic: Double, pValue: Double)?
    where S1.Element: BinaryFloatingPoint, S2.Element: BinaryFloatingPoint {
        kolmogorovSmirnov(sorted: a.map(Double.init).filter { !$0.isNaN }.sorted(), b.map(Double.init).filter { !$0.isNaN }.sorted())
    }

    /// The survival function of the Kolmogorov distribution, `Q(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}`.
    public static func kolmogorovSurvival(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 1 }
        if lambda < 0.2 { return 1 }
        var sum = 0.0, sign = 1.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += sign * term
            if term < 1e-16 { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }

    /// The 1-D Wasserstein (earth mover's) distance between two samples with equal weights:
    /// `∫ |F₁(x) − F₂(x)| dx`, as scipy's `wasserstein_distance`. `nil` when either sample is empty.
    public static func wasserstein<S1: Sequence, S2: Sequence>(_ a: S1, _ b: S2) -> Double?
    where S1.Element: BinaryFloatingPoint, S2.Element: BinaryFloatingPoint {
        let x = a.map(Double.init).filter { !$0.isNaN }.sorted()
        let y = b.map(Double.init).filter { !$0.isNaN }.sorted()
        return x.withUnsafeBufferPointer { xs in y.withUnsafeBufferPointer { wasserstein(sorted: xs, $0) } }
    }
}

/// Counts of values in equal-width bins over a fixed range.
public struct Histogram: Sendable, Equatable, Codable {
    /// Bin edges, `bins + 1` values ascending.
    public let edges: [Double]
    /// Values per bin; the last bin includes its upper edge (as numpy).
    public private(set) var counts: [Int]
    /// Values outside the range (not counted in any bin).
    public private(set) var outside = 0

    /// Empty bins over `lower...upper`.
    /// - Precondition: `bins ≥ 1` and `lower < upper`, both finite (programmer errors otherwise).
    public init(bins: Int, lower: Double, upper: Double) {
        precondition(bins >= 1 && lower < upper && lower.isFinite && upper.isFinite, "Histogram: invalid bins or range")
        edges = (0...bins).map { lower + (upper - lower) * Double($0) / Double(bins) }
        counts = Array(repeating: 0, count: bins)
    }

    /// A histogram of `values` over their own range (one bin at 0…1 around a constant sample).
    public init<S: Sequence>(_ values: S, bins: Int) where S.Element: BinaryFloatingPoint {
        let v = values.map(Double.init).filter { $0.isFinite }
        let lo = v.min() ?? 0, hi = v.max() ?? 1
        self.init(bins: max(bins, 1), lower: lo < hi ? lo : lo - 0.5, upper: lo < hi ? hi : lo + 0.5)
        for x in v { add(x) }
    }

    /// Counts one value (NaN and values outside the range go to ``outside``).
    public mutating func add(_ value: Double) {
        guard let lo = edges.first, let hi = edges.last, value >= lo, value <= hi else { outside += 1; return }
        let bins = counts.count
        let index = min(bins - 1, Int((value - lo) / (hi - lo) * Double(bins)))
        counts[index] += 1
    }
}

extension Matrix {
    /// The Pearson correlation matrix of the columns (`columns × columns`, Double accumulation).
    ///
    /// A constant column has no defined correlation: its row and column are NaN except for the
    /// diagonal, which is 1. Charts show such cells as "undefined".
    public func correlationMatrix() -> [[Double]] {
        let d = columns, n = rows
        let means = columnMeans()
        var cov = [Double](repeating: 0, count: d * d)
        withUnsafeBufferPointer { buf in
            var centred = [Double](repeating: 0, count: d)
            for r in 0..<n {
                for j in 0..<d { centred[j] = Double(buf[r * d + j]) - means[j] }
                for a in 0..<d {
                    let ca = centred[a]
                    if ca == 0 { continue }
                    for b in a..<d { cov[a * d + b] += ca * centred[b] }
                }
            }
        }
        var out = Array(repeating: Array(repeating: Double.nan, count: d), count: d)
        for a in 0..<d {
            out[a][a] = 1
            for b in (a + 1)..<max(a + 1, d) {
                let denominator = (cov[a * d + a] * cov[b * d + b]).squareRoot()
                let r = denominator > 0 ? min(1, max(-1, cov[a * d + b] / denominator)) : .nan
                out[a][b] = r
                out[b][a] = r
            }
        }
        return out
    }
}
