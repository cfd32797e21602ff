import BallastCore

/// A random forest (Breiman 2001): CART trees grown on bootstrap samples with a random subset of
/// candidate features at each split; probabilities are the mean of the trees' leaf probabilities.
///
/// Trees grow in parallel on ``Parallel/threadCount`` threads. Each tree's seed is drawn from `rng`
/// before the fan-out, so a seed gives bit-identical forests however the threads are scheduled.
/// The bootstrap is applied as per-row weights (a row drawn twice weighs 2), as in scikit-learn.
public struct RandomForestClassifier: Classifier {
    /// Number of trees (≥ 1).
    public var trees: Int
    /// Split impurity.
    public var criterion: DecisionTreeClassifier.Criterion
    /// Maximum depth (`nil`: unlimited).
    public var maxDepth: Int?
    /// A node with fewer rows is not split (≥ 2).
    public var minSamplesSplit: Int
    /// Each child keeps at least this many distinct rows (≥ 1).
    public var minSamplesLeaf: Int
    /// Candidate features per split (default √features).
    public var maxFeatures: MaxFeatures
    /// Whether each tree sees a bootstrap sample (otherwise all rows).
    public var bootstrap: Bool
    /// Whether to compute the out-of-bag accuracy (needs `bootstrap`).
    public var oobScore: Bool
    /// Bins per feature (≥ 2), or `nil` for exact splits (one bin per distinct value).
    public var maxBins: Int?
    /// Class weights.
    public var classWeights: ClassWeights

    /// Creates the forest's hyperparameters (scikit-learn's defaults).
    public init(trees: Int = 100, criterion: DecisionTreeClassifier.Criterion = .gini, maxDepth: Int? = nil,
                minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1, maxFeatures: MaxFeatures = .sqrt, bootstrap: Bool = true,
                oobScore: Bool = false, maxBins: Int? = nil, classWeights: ClassWeights = .none) {
        self.trees = trees
        self.criterion = criterion
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
        self.maxFeatures = maxFeatures
        self.bootstrap = bootstrap
        self.oobScore = oobScore
        self.maxBins = maxBins
        self.classWeights = classWeights
    }

    /// Grows the forest.
    /// - Throws: ``LearnError`` for invalid data or hyperparameters.
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> RandomForestModel {
        try fit(data, schema: nil, using: &rng)
    }

    /// Grows the forest on preprocessed rows; a threshold in a `log1p` column of `schema`'s
    /// preprocessing lies at the image of the raw values' midpoint (see ``DecisionTreeClassifier``).
    /// - Throws: ``LearnError`` for invalid data, hyperparameters or a schema of another width.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema?, using rng: inout some RandomNumberGenerator) throws -> RandomForestModel {
        try data.validateForTraining()
        guard trees >= 1 else { throw LearnError.invalidParameter(name: "trees", value: "\(trees)", expected: "≥ 1") }
        guard bootstrap || !oobScore else {
            throw LearnError.invalidParameter(name: "oobScore", value: "true", expected: "false when bootstrap is off")
        }
        let tree = DecisionTreeClassifier(criterion: criterion, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
                                          minSamplesLeaf: minSamplesLeaf, maxFeatures: maxFeatures, maxBins: maxBins)
        let bins = ClassificationTreeGrower.bins(data.features, maxBins: try tree.validatedBins(), classCount: data.classNames.count)
        let grower = try tree.makeGrower(bins: bins, data: data, placement: try SplitPlacement(schema: schema, width: data.features.columns),
                                         parallel: false)
        let classWeightOfRow = try classWeights.sampleWeights(labels: data.labels, classCount: data.classNames.count)
        let seeds = rng.childSeeds(trees)
        let n = data.count, bootstrap = self.bootstrap, keepCounts = oobScore
        let progress = WorkProgressCounter("trees", total: trees)
        let grown = Parallel.mapChunks(0..<trees, chunksPerThread: 4) { range in
            range.map { t -> (FlatTree, [Double], [UInt8]) in
                var treeRNG = Xoshiro256StarStar(seed: seeds[t])
                var weights = classWeightOfRow
                var counts: [UInt8] = []
                if bootstrap {
                    var drawn = [UInt16](repeating: 0, count: n)
                    for _ in 0..<n { drawn[treeRNG.nextInt(below: n)] &+= 1 }
                    for r in 0..<n { weights[r] *= Float(drawn[r]) }
                    if keepCounts { counts = drawn.map { UInt8(min($0, 255)) } }
                }
                let (tree, raw) = grower.grow(weights: weights, using: &treeRNG)
                progress.advance()
                return (tree, normalized(raw), counts)
            }
        }.flatMap { $0 }
        var importances = [Double](repeating: 0, count: data.features.columns)
        for (_, raw, _) in grown { for j in importances.indices { importances[j] += raw[j] / Double(trees) } }
        let forest = grown.map(\.0)
        let oob = oobScore ? Self.outOfBagAccuracy(forest, counts: grown.map(\.2), data: data) : nil
        return RandomForestModel(classNames: data.classNames, trees: forest, featureImportances: importances, oobScore: oob)
    }

    /// Accuracy on the training rows of the mean probabilities of the trees that did not see them
    /// (rows every tree saw are skipped).
    static func outOfBagAccuracy(_ trees: [FlatTree], counts: [[UInt8]], data: LabeledMatrix) -> Double? {
        let k = data.classNames.count, n = data.count, m = data.features.columns
        var sums = [Float](repeating: 0, count: n * k)
        var votes = [Int](repeating: 0, count: n)
        data.features.withUnsafeBufferPointer { x in
            for (tree, seen) in zip(trees, counts) {
                for r in 0..<n where seen[r] == 0 {
                    let leaf = tree.leaf(x.baseAddress! + r * m)
                    for c in 0..<k { sums[r * k + c] += tree.values[leaf * k + c] }
                    votes[r] += 1
                }
            }
        }
        var correct = 0, scored = 0
        for r in 0..<n where votes[r] > 0 {
            scored += 1
            var best = 0
            for c in 1..<k where sums[r * k + c] > sums[r * k + best] { best = c }
            if best == data.labels[r] { correct += 1 }
        }
        return scored > 0 ? Double(correct) / Double(scored) : nil
    }
}

/// A fitted random forest.
public struct RandomForestModel: ClassifierModel, Equatable {
    public let classNames: [String]
    /// The trees; leaves hold class probabilities.
    public let trees: [FlatTree]
    /// Mean over trees of each tree's normalized impurity decrease per feature.
    public let featureImportances: [Double]
    /// Out-of-bag accuracy, when requested.
    public let oobScore: Double?

    public var featureCount: Int { trees.first?.featureCount ?? 0 }

    /// Creates a model from its parts.
    public init(classNames: [String], trees: [FlatTree], featureImportances: [Double], oobScore: Double?) {
        self.classNames = classNames
        self.trees = trees
        self.featureImportances = featureImportances
        self.oobScore = oobScore
    }

    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        try TreeEnsemblePrediction.validate(trees, width: classNames.count, featureCount: featureCount)
        return TreeEnsemblePrediction.averageLeafValues(trees, features, classCount: classNames.count)
    }
}
