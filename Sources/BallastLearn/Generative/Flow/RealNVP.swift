import BallastCore
import BallastNN

/// RealNVP (Dinh, Sohl-Dickstein & Bengio, 2017) for tabular rows: a normalizing flow of affine
/// couplings on alternating masks, trained by maximum likelihood, one network per raised class (the
/// AE-Flow paper's per-class choice; catalogue name `realnvp`).
///
/// Each class's rows are min-max scaled to [0, 1] (``ColumnScaler``), **dequantised** — integer,
/// binary and one-hot values spread uniformly over their rounding cells, columns constant in the
/// class over [0, 1], fresh noise every batch — and standardised (see ``DequantisedRows``). The
/// flow (``CouplingKind/affine`` couplings with `tanh`-bounded log-scales, ReLU conditioner
/// networks whose last layer starts at zero) maps them to N(0, I); the loss is the negative mean
/// log-likelihood per row in that standardised space (the `nll` term; `logdet` is its
/// log-determinant part). Adam; early stopping on held-out fidelity (``GeneratorTraining``); the
/// batch is at most an eighth of a class (at least 8 rows), so rare classes take several steps per
/// epoch.
///
/// Sampling draws `z ~ N(0, temperature² I)`, runs the couplings backwards in closed form,
/// undoes the standardisation, takes the argmax of each one-hot group and maps back to the
/// preprocessed space (see ``NormalizingFlowModel``).
///
/// ```swift
/// let flow = RealNVP(couplings: 6, hiddenWidths: [64, 64])
/// let model = try flow.fit(data, schema: schema, using: &rng)
/// let rare = try model.sample(1000, of: 4, using: &rng)
/// ```
public struct RealNVP: Generator {
    /// Number of affine coupling layers (each feature is transformed in every other one).
    public var couplings: Int
    /// Hidden widths of each coupling's conditioner network (ReLU).
    public var hiddenWidths: [Int]
    /// Standard deviation of the base draws when sampling (1: the learned density).
    public var temperature: Double
    /// Epochs, batch, learning rate and early stopping.
    public var training: GeneratorTraining

    /// Always one network per class.
    public var conditioning: GeneratorConditioning { .perClass }

    /// Creates the hyperparameters (the defaults are the `realnvp` catalogue entry's).
    public init(couplings: Int = 6, hiddenWidths: [Int] = [64, 64], temperature: Double = 1,
                training: GeneratorTraining = GeneratorTraining(epochs: 200, batchSize: 64, learningRate: 1e-3, patience: 25)) {
        self.couplings = couplings
        self.hiddenWidths = hiddenWidths
        self.temperature = temperature
        self.training = training
    }

    func validateHyperparameters() throws {
        try training.validate()
        try FlowHyperparameters.validate(couplings: couplings, hiddenWidths: hiddenWidths, widthsKey: "widths", temperature: temperature)
    }

    /// Trains one flow per class present in `data`.
    /// - Throws: see ``Generator/fit(_:schema:using:)``.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema, using rng: inout some RandomNumberGenerator) throws -> NormalizingFlowModel {
        try validateHyperparameters()
        let architecture = RealNVPArchitecture(
            features: data.features.columns,
            flow: CouplingFlowShape(dimensions: data.features.columns, couplings: couplings, hiddenWidths: hiddenWidths, kind: .affine))
        return try NormalizingFlowModel.fit(data, schema: schema, architecture: .realNVP(architecture), temperature: temperature,
                                            using: &rng) { rows, classIndex, rng in
            try train(rows, classIndex: classIndex, architecture: architecture, schema: schema, using: &rng)
        }
    }

    /// Trains one network on the rows of one class.
    private func train(_ data: LabeledMatrix, classIndex: Int?, architecture: RealNVPArchitecture, schema: FeatureSchema,
                       using rng: inout Xoshiro256StarStar) throws -> GeneratorNetwork {
        let scaler = ColumnScaler(fitting: data.features)
        let scaled = scaler.transform(data.features)
        let network = architecture.build(using: &rng)
        network.grid.detect(in: data.features, schema: schema)
        let rows = DequantisedRows(rows: data.features, scaled: scaled, scaler: scaler, schema: schema, grid: network.grid)
        network.standardise(like: rows)
        let optimizer = try Adam(parameters: network.parameters, learningRate: Float(training.learningRate))
        var noise = rng.split()
        let groups = schema.categoricalGroups.filter { $0.count > 1 }
        let record = try training.run(
            data: data, schema: schema, classIndex: classIndex, lossTerms: ["nll", "logdet"],
            state: network.buffers, optimizers: [optimizer], using: &rng,
            step: { tape, batch in
                optimizer.zeroGradients()
                let x = tape.input(rows: batch.count, columns: rows.columns) { rows.fill($0, rows: batch, using: &noise) }
                let (logLikelihood, logDeterminant) = network.flow.logLikelihood(x, on: tape)
                let loss = tape.neg(logLikelihood)
                let values = [loss, logDeterminant].map { t in tape.withValue(t) { Double($0[0]) } }
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

/// Checks and settings shared by the flow generators.
enum FlowHyperparameters {
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` naming the catalogue key.
    static func validate(couplings: Int, hiddenWidths: [Int], widthsKey: String, temperature: Double) throws {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw LearnError.invalidParameter(name: name, value: "\(value)", expected: expected) }
        }
        try require((1...64).contains(couplings), "couplings", couplings, "a number of coupling layers in 1...64")
        try require(hiddenWidths.count <= 16 && hiddenWidths.allSatisfy { (1...65_536).contains($0) }, widthsKey,
                    hiddenWidths.map(String.init).joined(separator: "x"), "at most 16 widths in 1...65536")
        try require(temperature > 0 && temperature <= 100, "temperature", temperature, "a base standard deviation in (0, 100]")
    }
}
