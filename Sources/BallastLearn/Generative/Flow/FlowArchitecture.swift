import BallastCore
import BallastNN

/// A trained flow network that generates rows in its [0, 1]-scaled space.
protocol FlowSampler: Trainable {
    /// Columns of a generated row.
    var features: Int { get }
    /// The resolution of real columns, applied to generated rows in the preprocessed space.
    var grid: ColumnGrid { get }
    /// `count` rows (at most ``FlowArchitecture/chunkRows``) in the scaled space, in inference mode.
    func generateChunk(_ count: Int, temperature: Float, on tape: Tape<Float>, using rng: inout some RandomNumberGenerator) -> Matrix
}

extension FlowSampler {
    /// A `rows × columns` tape constant of draws from the base distribution N(0, temperature² I).
    func baseNoise(rows: Int, columns: Int, temperature: Float, on tape: Tape<Float>,
                   using rng: inout some RandomNumberGenerator) -> Tensor {
        tape.input(rows: rows, columns: columns) { out in
            rng.fillNormal(out)
            if temperature != 1 { for i in 0..<out.count { out[i] *= temperature } }
        }
    }

    /// `count` rows in the scaled space, generated in chunks of ``FlowArchitecture/chunkRows`` so
    /// that memory stays bounded.
    func generate(_ count: Int, temperature: Float, using rng: inout some RandomNumberGenerator) -> Matrix {
        var out = Matrix(rows: 0, columns: features)
        let tape = Tape<Float>()
        var start = 0
        while start < count {
            let n = min(FlowArchitecture.chunkRows, count - start)
            tape.reset()
            out.appendRows(generateChunk(n, temperature: temperature, on: tape, using: &rng))
            start += n
        }
        return out
    }
}

/// The network shape of a ``NormalizingFlowModel``: one case per flow generator.
enum FlowArchitecture: Sendable, Codable, Equatable {
    /// A flow on the rows (``RealNVP``).
    case realNVP(RealNVPArchitecture)
    /// An autoencoder with a flow on its latent code (``AEFlow``).
    case aeFlow(AEFlowArchitecture)

    /// The largest network a model file may describe (100 million scalars).
    static let maximumParameters = 100_000_000
    /// Rows generated per pass.
    static let chunkRows = 4096

    /// The catalogue name.
    var name: String {
        switch self {
        case .realNVP: return "realnvp"
        case .aeFlow: return "ae-flow"
        }
    }

    /// Columns of a generated row.
    var features: Int {
        switch self {
        case .realNVP(let a): return a.features
        case .aeFlow(let a): return a.features
        }
    }

    /// Trainable scalars of one network; `nil` when the shape is too large.
    var parameterCount: Int? {
        switch self {
        case .realNVP(let a): return a.parameterCount
        case .aeFlow(let a): return a.parameterCount
        }
    }

    /// Whether a decoded shape is consistent and within the allowed sizes (checked before building).
    var isPlausible: Bool {
        switch self {
        case .realNVP(let a): return a.isPlausible && a.parameterCount != nil
        case .aeFlow(let a): return a.isPlausible && a.parameterCount != nil
        }
    }

    /// FLOPs to generate one row.
    var flopsPerRow: Int {
        switch self {
        case .realNVP(let a): return a.flopsPerRow
        case .aeFlow(let a): return a.flopsPerRow
        }
    }

    /// The safetensors header entries describing the shape.
    var metadata: [String: String] {
        switch self {
        case .realNVP(let a):
            return ["ballast.model": name, "ballast.couplings": "\(a.flow.couplings)",
                    "ballast.widths": a.flow.hiddenWidths.map(String.init).joined(separator: "x")]
        case .aeFlow(let a):
            return ["ballast.model": name, "ballast.widths": a.hiddenWidths.map(String.init).joined(separator: "x"),
                    "ballast.latent": "\(a.latent)", "ballast.couplings": "\(a.flow.couplings)", "ballast.coupling": a.flow.kind.rawValue,
                    "ballast.flow-widths": a.flow.hiddenWidths.map(String.init).joined(separator: "x")]
        }
    }

    /// Builds the network and loads `weights` (every tensor must be present, with its shape).
    /// - Throws: ``BallastNN/CheckpointError`` when a tensor is missing, misshapen or unexpected.
    func build(weights: [String: StoredTensor]) throws -> any FlowSampler {
        var rng = Xoshiro256StarStar(seed: 0)
        let network: any FlowSampler
        switch self {
        case .realNVP(let a): network = a.build(using: &rng)
        case .aeFlow(let a): network = a.build(using: &rng)
        }
        try Checkpoint.load(into: network.parameters + network.buffers, from: SafeTensorsFile(tensors: weights))
        return network
    }
}
