import BallastCore

/// Grows one CART classification tree (shared by ``DecisionTreeClassifier`` and
/// ``RandomForestClassifier``) on binned features — exactly, one bin per distinct value, unless a
/// bin limit was set.
///
/// Depth-first. At each node the candidate features are drawn at random, as scikit-learn's splitter
/// does: features found constant in the node do not count towards the `featuresPerSplit` visited,
/// and stay known as constant in the node's subtree. A feature is searched either
///  - from the node's all-feature histogram (weighted count of every class and the row count per
///    bin), when the data has few enough bins in total and the node is large: only the smaller
///    child's histogram is built from its rows, the larger one is the parent's minus it; or
///  - from the node's own rows: a per-feature histogram when the feature has few bins for the
///    node's size, otherwise the rows sorted by bin (radix sort).
/// All three visit the same candidate splits in the same order, so they choose the same split.
/// A node's codes of a feature are read from column-major codes when the node holds at least
/// 1/``columnMajorDensity`` of the rows, from ``RowMajorCodes`` otherwise (deep nodes: their rows'
/// codes of every feature then share the cache lines the first candidate brought in).
/// A split between a bin and the next one holding rows of the node gets the threshold halfway
/// between the two neighbouring values, as in scikit-learn — or, through ``SplitPlacement``, at the
/// image of their raw midpoint when the column went through `log1p`.
struct ClassificationTreeGrower {
    let bins: FeatureBins<UInt32>
    /// The same codes row by row, read for nodes holding few of the rows.
    let rowCodes: RowMajorCodes
    /// Label per training row.
    let labels: [Int32]
    let classCount: Int
    let criterion: DecisionTreeClassifier.Criterion
    let maxDepth: Int
    let minSamplesSplit: Int
    let minSamplesLeaf: Int
    /// Candidate features per split (`bins.columns` for all).
    let featuresPerSplit: Int
    /// Where a chosen split's threshold lies between the node's neighbouring values.
    let placement: SplitPlacement
    /// Whether large histograms are built on all threads (false inside a forest, which is parallel
    /// over trees).
    let parallel: Bool

    /// Doubles per bin: one weighted count per class, then the row count.
    var slots: Int { classCount + 1 }

    /// A node holding at least 1/`columnMajorDensity` of the training rows reads column-major codes.
    static let columnMajorDensity = 8

    /// The largest all-feature histogram (in doubles) worth building; data with more bins in total
    /// is split from the nodes' rows only.
    static let histogramBudget = 1 << 21

    /// The binning for a grower of `classCount` classes: exact unless `maxBins` is given; the sparse
    /// rows that histograms need only when their histograms fit ``histogramBudget``.
    static func bins(_ features: Matrix, maxBins: Int?, classCount: Int) -> FeatureBins<UInt32> {
        FeatureBins<UInt32>(features, maxBins: maxBins ?? Int.max, sparseRowsUpTo: histogramBudget / (classCount + 1))
    }

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
        var state = GrowState(grower: self, weights: weights, rowCount: rows.count)
        defer { state.release() }
        var totals = [Double](repeating: 0, count: slots)
        var rootHistogram: UnsafeMutablePointer<Double>?
        rows.withUnsafeBufferPointer { rowBuffer in
            if state.useHistograms && rowBuffer.count > state.smallNodeRows {
                let h = state.acquire()
                state.buildHistogram(rowBuffer[...], into: h, totals: &totals)
                rootHistogram = h
            } else {
                state.nodeTotals(rowBuffer, into: &totals)
            }
        }
        var tree = FlatTree(valueWidth: classCount, featureCount: bins.columns)
        var importances = [Double](repeating: 0, count: bins.columns)
        var scratch = [Int32](repeating: 0, count: rows.count)
        let constant = (0..<bins.columns).map { bins.binCount($0) < 2 }
        rows.withUnsafeMutableBufferPointer { rowBuffer in
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                _ = state.split(rows: rowBuffer, scratch: scratchBuffer, range: 0..<rowBuffer.count, depth: 0,
                                histogram: rootHistogram, totals: totals, constant: constant, tree: &tree,
                                importances: &importances, rng: &rng)
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

/// A chosen split: rows whose bin of `feature` is ≤ `bin` go left; `upper` is the next bin holding
/// rows of the node.
struct TreeSplit {
    var feature: Int
    var bin: Int
    var upper: Int
}

/// Scores splits while bins are added to the left side in increasing order.
struct SplitScan {
    let totals: [Double]
    let classCount: Int
    let weight: Double
    let count: Double
    let minLeaf: Double
    let entropy: Bool
    var bestScore = -Double.infinity
    var best: TreeSplit?

    init(totals: [Double], classCount k: Int, minLeaf: Int, entropy: Bool) {
        self.totals = totals
        self.classCount = k
        self.weight = totals[0..<k].reduce(0, +)
        self.count = totals[k]
        self.minLeaf = Double(minLeaf)
        self.entropy = entropy
    }

    /// Considers the split whose left side has class weights `left[0..<k]` and `left[k]` rows;
    /// returns `false` when no later bin can satisfy the leaf-size limit.
    @inline(__always)
    mutating func consider(_ left: UnsafePointer<Double>, feature: Int, bin: Int, upper: Int) -> Bool {
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
            best = TreeSplit(feature: feature, bin: bin, upper: upper)
        }
        return true
    }

    /// Considers a Gini split from running sums: `wl` and `rows` the left side's weight and row
    /// count, `sl` and `sr` the sums of squared class weights on each side (as ``consider(_:feature:bin:upper:)``).
    @inline(__always)
    mutating func considerGini(wl: Double, rows: Double, sl: Double, sr: Double, feature: Int, bin: Int, upper: Int) -> Bool {
        if rows < minLeaf { return true }
        if count - rows < minLeaf { return false }
        let wr = weight - wl
        if wl <= weight * 1e-12 || wr <= weight * 1e-12 { return true }
        let score = sl / wl + sr / wr
        if best == nil || score > bestScore + 1e-12 * abs(bestScore) {
            bestScore = score
            best = TreeSplit(feature: feature, bin: bin, upper: upper)
        }
        return true
    }

    /// The best split, unless it does not lower the impurity.
    func result() -> TreeSplit? {
        guard let best else { return nil }
        var parent = 0.0
        for c in 0..<classCount where totals[c] > 0 {
            parent += entropy ? totals[c] * log(totals[c] / weight) : totals[c] * totals[c] / weight
        }
        return bestScore >= parent - 1e-12 * abs(parent) ? best : nil
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
