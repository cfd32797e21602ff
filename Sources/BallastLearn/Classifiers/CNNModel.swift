import BallastCore
import BallastNN
import Foundation

/// A fitted ``CNNClassifier`` (plain CNN or CNN+LSTM): the architecture, the weights and the
/// training history.
///
/// The weights are kept under the names and shapes of the PyTorch module `BallastCNN` (README,
/// "CNN and CNN+LSTM detectors"; `Benchmarks/cnn.py` defines it): `conv.*` for the convolution
/// blocks, `lstm.*` (with `_reverse` for the backward direction) and `head.*`. They encode (JSON) as
/// the base64 of a safetensors file; ``safetensors()`` gives those bytes, which
/// `safetensors.torch.load_file` reads and `BallastCNN.load_state_dict` loads.
public struct CNNModel: ClassifierModel, Equatable {
    public let classNames: [String]
    public var featureCount: Int { architecture.inputs }
    /// Filters of each convolution block.
    public var filters: [Int] { architecture.filters }
    /// Convolution window width.
    public var kernelSize: Int { architecture.kernelSize }
    /// Convolution padding.
    public var padding: CNNClassifier.Padding { architecture.padding }
    /// Max-pooling window after each convolution.
    public var poolSize: Int { architecture.poolSize }
    /// Whether the convolutions are batch-normalized.
    public var batchNorm: Bool { architecture.batchNorm }
    /// The LSTM after the convolutions, or `nil` for the plain CNN.
    public var recurrent: CNNClassifier.Recurrent? { architecture.recurrent }
    /// Dense layer widths.
    public var denseWidths: [Int] { architecture.denseWidths }
    /// The training dropout rate (inactive at prediction).
    public var dropout: Double { architecture.dropout }
    /// Weights and batch-norm statistics by name, with PyTorch's shapes.
    public let weights: [String: StoredTensor]
    /// One record per epoch trained: the loss curve.
    public let history: [EpochRecord]
    /// The epoch whose weights the model holds.
    public let bestEpoch: Int

    let architecture: CNNArchitecture
    /// The forward pass used for prediction, built from the weights once.
    let inference: CNNInference

    /// The model of a trained network.
    /// - Throws: ``CheckpointError`` (not expected for a network built from `architecture`).
    init(classNames: [String], architecture: CNNArchitecture, network: CNNNetwork, history: [EpochRecord], bestEpoch: Int) throws {
        self.classNames = classNames
        self.architecture = architecture
        self.weights = try Checkpoint.tensors(network)
        self.inference = CNNInference(network)
        self.history = history
        self.bestEpoch = bestEpoch
    }

    /// The catalogue name of the detector: `cnn` or `cnn-lstm`.
    public var detectorName: String { recurrent == nil ? "cnn" : "cnn-lstm" }

    /// Number of trainable scalars (weights and biases, not running statistics).
    public var parameterCount: Int {
        weights.filter { !Self.isStatistic($0.key) }.reduce(0) { $0 + $1.value.values.count }
    }

    /// Class probabilities (softmax of the logits, batch norm with running statistics, no dropout):
    /// a plain forward pass without a tape, in parallel tasks of 256 rows (see ``CNNInference``).
    /// - Throws: ``LearnError/featureCountMismatch(expected:found:)`` or ``LearnError/nonFinite(row:column:)``.
    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        guard features.rows > 0 else { return Matrix(rows: 0, columns: classNames.count) }
        return inference.probabilities(features)
    }

    /// The weights as a safetensors file (metadata: `format=pt`, the architecture and class names).
    /// - Throws: ``CheckpointError`` (not expected for a fitted model).
    public func safetensors() throws -> [UInt8] {
        try SafeTensors.encode(weights, metadata: metadata)
    }

    private var metadata: [String: String] {
        var m = ["format": "pt", "ballast.model": detectorName, "ballast.features": "\(featureCount)",
                 "ballast.filters": filters.map(String.init).joined(separator: "x"), "ballast.kernel": "\(kernelSize)",
                 "ballast.padding": padding.rawValue, "ballast.pool": "\(poolSize)", "ballast.batch_norm": "\(batchNorm)",
                 "ballast.dense": denseWidths.map(String.init).joined(separator: "x"), "ballast.dropout": "\(dropout)",
                 "ballast.classes": classNames.joined(separator: ",")]
        if let recurrent {
            m["ballast.hidden"] = "\(recurrent.hiddenSize)"
            m["ballast.bidirectional"] = "\(recurrent.bidirectional)"
        }
        return m
    }

    /// Whether `name` is a batch-norm statistic rather than a trainable tensor.
    static func isStatistic(_ name: String) -> Bool {
        name.hasSuffix(".running_mean") || name.hasSuffix(".running_var") || name.hasSuffix(".num_batches_tracked")
    }
}

extension CNNModel: Codable {
    private enum CodingKeys: String, CodingKey {
        case classNames, featureCount, filters, kernelSize, padding, poolSize, batchNorm, recurrent, denseWidths, dropout,
             weights, history, bestEpoch
    }

    /// Decodes a model, checking its sizes before anything is allocated and then that its weights
    /// fit its architecture.
    /// - Throws: `DecodingError.dataCorrupted` naming the bad size or tensor.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classNames = try c.decode([String].self, forKey: .classNames)
        architecture = CNNArchitecture(
            inputs: try c.decode(Int.self, forKey: .featureCount), filters: try c.decode([Int].self, forKey: .filters),
            kernelSize: try c.decode(Int.self, forKey: .kernelSize),
            padding: try c.decode(CNNClassifier.Padding.self, forKey: .padding),
            poolSize: try c.decode(Int.self, forKey: .poolSize), batchNorm: try c.decode(Bool.self, forKey: .batchNorm),
            recurrent: try c.decodeIfPresent(CNNClassifier.Recurrent.self, forKey: .recurrent),
            denseWidths: try c.decode([Int].self, forKey: .denseWidths), outputs: classNames.count,
            dropout: try c.decode(Double.self, forKey: .dropout))
        history = try c.decode([EpochRecord].self, forKey: .history)
        bestEpoch = try c.decode(Int.self, forKey: .bestEpoch)
        do {
            try architecture.validate()
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .filters, in: c, debugDescription: "the CNN architecture is invalid: \(error)")
        }
        do {
            weights = try SafeTensors.decode(c.decode(Data.self, forKey: .weights)).tensors
            inference = CNNInference(try architecture.build(weights: weights))
        } catch let error as CheckpointError {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: c, debugDescription: "CNN weights: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(filters, forKey: .filters)
        try c.encode(kernelSize, forKey: .kernelSize)
        try c.encode(padding, forKey: .padding)
        try c.encode(poolSize, forKey: .poolSize)
        try c.encode(batchNorm, forKey: .batchNorm)
        try c.encodeIfPresent(recurrent, forKey: .recurrent)
        try c.encode(denseWidths, forKey: .denseWidths)
        try c.encode(dropout, forKey: .dropout)
        try c.encode(Data(safetensors()), forKey: .weights)
        try c.encode(history, forKey: .history)
        try c.encode(bestEpoch, forKey: .bestEpoch)
    }
}
