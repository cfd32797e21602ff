import BallastCore
import BallastData
import BallastLearn
import Foundation

/// `ballast-bench tree-thresholds TRAIN TEST SPEC [SEED...] [--label COLUMN]`: where a tree's
/// thresholds lie, measured.
///
/// Fits the default preprocessing (one-hot, `log1p` of heavy-tailed counters, z-score) on TRAIN (an
/// NSL-KDD file, or a flow CSV whose class column is COLUMN), then fits the catalogue model SPEC (`dt`, `rf:trees=100`, `gbdt`) twice per seed on
/// the same rows with the same seed: once without a schema (thresholds halfway between the
/// preprocessed values, as before) and once with the preprocessing's schema (thresholds at the image of
/// the raw midpoint in `log1p` columns, what `ballast train` does). Both are scored on TEST. Prints
/// one JSON line per seed: accuracy and macro-F1 of both, how many test rows reach a different leaf
/// of the first tree and get a different class, whether the first trees have the same shape, and
/// how many of their splits and of their moved thresholds are in `log1p` columns, and how many distinct
/// raw training values the preprocessing merged into one output.
func benchTreeThresholds(_ arguments: [String]) throws {
    var arguments = arguments
    var label: String?
    if let i = arguments.firstIndex(of: "--label"), i + 1 < arguments.count {
        label = arguments[i + 1]
        arguments.removeSubrange(i...(i + 1))
    }
    guard arguments.count >= 3 else {
        throw BenchError("usage: ballast-bench tree-thresholds TRAIN TEST SPEC [SEED...] [--label COLUMN]")
    }
    let trainTable: LabeledTable, testTable: LabeledTable
    if let label {
        trainTable = try FlowCSV.load(path: arguments[0], label: label).data
        let read = try FlowCSV.load(path: arguments[1], label: label).data
        let index = try read.classNames.map { name in
            guard let i = trainTable.classNames.firstIndex(of: name) else { throw BenchError("test class \(name) is not a training class") }
            return i
        }
        testTable = LabeledTable(features: read.features, labels: read.labels.map { index[$0] }, classNames: trainTable.classNames,
                                 source: read.source)
    } else {
        trainTable = try NSLKDD.load(path: arguments[0])
        testTable = try NSLKDD.load(path: arguments[1])
    }
    let prep = try Preprocessor().fit(trainTable.features)
    let train = try trainTable.labeledMatrix(using: prep), test = try testTable.labeledMatrix(using: prep)
    let schema = FeatureSchema(preprocessor: prep)
    let logColumns = Set(prep.outputColumns.indices.filter { j in
        let source = prep.columns[prep.outputColumns[j].sourceColumn]
        return source.kind != .categorical && source.logTransformed
    })
    // Distinct raw training values that share an output after log1p, scaling and Float rounding
    // (the tie-breaks should leave none), summed over the numeric columns.
    var merged = 0
    for (j, column) in trainTable.features.columns.enumerated() {
        guard case let .numeric(values) = column.values else { continue }
        let output = prep.columns[j].outputRange.lowerBound
        let raw = Set(values.filter { !$0.isNaN }).count
        let outputs = Set((0..<train.count).map { train.features[$0, output] }).count
        merged += raw - outputs
    }
    let classifier = try Catalog.classifier(arguments[2])
    let seeds = arguments.count > 3 ? arguments.dropFirst(3).compactMap { UInt64($0) } : [1]
    for seed in seeds {
        // The two fits alternate which goes first from seed to seed (the machine may be shared).
        var before: AnyClassifierModel?, after: AnyClassifierModel?
        var fitBefore = 0.0, fitAfter = 0.0
        for withSchema in seed % 2 == 0 ? [true, false] : [false, true] {
            var rng = Xoshiro256StarStar(seed: seed)
            if withSchema {
                fitAfter = try seconds { after = try classifier.fitErased(train, schema: schema, using: &rng) }
            } else {
                fitBefore = try seconds { before = try classifier.fitErased(train, using: &rng) }
            }
        }
        guard let before, let after else { throw BenchError("fit produced no model") }
        let p0 = try before.predict(test.features), p1 = try after.predict(test.features)
        let (a0, f0) = accuracyAndMacroF1(truth: test.labels, predicted: p0, classCount: train.classNames.count)
        let (a1, f1) = accuracyAndMacroF1(truth: test.labels, predicted: p1, classCount: train.classNames.count)
        var fields: [String: Any] = [
            "benchmark": "tree-thresholds", "model": arguments[2], "seed": seed,
            "fit_seconds_value_midpoints": fitBefore, "fit_seconds_raw_midpoints": fitAfter,
            "accuracy_value_midpoints": a0, "macro_f1_value_midpoints": f0,
            "accuracy_raw_midpoints": a1, "macro_f1_raw_midpoints": f1,
            "test_rows": test.count, "test_rows_other_class": zip(p0, p1).filter { $0 != $1 }.count,
            "test_rows_right_only_raw": zip(zip(p0, p1), test.labels).filter { $0.1 == $1 && $0.0 != $1 }.count,
            "test_rows_right_only_value": zip(zip(p0, p1), test.labels).filter { $0.0 == $1 && $0.1 != $1 }.count,
            "log1p_columns": logColumns.sorted().map { prep.outputColumns[$0].name },
            "raw_values_merged_by_preprocessing": merged,
        ]
        if let t0 = firstTree(before), let t1 = firstTree(after) {
            let sameShape = t0.feature == t1.feature && t0.left == t1.left && t0.right == t1.right
            fields["first_tree_same_shape"] = sameShape
            fields["first_tree_splits"] = t0.feature.filter { $0 >= 0 }.count
            fields["first_tree_log1p_splits"] = t0.feature.filter { $0 >= 0 && logColumns.contains(Int($0)) }.count
            if sameShape {
                fields["first_tree_moved_thresholds"] = t0.threshold.indices.filter { t0.threshold[$0] != t1.threshold[$0] }.count
                fields["test_rows_other_leaf_first_tree"] = (0..<test.count).filter { r in
                    leaf(t0, test.features, r) != leaf(t1, test.features, r)
                }.count
            }
        }
        report(fields)
    }
}

/// The first tree of a tree model (the tree of `dt`, the first tree of a forest or booster).
private func firstTree(_ model: AnyClassifierModel) -> FlatTree? {
    switch model.base {
    case let m as DecisionTreeModel: return m.tree
    case let m as RandomForestModel: return m.trees.first
    case let m as GradientBoostingModel: return m.trees.first
    default: return nil
    }
}

/// The leaf row `r` of `features` reaches in `tree`.
private func leaf(_ tree: FlatTree, _ features: Matrix, _ r: Int) -> Int {
    var node = 0
    while tree.feature[node] >= 0 {
        node = Int(features[r, Int(tree.feature[node])] <= tree.threshold[node] ? tree.left[node] : tree.right[node])
    }
    return node
}
