import BallastCore
import BallastNN

/// The shape of an ``AEFlow`` network: an autoencoder and a coupling flow on its latent code.
struct AEFlowArchitecture: Sendable, Codable, Equatable {
    /// Columns of a row.
    var features: Int
    /// Hidden widths of the encoder, input side first; the decoder mirrors them.
    var hiddenWidths: [Int]
    /// Dimension of the latent code.
    var latent: Int
    /// Negative slope of the autoencoder's LeakyReLU activations (0: ReLU).
    var leakySlope: Double
    /// The flow on the latent code (`latent` dimensions).
    var flow: CouplingFlowShape

    /// The widths of the encoder's layers, then the decoder's, as (inputs, outputs) pairs.
    private var layers: [(Int, Int)] {
        var out: [(Int, Int)] = []
        var width = features
        for w in hiddenWidths + [latent] { out.append((width, w)); width = w }
        for w in hiddenWidths.reversed() + [features] { out.append((width, w)); width = w }
        return out
    }

    /// Trainable scalars of one network, from the shape; `nil` past ``FlowArchitecture/maximumParameters``.
    var parameterCount: Int? {
        guard isPlausible else { return nil }
        var budget = ParameterBudget(cap: FlowArchitecture.maximumParameters)
        for (inputs, outputs) in layers { budget.add(inputs + 1, outputs) }
        flow.count(into: &budget)
        return budget.count
    }

    /// Whether a decoded architecture is consistent and within the allowed sizes.
    var isPlausible: Bool {
        (1...1_000_000).contains(features) && hiddenWidths.count <= 16 && hiddenWidths.allSatisfy { (1...65_536).contains($0) }
            && (1...4096).contains(latent) && flow.dimensions == latent && flow.isPlausible && leakySlope >= 0 && leakySlope < 1
    }

    /// FLOPs of one generated row: the inverse flow and the decoder.
    var flopsPerRow: Int {
        flow.flopsPerRow + layers.suffix(hiddenWidths.count + 1).reduce(0) { $0 + 2 * $1.0 * $1.1 + 2 * $1.1 }
    }

    /// Builds the network with fresh weights (He initialisation, an identity flow).
    func build(using rng: inout some RandomNumberGenerator) -> AEFlowNetwork {
        AEFlowNetwork(architecture: self, using: &rng)
    }
}

/// The layers of an ``AEFlowArchitecture`` (a reference type: it owns the parameters).
///
/// Encoder: per hidden width `Linear → LeakyReLU`, then `Linear` to the latent width and a batch
/// normalisation without affine part. Decoder: per hidden width (reversed) `Linear → LeakyReLU`,
/// then `Linear → sigmoid` to the features (the network works in [0, 1]-scaled columns).
final class AEFlowNetwork: FlowSampler {
    let architecture: AEFlowArchitecture
    let encoder: [Linear]
    let code: Linear
    /// Normalises the code over the batch, so the flow's likelihood cannot be raised by shrinking
    /// the code (the decoder would undo any scale).
    let codeNorm: BatchNorm1d
    let decoder: [Linear]
    let output: Linear
    let flow: CouplingFlow
    /// The resolution of real columns (generated rows are rounded to it, see ``NormalizingFlowModel``).
    let grid: ColumnGrid

    init(architecture a: AEFlowArchitecture, using rng: inout some RandomNumberGenerator) {
        architecture = a
        func stack(_ part: String, input: Int, widths: [Int], rng: inout some RandomNumberGenerator) -> [Linear] {
            var width = input
            return widths.enumerated().map { i, w in
                defer { width = w }
                return Linear(width, w, initialization: .heNormal, name: "\(part).\(i)", using: &rng)
            }
        }
        encoder = stack("encoder", input: a.features, widths: a.hiddenWidths, rng: &rng)
        code = Linear(a.hiddenWidths.last ?? a.features, a.latent, initialization: .xavierNormal, name: "encoder.code", using: &rng)
        codeNorm = BatchNorm1d(features: a.latent, affine: false, name: "encoder.norm")
        decoder = stack("decoder", input: a.latent, widths: a.hiddenWidths.reversed(), rng: &rng)
        output = Linear(a.hiddenWidths.first ?? a.latent, a.features, initialization: .xavierNormal, name: "decoder.output", using: &rng)
        flow = CouplingFlow(shape: a.flow, name: "flow.couplings", using: &rng)
        grid = ColumnGrid(features: a.features)
    }

    var features: Int { architecture.features }
    var parameters: [Parameter] { (encoder + [code] + decoder + [output]).flatMap(\.parameters) + flow.parameters }
    var buffers: [Parameter] { codeNorm.buffers + grid.buffers }
    func flopsPerSample() -> Int { architecture.flopsPerRow }

    private func activate<S: NNScalar>(_ x: Tensor, on tape: Tape<S>) -> Tensor {
        let slope = architecture.leakySlope
        return slope > 0 ? tape.leakyReLU(x, slope: Float(slope)) : tape.relu(x)
    }

    /// The batch-normalised latent codes of rows `x` (`batch × features`, scaled to [0, 1]).
    func encode<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        var h = x
        for layer in encoder { h = activate(layer.forward(h, on: tape, mode: mode), on: tape) }
        return codeNorm.forward(code.forward(h, on: tape, mode: mode), on: tape, mode: mode)
    }

    /// Rows in [0, 1] decoded from latent codes `h` (`batch × latent`).
    func decode<S: NNScalar>(_ h: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        var a = h
        for layer in decoder { a = activate(layer.forward(a, on: tape, mode: mode), on: tape) }
        return tape.sigmoid(output.forward(a, on: tape, mode: mode))
    }

    /// `count` rows: `z ~ N(0, temperature² I)`, inverted through the flow to latent codes, decoded.
    func generateChunk(_ count: Int, temperature: Float, on tape: Tape<Float>, using rng: inout some RandomNumberGenerator) -> Matrix {
        let z = baseNoise(rows: count, columns: architecture.latent, temperature: temperature, on: tape, using: &rng)
        return tape.matrix(decode(flow.inverse(z, on: tape), on: tape, mode: .inference))
    }
}
