import BallastCore

/// Grows one CART classification tree on histogram-binned features (shared by
/// ``DecisionTreeClassifier`` and ``RandomForestClassifier``).
///
/// Depth-first; each large node's histogram holds, per bin, the weighted count of every class and
/// the unweighted row count. Only the smaller child's histogram is built from its rows; the larger
/// one is the parent's minus it (the subtraction trick). Small nodes skip histograms and sort their
/// rows' bins per candidate feature; both searches visit the same candidate splits in the same
/// order, so they choose the same split.
struct ClassificationTreeGrower {
    let bins: FeatureBins
    /// Label per training row.
    let labels: [Int32]
    let classCount: Int
    let criterion: DecisionTreeClassifier.Criterion
    let maxDepth: Int
    let minSamplesSplit: Int
    let minSamplesLeaf: Int
    /// Candidate features per split (`bins.columns` for all).
    let featuresPerSplit: Int
    /// Whether large histograms are built on all threads (false inside a forest, which is parallel
    /// over trees).
    let parallel: Bool

    /// Doubles per bin: one weighted count per class, then the row count.
    var slots: Int { classCount + 1 }

    /// Grows a tree on the rows with positive weight.
    /// - Parameters:
    ///   - weights: one weight per training row (class weight × bootstrap count); rows weighing 0 are left out.
    ///   - rng: draws the candidate features of each split.
    /// - Returns: the tree (leaf values are class probabilities) and the unnormalized impurity
    ///   decrease of each feature.
    func grow(weights: [Float], using rng: inout some RandomNumberGenerator) -> (FlatTree, [Double]) {
        var rows: [Int32] = []
        rows.reserveCapacity(bins.rows)
        for r in 0..<bins.rows where weights[r] > 0 { rows.append(Int32(r)) }
        var state = GrowState(grower: self, weights: weights)
        defer { state.release() }
        var totals = [Double](repeating: 0, count: slots)
        var rootHistogram: UnsafeMutablePointer<Double>?
        rows.withUnsafeBufferPointer { rowBuffer in
            if rowBuffer.count > state.smallNodeRows {
                let h = state.acquire()
                state.buildHistogram(rowBuffer[...], into: h, totals: &totals, parallel: parallel)
                rootHistogram = h
            } else {
                state.nodeTotals(rowBuffer, into: &totals)
            }
        }
        var tree = FlatTree(valueWidth: classCount, featureCount: bins.columns)
        var importances = [Double](repeating: 0, count: bins.columns)
        var scratch = [Int32](repeating: 0, count: rows.count)
        rows.withUnsafeMutableBufferPointer { rowBuffer in
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                _ = state.split(rows: rowBuffer, scratch: scratchBuffer, range: 0..<rowBuffer.count, depth: 0,
                            histogram: rootHistogram, totals: totals, tree: &tree, importances: &importances, rng: &rng)
            }
        }
        return (tree, importances)
    }

    /// Adds the non-default entries of `rows` to `h` and their class weights and count to `totals`.
    func accumulate(_ rows: Slice<UnsafeBufferPointer<Int32>>, weights: [Float], into h: UnsafeMutablePointer<Double>, totals: inout [Double]) {
        let s = slots, k = classCount
        bins.rowStarts.withUnsafeBufferPointer { starts in
            bins.entries.withUnsafeBufferPointer { entries in
                labels.withUnsafeBufferPointer { labels in
                    weights.withUnsafeBufferPointer { w in
                        for r32 in rows {
                            let r = Int(r32)
                            let y = Int(labels[r])
                            let wr = Double(w[r])
                            totals[y] += wr
                            totals[k] += 1
                            for e in starts[r]..<starts[r + 1] {
                                let base = Int(entries[e]) * s
                                h[base + y] += wr
                                h[base + k] += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// Impurity of a class-weight vector with total `w` (Gini or entropy in bits).
    @inline(__always)
    func impurity(_ counts: UnsafePointer<Double>, _ w: Double) -> Double {
        guard w > 0 else { return 0 }
        var s = 0.0
        switch criterion {
        case .gini:
            for c in 0..<classCount { let p = counts[c] / w; s += p * p }
            return 1 - s
        case .entropy:
            for c in 0..<classCount where counts[c] > 0 { let p = counts[c] / w; s -= p * log2(p) }
            return s
        }
    }
}

/// The mutable state of one `grow` call: histogram buffers and the row weights.
private struct GrowState {
    let grower: ClassificationTreeGrower
    let weights: [Float]
    var free: [UnsafeMutablePointer<Double>] = []
    var all: [UnsafeMutablePointer<Double>] = []
    var histogramSize: Int { grower.bins.totalBins * grower.slots }

    init(grower: ClassificationTreeGrower, weights: [Float]) {
        self.grower = grower
        self.weights = weights
    }

    mutating func acquire() -> UnsafeMutablePointer<Double> {
        if let p = free.popLast() { return p }
        let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, histogramSize))
        all.append(p)
        return p
    }

    mutating func recycle(_ p: UnsafeMutablePointer<Double>) { free.append(p) }

    func release() { for p in all { p.deallocate() } }

    /// Fills `h` with the histogram of `rows` and `totals` with their class weights and row count.
    func buildHistogram(_ rows: Slice<UnsafeBufferPointer<Int32>>, into h: UnsafeMutablePointer<Double>,
                        totals: inout [Double], parallel: Bool) {
        let size = histogramSize, s = grower.slots
        if parallel && rows.count >= 40_000 && Parallel.threadCount > 1 {
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

    /// Nodes with at most this many rows are split by sorting their rows per candidate feature
    /// instead of through histograms (whose fixed cost is proportional to the total bin count).
    var smallNodeRows: Int {
        let candidates = max(1, min(grower.bins.columns, grower.featuresPerSplit))
        return min(4096, max(32, histogramSize / (candidates * 8)))
    }

    /// Makes node `range` (a leaf or a split), recursing into its children. Takes ownership of
    /// `histogram` (`nil` for a small node, whose splits are found by sorting).
    @discardableResult
    mutating func split(rows: UnsafeMutableBufferPointer<Int32>, scratch: UnsafeMutableBufferPointer<Int32>, range: Range<Int>,
                        depth: Int, histogram: UnsafeMutablePointer<Double>?, totals: [Double], tree: inout FlatTree,
                        importances: inout [Double], rng: inout some RandomNumberGenerator) -> Int {
        let k = grower.classCount
        let weight = totals[0..<k].reduce(0, +)
        var probabilities = [Float](repeating: 0, count: k)
        for c in 0..<k { probabilities[c] = weight > 0 ? Float(max(0, totals[c]) / weight) : 1 / Float(k) }
        let node = probabilities.withUnsafeBufferPointer { tree.appendNode(values: $0) }
        let count = range.count
        let pure = totals[0..<k].filter { $0 > weight * 1e-12 }.count <= 1
        var best: (feature: Int, bin: Int)?
        if depth < grower.maxDepth, count >= grower.minSamplesSplit, count >= 2 * grower.minSamplesLeaf, !pure {
            if let histogram {
                best = bestSplit(histogram, totals: totals, rng: &rng)
            } else {
                best = bestSplitBySorting(UnsafeBufferPointer(rebasing: rows[range]), totals: totals, rng: &rng)
            }
        }
        guard let best else {
            if let histogram { recycle(histogram) }
            return node
        }
        // Partition the node's rows (stable) by the chosen bin.
        let leftCount = grower.bins.partition(rows, scratch: scratch, range: range, feature: best.feature, bin: best.bin)
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
            buildHistogram(UnsafeBufferPointer(rows)[smallRange], into: small, totals: &smallTotals, parallel: grower.parallel)
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
        tree.threshold[node] = grower.bins.thresholds[best.feature][best.bin]
        let l = split(rows: rows, scratch: scratch, range: leftRange, depth: depth + 1, histogram: leftHistogram,
                      totals: leftTotals, tree: &tree, importances: &importances, rng: &rng)
        let r = split(rows: rows, scratch: scratch, range: rightRange, depth: depth + 1, histogram: rightHistogram,
                      totals: rightTotals, tree: &tree, importances: &importances, rng: &rng)
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

    /// The candidate features of one split, in random order, so that ties between equally good
    /// features are broken by the seed (as in scikit-learn).
    func candidates(_ rng: inout some RandomNumberGenerator) -> [Int] {
        let m = grower.bins.columns
        return rng.sampleWithoutReplacement(from: m, count: min(m, grower.featuresPerSplit))
    }

    /// Scores splits while bins are added to the left side in increasing order.
    struct Scan {
        let totals: [Double]
        let classCount: Int
        let weight: Double
        let count: Double
        let minLeaf: Double
        let entropy: Bool
        var bestScore = -Double.infinity
        var best: (feature: Int, bin: Int)?

        /// Considers the split whose left side has class weights `left[0..<k]` and `left[k]` rows;
        /// returns `false` when no later bin can satisfy the leaf-size limit.
        @inline(__always)
        mutating func consider(_ left: UnsafePointer<Double>, feature: Int, bin: Int) -> Bool {
            let k = classCount
            if left[k] < minLeaf { return true }
            if count - left[k] < minLeaf { return false }
            var wl = 0.0
            for c in 0..<k { wl += left[c] }
            let wr = weight - wl
            if wl <= weight * 1e-12 || wr <= weight * 1e-12 { return true }
            var score = 0.0
            if entropy {
                for c in 0..<k {
                    let lc = left[c], rc = totals[c] - lc
                    if lc > 0 { score += lc * log(lc / wl) }
                    if rc > 0 { score += rc * log(rc / wr) }
                }
            } else {
                var sl = 0.0, sr = 0.0
                for c in 0..<k {
                    let lc = left[c], rc = totals[c] - lc
                    sl += lc * lc
                    sr += rc * rc
                }
                score = sl / wl + sr / wr
            }
            if best == nil || score > bestScore + 1e-12 * abs(bestScore) {
                bestScore = score
                best = (feature, bin)
            }
            return true
        }

        /// The best split, unless it does not lower the impurity.
        func result() -> (feature: Int, bin: Int)? {
            guard let best else { return nil }
            var parent = 0.0
            for c in 0..<classCount where totals[c] > 0 {
                parent += entropy ? totals[c] * log(totals[c] / weight) : totals[c] * totals[c] / weight
            }
            return bestScore >= parent - 1e-12 * abs(parent) ? best : nil
        }
    }

    func makeScan(_ totals: [Double]) -> Scan {
        let k = grower.classCount
        return Scan(totals: totals, classCount: k, weight: totals[0..<k].reduce(0, +), count: totals[k],
                    minLeaf: Double(grower.minSamplesLeaf), entropy: grower.criterion == .entropy)
    }

    /// The best (feature, bin) split of a node from its histogram, or `nil` when none qualifies.
    func bestSplit(_ h: UnsafeMutablePointer<Double>, totals: [Double], rng: inout some RandomNumberGenerator) -> (feature: Int, bin: Int)? {
        let bins = grower.bins, s = grower.slots
        var scan = makeScan(totals)
        var left = [Double](repeating: 0, count: s)
        left.withUnsafeMutableBufferPointer { lp in
            let l = lp.baseAddress!
            for f in candidates(&rng) {
                let start = bins.binOffsets[f], nb = bins.binCount(f)
                if nb < 2 { continue }
                for i in 0..<s { l[i] = 0 }
                for b in 0..<(nb - 1) {
                    let base = (start + b) * s
                    for i in 0..<s { l[i] += h[base + i] }
                    if !scan.consider(l, feature: f, bin: b) { break }
                }
            }
        }
        return scan.result()
    }

    /// The best split of a small node, found by sorting its rows' bins per candidate feature.
    func bestSplitBySorting(_ rows: UnsafeBufferPointer<Int32>, totals: [Double],
                            rng: inout some RandomNumberGenerator) -> (feature: Int, bin: Int)? {
        let bins = grower.bins, s = grower.slots, k = grower.classCount, n = bins.rows
        var scan = makeScan(totals)
        var keys = [UInt64](repeating: 0, count: rows.count)
        var left = [Double](repeating: 0, count: s)
        bins.codes.withUnsafeBufferPointer { codes in
            left.withUnsafeMutableBufferPointer { lp in
                keys.withUnsafeMutableBufferPointer { kp in
                    let l = lp.baseAddress!
                    for f in candidates(&rng) {
                        if bins.binCount(f) < 2 { continue }
                        let column = codes.baseAddress! + f * n
                        for (i, r) in rows.enumerated() { kp[i] = UInt64(column[Int(r)]) << 32 | UInt64(i) }
                        kp.sort()
                        if kp[0] >> 32 == kp[rows.count - 1] >> 32 { continue }
                        for i in 0..<s { l[i] = 0 }
                        for i in 0..<(rows.count - 1) {
                            let r = Int(rows[Int(kp[i] & 0xFFFF_FFFF)])
                            l[Int(grower.labels[r])] += Double(weights[r])
                            l[k] += 1
                            let code = kp[i] >> 32
                            if code == kp[i + 1] >> 32 { continue }
                            if !scan.consider(l, feature: f, bin: Int(code)) { break }
                        }
                    }
                }
            }
        }
        return scan.result()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
