import BallastCore

/// The k-nearest-neighbour detector: a row gets the classes of its `k` nearest training rows
/// (Euclidean distance on preprocessed features), by majority or by inverse-distance weights.
///
/// Exact search on ``NearestNeighbors`` (tiled GEMM, bounded memory). Ties between classes go to
/// the lower class index, as in scikit-learn.
public struct KNearestNeighborsClassifier: Classifier {
    /// How neighbours vote.
    public enum Weighting: String, Sendable, Codable, CaseIterable {
        /// Every neighbour counts once.
        case uniform
        /// A neighbour counts 1 / distance; neighbours at distance 0 take all the weight.
        case distance
    }

    /// Number of neighbours (≥ 1, at most the number of training rows).
    public var k: Int
    /// How neighbours vote.
    public var weighting: Weighting
    /// Class weights: a neighbour's vote is multiplied by the weight of its class.
    public var classWeights: ClassWeights

    /// Creates the detector's hyperparameters.
    public init(k: Int = 5, weighting: Weighting = .uniform, classWeights: ClassWeights = .none) {
        self.k = k
        self.weighting = weighting
        self.classWeights = classWeights
    }

    /// Stores the training rows (k-NN has no other training).
    /// - Throws: ``LearnError`` for invalid data or `k` outside `1...rows`.
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> KNearestNeighborsModel {
        try data.validateForTraining()
        guard k >= 1 && k <= data.count else {
            throw LearnError.invalidParameter(name: "k", value: "\(k)", expected: "1...\(data.count) (the number of training rows)")
        }
        let weights = try classWeights.classWeights(labels: data.labels, classCount: data.classNames.count).map { Float($0) }
        return KNearestNeighborsModel(training: data, k: k, weighting: weighting, classWeights: weights)
    }
}

/// A fitted k-nearest-neighbour detector: the training rows and the voting rule.
public struct KNearestNeighborsModel: ClassifierModel, Equatable {
    /// The stored training rows.
    public let training: LabeledMatrix
    /// Number of neighbours.
    public let k: Int
    /// How neighbours vote.
    public let weighting: KNearestNeighborsClassifier.Weighting
    /// Vote multiplier per class.
    public let classWeights: [Float]

    /// Creates a model from its parts.
    public init(training: LabeledMatrix, k: Int, weighting: KNearestNeighborsClassifier.Weighting, classWeights: [Float]) {
        self.training = training
        self.k = k
        self.weighting = weighting
        self.classWeights = classWeights
    }

    public var classNames: [String] { training.classNames }
    public var featureCount: Int { training.features.columns }

    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        let classes = classNames.count
        guard classWeights.count == classes, k >= 1, k <= training.count else {
            throw LearnError.invalidParameter(name: "model", value: "k = \(k), \(classWeights.count) class weights",
                                              expected: "k in 1...\(training.count) and \(classes) class weights")
        }
        var out = Matrix(rows: features.rows, columns: classes)
        guard features.rows > 0 else { return out }
        let neighbors = try NearestNeighbors.search(reference: training.features, queries: features, k: k)
        let labels = training.labels
        out.withUnsafeMutableBufferPointer { p in
            for q in 0..<features.rows {
                let row = q * classes
                let idx = neighbors.neighbors(of: q)
                let dist = neighbors.squaredDistances(of: q)
                var total: Float = 0
                if weighting == .distance, dist.contains(0) {
                    for (i, d) in zip(idx, dist) where d == 0 {
                        let w = classWeights[labels[Int(i)]]
                        p[row + labels[Int(i)]] += w
                        total += w
                    }
                } else {
                    for (i, d) in zip(idx, dist) {
                        let w: Float = (weighting == .uniform ? 1 : 1 / d.squareRoot()) * classWeights[labels[Int(i)]]
                        p[row + labels[Int(i)]] += w
                        total += w
                    }
                }
                if total > 0 {
                    for c in 0..<classes { p[row + c] /= total }
                } else {
                    for c in 0..<classes { p[row + c] = 1 / Float(classes) }
                }
            }
        }
        return out
    }
}
