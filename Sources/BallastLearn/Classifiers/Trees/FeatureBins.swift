import BallastCore

/// Training features quantized to at most 65,536 bins per column, the input of histogram tree growing
/// (as in LightGBM and XGBoost's `hist`).
///
/// A column with at most `maxBins` distinct values gets one bin per value and thresholds halfway
/// between consecutive values, so splits are exactly those of a sorted-feature search (scikit-learn);
/// other columns get quantile bins. As in scikit-learn, consecutive values at most 1e-7 apart are
/// not separated (on min-max scaled counters such splits isolate single byte counts and generalize
/// badly). Bin `b` of column `f` holds values `x` with
/// `thresholds[f][b - 1] < x <= thresholds[f][b]`, so the split "bin ≤ b" is the split
/// "x ≤ thresholds[f][b]" on raw values.
///
/// Besides column-major codes (for partitioning rows), the bins are stored row-wise and sparsely:
/// each column's most frequent bin is its *default*, and only the other entries are listed per row.
/// Histograms then touch only non-default entries and recover the default bin as node total minus
/// the rest — on one-hot and mostly-zero traffic counters this skips most of the work.
struct FeatureBins: Sendable {
    /// Number of rows.
    let rows: Int
    /// Number of feature columns.
    let columns: Int
    /// `codes[f * rows + r]`: bin of row `r` in column `f`.
    let codes: [UInt16]
    /// Per column, the upper edges of all bins but the last.
    let thresholds: [[Float]]
    /// Per column, the offset of its first bin among all bins (`binOffsets[columns]` = total bins).
    let binOffsets: [Int]
    /// Per column, the most frequent bin.
    let defaultBins: [UInt16]
    /// Row `r`'s non-default entries are `entries[rowStarts[r] ..< rowStarts[r + 1]]`.
    let rowStarts: [Int]
    /// Global bin index (`binOffsets[f] + code`) of each non-default entry.
    let entries: [UInt32]

    /// Total bins over all columns.
    var totalBins: Int { binOffsets[columns] }

    /// Number of bins of column `f`.
    func binCount(_ f: Int) -> Int { binOffsets[f + 1] - binOffsets[f] }

    /// Quantizes `features` (finite values; validated by the caller).
    /// - Parameters:
    ///   - maxBins: 2...65,536.
    ///   - mergeTolerance: values at most this far apart share a bin (scikit-learn's 1e-7 for CART).
    init(_ features: Matrix, maxBins: Int = 256, mergeTolerance: Float = 1e-7) {
        precondition(maxBins >= 2 && maxBins <= 65_536, "FeatureBins: maxBins \(maxBins) outside 2...65536")
        let n = features.rows, m = features.columns
        rows = n
        columns = m
        var codes = [UInt16](repeating: 0, count: n * m)
        var thresholds = [[Float]](repeating: [], count: m)
        var defaults = [UInt16](repeating: 0, count: m)
        features.withUnsafeBufferPointer { x in
            let src = SendableReadBuffer(x)
            let perColumn = Parallel.mapChunks(0..<m, minimumChunk: 4, chunksPerThread: 4) { range in
                range.map { f -> ([Float], [UInt16], UInt16) in
                    var column = [Float](repeating: 0, count: n)
                    for r in 0..<n { column[r] = src.buffer[r * m + f] }
                    let edges = FeatureBins.edges(column, maxBins: maxBins, mergeTolerance: mergeTolerance)
                    var out = [UInt16](repeating: 0, count: n)
                    var histogram = [Int](repeating: 0, count: edges.count + 1)
                    for r in 0..<n {
                        let code = FeatureBins.bin(column[r], edges)
                        out[r] = UInt16(truncatingIfNeeded: code)
                        histogram[code] += 1
                    }
                    var best = 0
                    for b in 1..<histogram.count where histogram[b] > histogram[best] { best = b }
                    return (edges, out, UInt16(best))
                }
            }
            var f = 0
            for chunk in perColumn {
                for (edges, out, d) in chunk {
                    thresholds[f] = edges
                    defaults[f] = d
                    codes.withUnsafeMutableBufferPointer { dst in
                        for r in 0..<n { dst[f * n + r] = out[r] }
                    }
                    f += 1
                }
            }
        }
        var offsets = [0]
        for f in 0..<m { offsets.append(offsets[f] + thresholds[f].count + 1) }
        var starts = [Int](repeating: 0, count: n + 1)
        var entries: [UInt32] = []
        entries.reserveCapacity(n * 8)
        codes.withUnsafeBufferPointer { c in
            for r in 0..<n {
                for f in 0..<m where c[f * n + r] != defaults[f] {
                    entries.append(UInt32(offsets[f] + Int(c[f * n + r])))
                }
                starts[r + 1] = entries.count
            }
        }
        self.codes = codes
        self.thresholds = thresholds
        self.binOffsets = offsets
        self.defaultBins = defaults
        self.rowStarts = starts
        self.entries = entries
    }

    /// The bin of `x`: the first edge `>= x`, or the last bin.
    @inline(__always)
    static func bin(_ x: Float, _ edges: [Float]) -> Int {
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if edges[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Bin edges of one column: midpoints between distinct values when they are few, otherwise
    /// midpoints at (approximately) equal-count quantiles.
    static func edges(_ column: [Float], maxBins: Int, mergeTolerance: Float) -> [Float] {
        guard let first = column.first else { return [] }
        // Fast path for constant and two-valued (binary, one-hot) columns: no sort.
        var a = first, b = first, twoValued = true
        for v in column where v != a {
            if a == b { b = v } else if v != b { twoValued = false; break }
        }
        if twoValued {
            if a == b { return [] }
            if a > b { swap(&a, &b) }
            return b <= a + mergeTolerance ? [] : [midpoint(a, b)]
        }
        let sorted = column.sorted()
        // Groups of values whose consecutive gaps are at most `mergeTolerance`: `lows` and `highs`
        // are each group's smallest and largest value.
        var lows: [Float] = [], highs: [Float] = []
        var counts: [Int] = []
        for v in sorted {
            if let last = highs.last, v <= last + mergeTolerance {
                counts[counts.count - 1] += 1
                highs[highs.count - 1] = v
            } else {
                lows.append(v)
                highs.append(v)
                counts.append(1)
            }
        }
        if lows.count <= maxBins {
            return (0..<(lows.count - 1)).map { midpoint(highs[$0], lows[$0 + 1]) }
        }
        // Greedy equal-count bins; the target size is recomputed from what remains, so a value
        // holding most rows (zero counters) does not use up the bins of the tail.
        var edges: [Float] = []
        let n = sorted.count
        var seen = 0, cutAt = 0
        for i in 0..<(lows.count - 1) {
            seen += counts[i]
            let remainingBins = maxBins - edges.count
            if (seen - cutAt) * remainingBins >= n - cutAt {
                edges.append(midpoint(highs[i], lows[i + 1]))
                cutAt = seen
                if edges.count == maxBins - 1 { break }
            }
        }
        return edges
    }

    /// A threshold `t` with `a <= t < b`.
    static func midpoint(_ a: Float, _ b: Float) -> Float {
        let m = a / 2 + b / 2
        return m >= b || m < a ? a : m
    }
}

extension FeatureBins {
    /// Stable partition of `rows[range]` by a split: rows whose bin of `feature` is ≤ `bin` first.
    /// - Returns: the number of rows that went left.
    func partition(_ rows: UnsafeMutableBufferPointer<Int32>, scratch: UnsafeMutableBufferPointer<Int32>, range: Range<Int>,
                   feature: Int, bin: Int) -> Int {
        codes.withUnsafeBufferPointer { codes in
            let column = codes.baseAddress! + feature * self.rows
            var l = range.lowerBound, r = 0
            for i in range {
                let row = rows[i]
                if Int(column[Int(row)]) <= bin { rows[l] = row; l += 1 } else { scratch[r] = row; r += 1 }
            }
            for j in 0..<r { rows[l + j] = scratch[j] }
            return l - range.lowerBound
        }
    }
}
