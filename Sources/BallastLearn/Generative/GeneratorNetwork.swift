import BallastCore
import BallastNN
import Foundation

/// One trained network of a generator: its weights (PyTorch-style names and shapes), the class it
/// learned (`nil` for a class-conditional network), the column scaling it was trained in, and its
/// training record.
///
/// Encodes the weights as the base64 of a safetensors file, checked on decoding, so a model file
/// cannot smuggle in a tensor of the wrong size.
public struct GeneratorNetwork: Sendable, Equatable {
    /// The class of a per-class network, `nil` for a conditional one.
    public var classIndex: Int?
    /// Weights and buffers by name.
    public var weights: [String: StoredTensor]
    /// The scaling between the model's input space and the network's.
    public var scaler: ColumnScaler
    /// How the network trained.
    public var training: GeneratorTrainingRecord

    /// Creates a network record.
    public init(classIndex: Int?, weights: [String: StoredTensor], scaler: ColumnScaler, training: GeneratorTrainingRecord) {
        self.classIndex = classIndex
        self.weights = weights
        self.scaler = scaler
        self.training = training
    }

    /// The prefix of this network's tensors in the model's safetensors file: `class3.` for a
    /// per-class network, nothing for a conditional one.
    public var prefix: String { classIndex.map { "class\($0)." } ?? "" }

    /// The weights, then the scaler's column ranges (`scaler.min`, `scaler.max`), under ``prefix``.
    public var namedTensors: [String: StoredTensor] {
        var out: [String: StoredTensor] = [:]
        for (name, tensor) in weights { out[prefix + name] = tensor }
        out[prefix + "scaler.min"] = StoredTensor(shape: [scaler.width], values: scaler.minimums)
        out[prefix + "scaler.max"] = StoredTensor(shape: [scaler.width], values: scaler.maximums)
        return out
    }

    /// Every network's tensors as one safetensors file.
    /// - Parameters:
    ///   - networks: the model's networks (their prefixes differ).
    ///   - metadata: string pairs for the header (`format=pt` is added).
    /// - Throws: ``BallastNN/CheckpointError``.
    public static func safetensors(_ networks: [GeneratorNetwork], metadata: [String: String]) throws -> [UInt8] {
        var all: [String: StoredTensor] = [:]
        for network in networks { all.merge(network.namedTensors) { first, _ in first } }
        var header = metadata
        header["format"] = header["format"] ?? "pt"
        return try SafeTensors.encode(all, metadata: header)
    }
}

extension GeneratorNetwork: Codable {
    private enum CodingKeys: String, CodingKey { case classIndex, weights, scaler, training }

    /// Decodes a network; the weights must be a valid safetensors file.
    /// - Throws: `DecodingError.dataCorrupted` naming the problem.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classIndex = try c.decodeIfPresent(Int.self, forKey: .classIndex)
        scaler = try c.decode(ColumnScaler.self, forKey: .scaler)
        training = try c.decode(GeneratorTrainingRecord.self, forKey: .training)
        do {
            weights = try SafeTensors.decode(c.decode(Data.self, forKey: .weights)).tensors
        } catch let error as CheckpointError {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: c, debugDescription: "generator weights: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(classIndex, forKey: .classIndex)
        try c.encode(Data(SafeTensors.encode(weights, metadata: [:])), forKey: .weights)
        try c.encode(scaler, forKey: .scaler)
        try c.encode(training, forKey: .training)
    }
}

extension Array where Element == GeneratorNetwork {
    /// Checks decoded networks before use: each scaler has `width` columns and each network's
    /// weights load into the architecture `build` makes.
    /// - Parameters:
    ///   - width: the model's feature count.
    ///   - key: the coding key errors are reported under.
    ///   - container: the decoding container.
    ///   - build: builds the architecture and loads the weights into it (throws when they do not fit).
    /// - Throws: `DecodingError.dataCorrupted` naming the network.
    func validateDecoded<K: CodingKey>(width: Int, key: K, in container: KeyedDecodingContainer<K>,
                                       build: ([String: StoredTensor]) throws -> Void) throws {
        for network in self {
            do {
                try network.scaler.validate(width: width)
                try build(network.weights)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                       debugDescription: "network \(network.prefix.isEmpty ? "(conditional)" : network.prefix): \(error)")
            }
        }
    }

    /// The network that samples `classIndex`: its per-class network, or the conditional one.
    func network(for classIndex: Int) -> GeneratorNetwork? {
        first { $0.classIndex == classIndex } ?? first { $0.classIndex == nil }
    }

    /// The stored network that samples `classIndex` of `model`, and its layers built by `load`.
    /// - Throws: ``GeneratorError/classNotTrained(className:trained:)``, or
    ///   ``LearnError/invalidParameter(name:value:expected:)`` when the weights do not fit.
    func load<M: GenerativeModel, N>(for classIndex: Int, of model: M,
                                     _ load: ([String: StoredTensor]) throws -> N) throws -> (stored: GeneratorNetwork, layers: N) {
        guard let stored = network(for: classIndex) else {
            throw GeneratorError.classNotTrained(className: model.classNames[classIndex], trained: model.trainedClasses.map { model.classNames[$0] })
        }
        do {
            return (stored, try load(stored.weights))
        } catch {
            throw LearnError.invalidParameter(name: "weights", value: "\(error)", expected: "the tensors of the model's architecture")
        }
    }
}
