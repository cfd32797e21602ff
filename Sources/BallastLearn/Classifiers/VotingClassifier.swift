import BallastCore

/// A voting ensemble over any classifiers: soft voting averages their class probabilities with
/// weights, hard voting counts their weighted predicted labels.
///
/// The AE-Flow paper's detector is soft voting over gradient boosting and logistic regression:
///
/// ```swift
/// let vote = VotingClassifier(members: [GradientBoostingClassifier(), LogisticRegressionClassifier()])
/// ```
///
/// Each member is fitted with its own generator, seeded from `rng` before any member is fitted.
public struct VotingClassifier: Classifier {
    /// How members vote.
    public enum Voting: String, Sendable, Codable, CaseIterable {
        /// Weighted mean of the members' probabilities.
        case soft
        /// Weighted count of the members' predicted labels; probabilities are the vote shares.
        case hard
    }

    /// The member classifiers (at least one; their fitted models must be registered).
    public var members: [any Classifier]
    /// One weight per member (`nil`: equal weights).
    public var weights: [Double]?
    /// Soft or hard voting.
    public var voting: Voting

    /// Creates the ensemble's configuration.
    public init(members: [any Classifier], weights: [Double]? = nil, voting: Voting = .soft) {
        self.members = members
        self.weights = weights
        self.voting = voting
    }

    /// Fits every member on the same data.
    /// - Throws: ``LearnError`` for invalid data, no members, or weights of the wrong count or sign;
    ///   any member's error.
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> VotingModel {
        try fit(data, schema: nil, using: &rng)
    }

    /// Fits every member on the same data, passing each the schema (see ``Classifier/fit(_:schema:using:)``).
    /// - Throws: as ``fit(_:using:)``.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema?, using rng: inout some RandomNumberGenerator) throws -> VotingModel {
        try data.validateForTraining()
        guard !members.isEmpty else { throw LearnError.invalidParameter(name: "members", value: "[]", expected: "at least one classifier") }
        let w = weights ?? Array(repeating: 1, count: members.count)
        guard w.count == members.count, w.allSatisfy({ $0 >= 0 && $0.isFinite }), w.contains(where: { $0 > 0 }) else {
            throw LearnError.invalidParameter(name: "weights", value: "\(w)",
                                              expected: "\(members.count) finite weights ≥ 0, not all zero")
        }
        let seeds = rng.childSeeds(members.count)
        var fitted: [AnyClassifierModel] = []
        for (member, seed) in zip(members, seeds) {
            var memberRNG = Xoshiro256StarStar(seed: seed)
            fitted.append(try member.fitErased(data, schema: schema, using: &memberRNG))
        }
        return VotingModel(members: fitted, weights: w, voting: voting)
    }
}

/// A fitted voting ensemble.
public struct VotingModel: ClassifierModel {
    /// The fitted members.
    public let members: [AnyClassifierModel]
    /// One weight per member.
    public let weights: [Double]
    /// Soft or hard voting.
    public let voting: VotingClassifier.Voting

    /// Creates a model from fitted members (which share class names and feature count).
    public init(members: [AnyClassifierModel], weights: [Double], voting: VotingClassifier.Voting) {
        self.members = members
        self.weights = weights
        self.voting = voting
    }

    public var classNames: [String] { members.first?.classNames ?? [] }
    public var featureCount: Int { members.first?.featureCount ?? 0 }

    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        let k = classNames.count
        guard !members.isEmpty, weights.count == members.count,
              members.allSatisfy({ $0.classNames == classNames && $0.featureCount == featureCount }) else {
            throw LearnError.invalidParameter(name: "members", value: "\(members.count) members, \(weights.count) weights",
                                              expected: "one weight per member and members with the same classes and features")
        }
        let total = weights.reduce(0, +)
        var out = [Float](repeating: 0, count: features.rows * k)
        for (member, weight) in zip(members, weights) where weight > 0 {
            let share = Float(weight / total)
            switch voting {
            case .soft:
                let p = try member.predictProbabilities(features)
                p.withUnsafeBufferPointer { pp in for i in 0..<out.count { out[i] += share * pp[i] } }
            case .hard:
                for (r, label) in try member.predict(features).enumerated() { out[r * k + label] += share }
            }
        }
        return Matrix(rows: features.rows, columns: k, values: out)
    }
}
