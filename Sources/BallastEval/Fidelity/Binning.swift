import BallastCore

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
        let arithmetic = self == .equalWidth && width > 0 && (1 / width).isFinite, inverseWidth = arithmetic ? 1 / width : 0
        let codes = edges.withUnsafeBufferPointer { e in
            values.map { v -> Int32 in
                if v.isNaN { return missing }
                guard arithmetic else { return Int32(Distribution.upperBound(e, v)) }
                let guess = ((v - lo) * inverseWidth).rounded(.down)
                var c = guess.isFinite ? Int(min(max(guess, -1), Double(e.count))) + 1 : 0
                c = min(max(c, 0), e.count)
                while c < e.count && e[c] <= v { c += 1 }
                while c > 0 && e[c - 1] > v { c -= 1 }
                return Int32(c)
            }
        }
        return (codes, edges.count + 2)
    }
}
