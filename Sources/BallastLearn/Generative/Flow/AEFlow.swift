import BallastCore
import BallastNN

/// AE-Flow (Xiong, Zhang et al., 2023, "Data Balancing Technique Based on AE-Flow Model for
/// Network Intrusion Detection"): an autoencoder whose latent code is modelled by a normalizing
/// flow, one network per raised class (catalogue name `ae-flow`).
///
/// The autoencoder works on rows min-max scaled to [0, 1] (``ColumnScaler``): LeakyReLU encoder to
/// a `latent`-wide code, batch-normalised without affine part; a mirrored decoder with a sigmoid
/// output. A coupling flow (the same ``CouplingFlow`` as ``RealNVP``: affine RealNVP or additive
/// NICE couplings) maps the codes to N(0, I). Both are trained **jointly** on
/// `reconstruction + λ · nll`: the summed squared reconstruction error per row plus the flow's
/// negative log-likelihood of the batch's codes, each averaged over the batch. The likelihood's
/// gradient reaches the encoder too, shaping a code the flow can model; the batch normalisation
/// stops it from winning likelihood by shrinking the code (the decoder would undo any scale). Adam;
/// early stopping on held-out fidelity; the batch is at most an eighth of a class (at least 8 rows).
///
/// Sampling draws `z ~ N(0, temperature² I)`, inverts the flow to latent codes and decodes them
/// (see ``NormalizingFlowModel``).
///
/// ```swift
/// let aeFlow = AEFlow(latent: 16, lambda: 0.1)
/// let model = try aeFlow.fit(data, schema: schema, using: &rng)
/// let rare = try model.sample(1000, of: 3, using: &rng)
/// ```
public struct AEFlow: Generator {
    /// Hidden widths of the encoder, input side first; the decoder mirrors them.
    public var hiddenWidths: [Int]
    /// Dimension of the latent code the flow models.
    public var latent: Int
    /// Negative slope of the autoencoder's LeakyReLU activations; 0 gives ReLU.
    public var leakySlope: Double
    /// Affine (RealNVP) or additive (NICE) couplings.
    public var coupling: CouplingKind
    /// Number of coupling layers of the latent flow.
    public var couplings: Int
    /// Hidden widths of each coupling's conditioner network.
    public var flowWidths: [Int]
    /// Weight λ of the flow's negative log-likelihood against the reconstruction error.
    public var lambda: Double
    /// Standard deviation of the base draws when sampling (1: the learned density).
    public var temperature: Double
    /// Epochs, batch, learning rate and early stopping.
    public var training: GeneratorTraining

    /// Always one network per class.
    public var conditioning: GeneratorConditioning { .perClass }

    /// Creates the hyperparameters (the defaults are the `ae-flow` catalogue entry's).
    public init(hiddenWidths: [Int] = [64], latent: Int = 16, leakySlope: Double = 0.2, coupling: CouplingKind = .affine,
                couplings: Int = 4, flowWidths: [Int] = [64, 64], lambda: Double = 0.1, temperature: Double = 1,
                training: GeneratorTraining = GeneratorTraining(epochs: 400, batchSize: 64, learningRate: 1e-3, patience: 25)) {
        self.hiddenWidths = hiddenWidths
        self.latent = latent
        self.leakySlope = leakySlope
        self.coupling = coupling
        self.couplings = couplings
        self.flowWidths = flowWidths
        self.lambda = lambda
        self.temperature = temperature
        self.training = training
    }

    func validateHyperparameters() throws {
        try training.validate()
        try FlowHyperparameters.validate(couplings: couplings, hiddenWidths: flowWidths, widthsKey: "flow-widths", temperature: temperature)
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw LearnError.invalidParameter(name: name, value: "\(value)", expected: expected) }
        }
        try require(hiddenWidths.count <= 16 && hiddenWidths.allSatisfy { (1...65_536).contains($0) }, "widths",
                    hiddenWidths.map(String.init).joined(separator: "x"), "at most 16 widths in 1...65536")
        try require((1...4096).contains(latent), "latent", latent, "a dimension in 1...4096")
        try require(leakySlope >= 0 && leakySlope < 1, "slope", leakySlope, "a LeakyReLU slope in [0, 1)")
        try require(lambda >= 0 && lambda.isFinite, "lambda", lambda, "a finite weight ≥ 0")
    }

    /// Trains one autoencoder and latent flow per class present in `data`.
    /// - Throws: see ``Generator/fit(_:schema:using:)``.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema, using rng: inout some RandomNumberGenerator) throws -> NormalizingFlowModel {
        try validateHyperparameters()
        let architecture = AEFlowArchitecture(
            features: data.features.columns, hiddenWidths: hiddenWidths, latent: latent, leakySlope: leakySlope,
            flow: CouplingFlowShape(dimensions: latent, couplings: couplings, hiddenWidths: flowWidths, kind: coupling))
        return try NormalizingFlowModel.fit(data, schema: schema, architecture: .aeFlow(architecture), temperature: temperature,
                                            using: &rng) { rows, classIndex, rng in
            try train(rows, classIndex: classIndex, architecture: architecture, schema: schema, using: &rng)
        }
    }

    /// Trains one network on the rows of one class.
    private func train(_ data: LabeledMatrix, classIndex: Int?, architecture: AEFlowArchitecture, schema: FeatureSchema,
                       using rng: inout Xoshiro256StarStar) throws -> GeneratorNetwork {
        let scaler = ColumnScaler(fitting: data.features)
        let scaled = scaler.transform(data.features)
        let network = architecture.build(using: &rng)
        network.grid.detect(in: data.features, schema: schema)
        let optimizer = try Adam(parameters: network.parameters, learningRate: Float(training.learningRate))
        let weight = Float(lambda), features = Float(architecture.features)
        let groups = schema.categoricalGroups.filter { $0.count > 1 }
        let record = try training.run(
            data: data, schema: schema, classIndex: classIndex, lossTerms: ["loss", "reconstruction", "nll"],
            state: network.buffers, optimizers: [optimizer], using: &rng,
            step: { tape, batch in
                optimizer.zeroGradients()
                let x = GeneratorFitting.input(scaled, rows: batch, on: tape)
                let code = network.encode(x, on: tape, mode: .training)
                let reconstruction = tape.mul(tape.mseLoss(network.decode(code, on: tape, mode: .training), x), scalar: features)
                let nll = tape.neg(network.flow.logLikelihood(code, on: tape).logLikelihood)
                let loss = tape.add(reconstruction, tape.mul(nll, scalar: weight))
                let values = [loss, reconstruction, nll].map { t in tape.withValue(t) { Double($0[0]) } }
                guard values.allSatisfy(\.isFinite) else { return values }
                tape.backward(loss)
                optimizer.step()
                return values
            },
            sample: { _, n, rng in
                NormalizingFlowModel.rows(network, count: n, temperature: temperature, scaler: scaler, groups: groups, using: &rng)
            })
        return GeneratorNetwork(classIndex: classIndex, weights: try Checkpoint.tensors(network), scaler: scaler, training: record)
    }
}
