import BallastCore
import BallastData
import Foundation

/// `ballast-bench knn-recall FILE PARTITION [K] [SEED]`: SMOTE's neighbour search on an NSL-KDD-format
/// file, exact against partitioned (`smote:knn-partition=PARTITION`), class by class. The file is
/// preprocessed as `ballast balance` does (one-hot, log1p, z-score); for every class larger than
/// PARTITION rows it reports the seconds of both searches and the recall of the partitioned search:
/// the share of each row's K exact neighbours that it found, and the share of its neighbours whose
/// distance is no larger than the exact K-th distance (ties make the first share understate
/// quality on data with many identical rows).
func benchKNNRecall(_ arguments: [String]) throws {
    guard arguments.count >= 2, let partition = Int(arguments[1]), partition > 1 else {
        throw BenchError("usage: ballast-bench knn-recall FILE PARTITION [K] [SEED]")
    }
    let k = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
    let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 1 : 1
    let data = try NSLKDD.load(path: arguments[0])
    let fitted = try Preprocessor().fit(data.features)
    let matrix = try data.labeledMatrix(using: fitted)
    for (c, name) in data.classNames.enumerated() {
        let rows = matrix.labels.indices.filter { matrix.labels[$0] == c }
        guard rows.count > partition, rows.count > k else { continue }
        let members = matrix.features.gatherRows(rows)
        var exact: NeighborList?, bounded: NeighborList?
        let tExact = try seconds { exact = try NearestNeighbors.searchWithin(members, k: k) }
        var rng = Xoshiro256StarStar(seed: seed)
        let tBounded = try seconds {
            bounded = try NearestNeighbors.searchWithinPartitioned(members, k: k, partitionRows: partition, using: &rng)
        }
        guard let exact, let bounded else { throw BenchError("no result") }
        var sameIndex = 0, withinRadius = 0
        for q in 0..<members.rows {
            let truth = Set(exact.neighbors(of: q))
            let radius = exact.squaredDistances(of: q).last ?? 0
            for (n, d) in zip(bounded.neighbors(of: q), bounded.squaredDistances(of: q)) {
                if truth.contains(n) { sameIndex += 1 }
                if d <= radius * (1 + 1e-5) + 1e-6 { withinRadius += 1 }
            }
        }
        let total = Double(members.rows * k)
        report(["benchmark": "knn-recall", "class": name, "rows": members.rows, "k": k, "partition": partition,
                "exact_seconds": tExact, "partitioned_seconds": tBounded,
                "recall_same_rows": Double(sameIndex) / total, "recall_within_exact_radius": Double(withinRadius) / total,
                "threads": Parallel.threadCount])
    }
}
