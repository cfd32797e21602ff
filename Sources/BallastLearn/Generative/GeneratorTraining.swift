import BallastCore
import BallastNN

/// The training settings every deep generator shares: epochs, batch, learning rate, and early
/// stopping on a held-out **fidelity** score rather than on the loss.
///
/// A generator's loss says little about whether its rows look real (a GAN's losses oscillate by
/// design; a VAE's reconstruction keeps falling while its samples stop improving). So a stratified
/// fraction of each class's rows is held out, and after every epoch the model samples rows of
/// each class, snaps them to the schema, and is scored by the mean per-column two-sample
/// Kolmogorov–Smirnov statistic against the held-out rows (see ``FidelityProbe``); training stops
/// after ``patience`` epochs without a lower score and keeps the best epoch's weights.
public struct GeneratorTraining: Sendable, Equatable {
    /// Maximum passes over the training rows.
    public var epochs: Int
    /// Rows per mini-batch (a network trained on fewer than `8 × batchSize` rows uses batches of an
    /// eighth of its rows, at least 8).
    public var batchSize: Int
    /// Adam's learning rate.
    public var learningRate: Double
    /// Fraction of each class's rows held out for the fidelity score, in [0, 0.5]; 0 trains on
    /// every row for all epochs (no early stopping).
    public var validationFraction: Double
    /// Epochs without a lower validation KS before stopping; `nil` runs every epoch but still keeps
    /// the best-scoring epoch's weights when there is a validation split.
    public var patience: Int?
    /// Whether a progress bar is drawn (only ever on a terminal).
    public var progress: ProgressDisplay

    /// Creates the settings.
    public init(epochs: Int = 100, batchSize: Int = 128, learningRate: Double = 1e-3, validationFraction: Double = 0.1,
                patience: Int? = 15, progress: ProgressDisplay = .automatic) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.validationFraction = validationFraction
        self.patience = patience
        self.progress = progress
    }

    /// Checks the settings.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` naming the catalogue key.
    public func validate() throws {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw LearnError.invalidParameter(name: name, value: "\(value)", expected: expected) }
        }
        try require(epochs >= 1, "epochs", epochs, "≥ 1")
        try require(batchSize >= 2, "batch", batchSize, "≥ 2 (batch statistics need two rows)")
        try require(learningRate > 0 && learningRate.isFinite, "lr", learningRate, "a finite rate > 0")
        try require(validationFraction >= 0 && validationFraction <= 0.5, "validation", validationFraction, "a fraction in [0, 0.5]")
        if let patience { try require(patience >= 1, "patience", patience, "≥ 1 (or none)") }
    }

    /// Runs the training loop of one network with early stopping on ``FidelityProbe`` scores — the
    /// loop every catalogued generator uses, public for generators written outside Ballast.
    ///
    /// - Parameters:
    ///   - data: the rows the network learns (validation rows are held out of them).
    ///   - schema: snaps the probe's samples before scoring.
    ///   - classIndex: the class of a per-class network, `nil` for a conditional one (named on the
    ///     progress bar and in the record).
    ///   - lossTerms: the names of the values `step` returns.
    ///   - state: batch-norm statistics saved with the best epoch's weights.
    ///   - optimizers: every optimizer `step` uses.
    ///   - rng: draws the split, the batch order and the probe's noise.
    ///   - onSplit: receives the training and validation rows before the first step.
    ///   - step: one training step (see ``BallastNN/Trainer/run(rowCount:labels:lossTerms:state:optimizers:using:onEpoch:onSplit:step:validate:)``).
    ///   - sample: generates rows of a class for the probe, in inference mode.
    /// - Returns: the training record (the networks hold the best epoch's weights).
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` for a diverging loss, naming
    ///   the epoch and the term.
    public func run(data: LabeledMatrix, schema: FeatureSchema, classIndex: Int?, lossTerms: [String], state: [Parameter],
             optimizers: [any Optimizer], using rng: inout some RandomNumberGenerator,
             onSplit: ((_ training: [Int], _ validation: [Int]) throws -> Void)? = nil,
             step: (Tape<Float>, ArraySlice<Int>) throws -> [Double],
             sample: @escaping (_ classIndex: Int, _ count: Int, _ rng: inout Xoshiro256StarStar) throws -> Matrix) throws -> GeneratorTrainingRecord {
        let label = classIndex.map { "\(data.classNames[$0]):" }
        // The batch is at most an eighth of the rows (at least 8), so that a rare class still takes
        // several steps per epoch and patience (in epochs) does not end training after a handful of
        // steps (U2R has 52 rows: one batch of 64 would make each epoch a single step).
        let batch = min(batchSize, max(8, data.count / 8), data.count)
        let trainer = Trainer(epochs: epochs, batchSize: batch, validationFraction: validationFraction,
                              patience: patience ?? (validationFraction > 0 ? epochs : nil),
                              monitor: .validationMetric(higherIsBetter: false), progress: progress, progressLabel: label)
        let probeSeed = rng.next()
        var probe: FidelityProbe?
        let history: TrainingHistory
        do {
            history = try trainer.run(
                rowCount: data.count, labels: data.labels, lossTerms: lossTerms, state: state, optimizers: optimizers,
                using: &rng, onSplit: onSplit, step: step,
                validate: { _, rows in
                    // The held-out rows are the same every epoch: sort them once; the same noise
                    // every epoch makes epochs comparable.
                    let reference = probe ?? FidelityProbe(data: data, rows: rows, schema: schema)
                    probe = reference
                    var probeRNG = Xoshiro256StarStar(seed: probeSeed)
                    let score = try reference.score { c, n in try sample(c, n, &probeRNG) }
                    return ValidationScore(loss: score, metric: score)
                })
        } catch let error as TrainingError {
            switch error {
            case .nonFiniteLoss, .nonFiniteLossTerm, .nonFiniteValidation:
                throw LearnError.invalidParameter(name: "lr", value: "\(learningRate)",
                                                  expected: "a rate at which training converges: \(error)")
            case let .invalidParameter(name, value, expected):
                throw LearnError.invalidParameter(name: name, value: value, expected: expected)
            case .lossNotScalar:
                throw error
            }
        }
        return GeneratorTrainingRecord(history: history, classIndex: classIndex)
    }
}

/// How one network of a generator trained: the loss terms per epoch, the validation fidelity
/// (mean per-column KS, lower is better) per epoch, and the epoch whose weights were kept.
public struct GeneratorTrainingRecord: Sendable, Codable, Equatable {
    /// The class a per-class network learned; `nil` for a conditional network.
    public var classIndex: Int?
    /// The names of the loss terms, in the order of each epoch's ``BallastNN/EpochRecord/terms``.
    public var lossTerms: [String]
    /// One record per epoch: ``BallastNN/EpochRecord/trainingLoss`` is the first term,
    /// ``BallastNN/EpochRecord/terms`` every term (with more than one),
    /// ``BallastNN/EpochRecord/validationMetric`` the fidelity KS.
    public var epochs: [EpochRecord]
    /// The epoch whose weights the model holds.
    public var bestEpoch: Int
    /// Whether training stopped before its epoch limit for lack of fidelity improvement.
    public var stoppedEarly: Bool
    /// Rows trained on.
    public var trainingRows: Int
    /// Rows held out for the fidelity score.
    public var validationRows: Int

    /// A record of a finished training run.
    public init(history: TrainingHistory, classIndex: Int?) {
        self.classIndex = classIndex
        lossTerms = history.lossTerms
        epochs = history.epochs
        bestEpoch = history.bestEpoch
        stoppedEarly = history.stoppedEarly
        trainingRows = history.trainingRows
        validationRows = history.validationRows
    }

    /// The validation KS of the kept epoch, when there was a validation split.
    public var bestValidationKS: Double? {
        epochs.first { $0.epoch == bestEpoch }?.validationMetric
    }

    /// The values of one loss term over the epochs (for a loss curve).
    /// - Parameter term: a name in ``lossTerms``.
    /// - Returns: one value per epoch, or `nil` for an unknown term.
    public func curve(_ term: String) -> [Double]? {
        guard let t = lossTerms.firstIndex(of: term) else { return nil }
        return epochs.map { record in record.terms.map { $0[t] } ?? record.trainingLoss }
    }
}
