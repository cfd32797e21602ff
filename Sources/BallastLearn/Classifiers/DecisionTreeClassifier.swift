import BallastCore

/// A CART classification tree (Breiman, Friedman, Olshen & Stone 1984).
///
/// By default the split search is exact, as scikit-learn's: every distinct value of a column is a
/// candidate, and a threshold lies halfway between the two neighbouring values of the node's rows —
/// halfway between their *raw* values when fitted with the preprocessing's schema
/// (``fit(_:schema:using:)``, as `ballast train` does), so a `log1p` column splits where a tree on
/// the raw data would. With `maxBins`, columns with more distinct values are split at that many
/// quantile bins (faster, rarely much worse). Leaves hold weighted class proportions.
///
/// ```swift
/// let tree = DecisionTreeClassifier(criterion: .entropy, maxDepth: 10)
/// let model = try tree.fit(train, using: &rng)
/// let labels = try model.predict(test.features)
/// ```
public struct DecisionTreeClassifier: Classifier {
    /// The impurity a split lowers.
    public enum Criterion: String, Sendable, Codable, CaseIterable {
        /// Gini impurity, 1 − Σ p².
        case gini
        /// Shannon entropy, −Σ p log₂ p.
        case entropy
    }

    /// Split impurity.
    public var criterion: Criterion
    /// Maximum depth (`nil`: grow until leaves are pure or too small).
    public var maxDepth: Int?
    /// A node with fewer rows is not split (≥ 2).
    public var minSamplesSplit: Int
    /// Each child keeps at least this many rows (≥ 1).
    public var minSamplesLeaf: Int
    /// Candidate features per split.
    public var maxFeatures: MaxFeatures
    /// Bins per feature (≥ 2), or `nil` for exact splits (one bin per distinct value).
    public var maxBins: Int?
    /// Class weights.
    public var classWeights: ClassWeights

    /// Creates the tree's hyperparameters (scikit-learn's defaults).
    public init(criterion: Criterion = .gini, maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .all, maxBins: Int? = nil, classWeights: ClassWeights = .none) {
        self.criterion = criterion
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
        self.maxFeatures = maxFeatures
        self.maxBins = maxBins
        self.classWeights = classWeights
    }

    /// Grows the tree; thresholds lie halfway between feature values.
    /// - Throws: ``LearnError`` for invalid data or hyperparameters.
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> DecisionTreeModel {
        try fit(data, schema: nil, using: &rng)
    }

    /// Grows the tree on preprocessed rows; a threshold in a `log1p` column of `schema`'s
    /// preprocessing lies at the image of the raw values' midpoint.
    /// - Throws: ``LearnError`` for invalid data, hyperparameters or a schema of another width.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema?, using rng: inout some RandomNumberGenerator) throws -> DecisionTreeModel {
        try data.validateForTraining()
        let placement = try SplitPlacement(schema: schema, width: data.features.columns)
        let bins = ClassificationTreeGrower.bins(data.features, maxBins: try validatedBins(), classCount: data.classNames.count)
        let grower = try makeGrower(bins: bins, data: data, placement: placement, parallel: true)
        let weights = try classWeights.sampleWeights(labels: data.labels, classCount: data.classNames.count)
        let (tree, raw) = grower.grow(weights: weights, using: &rng)
        return DecisionTreeModel(classNames: data.classNames, tree: tree, featureImportances: normalized(raw))
    }

    func validatedBins() throws -> Int? {
        if let maxBins, maxBins < 2 {
            throw LearnError.invalidParameter(name: "maxBins", value: "\(maxBins)", expected: "≥ 2, or none for exact splits")
        }
        return maxBins
    }

    /// The grower for these hyperparameters (validated) on binned training data.
    func makeGrower(bins: FeatureBins<UInt32>, data: LabeledMatrix, placement: SplitPlacement, parallel: Bool) throws
        -> ClassificationTreeGrower {
        if let maxDepth, maxDepth < 1 {
            throw LearnError.invalidParameter(name: "maxDepth", value: "\(maxDepth)", expected: "≥ 1, or none for unlimited")
        }
        guard minSamplesSplit >= 2 else {
            throw LearnError.invalidParameter(name: "minSamplesSplit", value: "\(minSamplesSplit)", expected: "≥ 2")
        }
        guard minSamplesLeaf >= 1 else {
            throw LearnError.invalidParameter(name: "minSamplesLeaf", value: "\(minSamplesLeaf)", expected: "≥ 1")
        }
        return ClassificationTreeGrower(
            bins: bins, rowCodes: RowMajorCodes(bins), labels: data.labels.map { Int32($0) }, classCount: data.classNames.count, criterion: criterion,
            maxDepth: maxDepth ?? Int.max, minSamplesSplit: minSamplesSplit, minSamplesLeaf: minSamplesLeaf,
            featuresPerSplit: try maxFeatures.count(of: data.features.columns), placement: placement, parallel: parallel)
    }
}

/// Importances scaled to sum to 1 (all zero when no split was made).
func normalized(_ raw: [Double]) -> [Double] {
    let total = raw.reduce(0, +)
    return total > 0 ? raw.map { $0 / total } : raw
}

/// A fitted decision tree.
public struct DecisionTreeModel: ClassifierModel, Equatable {
    public let classNames: [String]
    /// The tree; leaves hold class probabilities.
    public let tree: FlatTree
    /// Total impurity decrease per feature, normalized to sum to 1 (scikit-learn's `feature_importances_`).
    public let featureImportances: [Double]

    public var featureCount: Int { tree.featureCount }

    /// Creates a model from its parts.
    public init(classNames: [String], tree: FlatTree, featureImportances: [Double]) {
        self.classNames = classNames
        self.tree = tree
        self.featureImportances = featureImportances
    }

    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        try TreeEnsemblePrediction.validate([tree], width: classNames.count, featureCount: featureCount)
        return TreeEnsemblePrediction.averageLeafValues([tree], features, classCount: classNames.count)
    }
}
