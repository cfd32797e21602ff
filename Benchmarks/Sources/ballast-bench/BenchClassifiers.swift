import BallastCore
import BallastLearn
import Foundation

/// Reads `NAME_122.f32` and `NAME_labels.txt` written by `Benchmarks/prepare_kdd.py`.
func loadPreparedSplit(_ directory: String, _ name: String, columns: Int = 122) throws -> LabeledMatrix {
    let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)_122.f32"))
    guard data.count % (4 * columns) == 0 else { throw BenchError("\(name)_122.f32 does not hold rows of \(columns) floats") }
    var values = [Float](repeating: 0, count: data.count / 4)
    _ = values.withUnsafeMutableBytes { data.copyBytes(to: $0) }
    let labels = try String(contentsOfFile: "\(directory)/\(name)_labels.txt", encoding: .utf8)
        .split(separator: "\n").compactMap { Int($0) }
    let features = Matrix(rows: values.count / columns, columns: columns, values: values)
    guard labels.count == features.rows else { throw BenchError("\(name): \(labels.count) labels for \(features.rows) rows") }
    return LabeledMatrix(features: features, labels: labels, classNames: ["Normal", "DoS", "Probe", "R2L", "U2R"])
}

/// Accuracy and macro-F1 (mean over classes present in truth or prediction) of predicted labels.
func accuracyAndMacroF1(truth: [Int], predicted: [Int], classCount: Int) -> (Double, Double) {
    var tp = [Int](repeating: 0, count: classCount), fp = tp, fn = tp
    for (t, p) in zip(truth, predicted) {
        if t == p { tp[t] += 1 } else { fp[p] += 1; fn[t] += 1 }
    }
    let accuracy = Double(tp.reduce(0, +)) / Double(max(1, truth.count))
    var f1s: [Double] = []
    for c in 0..<classCount where tp[c] + fp[c] + fn[c] > 0 {
        f1s.append(2 * Double(tp[c]) / Double(2 * tp[c] + fp[c] + fn[c]))
    }
    return (accuracy, f1s.reduce(0, +) / Double(max(1, f1s.count)))
}

/// `ballast-bench classifiers DIR SPEC [SEED...]`: fits the catalogue model `SPEC` (e.g.
/// `rf:trees=100`) on the prepared KDDTrain+ and evaluates it on KDDTest+, once per seed; prints
/// one JSON line per seed with fit and predict seconds, accuracy and macro-F1.
func benchClassifiers(_ arguments: [String]) throws {
    guard arguments.count >= 2 else { throw BenchError("usage: ballast-bench classifiers DIR SPEC [SEED...]") }
    let train = try loadPreparedSplit(arguments[0], "kdd_train")
    let test = try loadPreparedSplit(arguments[0], "kdd_test")
    let classifier = try Catalog.classifier(arguments[1])
    let seeds = arguments.count > 2 ? arguments.dropFirst(2).compactMap { UInt64($0) } : [0]
    for seed in seeds {
        try run(classifier, train: train, test: test, spec: arguments[1], seed: seed)
    }
}

private func run<C: Classifier>(_ classifier: C, train: LabeledMatrix, test: LabeledMatrix, spec: String, seed: UInt64) throws {
    var rng = Xoshiro256StarStar(seed: seed)
    var model: C.Model?
    let fit = try seconds { model = try classifier.fit(train, using: &rng) }
    guard let model else { throw BenchError("fit produced no model") }
    var predicted: [Int] = []
    let predict = try seconds { predicted = try model.predict(test.features) }
    let (accuracy, macroF1) = accuracyAndMacroF1(truth: test.labels, predicted: predicted, classCount: train.classNames.count)
    report(["benchmark": "classifiers", "model": spec, "seed": seed, "fit_seconds": fit, "predict_seconds": predict,
            "accuracy": accuracy, "macro_f1": macroF1, "threads": Parallel.threadCount, "peak_rss_bytes": ProcessMemory.peakResidentBytes()])
}
