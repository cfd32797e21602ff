import BallastCore
import BallastTestSupport
import Testing

/// Brute-force neighbours in Double, sorted by (distance, index).
private func bruteForce(_ reference: Matrix, _ queries: Matrix, k: Int, excluding: [Int]?) -> [[Int]] {
    (0..<queries.rows).map { q in
        var cands: [(Double, Int)] = []
        for r in 0..<reference.rows where excluding?[q] != r {
            var s = 0.0
            for j in 0..<reference.columns { let d = Double(queries[q, j]) - Double(reference[r, j]); s += d * d }
            cands.append((s, r))
        }
        cands.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return cands.prefix(k).map(\.1)
    }
}

@Suite("Nearest neighbours")
struct NearestNeighborsTests {
    @Test("Matches brute force across several distance tiles")
    func matchesBruteForce() throws {
        // 600 queries × 5000 reference rows crosses both tile sizes (512 × 4000).
        let reference = TestData.normalMatrix(rows: 5000, columns: 3, seed: 1)
        let queries = TestData.normalMatrix(rows: 600, columns: 3, seed: 2)
        let found = try NearestNeighbors.search(reference: reference, queries: queries, k: 4)
        let expected = bruteForce(reference, queries, k: 4, excluding: nil)
        var mismatches = 0
        for q in 0..<queries.rows where found.neighbors(of: q).map(Int.init) != expected[q] { mismatches += 1 }
        // Float rounding may swap two neighbours at (almost) equal distance; real errors show up in bulk.
        #expect(mismatches <= 2)
        let dists = found.squaredDistances(of: 0)
        #expect(zip(dists, dists.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("Duplicate rows tie and are ordered by index; a row is excluded from its own list")
    func tiesAndSelfExclusion() throws {
        let points = Matrix([[0, 0], [1, 1], [0, 0], [5, 5], [0, 0]])
        let within = try NearestNeighbors.searchWithin(points, k: 2)
        #expect(Array(within.neighbors(of: 0)) == [2, 4])
        #expect(Array(within.neighbors(of: 2)) == [0, 4])
        #expect(Array(within.neighbors(of: 4)) == [0, 2])
        #expect(Array(within.squaredDistances(of: 0)) == [0, 0])
        let all = try NearestNeighbors.searchWithin(points, k: 4)
        #expect(Array(all.neighbors(of: 3)) == [1, 0, 2, 4])
    }

    @Test("Queries that are reference rows exclude only themselves")
    func partialExclusion() throws {
        let reference = TestData.normalMatrix(rows: 200, columns: 5, seed: 3)
        let rows = [7, 50, 199]
        let queries = reference.gatherRows(rows)
        let found = try NearestNeighbors.search(reference: reference, queries: queries, k: 6, excluding: rows)
        let expected = bruteForce(reference, queries, k: 6, excluding: rows)
        for q in 0..<rows.count {
            #expect(found.neighbors(of: q).map(Int.init) == expected[q])
            #expect(!found.neighbors(of: q).contains(Int32(rows[q])))
        }
    }

    @Test("A one-row reference and an empty query set work")
    func tinyInputs() throws {
        let one = Matrix([[1, 2]])
        let found = try NearestNeighbors.search(reference: one, queries: Matrix([[0, 0], [3, 3]]), k: 1)
        #expect(found.indices == [0, 0])
        #expect(found.squaredDistances == [5, 5])
        let none = try NearestNeighbors.search(reference: one, queries: Matrix(rows: 0, columns: 2), k: 1)
        #expect(none.count == 0)
    }

    @Test("Invalid requests throw errors naming the numbers")
    func errors() {
        let m = Matrix([[0, 0], [1, 1], [2, 2]])
        #expect(throws: NeighborSearchError.invalidK(0)) { try NearestNeighbors.searchWithin(m, k: 0) }
        #expect(throws: NeighborSearchError.notEnoughRows(k: 3, available: 2)) { try NearestNeighbors.searchWithin(m, k: 3) }
        #expect(throws: NeighborSearchError.columnMismatch(reference: 2, queries: 3)) {
            try NearestNeighbors.search(reference: m, queries: Matrix([[1, 2, 3]]), k: 1)
        }
        var bad = m
        bad[1, 1] = .nan
        #expect(throws: NeighborSearchError.nonFinite(matrix: "reference", row: 1, column: 1)) {
            try NearestNeighbors.search(reference: bad, queries: m, k: 1)
        }
    }
}

/// The blocked search over two-valued columns gives the plain search's answer.
@Suite("Blocked nearest-neighbour search")
struct BlockedNeighborSearchTests {
    /// 6 Gaussian columns, then one-hot groups of 3, 10 and 5 columns and a 0/1 flag.
    static func mixed(rows: Int, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        var m = Matrix(rows: rows, columns: 25)
        for r in 0..<rows {
            for c in 0..<6 { m[r, c] = Float(rng.nextNormal()) * 0.4 }
            m[r, 6 + rng.nextInt(below: 3)] = 1
            m[r, 9 + min(rng.nextInt(below: 12), 9)] = 1
            m[r, 19 + rng.nextInt(below: 5)] = 1
            m[r, 24] = rng.nextUniform() < 0.3 ? 1 : 0
        }
        return m
    }

    @Test("same neighbour distances, and the same indices wherever distances are not tied", arguments: [1, 5])
    func agreesWithPlain(k: Int) throws {
        let reference = Self.mixed(rows: 5000, seed: 1)
        let queries = Matrix.vstack([Self.mixed(rows: 700, seed: 2), reference.gatherRows(Array(0..<300))])
        let exclusions = Array(repeating: 4999, count: 700) + Array(0..<300)
        let blocked = try NearestNeighbors.search(reference: reference, queries: queries, k: k, excluding: exclusions)
        let plain = try NearestNeighbors.search(reference: reference, queries: queries, k: k, excluding: exclusions, blocking: false)
        #expect(NearestNeighbors.searchBlocked(reference: reference, queries: queries, k: k, exclusions: []) != nil,
                "the test data must take the blocked path")
        var differentIndices = 0
        for q in 0..<queries.rows {
            let a = Array(blocked.squaredDistances(of: q)), b = Array(plain.squaredDistances(of: q))
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) }, "query \(q): \(a) vs \(b)")
            if Array(blocked.neighbors(of: q)) != Array(plain.neighbors(of: q)) {
                differentIndices += 1
                // Only near-ties may swap.
                let gaps = zip(b, b.dropFirst()).map { $1 - $0 }
                #expect(gaps.contains { $0 < 1e-4 } || a.last == b.last, "query \(q) differs without a tie")
            }
            #expect(!blocked.neighbors(of: q).contains(Int32(exclusions[q])))
        }
        #expect(differentIndices < queries.rows / 50)
    }
}
