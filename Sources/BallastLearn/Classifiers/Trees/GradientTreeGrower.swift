import BallastCore

/// Grows one regression tree on gradient and hessian statistics, XGBoost's second-order way
/// (Chen & Guestrin 2016), on histogram-binned features.
///
/// A node with gradient sum `G` and hessian sum `H` has the leaf value `−G / (H + λ)`; a split is
/// kept when `G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) > γ` and both children keep a hessian sum of
/// at least `minChildWeight`. Histograms hold `(G, H)` per bin; the larger child's is the parent's
/// minus the smaller one's.
///
/// Without a leaf limit every splittable node is split up to `maxDepth` (XGBoost's `depthwise`
/// policy). With `maxLeaves`, the open leaf of largest gain is split first until the tree has that
/// many leaves (XGBoost's `lossguide`, LightGBM's leaf-wise growth); `maxDepth` still applies.
struct GradientTreeGrower: Sendable {
    let bins: FeatureBins<UInt16>
    let maxDepth: Int
    /// Maximum leaves per tree (`nil`: no limit but the depth).
    let maxLeaves: Int?
    let lambda: Double
    let gamma: Double
    let minChildWeight: Double
    /// Multiplies every leaf value (the learning rate).
    let shrinkage: Double

    /// A node that may still be split.
    private struct OpenNode {
        var index: Int
        var range: Range<Int>
        var depth: Int
        var histogram: UnsafeMutablePointer<SIMD2<Double>>?
        var totals: SIMD2<Double>
        var split: (feature: Int, bin: Int, gain: Double)?
    }

    /// Grows a tree on `rows` (indices into the binned data) with per-row gradients and hessians.
    /// - Parameters:
    ///   - gradients: `(g, h)` per training row.
    ///   - rows: the rows this tree sees (row subsample); reordered in place.
    ///   - features: candidate features (column subsample), in a fixed order.
    ///   - leafValues: receives, for each row in `rows`, the value of the leaf it falls in.
    func grow(gradients: UnsafeBufferPointer<SIMD2<Double>>, rows: UnsafeMutableBufferPointer<Int32>,
              features: [Int], leafValues: UnsafeMutableBufferPointer<Float>) -> FlatTree {
        var tree = FlatTree(valueWidth: 1, featureCount: bins.columns)
        let size = bins.totalBins
        var pool: [UnsafeMutablePointer<SIMD2<Double>>] = []
        var all: [UnsafeMutablePointer<SIMD2<Double>>] = []
        defer { for p in all { p.deallocate() } }
        func acquire() -> UnsafeMutablePointer<SIMD2<Double>> {
            if let p = pool.popLast() { return p }
            let p = UnsafeMutablePointer<SIMD2<Double>>.allocate(capacity: max(1, size))
            all.append(p)
            return p
        }
        let scratch = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, rows.count))
        defer { scratch.deallocate() }

        /// Appends a node; finds its split when it may have children (it then needs a histogram).
        func open(_ range: Range<Int>, depth: Int, histogram: UnsafeMutablePointer<SIMD2<Double>>?,
                  totals: SIMD2<Double>) -> OpenNode {
            let value = Float(-totals.x / (totals.y + lambda) * shrinkage)
            let index = [value].withUnsafeBufferPointer { tree.appendNode(values: $0) }
            var node = OpenNode(index: index, range: range, depth: depth, histogram: histogram, totals: totals)
            if let histogram, depth < maxDepth, range.count >= 2 {
                node.split = bestSplit(histogram, totals: totals, features: features)
            }
            return node
        }

        /// Makes `node` a leaf: its rows get its value.
        func close(_ node: OpenNode) {
            if let h = node.histogram { pool.append(h) }
            let value = tree.values[node.index]
            for i in node.range { leafValues[Int(rows[i])] = value }
        }

        /// Splits `node` and returns its two children (whose histograms exist only if they may split).
        func expand(_ node: OpenNode) -> (OpenNode, OpenNode) {
            guard let best = node.split, let h = node.histogram else { preconditionFailure("expanding a node without a split") }
            let range = node.range
            let leftCount = bins.partition(rows, scratch: scratch, range: range, feature: best.feature, bin: best.bin)
            let leftRange = range.lowerBound..<(range.lowerBound + leftCount)
            let rightRange = leftRange.upperBound..<range.upperBound
            let smallIsLeft = leftRange.count <= rightRange.count
            let smallRange = smallIsLeft ? leftRange : rightRange
            var small: UnsafeMutablePointer<SIMD2<Double>>?
            var large: UnsafeMutablePointer<SIMD2<Double>>?
            let smallTotals: SIMD2<Double>
            if node.depth + 1 < maxDepth {
                let s = acquire()
                smallTotals = build(UnsafeBufferPointer(rows)[smallRange], gradients, into: s)
                for i in 0..<size { h[i] -= s[i] }
                small = s
                large = h
            } else {
                // Children at the depth limit are leaves: only their sums are needed.
                var s = SIMD2<Double>(0, 0)
                for i in smallRange { s += gradients[Int(rows[i])] }
                smallTotals = s
                pool.append(h)
            }
            let largeTotals = node.totals - smallTotals
            tree.feature[node.index] = Int32(best.feature)
            tree.threshold[node.index] = bins.thresholds[best.feature][best.bin]
            let left = open(leftRange, depth: node.depth + 1, histogram: smallIsLeft ? small : large,
                            totals: smallIsLeft ? smallTotals : largeTotals)
            let right = open(rightRange, depth: node.depth + 1, histogram: smallIsLeft ? large : small,
                             totals: smallIsLeft ? largeTotals : smallTotals)
            tree.left[node.index] = Int32(left.index)
            tree.right[node.index] = Int32(right.index)
            return (left, right)
        }

        let rootHistogram = acquire()
        let rootTotals = build(UnsafeBufferPointer(rows)[...], gradients, into: rootHistogram)
        let root = open(0..<rows.count, depth: 0, histogram: rootHistogram, totals: rootTotals)
        if let maxLeaves {
            var frontier = [root]
            var leaves = 1
            while leaves < maxLeaves {
                // The open node of largest gain (the earliest created among equals).
                var pick: Int?
                for (i, node) in frontier.enumerated() {
                    guard let gain = node.split?.gain else { continue }
                    if let p = pick, let best = frontier[p].split?.gain, gain <= best { continue }
                    pick = i
                }
                guard let p = pick else { break }
                let (left, right) = expand(frontier.remove(at: p))
                frontier.append(left)
                frontier.append(right)
                leaves += 1
            }
            for node in frontier { close(node) }
        } else {
            var stack = [root]
            while let node = stack.popLast() {
                if node.split == nil {
                    close(node)
                } else {
                    let (left, right) = expand(node)
                    stack.append(right)
                    stack.append(left)
                }
            }
        }
        return tree
    }

    /// Fills `h` with the `(G, H)` histogram of `rows` and returns their totals.
    private func build(_ rows: Slice<UnsafeBufferPointer<Int32>>, _ gradients: UnsafeBufferPointer<SIMD2<Double>>,
                       into h: UnsafeMutablePointer<SIMD2<Double>>) -> SIMD2<Double> {
        h.update(repeating: SIMD2(0, 0), count: bins.totalBins)
        var total = SIMD2<Double>(0, 0)
        bins.rowStarts.withUnsafeBufferPointer { starts in
            bins.entries.withUnsafeBufferPointer { entries in
                for r32 in rows {
                    let r = Int(r32)
                    let gh = gradients[r]
                    total += gh
                    for e in starts[r]..<starts[r + 1] { h[Int(entries[e])] += gh }
                }
            }
        }
        for f in 0..<bins.columns {
            let start = bins.binOffsets[f], end = bins.binOffsets[f + 1]
            let d = start + Int(bins.defaultBins[f])
            var rest = SIMD2<Double>(0, 0)
            for b in start..<end where b != d { rest += h[b] }
            h[d] = total - rest
        }
        return total
    }

    /// The best split by second-order gain, or `nil` when none beats `gamma`.
    private func bestSplit(_ h: UnsafeMutablePointer<SIMD2<Double>>, totals: SIMD2<Double>,
                           features: [Int]) -> (feature: Int, bin: Int, gain: Double)? {
        let parent = totals.x * totals.x / (totals.y + lambda)
        var bestGain = max(gamma, 1e-10)
        var best: (feature: Int, bin: Int, gain: Double)?
        for f in features {
            let start = bins.binOffsets[f], nb = bins.binCount(f)
            var left = SIMD2<Double>(0, 0)
            for b in 0..<(nb - 1) {
                left += h[start + b]
                if left.y < minChildWeight { continue }
                let right = totals - left
                if right.y < minChildWeight { break }
                let gain = left.x * left.x / (left.y + lambda) + right.x * right.x / (right.y + lambda) - parent
                if gain > bestGain {
                    bestGain = gain
                    best = (f, b, gain)
                }
            }
        }
        return best
    }
}
