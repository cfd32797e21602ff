import BallastCore
import BallastLearn
import Foundation

/// `ballast-bench sample [--methods realnvp,ae-flow,...] [--rows 100000] [--class 4] [--seed 0]`:
/// the time a fitted generator takes to generate rows of one class (the bar: 100,000 rows
/// in under a second).
///
/// Each generator is fitted for one epoch (its sampling cost does not depend on training) on the
/// rows of one class of the benchmark matrix (`Benchmarks/results/kdd_train_122.f32`, class 4 =
/// U2R), with a schema inferred from them; then `sample` is timed. One JSON line per method.
func benchSampling(_ arguments: [String]) throws {
    var options = ["--methods": "realnvp,ae-flow,vae", "--rows": "100000", "--class": "4", "--seed": "0"]
    var i = 0
    while i + 1 < arguments.count {
        options[arguments[i]] = arguments[i + 1]
        i += 2
    }
    guard let rows = Int(options["--rows"] ?? ""), let target = Int(options["--class"] ?? ""), let seed = UInt64(options["--seed"] ?? "") else {
        throw BenchError("sample: --rows, --class and --seed must be numbers")
    }
    let data = try NNBenchData(features: "Benchmarks/results/kdd_train_122.f32", labels: "Benchmarks/results/kdd_train_labels.txt",
                               columns: 122, limit: nil)
    let members = (0..<data.rows).filter { data.labels[$0] == target }
    let features = Matrix(rows: members.count, columns: data.columns) { r, c in data.features[members[r] * data.columns + c] }
    let classData = LabeledMatrix(features: features, labels: Array(repeating: target, count: members.count),
                                  classNames: (0..<data.classes).map { "class\($0)" })
    let schema = FeatureSchema(inferredFrom: features)
    for method in (options["--methods"] ?? "").split(separator: ",") {
        var rng = Xoshiro256StarStar(seed: seed)
        let model = try Catalog.generator("\(method):epochs=1,validation=0").fit(classData, schema: schema, using: &rng)
        var generated = Matrix(rows: 0, columns: 0)
        let elapsed = try seconds { generated = try model.sample(rows, of: target, using: &rng) }
        report(["benchmark": "sample", "method": String(method), "rows": generated.rows, "seconds": elapsed,
                "flops_per_row": model.flopsPerRow, "threads": Parallel.threadCount])
    }
}
