import BallastCore
import BallastLearn
import BallastNN
import Foundation

/// A fitted network detector whose weights export as safetensors under PyTorch's names.
protocol ExportableNetworkModel: ClassifierModel {
    /// The safetensors file bytes.
    func safetensors() throws -> [UInt8]
    /// Epochs trained.
    var history: [EpochRecord] { get }
    /// The epoch whose weights the model holds.
    var bestEpoch: Int { get }
}

extension MLPModel: ExportableNetworkModel {}
extension CNNModel: ExportableNetworkModel {}

/// `ballast-bench mlp DIR SPEC [SEED...] [--export PATH]`: see ``benchNetwork(_:benchmark:as:)``.
func benchMLP(_ arguments: [String]) throws { try benchNetwork(arguments, benchmark: "mlp", as: MLPClassifier.self) }

/// `ballast-bench cnn DIR SPEC [SEED...] [--export PATH] [--predict-repeats N]` (`cnn:...` or `cnn-lstm:...`): see
/// ``benchNetwork(_:benchmark:as:)``.
func benchCNN(_ arguments: [String]) throws { try benchNetwork(arguments, benchmark: "cnn", as: CNNClassifier.self) }

/// Fits the network detector `SPEC` (e.g. `mlp:widths=256x128`, `cnn-lstm:hidden=64`) on the
/// prepared KDDTrain+ and evaluates it on KDDTest+, once per seed; prints one JSON line per seed with
/// fit and predict seconds, epochs run, the best epoch, accuracy and macro-F1. With `--export PATH`,
/// the first seed's weights are written to `PATH` (safetensors, PyTorch names) and its KDDTest+
/// probabilities to `PATH.probabilities.f32` (row-major float32), so that `Benchmarks/mlp.py` and
/// `Benchmarks/cnn.py` can load the weights into PyTorch and compare predictions.
func benchNetwork<C: Classifier>(_ arguments: [String], benchmark: String, as _: C.Type) throws where C.Model: ExportableNetworkModel {
    var arguments = arguments
    var export: String?
    if let i = arguments.firstIndex(of: "--export") {
        guard i + 1 < arguments.count else { throw BenchError("--export needs a path") }
        export = arguments[i + 1]
        arguments.removeSubrange(i...(i + 1))
    }
    var repeats = 1
    if let i = arguments.firstIndex(of: "--predict-repeats") {
        guard i + 1 < arguments.count, let n = Int(arguments[i + 1]), n >= 1 else { throw BenchError("--predict-repeats needs a count ≥ 1") }
        repeats = n
        arguments.removeSubrange(i...(i + 1))
    }
    guard arguments.count >= 2 else {
        throw BenchError("usage: ballast-bench \(benchmark) DIR SPEC [SEED...] [--export PATH] [--predict-repeats N]")
    }
    let train = try loadPreparedSplit(arguments[0], "kdd_train")
    let test = try loadPreparedSplit(arguments[0], "kdd_test")
    guard let classifier = try Catalog.classifier(arguments[1]) as? C else {
        throw BenchError("\(arguments[1]) is not a specification for `ballast-bench \(benchmark)`")
    }
    let seeds = arguments.count > 2 ? arguments.dropFirst(2).compactMap { UInt64($0) } : [0]
    for (i, seed) in seeds.enumerated() {
        var rng = Xoshiro256StarStar(seed: seed)
        var fitted: C.Model?
        let fit = try seconds { fitted = try classifier.fit(train, using: &rng) }
        guard let model = fitted else { throw BenchError("fit produced no model") }
        var probabilities = Matrix(rows: 0, columns: 0)
        // With --predict-repeats N, the median of N predictions of the test set (all N are listed).
        var predictions: [Double] = []
        for _ in 0..<repeats { predictions.append(try seconds { probabilities = try model.predictProbabilities(test.features) }) }
        let predict = predictions.sorted()[predictions.count / 2]
        let predicted = probabilities.withUnsafeBufferPointer { p in
            (0..<probabilities.rows).map { r in
                (0..<probabilities.columns).max { p[r * probabilities.columns + $0] < p[r * probabilities.columns + $1] } ?? 0
            }
        }
        let (accuracy, macroF1) = accuracyAndMacroF1(truth: test.labels, predicted: predicted, classCount: train.classNames.count)
        report(["benchmark": benchmark, "model": arguments[1], "seed": seed, "fit_seconds": fit, "predict_seconds": predict,
                "epochs": model.history.count, "best_epoch": model.bestEpoch, "accuracy": accuracy, "macro_f1": macroF1,
                "threads": Parallel.threadCount, "peak_rss_bytes": ProcessMemory.peakResidentBytes(),
                "predict_seconds_each": predictions])
        if i == 0, let export {
            try Data(model.safetensors()).write(to: URL(fileURLWithPath: export), options: .atomic)
            let bytes = probabilities.storage.withUnsafeBytes { Data($0) }
            try bytes.write(to: URL(fileURLWithPath: export + ".probabilities.f32"), options: .atomic)
        }
    }
}
