import BallastCore
import BallastNN

/// The shape of a ``TabularGAN``'s generator and critic, shared by fitting and sampling: it builds
/// the same layers with the same names every time, so saved weights load back.
///
/// Generator: the latent code (joined by the condition vector) passes through hidden blocks, then a
/// `Linear` to ``features`` outputs and the output head: `tanh` on the first ``tanhColumns``
/// columns, a (Gumbel-)softmax on each span of ``softmaxSpans`` after them. A block is either
/// `Linear → [BatchNorm] → LeakyReLU` (``Body/mlp``) or CTGAN's residual block `Linear → BatchNorm →
/// ReLU`, concatenated with its own input (``Body/residual``).
///
/// Critic (discriminator): `pac` rows joined into one (PacGAN; 1 for an ordinary critic), then per
/// hidden width `Linear → LeakyReLU → [Dropout]`, then a `Linear` to one score.
struct GANArchitecture: Sendable, Codable, Equatable {
    /// How the generator's hidden blocks are built.
    enum Body: String, Sendable, Codable {
        /// `Linear → [BatchNorm] → LeakyReLU` (ReLU at slope 0).
        case mlp
        /// `Linear → BatchNorm → ReLU`, concatenated with the block's input (Xu et al., 2019).
        case residual
    }

    /// Width of a row in the network's space (the encoded width for mode-specific normalisation).
    var features: Int
    /// Width of the condition joined to the latent code and to the critic's rows (0: none).
    var conditionWidth: Int
    /// Dimension of the latent code.
    var latent: Int
    /// The generator's block type.
    var body: Body
    /// Output widths of the generator's hidden blocks.
    var generatorWidths: [Int]
    /// Whether ``Body/mlp`` blocks normalise their batch (residual blocks always do).
    var generatorNorm: Bool
    /// The critic's hidden widths.
    var criticWidths: [Int]
    /// Negative slope of the LeakyReLU activations (generator MLP blocks and critic).
    var slope: Double
    /// Dropout rate after each hidden critic layer, in [0, 1).
    var dropout: Double
    /// Rows the critic scores together (PacGAN, Lin et al. 2018).
    var pac: Int
    /// Leading output columns squashed by `tanh`.
    var tanhColumns: Int
    /// Widths of the softmax spans after the `tanh` columns, in order.
    var softmaxSpans: [Int]
    /// Gumbel-softmax temperature of the spans while training.
    var temperature: Double

    /// The largest network a model file may describe (100 million scalars).
    static let maximumParameters = 100_000_000

    /// The critic's input width: `pac` rows of features and condition.
    var criticInput: Int { pac * (features + conditionWidth) }

    /// Trainable scalars of the generator, computed from the shape; `nil` when the count overflows
    /// or exceeds ``maximumParameters`` (a hostile model file).
    var generatorParameterCount: Int? {
        var counter = ParameterCounter()
        var width = latent + conditionWidth
        for w in generatorWidths {
            let norm = body == .residual || generatorNorm ? 2 * w : 0
            guard counter.add(width + 1, w), counter.add(norm, 1) else { return nil }
            width = body == .residual ? width + w : w
        }
        guard counter.add(width + 1, features) else { return nil }
        return counter.total
    }

    /// Trainable scalars of the critic; `nil` like ``generatorParameterCount``.
    var criticParameterCount: Int? {
        var counter = ParameterCounter()
        var width = criticInput
        for w in criticWidths {
            guard counter.add(width + 1, w) else { return nil }
            width = w
        }
        guard counter.add(width + 1, 1) else { return nil }
        return counter.total
    }

    /// Trainable scalars of generator and critic together; `nil` when either count is.
    var parameterCount: Int? {
        guard let g = generatorParameterCount, let c = criticParameterCount, g + c <= Self.maximumParameters else { return nil }
        return g + c
    }

    /// The generator's forward cost per row: 2 per multiply-add, 1 per bias, 4 per batch-norm
    /// element, 1 per activation and output element.
    var generatorFlops: Int {
        var flops = 0, width = latent + conditionWidth
        for w in generatorWidths {
            flops += 2 * width * w + w + (body == .residual || generatorNorm ? 4 * w : 0) + w
            width = body == .residual ? width + w : w
        }
        return flops + 2 * width * features + features + features
    }

    /// The critic's forward cost per scored group of `pac` rows, counted like ``generatorFlops``.
    var criticFlops: Int {
        var flops = 0, width = criticInput
        for w in criticWidths {
            flops += 2 * width * w + w + w
            width = w
        }
        return flops + 2 * width + 1
    }

    /// Checks the shape's fields (for decoded models).
    var isValid: Bool {
        (1...1_000_000).contains(features) && (0...1_000_000).contains(conditionWidth) && (1...4096).contains(latent)
            && (1...16).contains(generatorWidths.count) && generatorWidths.allSatisfy { (1...65_536).contains($0) }
            && (1...16).contains(criticWidths.count) && criticWidths.allSatisfy { (1...65_536).contains($0) }
            && slope >= 0 && slope < 1 && dropout >= 0 && dropout < 1 && (1...64).contains(pac)
            && tanhColumns >= 0 && softmaxSpans.allSatisfy { (1...1_000_000).contains($0) }
            && softmaxSpans.reduce(tanhColumns, +) == features && temperature > 0 && temperature <= 100
            && parameterCount != nil
    }

    /// Builds the network with fresh weights (PyTorch's default initialisation).
    /// - Parameters:
    ///   - critic: whether to build the critic (sampling needs only the generator).
    ///   - rng: draws the weights and seeds the dropout masks.
    func build(critic: Bool, using rng: inout some RandomNumberGenerator) -> GANNetwork {
        GANNetwork(architecture: self, critic: critic, using: &rng)
    }

    /// Builds the generator alone and loads `weights` (its parameters and batch-norm buffers).
    /// - Throws: ``BallastNN/CheckpointError`` when a tensor is missing, misshapen or unexpected.
    func buildGenerator(weights: [String: StoredTensor]) throws -> GANNetwork {
        var rng = Xoshiro256StarStar(seed: 0)
        let network = build(critic: false, using: &rng)
        try Checkpoint.load(into: network.generatorParameters + network.buffers, from: SafeTensorsFile(tensors: weights))
        return network
    }
}

/// Adds `a × b` products with overflow checks, capped at ``GANArchitecture/maximumParameters``.
struct ParameterCounter {
    private(set) var total = 0

    /// Adds `a × b`; `false` when the product or the sum overflows or passes the cap.
    mutating func add(_ a: Int, _ b: Int) -> Bool {
        let (p, o1) = a.multipliedReportingOverflow(by: b)
        let (t, o2) = total.addingReportingOverflow(p)
        total = t
        return !o1 && !o2 && total <= GANArchitecture.maximumParameters
    }
}
