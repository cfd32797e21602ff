import BallastCore

/// `ballast-bench kmeans DIR [K] [REPEATS] [SEED]`: k-means on the Normal rows of the prepared
/// KDDTrain+ (one initialisation, as scikit-learn's `n_init=1`).
func benchKMeans(_ arguments: [String]) throws {
    guard let dir = arguments.first else { throw BenchError("usage: ballast-bench kmeans DIR [K] [REPEATS] [SEED]") }
    let k = arguments.count > 1 ? Int(arguments[1]) ?? 40 : 40
    let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
    let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 0 : 0
    let (matrix, labels) = try loadPrepared(dir)
    let normal = matrix.gatherRows(labels.indices.filter { labels[$0] == 0 })
    var best = Double.infinity
    var model: KMeansModel?
    for r in 0..<max(1, repeats) {
        var rng = Xoshiro256StarStar(seed: seed &+ UInt64(r))
        let t = try seconds { model = try KMeans(clusterCount: k).fit(normal, using: &rng) }
        best = min(best, t)
    }
    report(["benchmark": "kmeans", "seconds": best, "rows": normal.rows, "k": k,
            "inertia": model?.inertia ?? 0, "iterations": model?.iterations ?? 0,
            "peak_rss_bytes": ProcessMemory.peakResidentBytes()])
}
