import BallastCore
import BallastTestSupport
import Foundation
import Testing

/// Rows drawn around `clusters` random centres (spread 10) with unit noise: data with structure, as
/// a class of flow records has.
private func clustered(rows: Int, columns: Int, clusters: Int, seed: UInt64) -> Matrix {
    var rng = Xoshiro256StarStar(seed: seed)
    let centres = (0..<clusters).map { _ in (0..<columns).map { _ in Float(rng.nextNormal() * 10) } }
    return Matrix(rows: rows, columns: columns) { r, c in centres[r % clusters][c] + Float(rng.nextNormal()) }
}

/// Checks list `i` of `found`, the neighbours of row `q` of `points`: `k` distinct other rows,
/// sorted, at their true distances. Returns how many of them are in list `i` of `exact`.
private func checkList(_ found: NeighborList, _ i: Int, of q: Int, in points: Matrix, exact: NeighborList) -> Int {
    let list = found.neighbors(of: i).map(Int.init)
    #expect(list.allSatisfy { $0 >= 0 && $0 < points.rows && $0 != q }, "row \(q): \(list)")
    #expect(Set(list).count == found.k)
    let d = Array(found.squaredDistances(of: i))
    #expect(zip(d, d.dropFirst()).allSatisfy { $0 <= $1 })
    for (j, n) in list.enumerated() {
        var s: Float = 0
        for c in 0..<points.columns { let g = points[q, c] - points[n, c]; s += g * g }
        #expect(abs(s - d[j]) <= 1e-3 * max(1, s))
    }
    return Set(list).intersection(exact.neighbors(of: i).map(Int.init)).count
}

@Suite("Partitioned (bounded) nearest-neighbour search")
struct PartitionedNeighborsTests {
    @Test("At most partitionRows rows: the exact search, and the generator is not used")
    func smallIsExact() throws {
        let points = clustered(rows: 300, columns: 4, clusters: 5, seed: 1)
        var rng = Xoshiro256StarStar(seed: 9)
        let before = rng
        let found = try NearestNeighbors.searchWithinPartitioned(points, k: 5, partitionRows: 300, using: &rng)
        #expect(found == (try NearestNeighbors.searchWithin(points, k: 5)))
        #expect(rng == before)
    }

    @Test("Larger sets: real other rows at their true distances, sorted, seeded, and most true neighbours found")
    func approximate() throws {
        let points = clustered(rows: 6000, columns: 6, clusters: 40, seed: 2)
        let k = 5
        var rng = Xoshiro256StarStar(seed: 3)
        let found = try NearestNeighbors.searchWithinPartitioned(points, k: k, partitionRows: 400, using: &rng)
        var again = Xoshiro256StarStar(seed: 3)
        #expect(found == (try NearestNeighbors.searchWithinPartitioned(points, k: k, partitionRows: 400, using: &again)))
        let exact = try NearestNeighbors.searchWithin(points, k: k)
        let hits = (0..<points.rows).reduce(0) { $0 + checkList(found, $1, of: $1, in: points, exact: exact) }
        // Recall of the true neighbours (measured 0.9+ here; a broken partition falls far below).
        let recall = Double(hits) / Double(points.rows * k)
        #expect(recall >= 0.8, "recall \(recall)")
    }

    @Test("Identical rows (k-means cannot split them) are cut in row order; tiny parts search all rows")
    func identicalRows() throws {
        let points = Matrix(rows: 2000, columns: 3, repeating: 1)
        var rng = Xoshiro256StarStar(seed: 4)
        let found = try NearestNeighbors.searchWithinPartitioned(points, k: 3, partitionRows: 150, using: &rng)
        #expect(found.count == 2000)
        #expect(found.squaredDistances.allSatisfy { $0 == 0 })
        #expect((0..<2000).allSatisfy { q in found.neighbors(of: q).allSatisfy { Int($0) != q && $0 >= 0 } })
    }

    @Test("Queries among all rows: at most partitionRows of them is the exact search, rng untouched")
    func crossSmallIsExact() throws {
        let points = clustered(rows: 900, columns: 4, clusters: 5, seed: 11)
        let queries = Array(stride(from: 3, to: 900, by: 9))  // 100 rows
        var rng = Xoshiro256StarStar(seed: 12)
        let before = rng
        let found = try NearestNeighbors.searchPartitioned(reference: points, queryRows: queries, k: 4, partitionRows: 100, using: &rng)
        #expect(found == (try NearestNeighbors.search(reference: points, queries: points.gatherRows(queries), k: 4, excluding: queries)))
        #expect(rng == before)
    }

    @Test("Queries among all rows, partitioned: other rows at their true distances, seeded, most true neighbours")
    func crossApproximate() throws {
        let points = clustered(rows: 6000, columns: 6, clusters: 40, seed: 13)
        let queries = Array(stride(from: 1, to: 6000, by: 4))  // 1500 rows spread over every cluster
        let k = 5
        var rng = Xoshiro256StarStar(seed: 14), again = Xoshiro256StarStar(seed: 14)
        let found = try NearestNeighbors.searchPartitioned(reference: points, queryRows: queries, k: k, partitionRows: 400, using: &rng)
        #expect(found == (try NearestNeighbors.searchPartitioned(reference: points, queryRows: queries, k: k, partitionRows: 400,
                                                                 using: &again)))
        #expect(found.count == queries.count)
        let exact = try NearestNeighbors.search(reference: points, queries: points.gatherRows(queries), k: k, excluding: queries)
        let hits = queries.indices.reduce(0) { $0 + checkList(found, $1, of: queries[$1], in: points, exact: exact) }
        let recall = Double(hits) / Double(queries.count * k)
        #expect(recall >= 0.8, "recall \(recall)")
        #expect(throws: NeighborSearchError.invalidPartition(rows: 5, k: 5)) {
            try NearestNeighbors.searchPartitioned(reference: points, queryRows: queries, k: 5, partitionRows: 5, using: &rng)
        }
    }

    @Test("A part size not above k, k below 1, too few rows and NaN are refused")
    func invalid() throws {
        let points = clustered(rows: 50, columns: 2, clusters: 2, seed: 5)
        var rng = Xoshiro256StarStar(seed: 6)
        #expect(throws: NeighborSearchError.invalidPartition(rows: 5, k: 5)) {
            try NearestNeighbors.searchWithinPartitioned(points, k: 5, partitionRows: 5, using: &rng)
        }
        #expect(throws: NeighborSearchError.invalidK(0)) {
            try NearestNeighbors.searchWithinPartitioned(points, k: 0, partitionRows: 10, using: &rng)
        }
        var bad = points
        bad[7, 1] = .nan
        #expect(throws: NeighborSearchError.self) {
            try NearestNeighbors.searchWithinPartitioned(bad, k: 2, partitionRows: 10, using: &rng)
        }
    }
}

@Suite("WorkProgress")
struct WorkProgressTests {
    @Test("Reports reach the installed handler, labelled or silenced; nothing without a handler")
    func handler() throws {
        let seen = WorkProgressRecorder()
        WorkProgress.report("ignored", done: 1, of: 1)
        WorkProgress.reporting(to: { seen.add("\($0) \($1)/\($2)") }) {
            WorkProgress.report("rows", done: 1, of: 2)
            WorkProgress.labelled("class A") { WorkProgress.report("rows", done: 2, of: 2) }
            WorkProgress.silenced { WorkProgress.report("hidden", done: 1, of: 1) }
            let counter = WorkProgressCounter("trees", total: 4)
            Parallel.forEachChunk(0..<4, minimumChunk: 1) { range in for _ in range { counter.advance() } }
        }
        let lines = seen.lines
        #expect(Array(lines.prefix(2)) == ["rows 1/2", "class A: rows 2/2"])
        #expect(lines.dropFirst(2).sorted() == ["trees 1/4", "trees 2/4", "trees 3/4", "trees 4/4"])
    }

    @Test("The exact search reports the rows searched, up to all of them")
    func searchReports() throws {
        let seen = WorkProgressRecorder()
        let points = clustered(rows: 1200, columns: 3, clusters: 4, seed: 7)
        _ = try WorkProgress.reporting(to: { seen.add("\($0) \($1)/\($2)") }) {
            try NearestNeighbors.search(reference: points, queries: points, k: 2, blocking: false)
        }
        #expect(seen.lines.last == "neighbour search (rows) 1200/1200", "\(seen.lines)")
        #expect(seen.lines.count == 3)
    }
}

/// Collects progress lines from any thread.
private final class WorkProgressRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
