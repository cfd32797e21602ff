/// What one epoch of training achieved: the numbers a loss curve plots.
///
/// Only deterministic quantities are kept (no wall-clock times), so a fitted model that stores its
/// history encodes identically for identical seeds.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// The epoch, counted from 1.
    public var epoch: Int
    /// The mean training loss over the epoch's batches, weighted by batch rows (measured during the
    /// epoch, in training mode).
    public var trainingLoss: Double
    /// The validation loss after the epoch, when there is a validation split.
    public var validationLoss: Double?
    /// The validation metric after the epoch (for example accuracy), when the caller computes one.
    public var validationMetric: Double?
    /// The learning rate used during the epoch.
    public var learningRate: Float
    /// The epoch mean of every loss term when the model has several (a VAE's reconstruction and
    /// KL, a GAN's discriminator and generator losses), in the order of
    /// ``TrainingHistory/lossTerms``; `nil` for a single loss.
    public var terms: [Double]?

    /// Creates a record.
    public init(epoch: Int, trainingLoss: Double, validationLoss: Double? = nil, validationMetric: Double? = nil, learningRate: Float,
                terms: [Double]? = nil) {
        self.epoch = epoch
        self.trainingLoss = trainingLoss
        self.validationLoss = validationLoss
        self.validationMetric = validationMetric
        self.learningRate = learningRate
        self.terms = terms
    }
}
