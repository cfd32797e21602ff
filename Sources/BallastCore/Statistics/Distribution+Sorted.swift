extension Distribution {
    /// The two-sample Kolmogorov–Smirnov statistic `D = sup |F₁(x) − F₂(x)|` of two samples already
    /// sorted ascending (no NaN), in one merge pass — the inner loop of per-column fidelity scores,
    /// where each column is sorted once and compared many times.
    /// - Returns: `D` in [0, 1]; 0 when either sample is empty.
    public static func kolmogorovSmirnovStatistic<T: BinaryFloatingPoint>(sorted x: UnsafeBufferPointer<T>, sorted y: UnsafeBufferPointer<T>) -> Double {
        guard !x.isEmpty, !y.isEmpty else { return 0 }
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
}
