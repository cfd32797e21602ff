/// The result of evaluating the model on the validation rows after an epoch.
public struct ValidationScore: Sendable, Equatable {
    /// The validation loss (same definition as the training loss, computed in inference mode).
    public var loss: Double
    /// An optional metric such as accuracy or macro-F1.
    public var metric: Double?

    /// Creates a score.
    public init(loss: Double, metric: Double? = nil) {
        self.loss = loss
        self.metric = metric
    }
}
