import BallastCore
import BallastNN

/// The layers of a ``GANArchitecture``: a generator and (while training) a critic. A reference
/// type: it owns the trainable parameters.
final class GANNetwork: Trainable {
    /// One generator block: its linear map and optional batch normalisation.
    struct Block {
        let linear: Linear
        let norm: BatchNorm1d?
    }

    let architecture: GANArchitecture
    let generator: [Block]
    let generatorOutput: Linear
    let critic: [Linear]
    let criticOutput: Linear?
    let dropouts: [Dropout]

    init(architecture a: GANArchitecture, critic withCritic: Bool, using rng: inout some RandomNumberGenerator) {
        architecture = a
        var width = a.latent + a.conditionWidth
        var blocks: [Block] = []
        for (i, w) in a.generatorWidths.enumerated() {
            let name = "generator.\(i)"
            blocks.append(Block(linear: Linear(width, w, initialization: .pytorchDefault, name: name + ".linear", using: &rng),
                                norm: a.body == .residual || a.generatorNorm ? BatchNorm1d(features: w, name: name + ".norm") : nil))
            width = a.body == .residual ? width + w : w
        }
        generator = blocks
        generatorOutput = Linear(width, a.features, initialization: .pytorchDefault, name: "generator.output", using: &rng)
        guard withCritic else {
            critic = []
            criticOutput = nil
            dropouts = []
            return
        }
        width = a.criticInput
        var layers: [Linear] = []
        for (i, w) in a.criticWidths.enumerated() {
            layers.append(Linear(width, w, initialization: .pytorchDefault, name: "critic.\(i)", using: &rng))
            width = w
        }
        critic = layers
        criticOutput = Linear(width, 1, initialization: .pytorchDefault, name: "critic.output", using: &rng)
        dropouts = a.dropout > 0 ? a.criticWidths.map { _ in Dropout(rate: Float(a.dropout), seed: rng.next()) } : []
    }

    /// The generator's weights and batch-norm scales, in a stable order.
    var generatorParameters: [Parameter] {
        generator.flatMap { $0.linear.parameters + ($0.norm?.parameters ?? []) } + generatorOutput.parameters
    }

    /// The critic's weights (empty when it was not built).
    var criticParameters: [Parameter] {
        critic.flatMap(\.parameters) + (criticOutput?.parameters ?? [])
    }

    var parameters: [Parameter] { generatorParameters + criticParameters }

    var buffers: [Parameter] { generator.flatMap { $0.norm?.buffers ?? [] } }

    /// The generator's cost per row (what sampling takes).
    func flopsPerSample() -> Int { architecture.generatorFlops }

    /// The generator's output before the head: `batch × features`.
    /// - Parameters:
    ///   - z: `batch × latent` noise.
    ///   - condition: `batch × conditionWidth`, or `nil` for an unconditional network.
    ///   - tape: the tape of the step.
    ///   - mode: training (batch statistics) or inference (running statistics).
    func generate<S: NNScalar>(_ z: Tensor, condition: Tensor?, on tape: Tape<S>, mode: Mode) -> Tensor {
        var h = condition.map { tape.concat(z, $0) } ?? z
        let slope = Float(architecture.slope)
        for block in generator {
            var y = block.linear.forward(h, on: tape, mode: mode)
            if let norm = block.norm { y = norm.forward(y, on: tape, mode: mode) }
            switch architecture.body {
            case .mlp: h = slope > 0 ? tape.leakyReLU(y, slope: slope) : tape.relu(y)
            case .residual: h = tape.concat(tape.relu(y), h)
            }
        }
        return generatorOutput.forward(h, on: tape, mode: mode)
    }

    /// The output head while training: `tanh` on the leading columns and a Gumbel-softmax
    /// (Jang et al., 2017) on each span, `softmax((logits + g) / τ)` with the given Gumbel noise.
    /// Runs of spans of equal width are normalised together (one reshape instead of one op per span).
    /// - Parameters:
    ///   - raw: the generator's output, `batch × features`.
    ///   - gumbel: `batch × (features − tanhColumns)` Gumbel(0, 1) draws, or `nil` without spans.
    ///   - tape: the tape of the step.
    func activate<S: NNScalar>(_ raw: Tensor, gumbel: Tensor?, on tape: Tape<S>) -> Tensor {
        let a = architecture
        guard !a.softmaxSpans.isEmpty, let gumbel else { return tape.tanh(raw) }
        var parts: [Tensor] = []
        if a.tanhColumns > 0 { parts.append(tape.tanh(tape.slice(raw, columns: 0..<a.tanhColumns))) }
        let logits = tape.mul(tape.add(tape.slice(raw, columns: a.tanhColumns..<a.features), gumbel), scalar: Float(1 / a.temperature))
        for run in Self.runs(of: a.softmaxSpans) {
            let block = tape.slice(logits, columns: run.start..<(run.start + run.width * run.count))
            let rows = tape.reshape(block, rows: raw.rows * run.count, columns: run.width)
            parts.append(tape.reshape(tape.exp(tape.logSoftmax(rows)), rows: raw.rows, columns: run.width * run.count))
        }
        return parts.count == 1 ? parts[0] : tape.concat(parts)
    }

    /// Consecutive spans of equal width: where each run starts (after the `tanh` columns), the
    /// width, and how many spans it holds.
    static func runs(of spans: [Int]) -> [(start: Int, width: Int, count: Int)] {
        var out: [(start: Int, width: Int, count: Int)] = []
        var start = 0
        for w in spans {
            if let last = out.last, last.width == w {
                out[out.count - 1].count += 1
            } else {
                out.append((start, w, 1))
            }
            start += w
        }
        return out
    }

    /// The critic's scores: `(batch / pac) × 1`.
    /// - Parameters:
    ///   - x: `batch × (features + conditionWidth)`, rows already joined with their condition;
    ///     `batch` is a multiple of `pac`.
    ///   - tape: the tape of the step.
    ///   - mode: training draws dropout masks.
    /// - Precondition: the critic was built.
    func score<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        guard let criticOutput else { preconditionFailure("GANNetwork.score: the critic was not built") }
        let pac = architecture.pac
        var h = pac == 1 ? x : tape.reshape(x, rows: x.rows / pac, columns: x.columns * pac)
        let slope = Float(architecture.slope)
        for (i, layer) in critic.enumerated() {
            h = layer.forward(h, on: tape, mode: mode)
            h = slope > 0 ? tape.leakyReLU(h, slope: slope) : tape.relu(h)
            if i < dropouts.count { h = dropouts[i].forward(h, on: tape, mode: mode) }
        }
        return criticOutput.forward(h, on: tape, mode: mode)
    }
}
