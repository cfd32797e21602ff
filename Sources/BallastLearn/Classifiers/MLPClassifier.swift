import BallastCore
import BallastNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A multilayer perceptron — the "DNN" detector of the intrusion-detection literature — trained
/// with Adam on softmax cross-entropy (optionally class-weighted) over seeded mini-batches, with a
/// stratified validation split and early stopping that keeps the best epoch's weights.
///
/// The network is `Linear → [BatchNorm1d] → activation → [Dropout]` per hidden width, then a
/// `Linear` to the class logits (see ``MLPModel`` for the saved form, loadable in PyTorch). It
/// expects scaled features, as Ballast's `Preprocessor` produces.
///
/// ```swift
/// let mlp = MLPClassifier(hiddenWidths: [64, 32], epochs: 30, classWeights: .balanced)
/// let model = try mlp.fit(data, using: &rng)
/// ```
public struct MLPClassifier: Classifier {
    /// The nonlinearity after each hidden layer.
    public enum HiddenActivation: String, Sendable, Codable, CaseIterable {
        /// max(0, x).
        case relu
        /// x for x > 0, else 0.01·x.
        case leakyReLU = "leaky-relu"
        /// x for x > 0, else eˣ − 1.
        case elu
        /// Hyperbolic tangent.
        case tanh
    }

    /// Hidden layer widths, input side first; empty gives multinomial logistic regression.
    public var hiddenWidths: [Int]
    /// The hidden nonlinearity.
    public var activation: HiddenActivation
    /// Dropout rate after each hidden activation, in [0, 0.95).
    public var dropout: Double
    /// Whether each hidden layer is batch-normalized before its activation.
    public var batchNorm: Bool
    /// Adam's learning rate.
    public var learningRate: Double
    /// Maximum passes over the training rows.
    public var epochs: Int
    /// Rows per mini-batch.
    public var batchSize: Int
    /// Fraction of rows held out (stratified) for the validation loss and early stopping; 0 trains
    /// on every row for all epochs.
    public var validationFraction: Double
    /// Epochs without a lower validation loss before stopping (the best epoch's weights are kept);
    /// `nil` runs every epoch and keeps the last.
    public var patience: Int?
    /// Class weights in the loss (PyTorch's weighted mean).
    public var classWeights: ClassWeights
    /// Whether the trainer draws a progress bar (only ever on a terminal).
    public var progress: ProgressDisplay

    /// Creates the hyperparameters.
    public init(hiddenWidths: [Int] = [256, 128], activation: HiddenActivation = .relu, dropout: Double = 0.2,
                batchNorm: Bool = false, learningRate: Double = 1e-3, epochs: Int = 20, batchSize: Int = 128,
                validationFraction: Double = 0.1, patience: Int? = 5, classWeights: ClassWeights = .none,
                progress: ProgressDisplay = .automatic) {
        self.hiddenWidths = hiddenWidths
        self.activation = activation
        self.dropout = dropout
        self.batchNorm = batchNorm
        self.learningRate = learningRate
        self.epochs = epochs
        self.batchSize = batchSize
        self.validationFraction = validationFraction
        self.patience = patience
        self.classWeights = classWeights
        self.progress = progress
    }

    /// Trains the network.
    /// - Parameters:
    ///   - data: training rows and labels.
    ///   - rng: draws the initial weights, the validation split, the batch order and the dropout masks.
    /// - Throws: ``LearnError`` for invalid data or hyperparameters (named as in the catalogue), or a
    ///   diverging loss (reported as the `lr` parameter).
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> MLPModel {
        try data.validateForTraining()
        try validateHyperparameters()
        let m = data.features.columns, k = data.classNames.count
        guard m > 0 else {
            throw LearnError.invalidParameter(name: "features", value: "0 columns", expected: "at least one feature column")
        }
        let weights = try classWeights.classWeights(labels: data.labels, classCount: k).map { Float($0) }
        let architecture = MLPArchitecture(inputs: m, hiddenWidths: hiddenWidths, outputs: k, activation: activation,
                                           batchNorm: batchNorm, dropout: dropout)
        // Weights, gradients and Adam's two moments, before any layer is allocated.
        let scalars = architecture.linearScalarCount.map(Double.init) ?? .infinity
        try MemoryBudget.require(bytes: scalars * 4 * 4, for: "mlp:widths=\(hiddenWidths.map(String.init).joined(separator: "x")) (\(architecture.linearScalarCount.map(String.init) ?? "more than 2⁶³") weights)")
        let network = architecture.build(using: &rng)
        let optimizer = try Adam(parameters: network.parameters, learningRate: Float(learningRate))
        let trainer = Trainer(epochs: epochs, batchSize: batchSize, validationFraction: validationFraction,
                              patience: patience, progress: progress)
        var batchLabels: [Int] = []
        let features = data.features, labels = data.labels
        let validate: ((Tape<Float>, [Int]) throws -> ValidationScore)? = validationFraction > 0
            ? { tape, rows in Self.score(network, features: features, labels: labels, rows: rows, weights: weights, tape: tape) }
            : nil
        let history: TrainingHistory
        do {
            history = try trainer.fit(
                rowCount: data.count, labels: labels, state: network.buffers, optimizer: optimizer, using: &rng,
                batchLoss: { tape, rows in
                    let x = Self.input(features, rows: rows, on: tape)
                    batchLabels.removeAll(keepingCapacity: true)
                    for r in rows { batchLabels.append(labels[r]) }
                    return tape.softmaxCrossEntropy(network.forward(x, on: tape, mode: .training), labels: batchLabels,
                                                    classWeights: weights)
                },
                validate: validate)
        } catch let error as TrainingError {
            switch error {
            case .nonFiniteLoss, .nonFiniteLossTerm, .nonFiniteValidation:
                throw LearnError.invalidParameter(name: "lr", value: "\(learningRate)", expected: "a smaller learning rate (\(error))")
            case let .invalidParameter(name, value, expected):
                throw LearnError.invalidParameter(name: name, value: value, expected: expected)
            case .lossNotScalar:
                throw error
            }
        }
        return MLPModel(classNames: data.classNames, featureCount: m, architecture: architecture,
                        weights: try Checkpoint.tensors(network), history: history.epochs, bestEpoch: history.bestEpoch)
    }

    private func validateHyperparameters() throws {
        func invalid(_ name: String, _ value: Any, _ expected: String) -> LearnError {
            .invalidParameter(name: name, value: "\(value)", expected: expected)
        }
        if let bad = hiddenWidths.first(where: { $0 < 1 }) { throw invalid("widths", bad, "layer widths ≥ 1") }
        guard dropout >= 0 && dropout < 0.95 else { throw invalid("dropout", dropout, "a rate in [0, 0.95)") }
        guard learningRate > 0 && learningRate.isFinite else { throw invalid("lr", learningRate, "a finite rate > 0") }
        guard epochs >= 1 else { throw invalid("epochs", epochs, "≥ 1") }
        guard batchSize >= 1 else { throw invalid("batch", batchSize, "≥ 1") }
        guard validationFraction >= 0 && validationFraction <= 0.5 else {
            throw invalid("validation", validationFraction, "a fraction in [0, 0.5]")
        }
        if let patience, patience < 1 { throw invalid("patience", patience, "≥ 1 (or none)") }
    }

    /// The rows `rows` of `features` as a tape input, copied straight into the tape's buffer.
    static func input(_ features: Matrix, rows: some Collection<Int>, on tape: Tape<Float>) -> Tensor {
        let m = features.columns
        return features.withUnsafeBufferPointer { source in
            tape.input(rows: rows.count, columns: m) { out in
                guard let dst = out.baseAddress, let src = source.baseAddress else { return }
                for (i, r) in rows.enumerated() { (dst + i * m).update(from: src + r * m, count: m) }
            }
        }
    }

    /// Weighted cross-entropy (PyTorch's weighted mean) and accuracy of the rows, in inference mode,
    /// computed in chunks so memory stays bounded.
    static func score(_ network: Sequential, features: Matrix, labels: [Int], rows: [Int], weights: [Float],
                      tape: Tape<Float>) -> ValidationScore {
        var weighted = 0.0, totalWeight = 0.0, plain = 0.0, correct = 0
        let chunk = 4096
        for start in stride(from: 0, to: rows.count, by: chunk) {
            let part = rows[start..<min(start + chunk, rows.count)]
            tape.reset()
            let logits = network.forward(input(features, rows: part, on: tape), on: tape, mode: .inference)
            tape.withValue(logits) { z in
                let k = logits.columns
                for (i, r) in part.enumerated() {
                    let row = z[(i * k)..<(i * k + k)]
                    let top = row.max() ?? 0
                    let logSum = Double(top) + log(row.reduce(0.0) { $0 + exp(Double($1 - top)) })
                    let loss = logSum - Double(z[i * k + labels[r]])
                    let w = Double(weights[labels[r]])
                    weighted += w * loss
                    totalWeight += w
                    plain += loss
                    if row.indices.max(by: { row[$0] < row[$1] }) == i * k + labels[r] { correct += 1 }
                }
            }
        }
        let loss = totalWeight > 0 ? weighted / totalWeight : plain / Double(max(rows.count, 1))
        return ValidationScore(loss: loss, metric: Double(correct) / Double(max(rows.count, 1)))
    }
}
