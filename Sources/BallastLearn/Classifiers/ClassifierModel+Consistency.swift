// What each registered model checks after it is decoded, so that a model read from a file (an
// edited bundle, an upload) cannot make prediction crash, loop or allocate what the file does not
// hold: every count and shape is compared with the values actually present.

/// `a × b`, or `nil` when negative or overflowing.
private func checkedProduct(_ a: Int, _ b: Int) -> Int? {
    let (p, overflow) = a.multipliedReportingOverflow(by: b)
    return a < 0 || b < 0 || overflow ? nil : p
}

/// The problem shared by every model: no classes, or no features.
private func basicProblem(classNames: [String], featureCount: Int) -> String? {
    if classNames.isEmpty { return "classNames: empty, expected at least one class" }
    if featureCount < 1 { return "featureCount \(featureCount), expected ≥ 1" }
    return nil
}

/// The first tree whose leaves do not hold `width` values or that reads other than `featureCount` columns.
private func treeProblem(_ trees: [FlatTree], name: String, width: Int, widthName: String, featureCount: Int) -> String? {
    for (i, t) in trees.enumerated() {
        if t.valueWidth != width { return "\(name)[\(i)].valueWidth \(t.valueWidth), expected \(width) (\(widthName))" }
        if t.featureCount != featureCount {
            return "\(name)[\(i)].featureCount \(t.featureCount) differs from the model's featureCount \(featureCount)"
        }
    }
    return nil
}

/// Shared by the tree and the forest: leaves of class probabilities, one importance per feature.
private func classificationTreesProblem(_ trees: [FlatTree], name: String, classNames: [String], featureCount: Int,
                                        featureImportances: [Double]) -> String? {
    if let p = basicProblem(classNames: classNames, featureCount: featureCount) { return p }
    if let p = treeProblem(trees, name: name, width: classNames.count, widthName: "one per class of classNames",
                           featureCount: featureCount) { return p }
    if featureImportances.count != featureCount {
        return "featureImportances: \(featureImportances.count) values for featureCount \(featureCount)"
    }
    return nil
}

extension DecisionTreeModel {
    public func consistencyProblem() -> String? {
        classificationTreesProblem([tree], name: "tree", classNames: classNames, featureCount: featureCount,
                                   featureImportances: featureImportances)
    }
}

extension RandomForestModel {
    public func consistencyProblem() -> String? {
        guard !trees.isEmpty else { return "trees: empty, a forest needs at least one tree" }
        return classificationTreesProblem(trees, name: "trees", classNames: classNames, featureCount: featureCount,
                                          featureImportances: featureImportances)
    }
}

extension GradientBoostingModel {
    public func consistencyProblem() -> String? {
        if let p = basicProblem(classNames: classNames, featureCount: featureCount) { return p }
        let k = classNames.count
        if baseMargins.count != k { return "baseMargins: \(baseMargins.count) values for \(k) classNames" }
        guard let expected = checkedProduct(rounds, k), expected == trees.count else {
            return "rounds \(rounds) × \(k) classes do not match the \(trees.count) stored trees"
        }
        return treeProblem(trees, name: "trees", width: 1, widthName: "one score per leaf", featureCount: featureCount)
    }
}

extension LogisticRegressionModel {
    public func consistencyProblem() -> String? {
        if let p = basicProblem(classNames: classNames, featureCount: featureCount) { return p }
        let k = classNames.count
        guard let expected = checkedProduct(featureCount, k), expected == weights.count else {
            return "weights: \(weights.count) stored, expected featureCount \(featureCount) × \(k) classes"
        }
        if intercepts.count != k { return "intercepts: \(intercepts.count) values for \(k) classNames" }
        return nil
    }
}

extension KNearestNeighborsModel {
    public func consistencyProblem() -> String? {
        if let p = basicProblem(classNames: classNames, featureCount: featureCount) { return p }
        guard k >= 1 && k <= training.count else { return "k \(k), expected 1...\(training.count) (the stored training rows)" }
        if classWeights.count != classNames.count {
            return "classWeights: \(classWeights.count) values for \(classNames.count) classNames"
        }
        if let w = classWeights.first(where: { !($0.isFinite && $0 >= 0) }) { return "classWeights: \(w), expected finite and ≥ 0" }
        return nil
    }
}

extension VotingModel {
    public func consistencyProblem() -> String? {
        guard !members.isEmpty else { return "members: empty, expected at least one model" }
        guard weights.count == members.count else { return "weights: \(weights.count) values for \(members.count) members" }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }), weights.reduce(0, +) > 0 else {
            return "weights: \(weights), expected finite values ≥ 0 with a positive sum"
        }
        for (i, m) in members.enumerated() where m.classNames != classNames || m.featureCount != featureCount {
            return "members[\(i)]: classNames or featureCount differ from the first member's"
        }
        return nil
    }
}

extension MLPModel {
    /// `nil`: ``MLPModel/init(from:)`` checks the architecture against the stored weights before it
    /// builds the network, so a decoded MLP is consistent.
    public func consistencyProblem() -> String? { nil }
}

extension CNNModel {
    /// `nil` unless there are no classes: ``CNNModel/init(from:)`` checks the architecture against a
    /// parameter budget and builds the network from the stored weights, so the rest is consistent.
    public func consistencyProblem() -> String? { classNames.isEmpty ? "classNames: no classes" : nil }
}
