import BallastCore
import BallastNN

/// A 1-D convolutional detector, and its CNN+LSTM extension: each preprocessed record is read as
/// one channel of `features` positions, through `[Conv1d → BatchNorm1d → ReLU → MaxPool1d]` blocks,
/// optionally an LSTM (or a bidirectional one) over the pooled positions, then dense layers to
/// softmax — the CNN and CNN+LSTM detectors of the intrusion-detection paper Ballast reproduces
/// with ROS, SMOTE, ADASYN and GAN balancing on NSL-KDD and BoT-IoT (`Experiments/cnn-lstm-balancing.toml`),
/// after Vinayakumar et al. (2017), "Applying convolutional neural network for network intrusion detection".
///
/// Trained as ``MLPClassifier`` is: Adam on softmax cross-entropy (optionally class-weighted),
/// seeded mini-batches, a stratified validation split with early stopping that keeps the best epoch's
/// weights, and the trainer's progress bar. See ``CNNModel`` for the saved form, loadable in PyTorch.
///
/// ```swift
/// let cnn = CNNClassifier(filters: [32, 64], epochs: 10, classWeights: .balanced)
/// let cnnLSTM = CNNClassifier(recurrent: .init(hiddenSize: 64, bidirectional: true))
/// let model = try cnn.fit(data, using: &rng)
/// ```
public struct CNNClassifier: Classifier {
    /// Zeros added at both ends of each channel before a convolution.
    public enum Padding: String, Sendable, Codable, CaseIterable {
        /// `(kernel − 1) / 2` zeros: an odd kernel keeps the length.
        case same
        /// None: each convolution shortens the sequence by `kernel − 1`.
        case valid
    }

    /// The LSTM after the convolutions (the CNN+LSTM detector).
    public struct Recurrent: Sendable, Codable, Equatable {
        /// Width of the hidden state (per direction).
        public var hiddenSize: Int
        /// Whether a second LSTM reads the positions backwards (PyTorch's `bidirectional=True`).
        public var bidirectional: Bool

        /// Creates the LSTM settings.
        public init(hiddenSize: Int = 64, bidirectional: Bool = false) {
            self.hiddenSize = hiddenSize
            self.bidirectional = bidirectional
        }
    }

    /// Filters of each convolution block, input side first (one block per entry).
    public var filters: [Int]
    /// Convolution window width.
    public var kernelSize: Int
    /// Padding of each convolution.
    public var padding: Padding
    /// Max-pooling window (and stride) after each convolution; 1 disables pooling.
    public var poolSize: Int
    /// Whether each convolution is batch-normalized (per channel) before its ReLU.
    public var batchNorm: Bool
    /// The LSTM over the convolution output, or `nil` for the plain CNN.
    public var recurrent: Recurrent?
    /// Dense ReLU layer widths between the features and the logits.
    public var denseWidths: [Int]
    /// Dropout rate before and after each dense layer, in [0, 0.95).
    public var dropout: Double
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
    public init(filters: [Int] = [32, 64], kernelSize: Int = 3, padding: Padding = .same, poolSize: Int = 2,
                batchNorm: Bool = true, recurrent: Recurrent? = nil, denseWidths: [Int] = [128], dropout: Double = 0.2,
                learningRate: Double = 1e-3, epochs: Int = 20, batchSize: Int = 128, validationFraction: Double = 0.1,
                patience: Int? = 5, classWeights: ClassWeights = .none, progress: ProgressDisplay = .automatic) {
        self.filters = filters
        self.kernelSize = kernelSize
        self.padding = padding
        self.poolSize = poolSize
        self.batchNorm = batchNorm
        self.recurrent = recurrent
        self.denseWidths = denseWidths
        self.dropout = dropout
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
    ///   - data: training rows and labels (at least two classes; a class may have a single row).
    ///   - rng: draws the initial weights, the validation split, the batch order and the dropout masks.
    /// - Throws: ``LearnError`` for invalid data or hyperparameters (named as in the catalogue; too
    ///   few feature columns for the convolution blocks is reported as `features`), or a diverging
    ///   loss (reported as the `lr` parameter).
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> CNNModel {
        try data.validateForTraining()
        let architecture = architecture(inputs: data.features.columns, outputs: data.classNames.count)
        try architecture.validate()
        try training.validate()
        let weights = try classWeights.classWeights(labels: data.labels, classCount: data.classNames.count).map { Float($0) }
        let network = architecture.build(using: &rng)
        // Validation scores each epoch with the tape-free forward pass of prediction (batch norms
        // folded, both threads), built from the epoch's weights: the tape's pass cost ~8% of an epoch.
        let history = try training.train(network, on: data, classWeights: weights,
                                         validationLogits: { CNNInference(network).logits($0) }, using: &rng)
        return try CNNModel(classNames: data.classNames, architecture: architecture, network: network,
                            history: history.epochs, bestEpoch: history.bestEpoch)
    }

    /// The network shape for `inputs` columns and `outputs` classes.
    func architecture(inputs: Int, outputs: Int) -> CNNArchitecture {
        CNNArchitecture(inputs: inputs, filters: filters, kernelSize: kernelSize, padding: padding, poolSize: poolSize,
                        batchNorm: batchNorm, recurrent: recurrent, denseWidths: denseWidths, outputs: outputs, dropout: dropout)
    }

    /// The optimizer, trainer and early-stopping settings.
    var training: NetworkTraining {
        NetworkTraining(dropout: dropout, learningRate: learningRate, epochs: epochs, batchSize: batchSize,
                        validationFraction: validationFraction, patience: patience, progress: progress)
    }
}
