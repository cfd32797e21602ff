import BallastCore

/// The mutable state of one `grow` call: histogram buffers, sort scratch and the row weights.
struct GrowState {
    let grower: ClassificationTreeGrower
    let weights: [Float]
    /// Whether nodes may be searched through all-feature histograms (the data's bins fit the budget).
    let useHistograms: Bool
    /// Nodes with at most this many rows are searched from their rows, not through histograms.
    let smallNodeRows: Int
    var free: [UnsafeMutablePointer<Double>] = []
    var all: [UnsafeMutablePointer<Double>] = []
    /// Sort keys (`bin << 32 | position`) and their radix-sort twin, one per row.
    let keys: UnsafeMutablePointer<UInt64>
    let keys2: UnsafeMutablePointer<UInt64>
    /// Radix digit counts.
    let digitCounts: UnsafeMutablePointer<Int>
    /// Per-feature histogram of a node (`denseCapacity` doubles).
    let dense: UnsafeMutablePointer<Double>
    let denseCapacity: Int
    /// Running left-side sums of a scan (`slots` doubles).
    let left: UnsafeMutablePointer<Double>
    /// The codes of one feature for the node's rows, in the node's order.
    let nodeCodes: UnsafeMutablePointer<UInt32>
    /// The label and weight of each of the node's rows, in the node's order.
    let nodeLabels: UnsafeMutablePointer<Int32>
    let nodeWeights: UnsafeMutablePointer<Double>
    var histogramSize: Int { grower.bins.totalBins * grower.slots }

    static let digitBits = 11

    init(grower: ClassificationTreeGrower, weights: [Float], rowCount: Int) {
        self.grower = grower
        self.weights = weights
        let bins = grower.bins
        useHistograms = bins.hasSparseRows
        let candidates = max(1, min(bins.columns, grower.featuresPerSplit))
        smallNodeRows = max(32, bins.totalBins * grower.slots / (candidates * 4))
        let n = max(1, rowCount)
        keys = .allocate(capacity: n)
        keys2 = .allocate(capacity: n)
        digitCounts = .allocate(capacity: 1 << Self.digitBits)
        var widest = 0
        for f in 0..<bins.columns { widest = max(widest, bins.binCount(f)) }
        denseCapacity = max(1, min(widest * grower.slots, 2 * n))
        dense = .allocate(capacity: denseCapacity)
        left = .allocate(capacity: grower.slots)
        nodeCodes = .allocate(capacity: n)
        nodeLabels = .allocate(capacity: n)
        nodeWeights = .allocate(capacity: n)
    }

    mutating func acquire() -> UnsafeMutablePointer<Double> {
        if let p = free.popLast() { return p }
        let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, histogramSize))
        all.append(p)
        return p
    }

    mutating func recycle(_ p: UnsafeMutablePointer<Double>) { free.append(p) }

    func release() {
        for p in all { p.deallocate() }
        keys.deallocate()
        keys2.deallocate()
        digitCounts.deallocate()
        dense.deallocate()
        left.deallocate()
        nodeCodes.deallocate()
        nodeLabels.deallocate()
        nodeWeights.deallocate()
    }

    /// Fills `h` with the histogram of `rows` and `totals` with their class weights and row count.
    func buildHistogram(_ rows: Slice<UnsafeBufferPointer<Int32>>, into h: UnsafeMutablePointer<Double>, totals: inout [Double]) {
        let size = histogramSize, s = grower.slots
        if grower.parallel && rows.count >= 40_000 && Parallel.threadCount > 1 {
            let rowBase = SendableReadBuffer(UnsafeBufferPointer(rebasing: rows))
            let g = grower, w = weights
            let parts = Parallel.mapChunks(0..<rows.count, minimumChunk: 20_000) { range -> ([Double], [Double]) in
                var partial = [Double](repeating: 0, count: size)
                var t = [Double](repeating: 0, count: s)
                partial.withUnsafeMutableBufferPointer { p in
                    g.accumulate(rowBase.buffer[range], weights: w, into: p.baseAddress!, totals: &t)
                }
                return (partial, t)
            }
            h.update(repeating: 0, count: size)
            for i in 0..<s { totals[i] = 0 }
            for (partial, t) in parts {
                partial.withUnsafeBufferPointer { p in for i in 0..<size { h[i] += p[i] } }
                for i in 0..<s { totals[i] += t[i] }
            }
        } else {
            h.update(repeating: 0, count: size)
            for i in 0..<s { totals[i] = 0 }
            grower.accumulate(rows, weights: weights, into: h, totals: &totals)
        }
        fillDefaultBins(h, totals: totals)
    }

    /// Sets each column's default bin to the node totals minus the column's other bins.
    private func fillDefaultBins(_ h: UnsafeMutablePointer<Double>, totals: [Double]) {
        let s = grower.slots, bins = grower.bins
        for f in 0..<bins.columns {
            let start = bins.binOffsets[f], end = bins.binOffsets[f + 1]
            let d = (start + Int(bins.defaultBins[f])) * s
            for i in 0..<s { h[d + i] = totals[i] }
            for b in start..<end where b != start + Int(bins.defaultBins[f]) {
                for i in 0..<s { h[d + i] -= h[b * s + i] }
            }
        }
    }

    /// Makes node `range` (a leaf or a split), recursing into its children. Takes ownership of
    /// `histogram` (`nil` for a node searched from its rows). `constant` marks the features known to
    /// be constant in the node.
    @discardableResult
    mutating func split(rows: UnsafeMutableBufferPointer<Int32>, scratch: UnsafeMutableBufferPointer<Int32>, range: Range<Int>,
                        depth: Int, histogram: UnsafeMutablePointer<Double>?, totals: [Double], constant: [Bool],
                        tree: inout FlatTree, importances: inout [Double], rng: inout some RandomNumberGenerator) -> Int {
        let k = grower.classCount
        let weight = totals[0..<k].reduce(0, +)
        var probabilities = [Float](repeating: 0, count: k)
        for c in 0..<k { probabilities[c] = weight > 0 ? Float(max(0, totals[c]) / weight) : 1 / Float(k) }
        let node = probabilities.withUnsafeBufferPointer { tree.appendNode(values: $0) }
        let count = range.count
        let pure = totals[0..<k].filter { $0 > weight * 1e-12 }.count <= 1
        var best: TreeSplit?
        var constant = constant
        if depth < grower.maxDepth, count >= grower.minSamplesSplit, count >= 2 * grower.minSamplesLeaf, !pure {
            best = findSplit(UnsafeBufferPointer(rebasing: rows[range]), histogram: histogram, totals: totals,
                             constant: &constant, rng: &rng)
        }
        guard let best else {
            if let histogram { recycle(histogram) }
            return node
        }
        let bins = grower.bins
        let leftCount = partition(rows, scratch: scratch, range: range, feature: best.feature, bin: best.bin)
        let leftRange = range.lowerBound..<(range.lowerBound + leftCount)
        let rightRange = leftRange.upperBound..<range.upperBound
        let smallIsLeft = leftRange.count <= rightRange.count
        let smallRange = smallIsLeft ? leftRange : rightRange
        var smallTotals = [Double](repeating: 0, count: grower.slots)
        var leftHistogram: UnsafeMutablePointer<Double>?
        var rightHistogram: UnsafeMutablePointer<Double>?
        if let histogram, max(leftRange.count, rightRange.count) > smallNodeRows {
            // Histogram of the smaller child from its rows; the larger child's is the parent's minus it.
            let small = acquire()
            buildHistogram(UnsafeBufferPointer(rows)[smallRange], into: small, totals: &smallTotals)
            let size = histogramSize
            for i in 0..<size { histogram[i] -= small[i] }
            if smallRange.count > smallNodeRows {
                (leftHistogram, rightHistogram) = smallIsLeft ? (small, histogram) : (histogram, small)
            } else {
                recycle(small)
                (leftHistogram, rightHistogram) = smallIsLeft ? (nil, histogram) : (histogram, nil)
            }
        } else {
            if let histogram { recycle(histogram) }
            nodeTotals(UnsafeBufferPointer(rebasing: rows[smallRange]), into: &smallTotals)
        }
        var largeTotals = totals
        for i in 0..<grower.slots { largeTotals[i] -= smallTotals[i] }
        let (leftTotals, rightTotals) = smallIsLeft ? (smallTotals, largeTotals) : (largeTotals, smallTotals)

        let wl = leftTotals[0..<k].reduce(0, +), wr = rightTotals[0..<k].reduce(0, +)
        let decrease = totals.withUnsafeBufferPointer { grower.impurity($0.baseAddress!, weight) } * weight
            - leftTotals.withUnsafeBufferPointer { grower.impurity($0.baseAddress!, wl) } * wl
            - rightTotals.withUnsafeBufferPointer { grower.impurity($0.baseAddress!, wr) } * wr
        importances[best.feature] += max(0, decrease)

        tree.feature[node] = Int32(best.feature)
        tree.threshold[node] = grower.placement.threshold(feature: best.feature, below: bins.highs[best.feature][best.bin],
                                                          above: bins.lows[best.feature][best.upper])
        let l = split(rows: rows, scratch: scratch, range: leftRange, depth: depth + 1, histogram: leftHistogram,
                      totals: leftTotals, constant: constant, tree: &tree, importances: &importances, rng: &rng)
        let r = split(rows: rows, scratch: scratch, range: rightRange, depth: depth + 1, histogram: rightHistogram,
                      totals: rightTotals, constant: constant, tree: &tree, importances: &importances, rng: &rng)
        tree.left[node] = Int32(l)
        tree.right[node] = Int32(r)
        return node
    }

    /// Class weights and row count of `rows`.
    func nodeTotals(_ rows: UnsafeBufferPointer<Int32>, into totals: inout [Double]) {
        let k = grower.classCount
        for i in 0..<totals.count { totals[i] = 0 }
        for r in rows {
            totals[Int(grower.labels[Int(r)])] += Double(weights[Int(r)])
        }
        totals[k] = Double(rows.count)
    }

    /// The best split of a node. Candidate features are drawn in random order (so ties between equally
    /// good features are broken by the seed) until `featuresPerSplit` features that vary in the node
    /// have been searched; features found constant are marked in `constant`.
    func findSplit(_ rows: UnsafeBufferPointer<Int32>, histogram: UnsafeMutablePointer<Double>?, totals: [Double],
                   constant: inout [Bool], rng: inout some RandomNumberGenerator) -> TreeSplit? {
        var scan = SplitScan(totals: totals, classCount: grower.classCount, minLeaf: grower.minSamplesLeaf,
                             entropy: grower.criterion == .entropy)
        var pool: [Int] = []
        pool.reserveCapacity(constant.count)
        for f in constant.indices where !constant[f] { pool.append(f) }
        if histogram == nil {
            for (i, r32) in rows.enumerated() {
                let r = Int(r32)
                nodeLabels[i] = grower.labels[r]
                nodeWeights[i] = Double(weights[r])
            }
        }
        var visited = 0
        while visited < grower.featuresPerSplit && !pool.isEmpty {
            let j = rng.nextInt(below: pool.count)
            let f = pool[j]
            pool.swapAt(j, pool.count - 1)
            pool.removeLast()
            let varies: Bool
            if let histogram {
                let bins = grower.bins
                varies = scanBins(histogram + bins.binOffsets[f] * grower.slots, count: bins.binCount(f), feature: f, &scan)
            } else {
                varies = scanRows(rows, feature: f, &scan)
            }
            if varies { visited += 1 } else { constant[f] = true }
        }
        return scan.result()
    }

    /// Scans `count` consecutive histogram bins of one feature, the first being bin `first`; returns
    /// whether more than one holds rows.
    private func scanBins(_ h: UnsafePointer<Double>, count: Int, first: Int = 0, feature: Int, _ scan: inout SplitScan) -> Bool {
        let s = grower.slots, k = grower.classCount
        for i in 0..<s { left[i] = 0 }
        var previous = -1
        var occupied = 0
        for b in 0..<count {
            let base = b * s
            if h[base + k] < 0.5 { continue }
            occupied += 1
            if previous >= 0 && !scan.consider(left, feature: feature, bin: first + previous, upper: first + b) { return true }
            for i in 0..<s { left[i] += h[base + i] }
            previous = b
        }
        return occupied > 1
    }

    /// Writes the code of `feature` for each of `rows` to ``nodeCodes`` (column-major codes for a node
    /// holding many of the rows, row-major ones otherwise) and returns the smallest and largest.
    private func gather(_ rows: UnsafeBufferPointer<Int32>, feature f: Int) -> (UInt32, UInt32) {
        let bins = grower.bins
        if rows.count * ClassificationTreeGrower.columnMajorDensity < bins.rows {
            return grower.rowCodes.gather(rows, feature: f, into: nodeCodes)
        }
        return bins.codes.withUnsafeBufferPointer { codes in
            let column = codes.baseAddress! + f * bins.rows
            var lo = UInt32.max, hi = UInt32.min
            for i in 0..<rows.count {
                let c = column[Int(rows[i])]
                nodeCodes[i] = c
                lo = min(lo, c)
                hi = max(hi, c)
            }
            return (lo, hi)
        }
    }

    /// Stable partition of `rows[range]` by a split: rows whose bin of `feature` is ≤ `bin` first.
    /// - Returns: the number of rows that went left.
    private func partition(_ rows: UnsafeMutableBufferPointer<Int32>, scratch: UnsafeMutableBufferPointer<Int32>, range: Range<Int>,
                           feature: Int, bin: Int) -> Int {
        _ = gather(UnsafeBufferPointer(rebasing: rows[range]), feature: feature)
        let limit = UInt32(bin)
        var l = range.lowerBound, r = 0
        for i in range {
            let row = rows[i]
            if nodeCodes[i - range.lowerBound] <= limit { rows[l] = row; l += 1 } else { scratch[r] = row; r += 1 }
        }
        for j in 0..<r { rows[l + j] = scratch[j] }
        return l - range.lowerBound
    }

    /// Searches one feature from the node's rows (whose labels and weights are in ``nodeLabels`` and
    /// ``nodeWeights``): a per-feature histogram over the node's range of bins when it is small for
    /// the node's size, the rows sorted by bin otherwise. Returns whether the feature varies.
    private func scanRows(_ rows: UnsafeBufferPointer<Int32>, feature f: Int, _ scan: inout SplitScan) -> Bool {
        let s = grower.slots, k = grower.classCount, n = rows.count
        let (lo, hi) = gather(rows, feature: f)
        if lo == hi { return false }
        let span = Int(hi - lo) + 1
        if span * s <= denseCapacity && span * s <= 2 * n {
            // The node's smallest bin is its totals minus the other bins: on one-hot and mostly-zero
            // columns most rows are in it and are skipped (a chain of additions to one bin otherwise).
            dense.update(repeating: 0, count: span * s)
            for i in 0..<n {
                let code = nodeCodes[i] - lo
                if code == 0 { continue }
                let base = Int(code) * s
                dense[base + Int(nodeLabels[i])] += nodeWeights[i]
                dense[base + k] += 1
            }
            for j in 0..<s {
                var rest = scan.totals[j]
                for b in 1..<span { rest -= dense[b * s + j] }
                dense[j] = rest
            }
            return scanBins(dense, count: span, first: Int(lo), feature: f, &scan)
        }
        for i in 0..<n { keys[i] = UInt64(nodeCodes[i] - lo) << 32 | UInt64(i) }
        sortKeys(n, bins: span)
        let first = UInt64(lo)
        for i in 0..<s { left[i] = 0 }
        if scan.entropy {
            for i in 0..<(n - 1) {
                let p = Int(keys[i] & 0xFFFF_FFFF)
                left[Int(nodeLabels[p])] += nodeWeights[p]
                left[k] += 1
                let code = keys[i] >> 32, next = keys[i + 1] >> 32
                if code == next { continue }
                if !scan.consider(left, feature: f, bin: Int(code + first), upper: Int(next + first)) { break }
            }
            return true
        }
        // Gini: the sums of squared class weights move by one row at a time, so each candidate
        // costs O(1) instead of O(classes).
        var wl = 0.0, sl = 0.0, sr = 0.0
        for c in 0..<k { sr += scan.totals[c] * scan.totals[c] }
        for i in 0..<(n - 1) {
            let p = Int(keys[i] & 0xFFFF_FFFF)
            let y = Int(nodeLabels[p]), wr = nodeWeights[p]
            let lc = left[y]
            sl += wr * (2 * lc + wr)
            sr += wr * (wr - 2 * (scan.totals[y] - lc))
            left[y] = lc + wr
            wl += wr
            let code = keys[i] >> 32, next = keys[i + 1] >> 32
            if code == next { continue }
            if !scan.considerGini(wl: wl, rows: Double(i + 1), sl: sl, sr: sr, feature: f, bin: Int(code + first),
                                  upper: Int(next + first)) {
                break
            }
        }
        return true
    }

    /// Sorts `keys[0..<n]` by their bin (the upper 32 bits; bins below `bins`): insertion sort for
    /// a few keys, least-significant-digit radix sort otherwise.
    private func sortKeys(_ n: Int, bins: Int) {
        if n <= 48 {
            for i in 1..<max(1, n) {
                let key = keys[i]
                var j = i
                while j > 0 && keys[j - 1] > key { keys[j] = keys[j - 1]; j -= 1 }
                keys[j] = key
            }
            return
        }
        let bits = max(1, Int.bitWidth - (bins - 1).leadingZeroBitCount)
        let passes = (bits + Self.digitBits - 1) / Self.digitBits
        let digit = (bits + passes - 1) / passes
        let mask = UInt64((1 << digit) - 1)
        var src = keys, dst = keys2
        for pass in 0..<passes {
            let shift = UInt64(32 + pass * digit)
            digitCounts.update(repeating: 0, count: 1 << digit)
            for i in 0..<n { digitCounts[Int((src[i] >> shift) & mask)] += 1 }
            var sum = 0
            for d in 0..<(1 << digit) { let c = digitCounts[d]; digitCounts[d] = sum; sum += c }
            for i in 0..<n {
                let d = Int((src[i] >> shift) & mask)
                dst[digitCounts[d]] = src[i]
                digitCounts[d] += 1
            }
            swap(&src, &dst)
        }
        if src != keys { keys.update(from: src, count: n) }
    }
}
