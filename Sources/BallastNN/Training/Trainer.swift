import BallastCore
import Foundation

/// The training loop shared by every network: seeded shuffled mini-batches, a (stratified)
/// validation split, a learning-rate schedule, optional gradient clipping, early stopping that
/// restores the best weights, a loss history for plots, and a progress bar on a terminal.
///
/// The trainer knows nothing about the model: the caller supplies the loss of a batch, built on
/// the trainer's ``Tape`` from the batch's row indices, and optionally a validation score. Per step
/// the trainer resets the tape (keeping its buffers), zeroes the gradients, calls the loss closure,
/// runs backward, clips, and steps the optimizer.
///
/// ```swift
/// let history = try Trainer(epochs: 30, batchSize: 64).fit(
///     rowCount: data.count, labels: data.labels, optimizer: adam, using: &rng,
///     batchLoss: { tape, rows in model.loss(rows, on: tape, mode: .training) },
///     validate: { tape, rows in ValidationScore(loss: model.loss(rows, on: tape, mode: .inference)) })
/// ```
///
/// Determinism: the split and every epoch's order come from `rng` (Fisher–Yates through
/// ``BallastCore``'s draws), so equal seeds give equal histories and weights.
public struct Trainer: Sendable {
    /// The quantity early stopping watches.
    public enum Monitor: Sendable, Equatable {
        /// The validation loss (lower is better).
        case validationLoss
        /// The validation metric returned by the validation closure.
        case validationMetric(higherIsBetter: Bool)
    }

    /// Maximum number of passes over the training rows (≥ 1).
    public var epochs: Int
    /// Rows per mini-batch (≥ 1). A final batch of a single row is merged into the one before it,
    /// so that batch statistics are always defined.
    public var batchSize: Int
    /// Fraction of the rows held out for validation, in [0, 0.9]; 0 disables validation and early stopping.
    public var validationFraction: Double
    /// Stop after this many epochs without improvement of the monitored quantity and restore the
    /// best epoch's weights; `nil` runs every epoch (the weights of the last epoch are kept).
    public var patience: Int?
    /// What early stopping watches.
    public var monitor: Monitor
    /// The learning rate of each epoch, from the optimizer's rate at the start of `fit`.
    public var schedule: LearningRateSchedule
    /// When set, gradients are clipped to this global L2 norm before each step.
    public var maxGradientNorm: Float?
    /// Whether a progress bar is drawn.
    public var progress: ProgressDisplay
    /// Text shown before the epoch on the progress bar (which model or class is training), or `nil`.
    public var progressLabel: String?

    /// Creates a trainer configuration.
    public init(epochs: Int = 20, batchSize: Int = 128, validationFraction: Double = 0.1, patience: Int? = 5,
                monitor: Monitor = .validationLoss, schedule: LearningRateSchedule = .constant,
                maxGradientNorm: Float? = nil, progress: ProgressDisplay = .automatic, progressLabel: String? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.validationFraction = validationFraction
        self.patience = patience
        self.monitor = monitor
        self.schedule = schedule
        self.maxGradientNorm = maxGradientNorm
        self.progress = progress
        self.progressLabel = progressLabel
    }

    /// Checks the configuration.
    /// - Throws: ``TrainingError/invalidParameter(name:value:expected:)`` naming the bad field, or
    ///   the schedule's ``NNError``.
    public func validate() throws {
        guard epochs >= 1 else { throw TrainingError.invalidParameter(name: "epochs", value: "\(epochs)", expected: "≥ 1") }
        guard batchSize >= 1 else { throw TrainingError.invalidParameter(name: "batch", value: "\(batchSize)", expected: "≥ 1") }
        guard validationFraction >= 0 && validationFraction <= 0.9 else {
            throw TrainingError.invalidParameter(name: "validation", value: "\(validationFraction)", expected: "a fraction in [0, 0.9]")
        }
        if let patience, patience < 1 {
            throw TrainingError.invalidParameter(name: "patience", value: "\(patience)", expected: "≥ 1 (or none)")
        }
        if let maxGradientNorm, !(maxGradientNorm > 0 && maxGradientNorm.isFinite) {
            throw TrainingError.invalidParameter(name: "clip", value: "\(maxGradientNorm)", expected: "a finite norm > 0")
        }
        try schedule.validate()
    }

    /// Splits `0..<rowCount` into training and validation rows.
    ///
    /// With labels, each class gives `round(validationFraction · count)` of its rows to validation
    /// (at most `count − 1`, so every class keeps a training row); without, the fraction is taken
    /// from a permutation of all rows. Both parts are returned in ascending order.
    /// - Parameters:
    ///   - rowCount: the number of rows.
    ///   - labels: class labels for a stratified split, or `nil`.
    ///   - rng: draws the split.
    public func split(rowCount: Int, labels: [Int]?, using rng: inout some RandomNumberGenerator) -> (training: [Int], validation: [Int]) {
        guard validationFraction > 0, rowCount > 1 else { return (Array(0..<max(0, rowCount)), []) }
        var isValidation = [Bool](repeating: false, count: rowCount)
        if let labels, labels.count == rowCount {
            var byClass: [Int: [Int]] = [:]
            for (row, label) in labels.enumerated() { byClass[label, default: []].append(row) }
            for label in byClass.keys.sorted() {
                guard var rows = byClass[label] else { continue }
                let take = min(rows.count - 1, Int((validationFraction * Double(rows.count)).rounded()))
                guard take > 0 else { continue }
                rng.shuffle(&rows)
                for r in rows[0..<take] { isValidation[r] = true }
            }
        } else {
            let take = min(rowCount - 1, Int((validationFraction * Double(rowCount)).rounded()))
            for r in rng.permutation(rowCount)[0..<take] { isValidation[r] = true }
        }
        var training: [Int] = [], validation: [Int] = []
        for r in 0..<rowCount { if isValidation[r] { validation.append(r) } else { training.append(r) } }
        return (training, validation)
    }

    /// Trains one network with one optimizer on one loss.
    /// - Parameters:
    ///   - rowCount: the number of rows in the data set the closures index.
    ///   - labels: class labels, to stratify the validation split (optional).
    ///   - state: non-trainable tensors saved and restored with the weights at the best epoch
    ///     (batch-norm running statistics).
    ///   - optimizer: updates its ``Optimizer/parameters``; its learning rate at the call is the
    ///     schedule's base rate, and is put back at the end.
    ///   - rng: draws the split and the order of every epoch.
    ///   - onEpoch: called after each epoch with its record.
    ///   - batchLoss: the 1×1 loss of the given rows, built on the tape in training mode.
    ///   - validate: the score of the validation rows (inference mode); without it there is no
    ///     validation split and no early stopping.
    /// - Returns: the history; the optimizer's parameters hold the weights of ``TrainingHistory/bestEpoch``.
    /// - Throws: ``TrainingError`` for an invalid configuration, a non-finite loss or a loss that is
    ///   not 1×1; whatever the closures throw.
    public func fit(rowCount: Int, labels: [Int]? = nil, state: [Parameter] = [], optimizer: any Optimizer,
                    using rng: inout some RandomNumberGenerator,
                    onEpoch: ((EpochRecord) -> Void)? = nil,
                    batchLoss: (Tape<Float>, ArraySlice<Int>) throws -> Tensor,
                    validate: ((Tape<Float>, [Int]) throws -> ValidationScore)? = nil) throws -> TrainingHistory {
        let parameters = optimizer.parameters
        return try run(rowCount: rowCount, labels: labels, lossTerms: ["loss"], state: state, optimizers: [optimizer],
                       using: &rng, onEpoch: onEpoch, step: { tape, rows in
            optimizer.zeroGradients()
            let loss = try batchLoss(tape, rows)
            guard loss.rows == 1 && loss.columns == 1 else { throw TrainingError.lossNotScalar(rows: loss.rows, columns: loss.columns) }
            let value = tape.withValue(loss) { Double($0[0]) }
            guard value.isFinite else { return [value] }
            tape.backward(loss)
            if let maxGradientNorm { clipGradientNorm(parameters, maxNorm: maxGradientNorm) }
            optimizer.step()
            return [value]
        }, validate: validate)
    }

    /// Trains with a caller-written step: the general loop behind
    /// ``fit(rowCount:labels:state:optimizer:using:onEpoch:batchLoss:validate:)``, for models with
    /// several optimizers or loss terms (a GAN's discriminator and generator, a VAE's reconstruction
    /// and KL terms).
    ///
    /// Per batch the trainer resets the tape and calls `step`, which zeroes gradients, builds its
    /// losses, runs backward and steps its optimizers itself, then returns the value of every loss
    /// term in the order of `lossTerms`. The first term is the one the progress bar and
    /// ``EpochRecord/trainingLoss`` show; every term's epoch mean is kept in ``EpochRecord/terms``.
    /// A NaN or infinite term stops training with an error naming the term, epoch and batch (a step
    /// should return before updating weights when it sees one).
    /// - Parameters:
    ///   - rowCount: the number of rows in the data set the closures index.
    ///   - labels: class labels, to stratify the validation split (optional).
    ///   - lossTerms: the names of the values `step` returns (at least one).
    ///   - state: tensors other than the optimizers' parameters saved and restored with the weights
    ///     at the best epoch (batch-norm running statistics).
    ///   - optimizers: every optimizer `step` uses; the schedule scales each one's learning rate from
    ///     its rate at the call, which is put back at the end. Their parameters are what early
    ///     stopping saves and restores.
    ///   - rng: draws the split and the order of every epoch.
    ///   - onEpoch: called after each epoch with its record.
    ///   - onSplit: called once, before the first step, with the training and validation rows
    ///     (for a step that draws its own rows, such as CTGAN's training-by-sampling).
    ///   - step: one training step on the given rows; returns one value per loss term.
    ///   - validate: the score of the validation rows; without it there is no validation split and
    ///     no early stopping.
    /// - Returns: the history; the parameters hold the weights of ``TrainingHistory/bestEpoch``.
    /// - Throws: ``TrainingError`` for an invalid configuration or a non-finite loss term; whatever
    ///   the closures throw.
    public func run(rowCount: Int, labels: [Int]? = nil, lossTerms: [String], state: [Parameter] = [],
                    optimizers: [any Optimizer], using rng: inout some RandomNumberGenerator,
                    onEpoch: ((EpochRecord) -> Void)? = nil,
                    onSplit: ((_ training: [Int], _ validation: [Int]) throws -> Void)? = nil,
                    step: (Tape<Float>, ArraySlice<Int>) throws -> [Double],
                    validate: ((Tape<Float>, [Int]) throws -> ValidationScore)? = nil) throws -> TrainingHistory {
        try self.validate()
        guard rowCount >= 1 else { throw TrainingError.invalidParameter(name: "rows", value: "\(rowCount)", expected: "≥ 1") }
        precondition(!lossTerms.isEmpty, "Trainer.run: no loss terms named")
        let (training, validation) = validate == nil ? (Array(0..<rowCount), []) : split(rowCount: rowCount, labels: labels, using: &rng)
        try onSplit?(training, validation)
        let saved = optimizers.flatMap(\.parameters) + state
        let baseRates = optimizers.map(\.learningRate)
        defer { for (optimizer, rate) in zip(optimizers, baseRates) { optimizer.learningRate = rate } }

        let tape = Tape<Float>()
        let bar = TrainingProgress(display: progress, epochs: epochs, label: progressLabel)
        defer { bar.finish() }
        var order = training
        let batches = Self.batchBounds(rows: order.count, batchSize: batchSize)
        var records: [EpochRecord] = []
        var seconds: [Double] = []
        var best: (epoch: Int, score: Double)?
        var snapshot: [Matrix] = []
        var stoppedEarly = false
        let earlyStopping = patience != nil && !validation.isEmpty
        var sums = [Double](repeating: 0, count: lossTerms.count)

        for epoch in 1...epochs {
            let start = DispatchTime.now().uptimeNanoseconds
            let rate = schedule.rate(epoch: epoch - 1, base: baseRates.first ?? 0)
            for (optimizer, base) in zip(optimizers, baseRates) { optimizer.learningRate = schedule.rate(epoch: epoch - 1, base: base) }
            rng.shuffle(&order)
            for t in sums.indices { sums[t] = 0 }
            var seen = 0
            for (b, bounds) in batches.enumerated() {
                tape.reset()
                let values = try step(tape, order[bounds])
                precondition(values.count == lossTerms.count, "Trainer.run: step returned \(values.count) values for \(lossTerms.count) terms")
                for (t, value) in values.enumerated() {
                    guard value.isFinite else {
                        if lossTerms.count == 1 { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: b + 1, value: value) }
                        throw TrainingError.nonFiniteLossTerm(name: lossTerms[t], epoch: epoch, batch: b + 1, value: value)
                    }
                    sums[t] += value * Double(bounds.count)
                }
                seen += bounds.count
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                bar.update(epoch: epoch, fraction: Double(seen) / Double(order.count),
                           terms: zip(lossTerms, sums).map { ($0, $1 / Double(seen)) },
                           validationLoss: records.last?.validationLoss, rowsPerSecond: elapsed > 0 ? Double(seen) / elapsed : 0)
            }
            let means = sums.map { $0 / Double(max(seen, 1)) }
            var record = EpochRecord(epoch: epoch, trainingLoss: means[0], learningRate: rate)
            if lossTerms.count > 1 { record.terms = means }
            if let validate, !validation.isEmpty {
                tape.reset()
                let score = try validate(tape, validation)
                guard score.loss.isFinite else { throw TrainingError.nonFiniteValidation(epoch: epoch, what: "loss", value: score.loss) }
                if let metric = score.metric, !metric.isFinite {
                    throw TrainingError.nonFiniteValidation(epoch: epoch, what: "metric", value: metric)
                }
                record.validationLoss = score.loss
                record.validationMetric = score.metric
            }
            records.append(record)
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            onEpoch?(record)

            guard earlyStopping, let patience else { continue }
            let monitored: Double
            switch monitor {
            case .validationLoss: monitored = record.validationLoss ?? .infinity
            case .validationMetric(let higherIsBetter):
                guard let metric = record.validationMetric else {
                    throw TrainingError.invalidParameter(name: "monitor", value: "validation metric",
                                                         expected: "a validation closure that returns a metric")
                }
                monitored = higherIsBetter ? -metric : metric
            }
            if best == nil || monitored < best?.score ?? .infinity {
                best = (epoch, monitored)
                snapshot = saved.map(\.value)
            } else if epoch - (best?.epoch ?? epoch) >= patience {
                stoppedEarly = epoch < epochs
                break
            }
        }
        var bestEpoch = records.count
        if earlyStopping, let best, best.epoch != records.count {
            for (p, value) in zip(saved, snapshot) { p.value = value }
            bestEpoch = best.epoch
        }
        return TrainingHistory(epochs: records, bestEpoch: bestEpoch, stoppedEarly: stoppedEarly,
                               trainingRows: training.count, validationRows: validation.count, epochSeconds: seconds,
                               lossTerms: lossTerms)
    }

    /// The progress bar's text for the given state (what a terminal shows during training).
    public static func progressLine(epoch: Int, of epochs: Int, fraction: Double, loss: Double, validationLoss: Double?,
                                    rowsPerSecond: Double) -> String {
        TrainingProgress.line(epoch: epoch, of: epochs, fraction: fraction, terms: [("loss", loss)], validationLoss: validationLoss,
                              rowsPerSecond: rowsPerSecond)
    }

    /// Index ranges of the batches over `rows` rows: full batches, the remainder last, a remainder
    /// of one row merged into the batch before it.
    static func batchBounds(rows: Int, batchSize: Int) -> [Range<Int>] {
        var bounds: [Range<Int>] = []
        var start = 0
        while start < rows {
            var end = min(start + batchSize, rows)
            if rows - end == 1 && end - start > 1 { end = rows }
            bounds.append(start..<end)
            start = end
        }
        return bounds
    }
}
