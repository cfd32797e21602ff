import BallastCore

/// Training features quantized to bins per column, the input of tree growing: codes of type `Code`
/// (`UInt16` for boosting's at most 256 quantile bins, `UInt32` for exact CART splits).
///
/// A column with at most `maxBins` distinct values gets one bin per distinct value (exact: the
/// split search is that of a sorted-feature search, as scikit-learn's); other columns get
/// (approximately) equal-count quantile bins, as LightGBM and XGBoost's `hist`. Bin `b` of column `f`
/// holds values `x` with `thresholds[f][b - 1] < x <= thresholds[f][b]`, so the split "bin ≤ b" is
/// the split "x ≤ thresholds[f][b]" on feature values; ``lows`` and ``highs`` give the smallest and
/// largest training value inside each bin, so a split between bins `b` and a later `b'` with no rows
/// between them can use the midpoint of the node's own neighbouring values, as scikit-learn does.
///
/// Besides column-major codes (for partitioning rows), the bins can be stored row-wise and sparsely
/// (`sparseRows`): each column's most frequent bin is its *default*, and only the other entries are
/// listed per row. Histograms then touch only non-default entries and recover the default bin as node
/// total minus the rest — on one-hot and mostly-zero traffic counters this skips most of the work.
struct FeatureBins<Code: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    /// Number of rows.
    let rows: Int
    /// Number of feature columns.
    let columns: Int
    /// `codes[f * rows + r]`: bin of row `r` in column `f`.
    let codes: [Code]
    /// Per column, the upper edges of all bins but the last.
    let thresholds: [[Float]]
    /// Per column and bin, the smallest training value in the bin.
    let lows: [[Float]]
    /// Per column and bin, the largest training value in the bin.
    let highs: [[Float]]
    /// Per column, the offset of its first bin among all bins (`binOffsets[columns]` = total bins).
    let binOffsets: [Int]
    /// Per column, the most frequent bin.
    let defaultBins: [Code]
    /// Whether ``rowStarts`` and ``entries`` were built.
    let hasSparseRows: Bool
    /// Row `r`'s non-default entries are `entries[rowStarts[r] ..< rowStarts[r + 1]]` (empty unless
    /// ``hasSparseRows``).
    let rowStarts: [Int]
    /// Global bin index (`binOffsets[f] + code`) of each non-default entry.
    let entries: [UInt32]

    /// Total bins over all columns.
    var totalBins: Int { binOffsets[columns] }

    /// Number of bins of column `f`.
    func binCount(_ f: Int) -> Int { binOffsets[f + 1] - binOffsets[f] }

    /// Quantizes `features` (finite values; validated by the caller).
    /// - Parameters:
    ///   - maxBins: at least 2 and at most `Code.max + 1`; `Int.max` keeps every distinct value (exact).
    ///   - sparseRowsUpTo: the row-wise sparse entries are built only when the total bin count is at
    ///     most this (the histograms that need them grow with it).
    ///   - placement: where ``thresholds`` lie between the neighbouring values of two bins (the
    ///     codes do not depend on it).
    init(_ features: Matrix, maxBins: Int, sparseRowsUpTo: Int = Int.max, placement: SplitPlacement = .valueMidpoints) {
        precondition(maxBins >= 2, "FeatureBins: maxBins \(maxBins) below 2")
        let n = features.rows, m = features.columns
        let bins = min(maxBins, Int(Code.max) + 1)
        rows = n
        columns = m
        var codes = [Code](repeating: 0, count: n * m)
        var thresholds = [[Float]](repeating: [], count: m)
        var lows = [[Float]](repeating: [], count: m), highs = [[Float]](repeating: [], count: m)
        var defaults = [Code](repeating: 0, count: m)
        features.withUnsafeBufferPointer { x in
            codes.withUnsafeMutableBufferPointer { c in
                let src = SendableReadBuffer(x), dst = SendableBuffer(c)
                let perColumn = Parallel.mapChunks(0..<m, minimumChunk: 4, chunksPerThread: 4) { range in
                    range.map { f -> (Edges, Code) in
                        var column = [Float](repeating: 0, count: n)
                        for r in 0..<n { column[r] = src.buffer[r * m + f] }
                        var edges = FeatureBins.edges(column, maxBins: bins)
                        for b in edges.thresholds.indices where f < placement.columns.count {
                            edges.thresholds[b] = placement.threshold(feature: f, below: edges.highs[b], above: edges.lows[b + 1])
                        }
                        var histogram = [Int](repeating: 0, count: edges.lows.count)
                        let out = dst.baseAddress! + f * n
                        for r in 0..<n {
                            let code = FeatureBins.bin(column[r], edges.thresholds)
                            out[r] = Code(truncatingIfNeeded: code)
                            histogram[code] += 1
                        }
                        var best = 0
                        for b in 1..<histogram.count where histogram[b] > histogram[best] { best = b }
                        return (edges, Code(truncatingIfNeeded: best))
                    }
                }
                var f = 0
                for chunk in perColumn {
                    for (edges, d) in chunk {
                        thresholds[f] = edges.thresholds
                        lows[f] = edges.lows
                        highs[f] = edges.highs
                        defaults[f] = d
                        f += 1
                    }
                }
            }
        }
        var offsets = [0]
        for f in 0..<m { offsets.append(offsets[f] + thresholds[f].count + 1) }
        var starts: [Int] = []
        var entries: [UInt32] = []
        let sparse = offsets[m] <= sparseRowsUpTo
        if sparse {
            starts = [Int](repeating: 0, count: n + 1)
            entries.reserveCapacity(n * 8)
            codes.withUnsafeBufferPointer { c in
                for r in 0..<n {
                    for f in 0..<m where c[f * n + r] != defaults[f] {
                        entries.append(UInt32(offsets[f] + Int(c[f * n + r])))
                    }
                    starts[r + 1] = entries.count
                }
            }
        }
        self.codes = codes
        self.thresholds = thresholds
        self.lows = lows
        self.highs = highs
        self.binOffsets = offsets
        self.defaultBins = defaults
        self.hasSparseRows = sparse
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

    /// The bins of one column: upper edges of all bins but the last, and each bin's smallest and
    /// largest value.
    struct Edges {
        var thresholds: [Float]
        var lows: [Float]
        var highs: [Float]
    }

    /// Bin edges of one column: midpoints between distinct values when they are at most `maxBins`,
    /// otherwise midpoints at (approximately) equal-count quantiles. Distinct values are never
    /// merged: any two different `Float` values can be split apart when bins allow.
    static func edges(_ column: [Float], maxBins: Int) -> Edges {
        guard let first = column.first else { return Edges(thresholds: [], lows: [0], highs: [0]) }
        // Fast path for constant and two-valued (binary, one-hot) columns: no sort.
        var a = first, b = first, twoValued = true
        for v in column where v != a {
            if a == b { b = v } else if v != b { twoValued = false; break }
        }
        if twoValued {
            if a == b { return Edges(thresholds: [], lows: [a], highs: [a]) }
            if a > b { swap(&a, &b) }
            return Edges(thresholds: [midpoint(a, b)], lows: [a, b], highs: [a, b])
        }
        let sorted = column.sorted()
        var distinct: [Float] = [], counts: [Int] = []
        for v in sorted {
            if let last = distinct.last, v == last { counts[counts.count - 1] += 1 } else { distinct.append(v); counts.append(1) }
        }
        if distinct.count <= maxBins {
            return Edges(thresholds: (0..<(distinct.count - 1)).map { midpoint(distinct[$0], distinct[$0 + 1]) },
                         lows: distinct, highs: distinct)
        }
        // Greedy equal-count bins; the target size is recomputed from what remains, so a value
        // holding most rows (zero counters) does not use up the bins of the tail.
        var edges = Edges(thresholds: [], lows: [distinct[0]], highs: [])
        let n = sorted.count
        var seen = 0, cutAt = 0
        for i in 0..<(distinct.count - 1) {
            seen += counts[i]
            let remainingBins = maxBins - edges.thresholds.count
            if (seen - cutAt) * remainingBins >= n - cutAt {
                edges.thresholds.append(midpoint(distinct[i], distinct[i + 1]))
                edges.highs.append(distinct[i])
                edges.lows.append(distinct[i + 1])
                cutAt = seen
                if edges.thresholds.count == maxBins - 1 { break }
            }
        }
        edges.highs.append(distinct[distinct.count - 1])
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
