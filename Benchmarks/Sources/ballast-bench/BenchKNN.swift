import BallastCore
import Foundation

/// Reads the float32 matrix and labels written by `Benchmarks/prepare_kdd.py`.
func loadPrepared(_ directory: String, columns: Int = 122) throws -> (Matrix, [Int]) {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/kdd_train_122.f32"))
    let count = data.count / 4
    guard count % columns == 0 else { throw BenchError("kdd_train_122.f32 does not hold rows of \(columns) floats") }
    var values = [Float](repeating: 0, count: count)
    _ = values.withUnsafeMutableBytes { data.copyBytes(to: $0) }
    let labels = try String(contentsOfFile: directory + "/kdd_train_labels.txt", encoding: .utf8)
        .split(separator: "\n").compactMap { Int($0) }
    return (Matrix(rows: count / columns, columns: columns, values: values), labels)
}

/// `ballast-bench knn DIR [REPEATS] [OUT]`: k = 5 neighbours of the R2L rows among all rows of the
/// prepared KDDTrain+ (the query rows are in the reference set, as in scikit-learn's `kneighbors`).
func benchKNN(_ arguments: [String]) throws {
    guard let dir = arguments.first else { throw BenchError("usage: ballast-bench knn DIR [REPEATS] [OUT]") }
    let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 3 : 3
    let (matrix, labels) = try loadPrepared(dir)
    let queries = matrix.gatherRows(labels.indices.filter { labels[$0] == 3 })
    let baseline = ProcessMemory.peakResidentBytes()
    var best = Double.infinity
    var result: NeighborList?
    for _ in 0..<max(1, repeats) {
        let t = try seconds { result = try NearestNeighbors.search(reference: matrix, queries: queries, k: 5) }
        best = min(best, t)
    }
    if arguments.count > 2, let result {
        let lines = (0..<result.count).map { q in result.neighbors(of: q).map(String.init).joined(separator: " ") }
        try lines.joined(separator: "\n").write(toFile: arguments[2], atomically: true, encoding: .utf8)
    }
    report(["benchmark": "knn", "seconds": best, "queries": queries.rows, "reference": matrix.rows,
            "peak_rss_bytes": ProcessMemory.peakResidentBytes(), "rss_before_search_bytes": baseline])
}
