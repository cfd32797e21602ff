import BallastCore
import BallastNN

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
        if let bad = hiddenWidths.first(where: { $0 < 1 }) {
            throw LearnError.invalidParameter(name: "widths", value: "\(bad)", expected: "layer widths ≥ 1")
        }
        try training.validate()
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
        let history = try training.train(network, on: data, classWeights: weights, using: &rng)
        return MLPModel(classNames: data.classNames, featureCount: m, architecture: architecture,
                        weights: try Checkpoint.tensors(network), history: history.epochs, bestEpoch: history.bestEpoch)
    }

    /// The optimizer, trainer and early-stopping settings.
    var training: NetworkTraining {
        NetworkTraining(dropout: dropout, learningRate: learningRate, epochs: epochs, batchSize: batchSize,
                        validationFraction: validationFraction, patience: patience, progress: progress)
    }
}
