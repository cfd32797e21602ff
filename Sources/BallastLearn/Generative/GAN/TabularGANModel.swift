import BallastCore
import BallastNN
import Foundation

/// A fitted ``TabularGAN``: the generator(s) that turn noise (and a condition) into rows.
///
/// The model keeps the generators only; ``parameterCount`` counts the critic too, since it was
/// trained (and the papers count both).
public struct TabularGANModel: GenerativeModel, Equatable {
    public let classNames: [String]
    public let featureCount: Int
    /// The trained generators: one conditional network, or one per class.
    public let networks: [GeneratorNetwork]

    let architecture: GANArchitecture
    /// CTGAN's mode-specific encoding of the conditional network's rows, if used.
    let encoding: ModeSpecificEncoding?
    /// The condition table of training-by-sampling, if used.
    let conditions: ConditionTable?

    init(classNames: [String], featureCount: Int, architecture: GANArchitecture, encoding: ModeSpecificEncoding?,
         conditions: ConditionTable?, networks: [GeneratorNetwork]) {
        self.classNames = classNames
        self.featureCount = featureCount
        self.architecture = architecture
        self.encoding = encoding
        self.conditions = conditions
        self.networks = networks
    }

    /// Every class of the training data for a conditional network; each network's class otherwise.
    public var trainedClasses: [Int] {
        networks.contains { $0.classIndex == nil } ? Array(classNames.indices) : networks.compactMap(\.classIndex).sorted()
    }

    /// Generator and critic scalars over every network.
    public var parameterCount: Int { (architecture.parameterCount ?? 0) * networks.count }

    /// The generator's scalars over every network (what the model file holds).
    public var generatorParameterCount: Int { (architecture.generatorParameterCount ?? 0) * networks.count }

    public var flopsPerRow: Int { architecture.generatorFlops }

    /// The critic's FLOPs per scored group of `pac` rows (a training cost, for comparison with papers
    /// that count generator and discriminator together).
    public var criticFlops: Int { architecture.criticFlops }

    public var training: [GeneratorTrainingRecord] { networks.map(\.training) }

    /// Generates `count` rows of `classIndex`, in chunks of 4096 rows, in the original units and
    /// within each column's training range. A conditional network with training-by-sampling draws
    /// the category part of each condition from the class's own category frequencies.
    /// - Throws: see ``GenerativeModel/sample(_:of:using:)``.
    public func sample(_ count: Int, of classIndex: Int, using rng: inout some RandomNumberGenerator) throws -> Matrix {
        try validateSampling(count, of: classIndex)
        let (stored, network) = try networks.load(for: classIndex, of: self) { try architecture.buildGenerator(weights: $0) }
        let rows = stored.scaler.inverse(Self.generate(network, count: count, classIndex: classIndex, encoding: encoding,
                                                       conditions: conditions, using: &rng))
        try GeneratorFitting.requireFinite(rows, className: classNames[classIndex])
        return rows
    }

    /// `count` generated rows of `classIndex` in the network's [−1, 1]-scaled space (inference mode):
    /// `tanh` on the leading columns; each span's category drawn from its softmax (the arg-max of
    /// logits plus Gumbel noise) and decoded by `encoding`.
    static func generate(_ network: GANNetwork, count: Int, classIndex: Int, encoding: ModeSpecificEncoding?,
                         conditions: ConditionTable?, using rng: inout some RandomNumberGenerator) -> Matrix {
        let a = network.architecture
        var out = Matrix(rows: 0, columns: encoding?.width ?? a.features - (conditions?.classes ?? 0))
        let tape = Tape<Float>()
        var start = 0
        while start < count {
            let n = min(4096, count - start)
            tape.reset()
            let z = GeneratorFitting.noise(rows: n, columns: a.latent, on: tape, using: &rng)
            var condition: Tensor?
            if let conditions {
                condition = conditions.condition(conditions.drawForSampling(n, of: classIndex, using: &rng), on: tape)
            } else if a.conditionWidth > 0 {
                condition = GeneratorFitting.oneHot([Int](repeating: classIndex, count: n), classes: a.conditionWidth, on: tape)
            }
            var rows = tape.matrix(network.generate(z, condition: condition, on: tape, mode: .inference))
            let width = a.features
            rows.withUnsafeMutableBufferPointer { x in
                for r in 0..<n {
                    for c in 0..<a.tanhColumns { x[r * width + c] = Foundation.tanh(x[r * width + c]) }
                    for c in a.tanhColumns..<width { x[r * width + c] += GANBatchMaker.gumbel(using: &rng) }
                }
            }
            // The class span of training-by-sampling is not part of a row.
            if let conditions { rows = rows.selectColumns(Array(0..<(width - conditions.classes))) }
            out.appendRows(encoding?.inverse(rows) ?? rows)
            start += n
        }
        return out
    }

    public func safetensors() throws -> [UInt8] {
        try GeneratorNetwork.safetensors(networks, metadata: [
            "ballast.model": encoding != nil ? "ctgan" : (architecture.conditionWidth > 0 ? "cgan" : "gan"),
            "ballast.generator": architecture.generatorWidths.map(String.init).joined(separator: "x"),
            "ballast.latent": "\(architecture.latent)", "ballast.classes": classNames.joined(separator: ","),
        ])
    }
}
