/// Exact nearest-neighbour search that exploits two-valued columns (one-hot groups, flags).
///
/// Rows are grouped by their pattern over the two-valued columns. Between a query pattern and a
/// reference pattern, the two-valued columns contribute a constant — the weighted Hamming distance of
/// the patterns — so the squared distance is that constant plus the distance over the remaining
/// columns. Reference groups are visited in increasing order of that constant, and the visit stops
/// once the constant exceeds every query's current k-th distance. On NSL-KDD (84 one-hot columns, 38
/// numeric) this skips most pairs and computes the rest in 38 dimensions instead of 122. Results
/// are exact; ties are broken by reference index, as in the plain search.
extension NearestNeighbors {
    /// Which columns are two-valued in both matrices, with their values.
    struct BinaryLayout {
        var binary: [Int] = []
        var numeric: [Int] = []
        var low: [Float] = []
        var weight: [Float] = []
    }

    /// The two-valued columns of `reference` ∪ `queries`, or `nil` when there are too few to help.
    static func binaryLayout(_ reference: Matrix, _ queries: Matrix) -> BinaryLayout? {
        let d = reference.columns
        var first = [Float](repeating: .nan, count: d), second = [Float](repeating: .nan, count: d)
        var twoValued = [Bool](repeating: true, count: d)
        for m in [reference, queries] {
            m.withUnsafeBufferPointer { x in
                for r in 0..<m.rows {
                    for c in 0..<d where twoValued[c] {
                        let v = x[r * d + c]
                        if first[c].isNaN { first[c] = v } else if v != first[c] {
                            if second[c].isNaN { second[c] = v } else if v != second[c] { twoValued[c] = false }
                        }
                    }
                }
            }
        }
        var layout = BinaryLayout()
        for c in 0..<d {
            if twoValued[c] && !second[c].isNaN {
                layout.binary.append(c)
                layout.low.append(min(first[c], second[c]))
                let gap = first[c] - second[c]
                layout.weight.append(gap * gap)
            } else if twoValued[c] {
                continue // constant column: contributes nothing
            } else {
                layout.numeric.append(c)
            }
        }
        return layout.binary.count >= 8 ? layout : nil
    }

    /// Pattern ids of the rows of `m`, filling `ids` (shared between matrices) and `patterns`.
    static func patterns(of m: Matrix, _ layout: BinaryLayout, ids: inout [[UInt64]: Int], patterns: inout [[UInt64]]) -> [Int] {
        let d = m.columns, words = (layout.binary.count + 63) / 64
        var key = [UInt64](repeating: 0, count: words)
        return m.withUnsafeBufferPointer { x in
            (0..<m.rows).map { r in
                for w in 0..<words { key[w] = 0 }
                for (b, c) in layout.binary.enumerated() where x[r * d + c] != layout.low[b] {
                    key[b >> 6] |= 1 << UInt64(b & 63)
                }
                if let id = ids[key] { return id }
                ids[key] = patterns.count
                patterns.append(key)
                return patterns.count - 1
            }
        }
    }

    /// The blocked search, or `nil` when it would not pay off: fewer than 2,048 reference rows, fewer
    /// than 8 two-valued columns, or more than one distinct pattern per 16 reference rows.
    /// ``search(reference:queries:k:excluding:blocking:)`` calls it; inputs are assumed validated.
    /// - Parameters:
    ///   - reference: the rows searched.
    ///   - queries: the rows whose neighbours are wanted.
    ///   - k: neighbours per query (at most the reference rows available).
    ///   - exclusions: empty, or per query the reference row excluded from its neighbours.
    public static func searchBlocked(reference: Matrix, queries: Matrix, k: Int, exclusions: [Int32]) -> NeighborList? {
        guard reference.rows >= 2048, let layout = binaryLayout(reference, queries) else { return nil }
        var ids: [[UInt64]: Int] = [:], patterns: [[UInt64]] = []
        let refPattern = Self.patterns(of: reference, layout, ids: &ids, patterns: &patterns)
        let referencePatterns = patterns.count
        guard referencePatterns * 16 <= reference.rows else { return nil }
        let queryPattern = Self.patterns(of: queries, layout, ids: &ids, patterns: &patterns)
        let p = patterns.count
        // Rows of each pattern, contiguous in permuted numeric matrices.
        func grouped(_ pattern: [Int]) -> (order: [Int], starts: [Int]) {
            var counts = [Int](repeating: 0, count: p + 1)
            for g in pattern { counts[g + 1] += 1 }
            for g in 0..<p { counts[g + 1] += counts[g] }
            var next = counts, order = [Int](repeating: 0, count: pattern.count)
            for (r, g) in pattern.enumerated() { order[next[g]] = r; next[g] += 1 }
            return (order, counts)
        }
        let (refOrder, refStart) = grouped(refPattern)
        let (queryOrder, queryStart) = grouped(queryPattern)
        let rn = reference.selectColumns(layout.numeric).gatherRows(refOrder)
        let qn = queries.selectColumns(layout.numeric).gatherRows(queryOrder)
        let refNorms = rn.rowSquaredNorms(), queryNorms = qn.rowSquaredNorms()
        let refIndex = refOrder.map(Int32.init)
        let nq = queries.rows, dn = layout.numeric.count
        var bestD = [Float](repeating: .infinity, count: nq * k)
        var bestI = [Int32](repeating: Int32.max, count: nq * k)
        var tile = [Float](repeating: 0, count: queryTile * referenceTile)
        let uniformWeight = layout.weight.allSatisfy { $0 == layout.weight[0] } ? layout.weight[0] : nil

        func patternGap(_ a: Int, _ b: Int) -> Float {
            var total: Float = 0
            for w in 0..<patterns[a].count {
                var x = patterns[a][w] ^ patterns[b][w]
                if let u = uniformWeight { total += Float(x.nonzeroBitCount) * u; continue }
                while x != 0 {
                    let bit = x.trailingZeroBitCount
                    total += layout.weight[w * 64 + bit]
                    x &= x - 1
                }
            }
            return total
        }

        var gathered = [Float](repeating: 0, count: queryTile * max(dn, 1))
        rn.withUnsafeBufferPointer { rp in
            qn.withUnsafeBufferPointer { qp in
                tile.withUnsafeMutableBufferPointer { tp in
                    gathered.withUnsafeMutableBufferPointer { gp in
                        bestD.withUnsafeMutableBufferPointer { bdp in
                            bestI.withUnsafeMutableBufferPointer { bip in
                                let tileOut = SendableBuffer(tp), dOut = SendableBuffer(bdp), iOut = SendableBuffer(bip)
                                let nonEmpty = (0..<referencePatterns).filter { refStart[$0 + 1] > refStart[$0] }
                                for qg in 0..<p where queryStart[qg + 1] > queryStart[qg] {
                                    let qRange = queryStart[qg]..<queryStart[qg + 1]
                                    let order = nonEmpty.map { (patternGap(qg, $0), $0) }
                                        .sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                                    for (gap, rg) in order {
                                        // Queries whose k-th distance could still improve at this gap.
                                        let active = qRange.filter { bdp[queryOrder[$0] * k + k - 1] >= gap }
                                        if active.isEmpty { break }
                                        let contiguous = active.count == qRange.count
                                        let rRange = refStart[rg]..<refStart[rg + 1]
                                        var a0 = 0
                                        while a0 < active.count {
                                            let qb = min(queryTile, active.count - a0)
                                            let base: UnsafePointer<Float>
                                            if contiguous {
                                                base = qp.baseAddress! + active[a0] * dn
                                            } else {
                                                for i in 0..<qb {
                                                    (gp.baseAddress! + i * dn).update(from: qp.baseAddress! + active[a0 + i] * dn, count: dn)
                                                }
                                                base = UnsafePointer(gp.baseAddress!)
                                            }
                                            var r0 = rRange.lowerBound
                                            while r0 < rRange.upperBound {
                                                let rb = min(referenceTile, rRange.upperBound - r0)
                                                if dn > 0 {
                                                    GEMM.multiply(transposeA: .none, transposeB: .transposed, m: qb, n: rb, k: dn,
                                                                  alpha: -2, a: base, lda: dn,
                                                                  b: rp.baseAddress! + r0 * dn, ldb: dn, beta: 0,
                                                                  c: tp.baseAddress!, ldc: rb,
                                                                  backend: qb * rb * dn >= 1 << 18 ? .automatic : .swift)
                                                } else {
                                                    for i in 0..<(qb * rb) { tp[i] = 0 }
                                                }
                                                let rStart = r0, aStart = a0
                                                let body: @Sendable (Range<Int>) -> Void = { rows in
                                                    for i in rows {
                                                        let position = active[aStart + i], q = queryOrder[position]
                                                        selectTopK(tile: tileOut.baseAddress! + i * rb, count: rb, referenceStart: rStart,
                                                                   queryNorm: queryNorms[position], gap: gap, referenceNorms: refNorms,
                                                                   referenceIndex: refIndex,
                                                                   excluded: exclusions.isEmpty ? -1 : exclusions[q], k: k,
                                                                   bestD: dOut.baseAddress! + q * k, bestI: iOut.baseAddress! + q * k)
                                                    }
                                                }
                                                if qb * rb >= 1 << 14 { Parallel.forEachChunk(0..<qb, minimumChunk: 16, body) } else { body(0..<qb) }
                                                r0 += rb
                                            }
                                            a0 += qb
                                        }
                                    }
                                    WorkProgress.report("neighbour search (rows)", done: queryStart[qg + 1], of: queries.rows)
                                }
                            }
                        }
                    }
                }
            }
        }
        return NeighborList(k: k, indices: bestI, squaredDistances: bestD)
    }
}
