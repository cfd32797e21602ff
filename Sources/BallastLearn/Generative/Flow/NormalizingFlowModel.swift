import BallastCore
import BallastNN
import Foundation

/// A fitted ``RealNVP`` or ``AEFlow``: one network per trained class, each turning draws from
/// N(0, temperature² I) into rows of its class by inverting its flow (and, for AE-Flow, decoding
/// the latent code).
///
/// Sampling works in chunks of 4096 rows. A one-hot group of a generated row becomes the argmax
/// over the categories its class was seen with (before values are clipped to the class's ranges,
/// so that clipping cannot create ties); the rows are then mapped back to the preprocessed space
/// and clipped to each column's range in the class. Integer and binary columns are rounded later by
/// the schema's snap (see ``GenerativeOversampler``).
public struct NormalizingFlowModel: GenerativeModel, Equatable {
    public let classNames: [String]
    public let featureCount: Int
    /// The trained networks, one per class.
    public let networks: [GeneratorNetwork]
    /// Standard deviation of the base draws: 1 samples the learned density; below 1 concentrates
    /// the rows near its modes (fewer outliers, less variety).
    public let temperature: Double

    let architecture: FlowArchitecture
    /// Column ranges of one-hot groups (two or more columns) resolved by argmax when sampling.
    let categoricalGroups: [Range<Int>]

    init(classNames: [String], featureCount: Int, architecture: FlowArchitecture, networks: [GeneratorNetwork],
         temperature: Double, categoricalGroups: [Range<Int>]) {
        self.classNames = classNames
        self.featureCount = featureCount
        self.architecture = architecture
        self.networks = networks
        self.temperature = temperature
        self.categoricalGroups = categoricalGroups.filter { $0.count > 1 }
    }

    /// What the flow generators' `fit` shares: validating the data and the size of the network,
    /// training one network per class, and assembling the model.
    /// - Throws: ``LearnError`` for bad data or a network over 100 million parameters; what `train` throws.
    static func fit(_ data: LabeledMatrix, schema: FeatureSchema, architecture: FlowArchitecture, temperature: Double,
                    using rng: inout some RandomNumberGenerator,
                    train: (_ rows: LabeledMatrix, _ classIndex: Int?, _ rng: inout Xoshiro256StarStar) throws -> GeneratorNetwork)
        throws -> NormalizingFlowModel {
        try GeneratorFitting.validate(data, schema: schema)
        guard architecture.isPlausible else {
            throw LearnError.invalidParameter(name: "widths", value: architecture.metadata["ballast.widths"] ?? "",
                                              expected: "a network of at most \(FlowArchitecture.maximumParameters) parameters")
        }
        let networks = try GeneratorFitting.networks(data, conditioning: .perClass, using: &rng, train: train)
        return NormalizingFlowModel(classNames: data.classNames, featureCount: data.features.columns, architecture: architecture,
                                    networks: networks, temperature: temperature, categoricalGroups: schema.categoricalGroups)
    }

    public var trainedClasses: [Int] { networks.compactMap(\.classIndex).sorted() }

    public var parameterCount: Int { (architecture.parameterCount ?? 0) * networks.count }

    public var flopsPerRow: Int { architecture.flopsPerRow }

    public var training: [GeneratorTrainingRecord] { networks.map(\.training) }

    /// Generates `count` rows of `classIndex` in the preprocessed space, within the class's ranges.
    /// - Throws: see ``GenerativeModel/sample(_:of:using:)``; ``LearnError/invalidParameter(name:value:expected:)``
    ///   when the stored weights do not fit the architecture or the rows are not finite.
    public func sample(_ count: Int, of classIndex: Int, using rng: inout some RandomNumberGenerator) throws -> Matrix {
        try validateSampling(count, of: classIndex)
        let (stored, network) = try networks.load(for: classIndex, of: self) { weights -> any FlowSampler in
            try architecture.build(weights: weights)
        }
        let rows = Self.rows(network, count: count, temperature: temperature, scaler: stored.scaler, groups: categoricalGroups, using: &rng)
        try GeneratorFitting.requireFinite(rows, className: classNames[classIndex])
        return rows
    }

    /// `count` rows of a network in the preprocessed space: generated, one-hot groups resolved,
    /// un-scaled and clipped, real columns rounded to their recorded resolution (``ColumnGrid``) (what ``sample(_:of:using:)`` returns, and what training probes score).
    static func rows(_ network: any FlowSampler, count: Int, temperature: Double, scaler: ColumnScaler, groups: [Range<Int>],
                     using rng: inout some RandomNumberGenerator) -> Matrix {
        var scaled = network.generate(count, temperature: Float(temperature), using: &rng)
        resolveGroups(&scaled, scaler: scaler, groups: groups)
        var rows = scaler.inverse(scaled)
        network.grid.round(&rows)
        return rows
    }

    /// Sets each one-hot group of each row to its argmax, in the scaled space: the candidates are the
    /// group's columns whose class maximum is the group's top value (categories the class was seen
    /// with), compared by their unclipped preprocessed values.
    static func resolveGroups(_ scaled: inout Matrix, scaler: ColumnScaler, groups: [Range<Int>]) {
        let rows = scaled.rows, cols = scaled.columns, span = scaler.upper - scaler.lower
        for group in groups where group.upperBound <= cols {
            let top = group.map { scaler.maximums[$0] }.max() ?? 0
            let candidates = group.filter { scaler.maximums[$0] == top }
            guard candidates.count > 1 else { continue }
            scaled.withUnsafeMutableBufferPointer { x in
                for r in 0..<rows {
                    var best = candidates[0], bestValue = -Float.infinity
                    for j in candidates {
                        let value = scaler.minimums[j] + (x[r * cols + j] - scaler.lower) / span * (scaler.maximums[j] - scaler.minimums[j])
                        if value > bestValue { best = j; bestValue = value }
                    }
                    for j in group where scaler.maximums[j] > scaler.minimums[j] {
                        x[r * cols + j] = j == best ? scaler.upper : scaler.lower
                    }
                }
            }
        }
    }

    public func safetensors() throws -> [UInt8] {
        var metadata = architecture.metadata
        metadata["ballast.classes"] = classNames.joined(separator: ",")
        metadata["ballast.temperature"] = "\(temperature)"
        return try GeneratorNetwork.safetensors(networks, metadata: metadata)
    }
}

extension NormalizingFlowModel: Codable {
    private enum CodingKeys: String, CodingKey { case classNames, featureCount, architecture, networks, temperature, categoricalGroups }

    /// Decodes a model and checks the architecture's sizes (before building anything) and every
    /// network's weights against it.
    /// - Throws: `DecodingError.dataCorrupted` naming the bad part.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classNames = try c.decode([String].self, forKey: .classNames)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        architecture = try c.decode(FlowArchitecture.self, forKey: .architecture)
        networks = try c.decode([GeneratorNetwork].self, forKey: .networks)
        temperature = try c.decode(Double.self, forKey: .temperature)
        categoricalGroups = try c.decode([Range<Int>].self, forKey: .categoricalGroups)
        let classes = networks.compactMap(\.classIndex)
        guard (1...1_000_000).contains(featureCount), architecture.features == featureCount, architecture.isPlausible,
              !classNames.isEmpty, classNames.count <= 100_000, !networks.isEmpty, classes.count == networks.count,
              Set(classes).count == classes.count, classes.allSatisfy({ classNames.indices.contains($0) }) else {
            throw DecodingError.dataCorruptedError(forKey: .architecture, in: c,
                                                   debugDescription: "the \(architecture.name) architecture or its networks' classes are invalid")
        }
        guard temperature > 0 && temperature <= 100,
              categoricalGroups.count <= featureCount,
              categoricalGroups.allSatisfy({ $0.lowerBound >= 0 && $0.upperBound <= featureCount && $0.count > 1 }) else {
            throw DecodingError.dataCorruptedError(forKey: .temperature, in: c,
                                                   debugDescription: "the temperature or the one-hot groups are out of range")
        }
        let architecture = architecture
        try networks.validateDecoded(width: featureCount, key: .networks, in: c) { _ = try architecture.build(weights: $0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(architecture, forKey: .architecture)
        try c.encode(networks, forKey: .networks)
        try c.encode(temperature, forKey: .temperature)
        try c.encode(categoricalGroups, forKey: .categoricalGroups)
    }
}
