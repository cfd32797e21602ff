import BallastCore
import BallastNN

/// Variational autoencoders for tabular rows: the plain VAE (Kingma & Welling, 2014), the
/// conditional VAE (Sohn, Lee & Yan, 2015) and the DCBN-VAE (Zeng, 2025: a CVAE whose hidden layers
/// use conditional batch normalisation) — one kernel, three configurations (see
/// ``Catalog/generators``: `vae`, `cvae`, `dcbn-vae`).
///
/// Columns are min-max scaled to [0, 1] per network (``ColumnScaler``) and decoded through a
/// sigmoid, so generated values stay inside each column's observed range. The loss per row is the
/// summed squared reconstruction error plus `beta ×` the KL divergence of the posterior from
/// N(0, I), averaged over the batch; Adam; early stopping on held-out fidelity
/// (``GeneratorTraining``). Sampling draws `z ~ N(0, I)` and decodes it with the class condition.
///
/// ```swift
/// let dcbn = TabularVAE.dcbnVAE
/// let model = try dcbn.fit(data, schema: schema, using: &rng)
/// let rare = try model.sample(1000, of: 4, using: &rng)
/// ```
public struct TabularVAE: Generator {
    /// The normalisation after each hidden linear layer.
    public enum Normalization: String, Sendable, Codable, CaseIterable {
        /// None.
        case none
        /// Batch normalisation shared by all classes.
        case batch
        /// Conditional batch normalisation: γ and β per class (de Vries et al., 2017).
        case conditionalBatch = "conditional"
    }

    /// One network per class (`vae`), or one network taking the class as a condition (`cvae`, `dcbn-vae`).
    public var conditioning: GeneratorConditioning
    /// The hidden-layer normalisation (`.conditionalBatch` needs a class-conditional network).
    public var normalization: Normalization
    /// Hidden widths of the encoder, input side first; the decoder mirrors them.
    public var hiddenWidths: [Int]
    /// Dimension of the latent code.
    public var latent: Int
    /// Negative slope of the LeakyReLU activations; 0 gives ReLU.
    public var leakySlope: Double
    /// Weight of the KL term (1: the standard evidence lower bound; β-VAE otherwise).
    public var beta: Double
    /// Epochs, batch, learning rate and early stopping.
    public var training: GeneratorTraining

    /// Creates the hyperparameters (the defaults are the `cvae` configuration).
    public init(conditioning: GeneratorConditioning = .classConditional, normalization: Normalization = .none,
                hiddenWidths: [Int] = [128], latent: Int = 16, leakySlope: Double = 0.2, beta: Double = 1,
                training: GeneratorTraining = GeneratorTraining()) {
        self.conditioning = conditioning
        self.normalization = normalization
        self.hiddenWidths = hiddenWidths
        self.latent = latent
        self.leakySlope = leakySlope
        self.beta = beta
        self.training = training
    }

    /// The DCBN-VAE paper's configuration: label concatenated to encoder and decoder inputs,
    /// conditional batch normalisation in every hidden layer, LeakyReLU, He initialisation, Adam
    /// with learning rate 1e-4, batch 128, 120 epochs.
    public static var dcbnVAE: TabularVAE {
        TabularVAE(conditioning: .classConditional, normalization: .conditionalBatch, hiddenWidths: [128], latent: 20,
                   leakySlope: 0.2, training: GeneratorTraining(epochs: 120, batchSize: 128, learningRate: 1e-4))
    }

    func validateHyperparameters() throws {
        try training.validate()
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw LearnError.invalidParameter(name: name, value: "\(value)", expected: expected) }
        }
        try require(!hiddenWidths.isEmpty && hiddenWidths.allSatisfy { (1...65_536).contains($0) }, "widths",
                    hiddenWidths.map(String.init).joined(separator: "x"), "one or more widths in 1...65536")
        try require((1...4096).contains(latent), "latent", latent, "a dimension in 1...4096")
        try require(leakySlope >= 0 && leakySlope < 1, "slope", leakySlope, "a LeakyReLU slope in [0, 1)")
        try require(beta >= 0 && beta.isFinite, "beta", beta, "a finite KL weight ≥ 0")
        try require(normalization != .conditionalBatch || conditioning == .classConditional, "norm", normalization.rawValue,
                    "none or batch for a per-class VAE (conditional batch norm needs a class-conditional network)")
    }

    /// Trains the network(s).
    /// - Throws: see ``Generator/fit(_:schema:using:)``.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema, using rng: inout some RandomNumberGenerator) throws -> TabularVAEModel {
        try validateHyperparameters()
        try GeneratorFitting.validate(data, schema: schema)
        let architecture = VAEArchitecture(features: data.features.columns, classes: data.classNames.count,
                                           conditional: conditioning == .classConditional, normalization: normalization,
                                           hiddenWidths: hiddenWidths, latent: latent, leakySlope: leakySlope)
        guard architecture.parameterCount != nil else {
            throw LearnError.invalidParameter(name: "widths", value: hiddenWidths.map(String.init).joined(separator: "x"),
                                              expected: "a network of at most \(VAEArchitecture.maximumParameters) parameters")
        }
        let networks = try GeneratorFitting.networks(data, conditioning: conditioning, using: &rng) { rows, classIndex, rng in
            try train(rows, classIndex: classIndex, architecture: architecture, schema: schema, using: &rng)
        }
        return TabularVAEModel(classNames: data.classNames, featureCount: data.features.columns, architecture: architecture,
                               networks: networks)
    }

    /// Trains one network on `data`.
    private func train(_ data: LabeledMatrix, classIndex: Int?, architecture: VAEArchitecture, schema: FeatureSchema,
                       using rng: inout Xoshiro256StarStar) throws -> GeneratorNetwork {
        let scaler = ColumnScaler(fitting: data.features)
        let scaled = scaler.transform(data.features)
        let network = architecture.build(using: &rng)
        let optimizer = try Adam(parameters: network.parameters, learningRate: Float(training.learningRate))
        var noise = rng.split()
        var labels: [Int] = []
        let klWeight = Float(beta), features = Float(architecture.features)
        let record = try training.run(
            data: data, schema: schema, classIndex: classIndex, lossTerms: ["loss", "reconstruction", "kl"],
            state: network.buffers, optimizers: [optimizer], using: &rng,
            step: { tape, rows in
                optimizer.zeroGradients()
                labels.removeAll(keepingCapacity: true)
                for r in rows { labels.append(data.labels[r]) }
                let x = GeneratorFitting.input(scaled, rows: rows, on: tape)
                let condition = architecture.conditional ? GeneratorFitting.oneHot(labels, classes: architecture.classes, on: tape) : nil
                let (mean, logVariance) = network.encode(x, condition: condition, labels: labels, on: tape, mode: .training)
                let epsilon = GeneratorFitting.noise(rows: rows.count, columns: architecture.latent, on: tape, using: &noise)
                let z = tape.add(mean, tape.mul(epsilon, tape.exp(tape.mul(logVariance, scalar: 0.5))))
                let reconstruction = network.decode(z, condition: condition, labels: labels, on: tape, mode: .training)
                let squaredError = tape.mul(tape.mseLoss(reconstruction, x), scalar: features)
                let kl = tape.gaussianKL(mean: mean, logVariance: logVariance)
                let loss = tape.add(squaredError, tape.mul(kl, scalar: klWeight))
                let values = [loss, squaredError, kl].map { t in tape.withValue(t) { Double($0[0]) } }
                guard values.allSatisfy(\.isFinite) else { return values }
                tape.backward(loss)
                optimizer.step()
                return values
            },
            sample: { c, n, rng in
                scaler.inverse(TabularVAEModel.generate(network, count: n, classIndex: c, using: &rng))
            })
        return GeneratorNetwork(classIndex: classIndex, weights: try Checkpoint.tensors(network), scaler: scaler, training: record)
    }
}
