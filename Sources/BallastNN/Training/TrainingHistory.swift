/// What ``Trainer/fit(rowCount:labels:state:optimizer:using:onEpoch:batchLoss:validate:)`` did:
/// one record per epoch run, the epoch whose weights were kept, and timings.
public struct TrainingHistory: Sendable, Equatable {
    /// One record per epoch run, in order.
    public var epochs: [EpochRecord]
    /// The epoch (from 1) whose weights the parameters hold at the end: the best monitored epoch
    /// when early stopping is on, else the last.
    public var bestEpoch: Int
    /// Whether training stopped before the configured number of epochs for lack of improvement.
    public var stoppedEarly: Bool
    /// Rows in the training part (every epoch runs over them).
    public var trainingRows: Int
    /// Rows held out for validation (0 without validation).
    public var validationRows: Int
    /// Wall-clock seconds of each epoch (training and validation), in order. Not deterministic.
    public var epochSeconds: [Double]
    /// The names of the loss terms; when there is more than one, each record's
    /// ``EpochRecord/terms`` holds their epoch means in this order.
    public var lossTerms: [String]

    /// Creates a history.
    public init(epochs: [EpochRecord], bestEpoch: Int, stoppedEarly: Bool, trainingRows: Int, validationRows: Int,
                epochSeconds: [Double], lossTerms: [String] = ["loss"]) {
        self.epochs = epochs
        self.bestEpoch = bestEpoch
        self.stoppedEarly = stoppedEarly
        self.trainingRows = trainingRows
        self.validationRows = validationRows
        self.epochSeconds = epochSeconds
        self.lossTerms = lossTerms
    }

    /// Training rows processed per second over the whole run.
    public var rowsPerSecond: Double {
        let total = epochSeconds.reduce(0, +)
        return total > 0 ? Double(trainingRows * epochs.count) / total : 0
    }
}
