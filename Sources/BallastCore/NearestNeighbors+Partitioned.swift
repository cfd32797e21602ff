extension NearestNeighbors {
    /// Rows of the k-means sample drawn per part when ``searchWithinPartitioned(_:k:partitionRows:using:)``
    /// splits a set (at least 20,000 rows in all, or every row when there are fewer).
    public static let partitionSamplePerPart = 32

    /// Approximate `k` nearest other rows of every row of `points`, with a cost bounded by
    /// `partitionRows`: the rows are split into parts of about `partitionRows` rows by k-means and
    /// each part is searched exactly on its own.
    ///
    /// With at most `partitionRows` rows this is ``searchWithin(_:k:)`` (exact). Otherwise
    /// ⌈n / partitionRows⌉ centres are fitted by k-means (k-means++ seeding, 8 iterations) on a random
    /// sample of about ``partitionSamplePerPart`` rows per part, every row goes to its nearest centre,
    /// and the rows of each part are searched among themselves. A part larger than 2 × `partitionRows`
    /// is split again the same way; a part that k-means cannot split (identical rows) is cut in row
    /// order; the rows of a part with `k` rows or fewer are searched exactly against all the rows. So
    /// the distance work is at most about 2 × `partitionRows` × n × columns instead of n² × columns:
    /// linear in n.
    ///
    /// A neighbour found is always another row of `points`, and its distance is exact; what can be
    /// missed is a true neighbour that fell in another part (near the border between two parts).
    ///
    /// - Parameters:
    ///   - points: the rows.
    ///   - k: neighbours per row, at most `points.rows - 1`.
    ///   - partitionRows: the part size, greater than `k`.
    ///   - rng: draws the k-means sample and seeds (used only when the rows are split).
    /// - Throws: ``NeighborSearchError`` as ``searchWithin(_:k:)``, and
    ///   ``NeighborSearchError/invalidPartition(rows:k:)`` when `partitionRows <= k`.
    public static func searchWithinPartitioned(_ points: Matrix, k: Int, partitionRows: Int,
                                               using rng: inout some RandomNumberGenerator) throws -> NeighborList {
        guard k >= 1 else { throw NeighborSearchError.invalidK(k) }
        guard partitionRows > k else { throw NeighborSearchError.invalidPartition(rows: partitionRows, k: k) }
        let n = points.rows
        guard n > partitionRows else { return try searchWithin(points, k: k) }
        guard k <= n - 1 else { throw NeighborSearchError.notEnoughRows(k: k, available: n - 1) }
        if let (r, c) = points.firstNonFinite() { throw NeighborSearchError.nonFinite(matrix: "reference", row: r, column: c) }

        var indices = [Int32](repeating: -1, count: n * k)
        var distances = [Float](repeating: .infinity, count: n * k)
        var small: [Int] = []
        let parts = try WorkProgress.silenced { try partition(points, rows: Array(0..<n), partitionRows: partitionRows, using: &rng) }
        var searched = 0
        for part in parts {
            searched += part.count
            guard part.count > k else { small.append(contentsOf: part); continue }
            let found = try WorkProgress.silenced { try searchWithin(points.gatherRows(part), k: k) }
            WorkProgress.report("partitioned neighbour search (rows)", done: searched, of: n)
            for (local, row) in part.enumerated() {
                place(found, local, at: row, indices: &indices, distances: &distances) { part[$0] }
            }
        }
        if !small.isEmpty {
            let found = try search(reference: points, queries: points.gatherRows(small), k: k, excluding: small)
            for (local, row) in small.enumerated() {
                place(found, local, at: row, indices: &indices, distances: &distances) { $0 }
            }
        }
        return NeighborList(k: k, indices: indices, squaredDistances: distances)
    }

    /// Approximate `k` nearest other rows in `reference` of each of its rows `queryRows` (a row is
    /// never its own neighbour), with a cost bounded by `partitionRows`: the neighbour search of
    /// ADASYN and Borderline-SMOTE, whose queries (one class) search all the data.
    ///
    /// With at most `partitionRows` queries, or reference rows, this is ``search(reference:queries:k:excluding:blocking:)``
    /// (exact). Otherwise all reference rows are split into k-means parts as in
    /// ``searchWithinPartitioned(_:k:partitionRows:using:)`` and each query is searched exactly among
    /// the rows of its own part; a query whose part has `k` rows or fewer is searched against all
    /// rows. The search's distance work is then at most about 2 × `partitionRows` × (queries) ×
    /// columns, linear in the rows; assigning every reference row to one of n / `partitionRows`
    /// parts adds n² / `partitionRows` × columns, a `partitionRows`-th of an exact search over all
    /// rows (measured × 7.9–8.2 in CPU from 1M to 5M rows, against about × 25 exact). A neighbour
    /// found is always another reference row at its exact distance.
    ///
    /// - Parameters:
    ///   - reference: all the rows.
    ///   - queryRows: the rows (indices into `reference`, distinct) whose neighbours are wanted.
    ///   - k: neighbours per query, at most `reference.rows - 1`.
    ///   - partitionRows: the part size, greater than `k`.
    ///   - rng: draws the k-means sample and seeds (used only when the rows are split).
    /// - Returns: neighbour lists in the order of `queryRows`, indices into `reference`.
    /// - Throws: ``NeighborSearchError`` as the exact search, and
    ///   ``NeighborSearchError/invalidPartition(rows:k:)`` when `partitionRows <= k`.
    public static func searchPartitioned(reference: Matrix, queryRows: [Int], k: Int, partitionRows: Int,
                                         using rng: inout some RandomNumberGenerator) throws -> NeighborList {
        guard k >= 1 else { throw NeighborSearchError.invalidK(k) }
        guard partitionRows > k else { throw NeighborSearchError.invalidPartition(rows: partitionRows, k: k) }
        let n = reference.rows
        precondition(queryRows.allSatisfy { (0..<n).contains($0) }, "searchPartitioned: a query row is outside the reference")
        guard queryRows.count > partitionRows && n > partitionRows else {
            return try search(reference: reference, queries: reference.gatherRows(queryRows), k: k, excluding: queryRows)
        }
        guard k <= n - 1 else { throw NeighborSearchError.notEnoughRows(k: k, available: n - 1) }
        if let (r, c) = reference.firstNonFinite() { throw NeighborSearchError.nonFinite(matrix: "reference", row: r, column: c) }

        // Where each query's list goes (-1: not a query).
        var slot = [Int](repeating: -1, count: n)
        for (q, row) in queryRows.enumerated() { slot[row] = q }
        var indices = [Int32](repeating: -1, count: queryRows.count * k)
        var distances = [Float](repeating: .infinity, count: queryRows.count * k)
        var small: [Int] = []
        let parts = try WorkProgress.silenced { try partition(reference, rows: Array(0..<n), partitionRows: partitionRows, using: &rng) }
        var searched = 0
        for part in parts {
            searched += part.count
            let local = part.indices.filter { slot[part[$0]] >= 0 }
            guard !local.isEmpty else { continue }
            guard part.count > k else { small.append(contentsOf: local.map { part[$0] }); continue }
            let found = try WorkProgress.silenced {
                try search(reference: reference.gatherRows(part), queries: reference.gatherRows(local.map { part[$0] }), k: k,
                           excluding: local)
            }
            WorkProgress.report("partitioned neighbour search (rows)", done: searched, of: n)
            for (i, position) in local.enumerated() {
                place(found, i, at: slot[part[position]], indices: &indices, distances: &distances) { part[$0] }
            }
        }
        if !small.isEmpty {
            let found = try search(reference: reference, queries: reference.gatherRows(small), k: k, excluding: small)
            for (i, row) in small.enumerated() {
                place(found, i, at: slot[row], indices: &indices, distances: &distances) { $0 }
            }
        }
        return NeighborList(k: k, indices: indices, squaredDistances: distances)
    }

    /// Writes list `i` of `found` as list `slot` of the result, its indices mapped by `row`.
    @inline(__always)
    private static func place(_ found: NeighborList, _ i: Int, at slot: Int, indices: inout [Int32], distances: inout [Float],
                              row: (Int) -> Int) {
        let k = found.k
        for j in 0..<k {
            indices[slot * k + j] = Int32(row(Int(found.indices[i * k + j])))
            distances[slot * k + j] = found.squaredDistances[i * k + j]
        }
    }

    /// Splits `rows` (indices into `points`) into parts of at most 2 × `partitionRows` rows.
    private static func partition(_ points: Matrix, rows: [Int], partitionRows: Int,
                                  using rng: inout some RandomNumberGenerator) throws -> [[Int]] {
        guard rows.count > 2 * partitionRows else { return [rows] }
        let parts = (rows.count + partitionRows - 1) / partitionRows
        let sampleSize = min(rows.count, max(20_000, parts * partitionSamplePerPart))
        let sample = rng.sampleWithoutReplacement(from: rows.count, count: sampleSize).map { rows[$0] }
        let model = try KMeans(clusterCount: parts, maxIterations: 8).fit(points.gatherRows(sample), using: &rng)
        let labels = try model.predict(points.gatherRows(rows))
        var groups = Array(repeating: [Int](), count: parts)
        for (i, label) in labels.enumerated() { groups[label].append(rows[i]) }
        var result: [[Int]] = []
        for group in groups where !group.isEmpty {
            if group.count == rows.count {
                // k-means did not split these rows (e.g. all identical): cut them in row order.
                result.append(contentsOf: stride(from: 0, to: group.count, by: partitionRows).map {
                    Array(group[$0..<min($0 + partitionRows, group.count)])
                })
            } else {
                result.append(contentsOf: try partition(points, rows: group, partitionRows: partitionRows, using: &rng))
            }
        }
        return result
    }
}
