import BallastCore
import BallastNN

/// Generative adversarial networks for tabular rows — one kernel, several configurations (see
/// ``Catalog/generators``):
///
/// - `gan` (``gan``): the HIKARI-2021 paper's GAN (Goodfellow et al., 2014): columns min-max scaled
///   to [−1, 1], latent 100, an MLP generator with a `tanh` output, an MLP discriminator, binary
///   cross-entropy, Adam (lr 2e-4, β₁ 0.5); one network per raised class.
/// - `cgan` (``cgan``): the conditional GAN (Mirza & Osindero, 2014) the DCBN-VAE paper compares
///   with: the class one-hot joins the generator's noise and the discriminator's rows.
/// - `wgan-gp` (``wganGP``): the `gan` shape with a Wasserstein critic and gradient penalty
///   (Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville, 2017): λ = 10, five critic updates per
///   generator update, Adam 1e-4 / (0.5, 0.9).
/// - `ctgan` (``ctgan``): CTGAN (Xu, Skoularidou, Cuesta-Infante & Veeramachaneni, 2019) with the
///   `ctgan` package's defaults: mode-specific normalisation, a residual generator, a PacGAN
///   critic with dropout, WGAN-GP, training-by-sampling, Gumbel-softmax categories; conditioned
///   on the class as well.
///
/// With cross-entropy the generator is trained with the non-saturating loss `−log D(G(z))`; the
/// discriminator sees real and generated rows of the same batch. Training stops early on held-out
/// fidelity (``GeneratorTraining``); the rows of each raised class are checked for mode collapse
/// by ``GenerativeOversampler``.
///
/// ```swift
/// let model = try TabularGAN.cgan.fit(data, schema: schema, using: &rng)
/// let rare = try model.sample(1000, of: 4, using: &rng)
/// ```
public struct TabularGAN: Generator {
    /// What the discriminator (critic) and the generator optimise.
    public enum Objective: Sendable, Equatable {
        /// Binary cross-entropy of a discriminator's logits; non-saturating generator loss.
        case crossEntropy
        /// The Wasserstein loss of a critic, `mean D(fake) − mean D(real)`, plus the gradient
        /// penalty `λ · E[(‖∇D(x̂)‖ − 1)²]` at random interpolates of real and generated rows (per
        /// PacGAN group when `pac > 1`); the generator minimises `−mean D(fake)` (Gulrajani et al.,
        /// 2017). The penalty is differentiated through BallastNN's double backward.
        case wasserstein(gradientPenalty: Double)
    }

    /// How rows are represented inside the network.
    public enum Encoding: Sendable, Equatable {
        /// Every column min-max scaled to [−1, 1] and generated through `tanh`.
        case minMax
        /// CTGAN's mode-specific normalisation of continuous columns (``ModeNormalizer``: at most
        /// `maxModes` modes, modes of weight ≤ `weightThreshold` dropped) and one-hot spans for
        /// one-hot groups and flags, generated through `tanh` and Gumbel-softmax.
        case modeSpecific(maxModes: Int, weightThreshold: Double)
    }

    /// One network per class, or one network taking the class as a condition.
    public var conditioning: GeneratorConditioning
    /// The adversarial loss.
    public var objective: Objective
    /// The rows' representation inside the network.
    public var encoding: Encoding
    /// CTGAN's training-by-sampling: conditions (class, and a category of a discrete column) drawn
    /// by log-frequency, real rows drawn to match, and a cross-entropy term that makes the
    /// generator honour the condition (needs a class-conditional network).
    public var trainingBySampling: Bool
    /// Dimension of the noise.
    public var latent: Int
    /// Output widths of the generator's hidden blocks.
    public var generatorWidths: [Int]
    /// CTGAN's residual generator blocks (`Linear → BatchNorm → ReLU`, joined to the block's input)
    /// instead of `Linear → [BatchNorm] → LeakyReLU`.
    public var residual: Bool
    /// Batch normalisation in the generator's (non-residual) blocks.
    public var generatorNorm: Bool
    /// The discriminator's hidden widths.
    public var criticWidths: [Int]
    /// Negative slope of the LeakyReLU activations, in [0, 1).
    public var slope: Double
    /// Dropout after each hidden discriminator layer, in [0, 1).
    public var dropout: Double
    /// Rows the discriminator judges together (PacGAN, Lin et al., 2018); 1 judges rows alone.
    public var pac: Int
    /// Discriminator updates per generator update.
    public var criticSteps: Int
    /// Adam's β₁ for both networks.
    public var beta1: Double
    /// Adam's β₂ for both networks.
    public var beta2: Double
    /// Adam's L2 weight decay for both networks.
    public var weightDecay: Double
    /// Temperature of the Gumbel-softmax over categorical spans (mode-specific encoding).
    public var temperature: Double
    /// Epochs, batch, learning rate (both networks) and early stopping.
    public var training: GeneratorTraining

    /// Creates the hyperparameters (the defaults are the `gan` configuration).
    public init(conditioning: GeneratorConditioning = .perClass, objective: Objective = .crossEntropy, encoding: Encoding = .minMax,
                trainingBySampling: Bool = false, latent: Int = 100, generatorWidths: [Int] = [128, 256], residual: Bool = false,
                generatorNorm: Bool = false, criticWidths: [Int] = [256, 128], slope: Double = 0.2, dropout: Double = 0,
                pac: Int = 1, criticSteps: Int = 1, beta1: Double = 0.5, beta2: Double = 0.999, weightDecay: Double = 0,
                temperature: Double = 0.2, training: GeneratorTraining = GeneratorTraining(epochs: 1000, learningRate: 2e-4, patience: 100)) {
        self.conditioning = conditioning
        self.objective = objective
        self.encoding = encoding
        self.trainingBySampling = trainingBySampling
        self.latent = latent
        self.generatorWidths = generatorWidths
        self.residual = residual
        self.generatorNorm = generatorNorm
        self.criticWidths = criticWidths
        self.slope = slope
        self.dropout = dropout
        self.pac = pac
        self.criticSteps = criticSteps
        self.beta1 = beta1
        self.beta2 = beta2
        self.weightDecay = weightDecay
        self.temperature = temperature
        self.training = training
    }

    /// The HIKARI-2021 paper's GAN: [−1, 1] scaling, latent 100, `tanh` output, BCE, Adam 2e-4 /
    /// β₁ 0.5, one network per class. The paper prints no widths; these (generator 128-256,
    /// discriminator 256-128, LeakyReLU 0.2) are the conditional-GAN shape of Ballast's neural
    /// benchmark. A per-class network of a rare class takes one or a few steps per epoch and a
    /// GAN's fidelity improves slowly and noisily, hence up to 1,000 epochs with a patience of 100:
    /// on NSL-KDD's R2L (895 training rows, 8 steps an epoch) the held-out KS is best near epoch
    /// 620, and stopping at 300 left the rows' median column KS at 0.127 instead of 0.065.
    public static var gan: TabularGAN { TabularGAN() }

    /// The DCBN-VAE paper's CGAN baseline, read as: generator `(100 noise ⊕ 5 classes) → 128 →
    /// features`, discriminator `(features ⊕ classes) → 100 → 50 → 50 → 1` (the paper lists the
    /// layers as `[128, 1005, 123]` and `[128, 100, 50, 50, 1]` for 123 features; see the README for
    /// the parameter arithmetic). It trains once on every row, so an epoch is many steps: 100 epochs,
    /// patience 20.
    public static var cgan: TabularGAN {
        TabularGAN(conditioning: .classConditional, generatorWidths: [128], criticWidths: [100, 50, 50],
                   training: GeneratorTraining(epochs: 100, learningRate: 2e-4, patience: 20))
    }

    /// WGAN-GP (Gulrajani et al., 2017) on the `gan` shape: one network per class, the critic's
    /// Wasserstein loss with gradient penalty λ = 10, five critic updates per generator update, and
    /// the paper's Adam settings (lr 1e-4, β = (0.5, 0.9)).
    public static var wganGP: TabularGAN {
        TabularGAN(objective: .wasserstein(gradientPenalty: 10), criticSteps: 5, beta2: 0.9,
                   training: GeneratorTraining(epochs: 1000, learningRate: 1e-4, patience: 100))
    }

    /// CTGAN with the `ctgan` package's defaults: mode-specific normalisation (≤ 10 modes, weight
    /// > 0.005), latent 128, residual generator 256-256 with batch norm, critic 256-256 with
    /// LeakyReLU 0.2 and dropout 0.5 judging PacGAN groups of 10 rows, WGAN-GP (λ = 10, one critic
    /// update per generator update), training-by-sampling with log-frequency, Gumbel-softmax
    /// (τ = 0.2), Adam lr 2e-4, β = (0.5, 0.9), weight decay 1e-6, batch 500, 300 epochs. Unlike
    /// the package it is conditioned on the class in every step (the condition vector starts with
    /// the class one-hot) and stops early on held-out fidelity.
    public static var ctgan: TabularGAN {
        TabularGAN(conditioning: .classConditional, objective: .wasserstein(gradientPenalty: 10),
                   encoding: .modeSpecific(maxModes: 10, weightThreshold: 0.005), trainingBySampling: true, latent: 128,
                   generatorWidths: [256, 256], residual: true, criticWidths: [256, 256], slope: 0.2, dropout: 0.5, pac: 10,
                   beta2: 0.9, weightDecay: 1e-6,
                   training: GeneratorTraining(epochs: 300, batchSize: 500, learningRate: 2e-4, patience: 50))
    }

    /// Checks the hyperparameters.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` naming the catalogue key.
    func validateHyperparameters() throws {
        try training.validate()
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw LearnError.invalidParameter(name: name, value: "\(value)", expected: expected) }
        }
        func widths(_ w: [Int]) -> Bool { (1...16).contains(w.count) && w.allSatisfy { (1...65_536).contains($0) } }
        try require(widths(generatorWidths), "g-widths", generatorWidths.map(String.init).joined(separator: "x"), "1 to 16 widths in 1...65536")
        try require(widths(criticWidths), "d-widths", criticWidths.map(String.init).joined(separator: "x"), "1 to 16 widths in 1...65536")
        try require((1...4096).contains(latent), "latent", latent, "a dimension in 1...4096")
        try require(slope >= 0 && slope < 1, "slope", slope, "a LeakyReLU slope in [0, 1)")
        try require(dropout >= 0 && dropout < 1, "dropout", dropout, "a rate in [0, 1)")
        try require((1...64).contains(pac), "pac", pac, "1...64 rows per discriminator group")
        try require(training.batchSize >= 2 * pac, "batch", training.batchSize, "at least 2 × pac (\(2 * pac)) rows")
        try require((1...100).contains(criticSteps), "critic-steps", criticSteps, "1...100 discriminator updates per generator update")
        try require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "a decay in [0, 1)")
        try require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "a decay in [0, 1)")
        try require(weightDecay >= 0 && weightDecay.isFinite, "decay", weightDecay, "a finite weight decay ≥ 0")
        try require(temperature > 0 && temperature <= 100, "tau", temperature, "a Gumbel-softmax temperature in (0, 100]")
        if case let .wasserstein(lambda) = objective {
            try require(lambda >= 0 && lambda <= 1e6, "lambda", lambda, "a gradient-penalty weight in [0, 1e6]")
        }
        if case let .modeSpecific(modes, threshold) = encoding {
            try require((1...ModeSpecificEncoding.maximumModes).contains(modes), "modes", modes, "1...\(ModeSpecificEncoding.maximumModes) modes")
            try require(threshold >= 0 && threshold < 1, "mode-weight", threshold, "a weight threshold in [0, 1)")
            try require(conditioning == .classConditional, "cond", conditioning.rawValue,
                        "a class-conditional network for mode-specific normalisation")
        }
        try require(!trainingBySampling || conditioning == .classConditional, "sampling", "log-frequency",
                    "a class-conditional network for training-by-sampling")
    }

    /// Trains the network(s).
    /// - Throws: see ``Generator/fit(_:schema:using:)``.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema, using rng: inout some RandomNumberGenerator) throws -> TabularGANModel {
        try validateHyperparameters()
        try GeneratorFitting.validate(data, schema: schema)
        var architecture: GANArchitecture?
        var encoded: ModeSpecificEncoding?
        var table: ConditionTable?
        let networks = try GeneratorFitting.networks(data, conditioning: conditioning, using: &rng) { rows, classIndex, rng in
            let trained = try train(rows, classIndex: classIndex, schema: schema, using: &rng)
            architecture = trained.architecture
            encoded = trained.encoding
            table = trained.conditions
            return trained.network
        }
        guard let architecture else { throw LearnError.emptyData }
        return TabularGANModel(classNames: data.classNames, featureCount: data.features.columns, architecture: architecture,
                               encoding: encoded, conditions: table, networks: networks)
    }

    /// The architecture for rows of `features` columns in the network's space.
    func architecture(features: Int, conditionWidth: Int, tanhColumns: Int, spans: [Int]) -> GANArchitecture {
        GANArchitecture(features: features, conditionWidth: conditionWidth, latent: latent, body: residual ? .residual : .mlp,
                        generatorWidths: generatorWidths, generatorNorm: generatorNorm, criticWidths: criticWidths, slope: slope,
                        dropout: dropout, pac: pac, tanhColumns: tanhColumns, softmaxSpans: spans, temperature: temperature)
    }
}
