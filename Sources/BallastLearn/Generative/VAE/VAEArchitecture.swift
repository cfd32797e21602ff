import BallastCore
import BallastNN

/// The shape of a ``TabularVAE`` network, shared by fitting and sampling: it builds the same layers
/// with the same names every time, so saved weights load back.
///
/// Encoder: per hidden width `Linear → [norm] → activation`, then a head `Linear` to `2 · latent`
/// (means, then log-variances). Decoder: per hidden width (reversed) `Linear → [norm] →
/// activation`, then `Linear → sigmoid` to the features (the network works in [0, 1]-scaled
/// columns). A class-conditional network concatenates the class's one-hot vector to the encoder's
/// input and to the latent code; conditional batch normalisation picks γ and β per class.
struct VAEArchitecture: Sendable, Codable, Equatable {
    var features: Int
    var classes: Int
    var conditional: Bool
    var normalization: TabularVAE.Normalization
    var hiddenWidths: [Int]
    var latent: Int
    var leakySlope: Double

    /// Width added to the encoder input and the latent code by the class condition.
    var conditionWidth: Int { conditional ? classes : 0 }

    /// Trainable scalars of one network, computed from the shape (without building it); `nil` when
    /// the count overflows or exceeds ``maximumParameters`` (a hostile model file).
    var parameterCount: Int? {
        var budget = ParameterBudget(cap: Self.maximumParameters)
        let normPerWidth: Int
        switch normalization {
        case .none: normPerWidth = 0
        case .batch: normPerWidth = 2
        case .conditionalBatch: normPerWidth = 2 * classes
        }
        var width = features + conditionWidth
        for w in hiddenWidths {
            budget.add(width + 1 + normPerWidth, w)
            width = w
        }
        budget.add(width + 1, 2 * latent)
        width = latent + conditionWidth
        for w in hiddenWidths.reversed() {
            budget.add(width + 1 + normPerWidth, w)
            width = w
        }
        budget.add(width + 1, features)
        return budget.count
    }

    /// The largest network a model file may describe (100 million scalars).
    static let maximumParameters = 100_000_000

    /// Builds the network with fresh He-initialised weights.
    func build(using rng: inout some RandomNumberGenerator) -> VAENetwork {
        VAENetwork(architecture: self, using: &rng)
    }

    /// Builds the network and loads `weights` (the names ``VAENetwork`` gives).
    /// - Throws: ``BallastNN/CheckpointError`` when a tensor is missing, misshapen or unexpected.
    func build(weights: [String: StoredTensor]) throws -> VAENetwork {
        var rng = Xoshiro256StarStar(seed: 0)
        let network = build(using: &rng)
        try Checkpoint.load(into: network.parameters + network.buffers, from: SafeTensorsFile(tensors: weights))
        return network
    }
}

/// The layers of a ``VAEArchitecture`` (a reference type: it owns the trainable parameters).
final class VAENetwork: Trainable {
    /// One hidden layer: its linear map and optional normalisation.
    struct Block {
        let linear: Linear
        let batchNorm: BatchNorm1d?
        let conditionalNorm: ConditionalBatchNorm1d?
    }

    let architecture: VAEArchitecture
    let encoder: [Block]
    let head: Linear
    let decoder: [Block]
    let output: Linear

    init(architecture a: VAEArchitecture, using rng: inout some RandomNumberGenerator) {
        architecture = a
        func blocks(_ part: String, input: Int, widths: [Int], rng: inout some RandomNumberGenerator) -> [Block] {
            var width = input
            return widths.enumerated().map { i, w in
                defer { width = w }
                let name = "\(part).\(i)"
                return Block(linear: Linear(width, w, initialization: .heNormal, name: name + ".linear", using: &rng),
                             batchNorm: a.normalization == .batch ? BatchNorm1d(features: w, name: name + ".norm") : nil,
                             conditionalNorm: a.normalization == .conditionalBatch
                                 ? ConditionalBatchNorm1d(features: w, classes: a.classes, name: name + ".norm") : nil)
            }
        }
        encoder = blocks("encoder", input: a.features + a.conditionWidth, widths: a.hiddenWidths, rng: &rng)
        head = Linear(a.hiddenWidths.last ?? (a.features + a.conditionWidth), 2 * a.latent, initialization: .xavierNormal,
                      name: "encoder.head", using: &rng)
        decoder = blocks("decoder", input: a.latent + a.conditionWidth, widths: a.hiddenWidths.reversed(), rng: &rng)
        output = Linear(a.hiddenWidths.first ?? (a.latent + a.conditionWidth), a.features, initialization: .xavierNormal,
                        name: "decoder.output", using: &rng)
    }

    private var allBlocks: [Block] { encoder + decoder }

    var parameters: [Parameter] {
        let hidden = allBlocks.flatMap { block -> [Parameter] in
            block.linear.parameters + (block.batchNorm?.parameters ?? []) + (block.conditionalNorm?.parameters ?? [])
        }
        return hidden + head.parameters + output.parameters
    }

    var buffers: [Parameter] {
        allBlocks.flatMap { ($0.batchNorm?.buffers ?? []) + ($0.conditionalNorm?.buffers ?? []) }
    }

    /// The whole network's forward cost (encoder and decoder).
    func flopsPerSample() -> Int { encoderFlops + decoderFlops }

    /// The decoder's forward cost: what generating one row takes.
    var decoderFlops: Int { Self.flops(decoder, slope: architecture.leakySlope) + output.flopsPerSample() + architecture.features }

    private var encoderFlops: Int {
        Self.flops(encoder, slope: architecture.leakySlope) + head.flopsPerSample() + 3 * architecture.latent
    }

    /// Linear maps, normalisation and one FLOP per activation element.
    private static func flops(_ blocks: [Block], slope: Double) -> Int {
        blocks.reduce(0) { sum, b in
            sum + b.linear.flopsPerSample() + (b.batchNorm?.flopsPerSample() ?? 0) + (b.conditionalNorm?.flopsPerSample() ?? 0)
                + b.linear.outputs
        }
    }

    /// Runs hidden blocks on `x`.
    private func run<S: NNScalar>(_ blocks: [Block], _ x: Tensor, labels: [Int], on tape: Tape<S>, mode: Mode) -> Tensor {
        var h = x
        for block in blocks {
            h = block.linear.forward(h, on: tape, mode: mode)
            if let norm = block.batchNorm { h = norm.forward(h, on: tape, mode: mode) }
            if let norm = block.conditionalNorm { h = norm.forward(h, labels: labels, on: tape, mode: mode) }
            h = architecture.leakySlope > 0 ? tape.leakyReLU(h, slope: Float(architecture.leakySlope)) : tape.relu(h)
        }
        return h
    }

    /// The posterior's means and log-variances (clamped to [−12, 12] so `exp` stays finite).
    /// - Parameters:
    ///   - x: `batch × features`, scaled to [0, 1].
    ///   - condition: the batch's one-hot classes (`batch × classes`), or `nil` for an unconditional network.
    ///   - labels: the batch's classes (for conditional normalisation).
    func encode<S: NNScalar>(_ x: Tensor, condition: Tensor?, labels: [Int], on tape: Tape<S>, mode: Mode) -> (mean: Tensor, logVariance: Tensor) {
        let input = condition.map { tape.concat(x, $0) } ?? x
        let stats = head.forward(run(encoder, input, labels: labels, on: tape, mode: mode), on: tape, mode: mode)
        let latent = architecture.latent
        return (tape.slice(stats, columns: 0..<latent), tape.clamp(tape.slice(stats, columns: latent..<(2 * latent)), min: -12, max: 12))
    }

    /// Reconstructed (or generated) rows in [0, 1].
    /// - Parameters:
    ///   - z: `batch × latent`.
    ///   - condition: the one-hot classes, or `nil`.
    ///   - labels: the classes (for conditional normalisation).
    func decode<S: NNScalar>(_ z: Tensor, condition: Tensor?, labels: [Int], on tape: Tape<S>, mode: Mode) -> Tensor {
        let input = condition.map { tape.concat(z, $0) } ?? z
        return tape.sigmoid(output.forward(run(decoder, input, labels: labels, on: tape, mode: mode), on: tape, mode: mode))
    }
}
