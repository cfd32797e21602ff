import BallastCore

/// The interpolation kernel shared by the SMOTE family (Chawla et al. 2002): a synthetic row is
/// `x_b + step · u · (x_n − x_b)` for a base row `x_b`, one of its neighbours `x_n` and `u ~ U[0, 1)`.
///
/// Draws are made sequentially from the caller's generator (so a seed fixes the output); the
/// arithmetic then runs in parallel chunks.
enum SMOTEEngine {
    /// Neighbours of the rows of one class among themselves, with `k` shrunk to what the class allows.
    struct ClassNeighbors {
        /// `nil` when the class has a single row (no neighbour exists).
        let list: NeighborList?
        /// The `k` actually used (0 for a single row).
        let k: Int
    }

    /// The `k` nearest other rows of each row of `points`, shrinking `k` to `points.rows - 1`.
    /// - Parameters:
    ///   - method: name for the warning.
    ///   - className: name for the warning.
    ///   - warnings: receives ``ResamplingWarning/neighborsReduced(method:className:requested:used:)``.
    static func neighbors(within points: Matrix, k: Int, method: String, className: String,
                          warnings: inout [ResamplingWarning]) throws -> ClassNeighbors {
        var unused = SplitMix64(seed: 0)
        return try neighbors(within: points, k: k, method: method, className: className, partitionRows: nil,
                             warnings: &warnings, using: &unused)
    }

    /// As ``neighbors(within:k:method:className:warnings:)``; with `partitionRows`, a class of more
    /// rows is searched in k-means parts (approximate, linear cost), drawing from a child of `rng`.
    /// Without it (or for a smaller class) `rng` is not touched, so exact runs keep their draws.
    static func neighbors(within points: Matrix, k: Int, method: String, className: String, partitionRows: Int?,
                          warnings: inout [ResamplingWarning], using rng: inout some RandomNumberGenerator) throws -> ClassNeighbors {
        let used = min(k, points.rows - 1)
        if used < k {
            warnings.append(.neighborsReduced(method: method, className: className, requested: k, used: max(used, 0)))
        }
        guard used >= 1 else { return ClassNeighbors(list: nil, k: 0) }
        if let partitionRows, points.rows > partitionRows {
            var child = Xoshiro256StarStar(seed: rng.next())
            return ClassNeighbors(list: try NearestNeighbors.searchWithinPartitioned(points, k: used, partitionRows: partitionRows,
                                                                                     using: &child), k: used)
        }
        return ClassNeighbors(list: try NearestNeighbors.searchWithin(points, k: used), k: used)
    }

    /// The `k` nearest other rows in `points` of its rows `rows`: exact, or with `partitionRows` and
    /// more than that many rows on both sides, bounded (approximate, linear cost), drawing from a
    /// child of `rng`. Without it (or for smaller searches) `rng` is not touched.
    static func neighbors(of rows: [Int], in points: Matrix, k: Int, partitionRows: Int?,
                          using rng: inout some RandomNumberGenerator) throws -> NeighborList {
        if let partitionRows, rows.count > partitionRows, points.rows > partitionRows {
            var child = Xoshiro256StarStar(seed: rng.next())
            return try NearestNeighbors.searchPartitioned(reference: points, queryRows: rows, k: k, partitionRows: partitionRows,
                                                          using: &child)
        }
        return try NearestNeighbors.search(reference: points, queries: points.gatherRows(rows), k: k, excluding: rows)
    }

    /// `count` synthetic rows, each from a uniformly drawn (base row, neighbour) pair.
    /// - Parameters:
    ///   - bases: the base rows (row `i` has neighbours `neighbors.neighbors(of: i)`).
    ///   - pool: the rows neighbour indices point into.
    ///   - neighbors: neighbour lists of the bases, indices into `pool`.
    ///   - count: rows to make.
    ///   - step: 1 interpolates; a negative value extrapolates away from the neighbour (SVM-SMOTE).
    ///   - shortened: when given, a neighbour with `shortened[n]` gets its gap multiplied by
    ///     `U[0, 0.5)` (Borderline-SMOTE 2's neighbours of another class).
    static func interpolate(bases: Matrix, pool: Matrix, neighbors: NeighborList, count: Int, step: Float = 1,
                            shortened: [Bool]? = nil, using rng: inout some RandomNumberGenerator) -> Matrix {
        let k = neighbors.k
        var base = [Int32](repeating: 0, count: count), other = [Int32](repeating: 0, count: count)
        var gaps = [Float](repeating: 0, count: count)
        for s in 0..<count {
            let pick = rng.nextInt(below: bases.rows * k)
            base[s] = Int32(pick / k)
            other[s] = neighbors.indices[pick]
            gaps[s] = step * rng.nextUniformFloat()
        }
        if let shortened {
            for s in 0..<count where shortened[Int(other[s])] { gaps[s] *= 0.5 * rng.nextUniformFloat() }
        }
        return combine(bases: bases, base: base, pool: pool, other: other, gaps: gaps)
    }

    /// `perBase[i]` synthetic rows from base row `i` each, with uniformly drawn neighbours (ADASYN).
    static func interpolate(bases: Matrix, pool: Matrix, neighbors: NeighborList, perBase: [Int],
                            using rng: inout some RandomNumberGenerator) -> Matrix {
        let k = neighbors.k
        let count = perBase.reduce(0, +)
        var base = [Int32](), other = [Int32](), gaps = [Float]()
        base.reserveCapacity(count); other.reserveCapacity(count); gaps.reserveCapacity(count)
        for (i, n) in perBase.enumerated() {
            for _ in 0..<n {
                base.append(Int32(i))
                other.append(neighbors.indices[i * k + rng.nextInt(below: k)])
                gaps.append(rng.nextUniformFloat())
            }
        }
        return combine(bases: bases, base: base, pool: pool, other: other, gaps: gaps)
    }

    /// Rows `bases[base[s]] + gaps[s] · (pool[other[s]] − bases[base[s]])`.
    static func combine(bases: Matrix, base: [Int32], pool: Matrix, other: [Int32], gaps: [Float]) -> Matrix {
        let cols = bases.columns, count = base.count
        var out = Matrix(rows: count, columns: cols)
        guard count > 0, cols > 0 else { return out }
        out.withUnsafeMutableBufferPointer { o in
            let dst = SendableBuffer(o)
            bases.withUnsafeBufferPointer { b in
                pool.withUnsafeBufferPointer { p in
                    let bp = SendableReadBuffer(b), pp = SendableReadBuffer(p)
                    base.withUnsafeBufferPointer { bi in
                        other.withUnsafeBufferPointer { oi in
                            gaps.withUnsafeBufferPointer { gp in
                                let bi = SendableReadBuffer(bi), oi = SendableReadBuffer(oi), gp = SendableReadBuffer(gp)
                                Parallel.forEachChunk(0..<count, minimumChunk: 4096) { range in
                                    for s in range {
                                        let x = bp.buffer.baseAddress! + Int(bi.buffer[s]) * cols
                                        let y = pp.buffer.baseAddress! + Int(oi.buffer[s]) * cols
                                        let g = gp.buffer[s], t = dst.buffer.baseAddress! + s * cols
                                        for c in 0..<cols { t[c] = x[c] + g * (y[c] - x[c]) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `copies` duplicates of the rows of `bases`, drawn uniformly (the single-row fallback).
    static func duplicate(_ bases: Matrix, copies: Int, using rng: inout some RandomNumberGenerator) -> Matrix {
        bases.gatherRows((0..<copies).map { _ in rng.nextInt(below: bases.rows) })
    }
}
