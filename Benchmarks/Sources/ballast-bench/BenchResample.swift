import BallastCore
import BallastLearn
import Foundation

/// `ballast-bench resample DIR METHOD [SEED] [OUT_PREFIX]`: one catalogue resampler on the prepared
/// KDDTrain+ (122 columns), default strategy (over-samplers: every class to the majority's count).
/// With `DIR` holding `X.f32` (+ `y.txt`) instead, reads that small matrix (`columns` from `X.cols`).
/// Writes the resampled matrix and labels to `OUT_PREFIX.f32` / `OUT_PREFIX.labels` when given.
func benchResample(_ arguments: [String]) throws {
    guard arguments.count >= 2 else { throw BenchError("usage: ballast-bench resample DIR METHOD [SEED] [OUT_PREFIX]") }
    let dir = arguments[0], method = arguments[1]
    let seed = arguments.count > 2 ? UInt64(arguments[2]) ?? 0 : 0
    let (matrix, labels) = try loadMatrix(dir)
    let classCount = (labels.max() ?? 0) + 1
    let data = LabeledMatrix(features: matrix, labels: labels, classNames: (0..<classCount).map { "class\($0)" })
    let resampler = try Catalog.resampler(method)
    let before = ProcessMemory.peakResidentBytes()
    var rng = Xoshiro256StarStar(seed: seed)
    var result: ResamplingResult?
    let t = try seconds { result = try resampler.fitResample(data, schema: nil, using: &rng) }
    guard let result else { throw BenchError("no result") }
    if arguments.count > 3 {
        let prefix = arguments[3]
        try result.data.features.storage.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: prefix + ".f32")) }
        try result.data.labels.map(String.init).joined(separator: "\n").write(toFile: prefix + ".labels", atomically: true, encoding: .utf8)
    }
    report(["benchmark": "resample", "method": method, "seconds": t, "rows_in": data.count, "rows_out": result.data.count,
            "counts": result.data.classCounts, "warnings": result.warnings.map(\.description),
            "peak_rss_bytes": ProcessMemory.peakResidentBytes(), "rss_before_bytes": before, "threads": Parallel.threadCount])
}

/// The prepared KDDTrain+ matrix, or a small `X.f32` + `X.cols` + `y.txt` matrix in `dir`.
func loadMatrix(_ dir: String) throws -> (Matrix, [Int]) {
    let colsPath = dir + "/X.cols"
    guard FileManager.default.fileExists(atPath: colsPath) else { return try loadPrepared(dir) }
    guard let columns = Int(try String(contentsOfFile: colsPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw BenchError("\(colsPath) does not hold a column count")
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/X.f32"))
    var values = [Float](repeating: 0, count: data.count / 4)
    _ = values.withUnsafeMutableBytes { data.copyBytes(to: $0) }
    let labels = try String(contentsOfFile: dir + "/y.txt", encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
    return (Matrix(rows: values.count / columns, columns: columns, values: values), labels)
}
