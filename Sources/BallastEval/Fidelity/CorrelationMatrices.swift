import BallastCore

/// The Pearson and Spearman correlation matrices of one sample's numeric columns, each pair as
/// SDMetrics' `CorrelationSimilarity` computes it (scipy's `pearsonr` / `spearmanr` over the rows
/// where neither value is missing; undefined, NaN, for a constant column).
///
/// Columns without missing values take the fast path: each is centred, scaled by its largest
/// deviation and normalized once, and all pairs come from one Gram matrix accumulated over blocks
/// of rows that stay in cache (in parallel, partial sums combined in block order). Pairs involving
/// a column with missing values are computed pair by pair.
struct CorrelationMatrices: Sendable {
    /// The numeric columns' indices in the sample, in order.
    let columns: [Int]
    /// Pearson correlations, `columns.count²` row-major; NaN where undefined.
    let pearson: [Double]
    /// Spearman correlations, same layout.
    let spearman: [Double]

    init(_ sample: ColumnSample, numeric: [Int]) {
        columns = numeric
        let m = numeric.count, n = sample.rows
        let hasMissing = numeric.map { sample.missing($0) > 0 }
        let ranks: [[Double]] = Parallel.mapChunks(0..<m, minimumChunk: 1, chunksPerThread: 64) { range in
            range.map { i in
                sample.values[numeric[i]].withUnsafeBufferPointer { Distribution.averageRanks($0, order: sample.order[numeric[i]]) }
            }
        }.flatMap { $0 }
        func complete(_ source: (Int) -> [Double]) -> [Double] {
            let pairs = Self.gram((0..<m).map { hasMissing[$0] ? [] : Self.normalized(source($0)) }, rows: n)
            var out = pairs
            for a in 0..<m {
                for b in 0..<m where hasMissing[a] || hasMissing[b] { out[a * m + b] = .nan }
                out[a * m + a] = out[a * m + a].isNaN ? .nan : 1
            }
            return out
        }
        var p = complete { sample.values[numeric[$0]] }
        var s = complete { ranks[$0] }
        for a in 0..<m {
            for b in a..<m where (hasMissing[a] || hasMissing[b]) && a != b {
                let x = sample.values[numeric[a]], y = sample.values[numeric[b]]
                p[a * m + b] = x.withUnsafeBufferPointer { xs in y.withUnsafeBufferPointer { Distribution.pearson(xs, $0) } }
                s[a * m + b] = Self.spearmanWithMissing(x, y)
                p[b * m + a] = p[a * m + b]
                s[b * m + a] = s[a * m + b]
            }
            if hasMissing[a] {
                let own = sample.values[numeric[a]]
                let defined = own.withUnsafeBufferPointer { Distribution.pearson($0, $0) }
                p[a * m + a] = defined.isNaN ? .nan : 1
                s[a * m + a] = p[a * m + a]
            }
        }
        pearson = p
        spearman = s
    }

    /// `x` centred and scaled to unit norm (scipy's `pearsonr` also divides by the largest deviation
    /// first, against overflow; the result is the same up to rounding); empty when `x` is constant
    /// or has fewer than two values.
    static func normalized(_ x: [Double]) -> [Double] {
        guard x.count >= 2 else { return [] }
        return x.withUnsafeBufferPointer { v in
            var sum = 0.0
            for e in v { sum += e }
            let mean = sum / Double(v.count)
            var squares = 0.0
            for e in v { squares += (e - mean) * (e - mean) }
            guard squares > 0, squares.isFinite else { return [] }
            let scale = 1 / squares.squareRoot()
            return [Double](unsafeUninitializedCapacity: v.count) { out, count in
                for i in 0..<v.count { out[i] = (v[i] - mean) * scale }
                count = v.count
            }
        }
    }

    /// All dot products of the vectors (`vectors.count²`, row-major), clipped to [−1, 1]; NaN for a
    /// pair involving an empty vector.
    static func gram(_ vectors: [[Double]], rows n: Int) -> [Double] {
        let m = vectors.count
        let usable = vectors.map { $0.count == n && n > 0 }
        let block = 2048
        let partials = Parallel.mapChunks(0..<((n + block - 1) / block), minimumChunk: 1, chunksPerThread: 4) { blocks in
            var sums = [Double](repeating: 0, count: m * m)
            for b in blocks {
                let lo = b * block, hi = min(n, lo + block)
                for a in 0..<m where usable[a] {
                    vectors[a].withUnsafeBufferPointer { x in
                        for c in a..<m where usable[c] {
                            sums[a * m + c] += vectors[c].withUnsafeBufferPointer { y in Self.dot(x, y, lo..<hi) }
                        }
                    }
                }
            }
            return sums
        }
        var out = [Double](repeating: .nan, count: m * m)
        for a in 0..<m where usable[a] {
            for c in a..<m where usable[c] {
                let total = partials.reduce(0.0) { $0 + $1[a * m + c] }
                out[a * m + c] = min(1, max(-1, total))
                out[c * m + a] = out[a * m + c]
            }
        }
        return out
    }

    /// The dot product of `x` and `y` over `range`, in two 4-lane vector accumulators.
    @inline(__always)
    static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, _ range: Range<Int>) -> Double {
        guard let px = x.baseAddress, let py = y.baseAddress else { return 0 }
        let rx = UnsafeRawPointer(px), ry = UnsafeRawPointer(py)
        var a0 = SIMD4<Double>(), a1 = SIMD4<Double>()
        var i = range.lowerBound
        let stride = MemoryLayout<Double>.stride
        while i + 8 <= range.upperBound {
            a0 += rx.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
                * ry.loadUnaligned(fromByteOffset: i * stride, as: SIMD4<Double>.self)
            a1 += rx.loadUnaligned(fromByteOffset: (i + 4) * stride, as: SIMD4<Double>.self)
                * ry.loadUnaligned(fromByteOffset: (i + 4) * stride, as: SIMD4<Double>.self)
            i += 8
        }
        var sum = (a0 + a1).sum()
        while i < range.upperBound {
            sum += x[i] * y[i]
            i += 1
        }
        return sum
    }

    /// Spearman's correlation over the rows where neither value is missing (ranks recomputed on
    /// those rows, as SDMetrics drops them before calling scipy's `spearmanr`).
    static func spearmanWithMissing(_ x: [Double], _ y: [Double]) -> Double {
        var xs: [Double] = [], ys: [Double] = []
        for i in x.indices where !x[i].isNaN && !y[i].isNaN {
            xs.append(x[i])
            ys.append(y[i])
        }
        let rx = xs.withUnsafeBufferPointer { Distribution.averageRanks($0, order: RadixSort.order($0)) }
        let ry = ys.withUnsafeBufferPointer { Distribution.averageRanks($0, order: RadixSort.order($0)) }
        return rx.withUnsafeBufferPointer { a in ry.withUnsafeBufferPointer { Distribution.pearson(a, $0) } }
    }
}
