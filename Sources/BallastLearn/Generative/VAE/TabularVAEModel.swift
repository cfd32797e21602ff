import BallastCore
import BallastNN
import Foundation

/// A fitted ``TabularVAE``: the decoder(s) that turn `z ~ N(0, I)` (and a class) into rows.
public struct TabularVAEModel: GenerativeModel, Equatable {
    public let classNames: [String]
    public let featureCount: Int
    /// The trained networks: one conditional network, or one per class.
    public let networks: [GeneratorNetwork]

    let architecture: VAEArchitecture

    init(classNames: [String], featureCount: Int, architecture: VAEArchitecture, networks: [GeneratorNetwork]) {
        self.classNames = classNames
        self.featureCount = featureCount
        self.architecture = architecture
        self.networks = networks
    }

    /// Every class of the training data for a conditional network; each network's class otherwise.
    public var trainedClasses: [Int] {
        networks.contains { $0.classIndex == nil } ? Array(classNames.indices) : networks.compactMap(\.classIndex).sorted()
    }

    public var parameterCount: Int { (architecture.parameterCount ?? 0) * networks.count }

    public var flopsPerRow: Int {
        var rng = Xoshiro256StarStar(seed: 0)
        return architecture.build(using: &rng).decoderFlops
    }

    public var training: [GeneratorTrainingRecord] { networks.map(\.training) }

    /// Decodes `count` draws of `z ~ N(0, I)` for `classIndex`, in chunks of 4096 rows, in the
    /// original units and within each column's training range.
    /// - Throws: see ``GenerativeModel/sample(_:of:using:)``.
    public func sample(_ count: Int, of classIndex: Int, using rng: inout some RandomNumberGenerator) throws -> Matrix {
        try validateSampling(count, of: classIndex)
        let (stored, network) = try networks.load(for: classIndex, of: self) { try architecture.build(weights: $0) }
        let rows = stored.scaler.inverse(Self.generate(network, count: count, classIndex: classIndex, using: &rng))
        try GeneratorFitting.requireFinite(rows, className: classNames[classIndex])
        return rows
    }

    /// `count` decoded rows of `classIndex` in the network's [0, 1] space (inference mode).
    static func generate(_ network: VAENetwork, count: Int, classIndex: Int, using rng: inout some RandomNumberGenerator) -> Matrix {
        let a = network.architecture
        var out = Matrix(rows: 0, columns: a.features)
        let tape = Tape<Float>()
        var start = 0
        while start < count {
            let n = min(4096, count - start)
            tape.reset()
            let labels = [Int](repeating: classIndex, count: n)
            let condition = a.conditional ? GeneratorFitting.oneHot(labels, classes: a.classes, on: tape) : nil
            let z = GeneratorFitting.noise(rows: n, columns: a.latent, on: tape, using: &rng)
            out.appendRows(tape.matrix(network.decode(z, condition: condition, labels: labels, on: tape, mode: .inference)))
            start += n
        }
        return out
    }

    public func safetensors() throws -> [UInt8] {
        try GeneratorNetwork.safetensors(networks, metadata: [
            "ballast.model": architecture.normalization == .conditionalBatch ? "dcbn-vae" : (architecture.conditional ? "cvae" : "vae"),
            "ballast.widths": architecture.hiddenWidths.map(String.init).joined(separator: "x"),
            "ballast.latent": "\(architecture.latent)", "ballast.classes": classNames.joined(separator: ","),
        ])
    }
}

extension TabularVAEModel: Codable {
    private enum CodingKeys: String, CodingKey { case classNames, featureCount, architecture, networks }

    /// Decodes a model and checks every network's weights against the architecture.
    /// - Throws: `DecodingError.dataCorrupted` naming the bad part.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classNames = try c.decode([String].self, forKey: .classNames)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        architecture = try c.decode(VAEArchitecture.self, forKey: .architecture)
        networks = try c.decode([GeneratorNetwork].self, forKey: .networks)
        let a = architecture
        guard (1...1_000_000).contains(featureCount), a.features == featureCount, a.classes == classNames.count, !classNames.isEmpty,
              (1...16).contains(a.hiddenWidths.count), a.hiddenWidths.allSatisfy({ (1...65_536).contains($0) }),
              (1...4096).contains(a.latent), (1...100_000).contains(a.classes), a.parameterCount != nil, networks.count <= a.classes,
              a.leakySlope >= 0 && a.leakySlope < 1, !networks.isEmpty,
              networks.allSatisfy({ n in n.classIndex.map { classNames.indices.contains($0) } ?? true }) else {
            throw DecodingError.dataCorruptedError(forKey: .architecture, in: c,
                                                   debugDescription: "the VAE architecture or its networks' classes are invalid")
        }
        try networks.validateDecoded(width: featureCount, key: .networks, in: c) { _ = try a.build(weights: $0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(architecture, forKey: .architecture)
        try c.encode(networks, forKey: .networks)
    }
}
