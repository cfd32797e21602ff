#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The same statistics on samples already sorted ascending (without NaN), in one merge pass, for
/// callers that sort each column once and compute several statistics from it; and ranks and
/// correlation, which rank-based comparisons need.
extension Distribution {
    /// The two-sample Kolmogorov–Smirnov statistic of two ascending samples, computed as scipy's
    /// `ks_2samp` does: `max |i/n₁ − j/n₂|` over every distinct value, where `i` and `j` count the
    /// values ≤ it in each sample. `nil` when either sample is empty.
    public static func kolmogorovSmirnovStatistic<T: BinaryFloatingPoint>(sorted x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>) -> Double? {
        guard !x.isEmpty, !y.isEmpty else { return nil }
        var i = 0, j = 0, d = 0.0
        let n1 = Double(x.count), n2 = Double(y.count)
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / n1 - Double(j) / n2))
        }
        return d
    }

    /// ``kolmogorovSmirnov(_:_:)`` on two ascending samples: the statistic and its asymptotic p-value.
    public static func kolmogorovSmirnov(sorted x: [Double], _ y: [Double]) -> (statistic: Double, pValue: Double)? {
        let d = x.withUnsafeBufferPointer { xs in y.withUnsafeBufferPointer { kolmogorovSmirnovStatistic(sorted: xs, $0) } }
        guard let d else { return nil }
        let n1 = Double(x.count), n2 = Double(y.count)
        return (d, kolmogorovSurvival((n1 * n2 / (n1 + n2)).squareRoot() * d))
    }

    /// The Wasserstein-1 distance `∫ |F₁ − F₂| dx` of two ascending samples (scipy's
    /// `wasserstein_distance`), in one merge pass. `nil` when either sample is empty.
    public static func wasserstein(sorted x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double? {
        guard !x.isEmpty, !y.isEmpty else { return nil }
        let n1 = Double(x.count), n2 = Double(y.count)
        var i = 0, j = 0, total = 0.0
        var previous = min(x[0], y[0])
        while i < x.count || j < y.count {
            let v = j >= y.count || (i < x.count && x[i] <= y[j]) ? x[i] : y[j]
            total += abs(Double(i) / n1 - Double(j) / n2) * (v - previous)
            previous = v
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
        }
        return total
    }

    /// The fraction of an ascending sample that is ≤ `value` (the empirical CDF), by binary search.
    public static func empiricalCDF(sorted x: UnsafeBufferPointer<Double>, at value: Double) -> Double {
        guard !x.isEmpty else { return 0 }
        var lo = 0, hi = x.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if x[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return Double(lo) / Double(x.count)
    }

    /// The 1-based average ranks of `values` (ties share the mean of their ranks, as scipy's
    /// `rankdata(method="average")`); NaN values get rank NaN and are not counted.
    /// - Parameters:
    ///   - values: the sample.
    ///   - order: ``RadixSort/order(_:)`` of `values`.
    public static func averageRanks(_ values: UnsafeBufferPointer<Double>, order: [Int32]) -> [Double] {
        var ranks = [Double](repeating: .nan, count: values.count)
        var start = 0
        while start < order.count {
            let v = values[Int(order[start])]
            if v.isNaN { break }
            var end = start + 1
            while end < order.count && values[Int(order[end])] == v { end += 1 }
            let rank = Double(start + 1 + end) / 2
            for p in start..<end { ranks[Int(order[p])] = rank }
            start = end
        }
        return ranks
    }

    /// The first position in ascending `sorted` whose value is above `value` (the number of values
    /// ≤ `value`, as `numpy.searchsorted(side="right")`): a branch-free binary search.
    @inlinable
    public static func upperBound(_ sorted: UnsafeBufferPointer<Double>, _ value: Double) -> Int {
        var base = 0, n = sorted.count
        guard n > 0 else { return 0 }
        while n > 1 {
            let half = n / 2
            base = sorted[base + half - 1] <= value ? base + half : base
            n -= half
        }
        return base + (sorted[base] <= value ? 1 : 0)
    }

    /// The Pearson correlation of two equally long samples over the positions where neither is NaN,
    /// computed as scipy's `pearsonr`: centred, scaled by the largest deviation, normalized, then
    /// the dot product, clipped to [−1, 1]. NaN when fewer than two pairs remain or either sample
    /// is constant over them.
    public static func pearson(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == y.count, "pearson: samples of \(x.count) and \(y.count) values")
        var n = 0, sx = 0.0, sy = 0.0
        for i in 0..<x.count where !x[i].isNaN && !y[i].isNaN {
            n += 1
            sx += x[i]
            sy += y[i]
        }
        guard n >= 2 else { return .nan }
        let mx = sx / Double(n), my = sy / Double(n)
        var maxX = 0.0, maxY = 0.0
        for i in 0..<x.count where !x[i].isNaN && !y[i].isNaN {
            maxX = max(maxX, abs(x[i] - mx))
            maxY = max(maxY, abs(y[i] - my))
        }
        guard maxX > 0, maxY > 0 else { return .nan }
        var xx = 0.0, yy = 0.0, xy = 0.0
        for i in 0..<x.count where !x[i].isNaN && !y[i].isNaN {
            let a = (x[i] - mx) / maxX, b = (y[i] - my) / maxY
            xx += a * a
            yy += b * b
            xy += a * b
        }
        let denominator = xx.squareRoot() * yy.squareRoot()
        guard denominator > 0 else { return .nan }
        return min(1, max(-1, xy / denominator))
    }
}
