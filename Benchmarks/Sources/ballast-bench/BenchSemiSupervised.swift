import BallastCore
import BallastEval
import BallastLearn
import Foundation

/// Row indices, one per line.
func loadIndices(_ path: String) throws -> [Int] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
}

/// `ballast-bench ssl DIR LABELLED UNLABELLED SEED NAME=MODE:SPEC...`: the Swift rows of
/// `Benchmarks/semi_supervised.py`.
///
/// Reads the prepared KDDTrain+/KDDTest+ (`prepare_kdd.py`), the labelled row indices and the
/// (possibly subsampled) unlabelled row indices of KDDTrain+ written by the driver, and for each
/// `NAME=MODE:SPEC` fits the catalogue model `SPEC` with `MODE` one of `semi` (labelled + unlabelled
/// rows), `labelled` (labelled rows only) or `all` (every KDDTrain+ row with its label), then
/// prints one JSON line: accuracy, macro-F1, weighted-F1, recall per class and fit seconds on KDDTest+.
func benchSemiSupervised(_ arguments: [String]) throws {
    guard arguments.count >= 5, let seed = UInt64(arguments[3]) else {
        throw BenchError("usage: ballast-bench ssl DIR LABELLED_INDICES UNLABELLED_INDICES SEED NAME=MODE:SPEC...")
    }
    let train = try loadPreparedSplit(arguments[0], "kdd_train")
    let test = try loadPreparedSplit(arguments[0], "kdd_test")
    let labelledRows = try loadIndices(arguments[1]), unlabelledRows = try loadIndices(arguments[2])
    guard (labelledRows + unlabelledRows).allSatisfy({ $0 >= 0 && $0 < train.count }) else {
        throw BenchError("an index is outside 0..<\(train.count)")
    }
    let labelled = train.gatherRows(labelledRows)
    let unlabelled = train.features.gatherRows(unlabelledRows)
    for item in arguments.dropFirst(4) {
        guard let eq = item.firstIndex(of: "="), let colon = item[eq...].firstIndex(of: ":") else {
            throw BenchError("'\(item)': expected NAME=MODE:SPEC")
        }
        let name = String(item[..<eq]), mode = String(item[item.index(after: eq)..<colon])
        let spec = String(item[item.index(after: colon)...])
        let classifier = try Catalog.classifier(spec)
        var rng = Xoshiro256StarStar(seed: seed)
        var model: AnyClassifierModel?
        let fit = try seconds {
            switch mode {
            case "semi": model = try fitWithUnlabelled(classifier, labelled: labelled, unlabelled: unlabelled, using: &rng).model
            case "labelled": model = try classifier.fitErased(labelled, using: &rng)
            case "all": model = try classifier.fitErased(train, using: &rng)
            default: throw BenchError("mode '\(mode)': expected semi, labelled or all")
            }
        }
        guard let model else { continue }
        let predicted = try model.predict(test.features)
        let r = try ClassificationReport(truth: test.labels, predicted: predicted, classNames: test.classNames)
        var fields: [String: Any] = [
            "bench": "ssl", "method": name, "mode": mode, "spec": spec, "seed": seed, "labelled": labelled.count,
            "unlabelled": mode == "semi" ? unlabelled.rows : 0, "accuracy": r.accuracy, "macro_f1": r.macro.f1,
            "weighted_f1": r.weighted.f1, "fit_seconds": fit,
        ]
        for c in r.perClass { fields["recall_\(c.name)"] = c.recall }
        if let flow = model.base as? SemiSupervisedFlowModel {
            fields["priors"] = flow.priors
            fields["pseudo_labelled"] = flow.rounds.map(\.pseudoLabelled)
        }
        report(fields)
    }
}
