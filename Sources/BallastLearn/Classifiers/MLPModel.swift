import BallastCore
import BallastNN
import Foundation

/// A fitted ``MLPClassifier``: the architecture, the weights and the training history.
///
/// The weights are kept under PyTorch's `nn.Sequential` names and shapes and encode (JSON) as the
/// base64 of a safetensors file; ``safetensors()`` gives those bytes, which
/// `safetensors.torch.load_file` reads and an `nn.Sequential` of the same layers loads with
/// `load_state_dict` (`Benchmarks/mlp.py` does it and compares the predictions).
public struct MLPModel: ClassifierModel, Equatable {
    public let classNames: [String]
    public let featureCount: Int
    /// Hidden layer widths.
    public var hiddenWidths: [Int] { architecture.hiddenWidths }
    /// The hidden nonlinearity.
    public var activation: MLPClassifier.HiddenActivation { architecture.activation }
    /// Whether hidden layers are batch-normalized.
    public var batchNorm: Bool { architecture.batchNorm }
    /// The training dropout rate (inactive at prediction).
    public var dropout: Double { architecture.dropout }
    /// Weights and batch-norm statistics by name, with PyTorch's shapes.
    public let weights: [String: StoredTensor]
    /// One record per epoch trained: the loss curve.
    public let history: [EpochRecord]
    /// The epoch whose weights the model holds.
    public let bestEpoch: Int

    let architecture: MLPArchitecture

    init(classNames: [String], featureCount: Int, architecture: MLPArchitecture, weights: [String: StoredTensor],
         history: [EpochRecord], bestEpoch: Int) {
        self.classNames = classNames
        self.featureCount = featureCount
        self.architecture = architecture
        self.weights = weights
        self.history = history
        self.bestEpoch = bestEpoch
    }

    /// Number of trainable scalars (weights and biases, not running statistics).
    public var parameterCount: Int {
        var rng = Xoshiro256StarStar(seed: 0)
        return architecture.build(using: &rng).parameterCount
    }

    /// Class probabilities (softmax of the logits, batch norm with running statistics, no dropout),
    /// computed in chunks of 4096 rows.
    /// - Throws: ``LearnError/featureCountMismatch(expected:found:)``, ``LearnError/nonFinite(row:column:)``,
    ///   or ``LearnError/invalidParameter(name:value:expected:)`` when the weights do not fit the architecture.
    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        let k = classNames.count
        guard features.rows > 0 else { return Matrix(rows: 0, columns: k) }
        let network: Sequential
        do {
            network = try architecture.build(weights: weights)
        } catch {
            throw LearnError.invalidParameter(name: "weights", value: "\(error)", expected: "the tensors of the model's architecture")
        }
        return NetworkTraining.probabilities(network, features: features, classes: k)
    }

    /// The weights as a safetensors file (metadata: `format=pt`, the architecture and class names).
    /// - Throws: ``CheckpointError`` (not expected for a fitted model).
    public func safetensors() throws -> [UInt8] {
        try SafeTensors.encode(weights, metadata: metadata)
    }

    private var metadata: [String: String] {
        ["format": "pt", "ballast.model": "mlp", "ballast.widths": hiddenWidths.map(String.init).joined(separator: "x"),
         "ballast.activation": activation.rawValue, "ballast.batch_norm": "\(batchNorm)", "ballast.dropout": "\(dropout)",
         "ballast.classes": classNames.joined(separator: ",")]
    }
}

extension MLPModel: Codable {
    private enum CodingKeys: String, CodingKey {
        case classNames, featureCount, hiddenWidths, activation, batchNorm, dropout, weights, history, bestEpoch
    }

    /// Decodes a model and checks that its weights fit its architecture.
    /// - Throws: `DecodingError.dataCorrupted` naming the bad tensor when they do not.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classNames = try c.decode([String].self, forKey: .classNames)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        architecture = MLPArchitecture(inputs: featureCount, hiddenWidths: try c.decode([Int].self, forKey: .hiddenWidths),
                                       outputs: classNames.count,
                                       activation: try c.decode(MLPClassifier.HiddenActivation.self, forKey: .activation),
                                       batchNorm: try c.decode(Bool.self, forKey: .batchNorm),
                                       dropout: try c.decode(Double.self, forKey: .dropout))
        history = try c.decode([EpochRecord].self, forKey: .history)
        bestEpoch = try c.decode(Int.self, forKey: .bestEpoch)
        guard featureCount > 0, !classNames.isEmpty, architecture.hiddenWidths.allSatisfy({ $0 > 0 }),
              architecture.dropout >= 0 && architecture.dropout < 1 else {
            throw DecodingError.dataCorruptedError(forKey: .hiddenWidths, in: c,
                                                   debugDescription: "the MLP architecture is invalid (features \(featureCount), widths \(architecture.hiddenWidths), dropout \(architecture.dropout))")
        }
        do {
            weights = try SafeTensors.decode(c.decode(Data.self, forKey: .weights)).tensors
            // Building allocates every layer: refuse widths the stored tensors cannot fill before
            // that (a small network is built, so that the loader names the first tensor that differs).
            let stored = weights.values.reduce(0) { $0 + $1.values.count }
            guard let needed = architecture.linearScalarCount, needed <= max(stored, 1 << 20) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .hiddenWidths, in: c,
                    debugDescription: "hiddenWidths \(architecture.hiddenWidths) between \(featureCount) features and \(classNames.count) classes need more weights than the \(stored) stored")
            }
            _ = try architecture.build(weights: weights)
        } catch let error as CheckpointError {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: c, debugDescription: "MLP weights: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(hiddenWidths, forKey: .hiddenWidths)
        try c.encode(activation, forKey: .activation)
        try c.encode(batchNorm, forKey: .batchNorm)
        try c.encode(dropout, forKey: .dropout)
        try c.encode(Data(safetensors()), forKey: .weights)
        try c.encode(history, forKey: .history)
        try c.encode(bestEpoch, forKey: .bestEpoch)
    }
}
