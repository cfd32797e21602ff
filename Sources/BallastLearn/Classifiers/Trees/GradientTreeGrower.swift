import BallastCore

/// Grows one regression tree on gradient and hessian statistics, XGBoost's second-order way
/// (Chen & Guestrin 2016), on histogram-binned features.
///
/// A node with gradient sum `G` and hessian sum `H` has the leaf value `−G / (H + λ)`; a split is
/// kept when `G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) > γ` and both children keep a hessian sum of
/// at least `minChildWeight`. Histograms hold `(G, H)` per bin; the larger child's is the parent's
/// minus the smaller one's.
struct GradientTreeGrower: Sendable {
    let bins: FeatureBins
    let maxDepth: Int
    let lambda: Double
    let gamma: Double
    let minChildWeight: Double
    /// Multiplies every leaf value (the learning rate).
    let shrinkage: Double

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
        let root = acquire()
        let totals = build(UnsafeBufferPointer(rows)[...], gradients, into: root)

        func node(_ range: Range<Int>, _ depth: Int, _ h: UnsafeMutablePointer<SIMD2<Double>>, _ t: SIMD2<Double>) -> Int {
            let value = Float(-t.x / (t.y + lambda) * shrinkage)
            let index = [value].withUnsafeBufferPointer { tree.appendNode(values: $0) }
            guard depth < maxDepth, range.count >= 2, let best = bestSplit(h, totals: t, features: features) else {
                pool.append(h)
                for i in range { leafValues[Int(rows[i])] = value }
                return index
            }
            let n = bins.rows
            var leftCount = 0
            bins.codes.withUnsafeBufferPointer { codes in
                let column = codes.baseAddress! + best.feature * n
                var l = range.lowerBound, r = 0
                for i in range {
                    let row = rows[i]
                    if Int(column[Int(row)]) <= best.bin { rows[l] = row; l += 1 } else { scratch[r] = row; r += 1 }
                }
                for j in 0..<r { rows[l + j] = scratch[j] }
                leftCount = l - range.lowerBound
            }
            let leftRange = range.lowerBound..<(range.lowerBound + leftCount)
            let rightRange = leftRange.upperBound..<range.upperBound
            let smallIsLeft = leftRange.count <= rightRange.count
            let small = acquire()
            let smallTotals: SIMD2<Double>
            if depth + 1 < maxDepth {
                smallTotals = build(UnsafeBufferPointer(rows)[smallIsLeft ? leftRange : rightRange], gradients, into: small)
                for i in 0..<size { h[i] -= small[i] }
            } else {
                // Children at the depth limit are leaves: only their sums are needed.
                var s = SIMD2<Double>(0, 0)
                for i in (smallIsLeft ? leftRange : rightRange) { s += gradients[Int(rows[i])] }
                smallTotals = s
            }
            let largeTotals = t - smallTotals
            tree.feature[index] = Int32(best.feature)
            tree.threshold[index] = bins.thresholds[best.feature][best.bin]
            let l = node(leftRange, depth + 1, smallIsLeft ? small : h, smallIsLeft ? smallTotals : largeTotals)
            let r = node(rightRange, depth + 1, smallIsLeft ? h : small, smallIsLeft ? largeTotals : smallTotals)
            tree.left[index] = Int32(l)
            tree.right[index] = Int32(r)
            return index
        }
        _ = node(0..<rows.count, 0, root, totals)
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
                           features: [Int]) -> (feature: Int, bin: Int)? {
        let parent = totals.x * totals.x / (totals.y + lambda)
        var bestGain = max(gamma, 1e-10)
        var best: (feature: Int, bin: Int)?
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
                    best = (f, b)
                }
            }
        }
        return best
    }
}
