import BallastCore
import BallastLearn
import Foundation

/// `ballast-bench generator-epoch --method SPEC [--seed 0]`: the seconds of one training epoch of a
/// catalogued generator — the product code, not a mirror — over the benchmark matrix
/// (`Benchmarks/results/kdd_train_122.f32`, all 125,973 rows and their five classes).
///
/// The generator is fitted for 1 and for 3 epochs without a validation split (no fidelity probe);
/// half the difference is one epoch, so building the network and scaling the columns do not count.
/// Prints one JSON line: seconds per epoch, the last epoch's mean loss, parameters and FLOPs per row.
func benchGeneratorEpoch(_ arguments: [String]) throws {
    var options = ["--seed": "0"]
    var i = 0
    while i + 1 < arguments.count {
        options[arguments[i]] = arguments[i + 1]
        i += 2
    }
    guard let method = options["--method"], let seed = UInt64(options["--seed"] ?? "") else {
        throw BenchError("generator-epoch: --method NAME[:PARAMS] is required and --seed must be a number")
    }
    let bench = try NNBenchData(features: "Benchmarks/results/kdd_train_122.f32", labels: "Benchmarks/results/kdd_train_labels.txt",
                                columns: 122, limit: options["--rows"].flatMap { Int($0) })
    let features = Matrix(rows: bench.rows, columns: bench.columns, values: bench.features)
    let data = LabeledMatrix(features: features, labels: bench.labels, classNames: (0..<bench.classes).map { "class\($0)" })
    let schema = FeatureSchema(inferredFrom: features)
    let separator = method.contains(":") ? "," : ":"
    func fit(_ epochs: Int) throws -> (seconds: Double, loss: Double, parameters: Int, flops: Int) {
        var rng = Xoshiro256StarStar(seed: seed)
        let generator = try Catalog.generator("\(method)\(separator)epochs=\(epochs),validation=0,patience=none")
        var loss = Double.nan, parameters = 0, flops = 0
        let elapsed = try seconds {
            let model = try generator.fit(data, schema: schema, using: &rng)
            // Weighted by each network's training rows, as one pass over all rows would average it.
            let weighted = model.training.compactMap { t in t.epochs.last.map { ($0.trainingLoss, Double(t.trainingRows)) } }
            loss = weighted.reduce(0) { $0 + $1.0 * $1.1 } / max(weighted.reduce(0) { $0 + $1.1 }, 1)
            parameters = model.parameterCount
            flops = model.flopsPerRow
        }
        return (elapsed, loss, parameters, flops)
    }
    let one = try fit(1), three = try fit(3)
    report(["benchmark": "generator-epoch", "method": method, "rows": bench.rows, "seconds": (three.seconds - one.seconds) / 2,
            "loss_last_epoch": three.loss, "parameters": three.parameters, "flops_per_row": three.flops,
            "blas": GEMM.blasLibrary ?? "off", "threads": Parallel.threadCount])
}
