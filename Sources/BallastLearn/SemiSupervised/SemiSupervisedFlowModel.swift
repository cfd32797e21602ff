import BallastCore
import BallastNN
import Foundation

/// What one self-training round of ``SemiSupervisedFlowClassifier`` did.
public struct SelfTrainingRound: Sendable, Equatable, Codable {
    /// The round (0: the first fit, before any pseudo-label).
    public var round: Int
    /// Pseudo-labelled rows per class the round trained on.
    public var pseudoLabelled: [Int]
    /// The class thresholds that chose them (empty in round 0).
    public var thresholds: [Double]
    /// The priors the round trained with.
    public var priors: [Double]
    /// The priors EM estimated on the unlabelled rows after the round (`nil`: not estimated).
    public var estimatedPriors: [Double]?
    /// The mean loss of the round's last epoch.
    public var finalLoss: Double
}

/// A fitted ``SemiSupervisedFlowClassifier``: the standardisation, the flow and class means
/// (safetensors), the class priors, and what each self-training round did.
///
/// `p(y | x)` is the softmax of `z·μ_y − ½‖μ_y‖² + log π_y` with `z = f((x − mean) / scale)`
/// (see ``FlowGMMNetwork``); the priors are those EM estimated on the unlabelled rows.
public struct SemiSupervisedFlowModel: ClassifierModel, Equatable {
    public let classNames: [String]
    public let featureCount: Int
    /// The flow's sizes.
    public let shape: CouplingFlowShape
    /// Per-feature mean subtracted before the flow.
    public let inputMean: [Float]
    /// Per-feature scale divided by before the flow.
    public let inputScale: [Float]
    /// `log π` used for prediction.
    public let logPriors: [Float]
    /// The labelled rows' class frequencies (for comparison with the estimated priors).
    public let labelledPriors: [Double]
    /// The flow's weights and the class means (`means`, `classes × features`).
    public let weights: [String: StoredTensor]
    /// One record per self-training round.
    public let rounds: [SelfTrainingRound]
    /// Unlabelled rows the model was trained with.
    public let unlabelledCount: Int

    init(classNames: [String], featureCount: Int, shape: CouplingFlowShape, inputMean: [Float], inputScale: [Float],
         logPriors: [Float], labelledPriors: [Double], weights: [String: StoredTensor], rounds: [SelfTrainingRound],
         unlabelledCount: Int) {
        self.classNames = classNames
        self.featureCount = featureCount
        self.shape = shape
        self.inputMean = inputMean
        self.inputScale = inputScale
        self.logPriors = logPriors
        self.labelledPriors = labelledPriors
        self.weights = weights
        self.rounds = rounds
        self.unlabelledCount = unlabelledCount
    }

    /// The class priors used for prediction.
    public var priors: [Double] { logPriors.map { Foundation.exp(Double($0)) } }

    /// Class probabilities, computed in chunks of 4096 rows.
    /// - Throws: ``LearnError/featureCountMismatch(expected:found:)``, ``LearnError/nonFinite(row:column:)``,
    ///   or ``LearnError/invalidParameter(name:value:expected:)`` when the weights do not fit the shape.
    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        guard features.rows > 0 else { return Matrix(rows: 0, columns: classNames.count) }
        let network: FlowGMMNetwork
        do {
            network = try build()
        } catch {
            throw LearnError.invalidParameter(name: "weights", value: "\(error)", expected: "the tensors of the model's flow")
        }
        let x = FlowGMMFitting.standardise(features, mean: inputMean, scale: inputScale)
        return Self.softmax(network.logits(x, logPriors: logPriors))
    }

    /// The network with the stored weights.
    /// - Throws: ``CheckpointError`` when a tensor is missing, misshapen or unexpected.
    func build() throws -> FlowGMMNetwork {
        var rng = Xoshiro256StarStar(seed: 0)
        let network = FlowGMMNetwork(shape: shape, classes: classNames.count, spread: 0, learnMeans: true, using: &rng)
        try Checkpoint.load(into: network.storedTensors, from: SafeTensorsFile(tensors: weights))
        return network
    }

    /// Row-wise softmax of logits.
    static func softmax(_ logits: Matrix) -> Matrix {
        var out = logits
        let k = logits.columns
        out.withUnsafeMutableBufferPointer { p in
            for r in 0..<logits.rows {
                var top = -Float.infinity
                for c in 0..<k { top = max(top, p[r * k + c]) }
                var sum: Float = 0
                for c in 0..<k {
                    let e = Foundation.exp(p[r * k + c] - top)
                    p[r * k + c] = e
                    sum += e
                }
                for c in 0..<k { p[r * k + c] /= sum }
            }
        }
        return out
    }

    /// The weights as a safetensors file (metadata: the flow's shape and class names).
    /// - Throws: ``CheckpointError`` (not expected for a fitted model).
    public func safetensors() throws -> [UInt8] {
        try SafeTensors.encode(weights, metadata: [
            "format": "pt", "ballast.model": "ssflow", "ballast.couplings": "\(shape.couplings)",
            "ballast.widths": shape.hiddenWidths.map(String.init).joined(separator: "x"),
            "ballast.classes": classNames.joined(separator: ",")])
    }
}

extension SemiSupervisedFlowModel: Codable {
    private enum CodingKeys: String, CodingKey {
        case classNames, featureCount, shape, inputMean, inputScale, logPriors, labelledPriors, weights, rounds, unlabelledCount
    }

    /// Decodes a model and checks its sizes, values and weights.
    /// - Throws: `DecodingError.dataCorrupted` naming the bad field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classNames = try c.decode([String].self, forKey: .classNames)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        shape = try c.decode(CouplingFlowShape.self, forKey: .shape)
        inputMean = try c.decode([Float].self, forKey: .inputMean)
        inputScale = try c.decode([Float].self, forKey: .inputScale)
        logPriors = try c.decode([Float].self, forKey: .logPriors)
        labelledPriors = try c.decode([Double].self, forKey: .labelledPriors)
        rounds = try c.decode([SelfTrainingRound].self, forKey: .rounds)
        unlabelledCount = try c.decode(Int.self, forKey: .unlabelledCount)
        func corrupt(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
        }
        guard !classNames.isEmpty else { throw corrupt(.classNames, "no classes") }
        guard featureCount > 0, shape.isPlausible, shape.dimensions == featureCount, shape.kind == .affine else {
            throw corrupt(.shape, "the flow shape \(shape) does not fit \(featureCount) features")
        }
        guard inputMean.count == featureCount, inputMean.allSatisfy(\.isFinite) else {
            throw corrupt(.inputMean, "\(inputMean.count) values, expected \(featureCount) finite ones")
        }
        guard inputScale.count == featureCount, inputScale.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw corrupt(.inputScale, "\(inputScale.count) values, expected \(featureCount) finite ones > 0")
        }
        guard logPriors.count == classNames.count, logPriors.allSatisfy({ $0.isFinite && $0 <= 0 }) else {
            throw corrupt(.logPriors, "\(logPriors.count) values, expected \(classNames.count) finite log-probabilities")
        }
        do {
            weights = try SafeTensors.decode(c.decode(Data.self, forKey: .weights)).tensors
            let stored = weights.values.reduce(0) { $0 + $1.values.count }
            guard let needed = shape.parameterCount, needed <= max(stored, 1 << 20) else {
                throw corrupt(.shape, "the flow shape needs more weights than the \(stored) stored")
            }
            _ = try build()
        } catch let error as CheckpointError {
            throw corrupt(.weights, "ssflow weights: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(shape, forKey: .shape)
        try c.encode(inputMean, forKey: .inputMean)
        try c.encode(inputScale, forKey: .inputScale)
        try c.encode(logPriors, forKey: .logPriors)
        try c.encode(labelledPriors, forKey: .labelledPriors)
        try c.encode(Data(safetensors()), forKey: .weights)
        try c.encode(rounds, forKey: .rounds)
        try c.encode(unlabelledCount, forKey: .unlabelledCount)
    }
}

extension SemiSupervisedFlowModel: RegisteredClassifierModel {
    public static var kind: String { "ssflow" }

    /// `nil`: ``init(from:)`` checks every size and builds the network from the stored weights.
    public func consistencyProblem() -> String? { nil }
}
