/// Why training stopped with an error.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter of the trainer is out of range: its name, the value and what is accepted.
    case invalidParameter(name: String, value: String, expected: String)
    /// A batch's loss became NaN or infinite (usually a learning rate that is too high).
    case nonFiniteLoss(epoch: Int, batch: Int, value: Double)
    /// One named loss term of a multi-term step became NaN or infinite.
    case nonFiniteLossTerm(name: String, epoch: Int, batch: Int, value: Double)
    /// The loss closure returned a tensor that is not 1×1.
    case lossNotScalar(rows: Int, columns: Int)
    /// The validation closure returned a NaN or infinite loss or metric.
    case nonFiniteValidation(epoch: Int, what: String, value: Double)

    /// A readable message.
    public var description: String {
        switch self {
        case let .invalidParameter(name, value, expected): return "\(name)=\(value) is invalid: expected \(expected)"
        case let .nonFiniteLoss(epoch, batch, value):
            return "epoch \(epoch), batch \(batch): the training loss is \(value); try a lower learning rate or scaled features"
        case let .nonFiniteLossTerm(name, epoch, batch, value):
            return "epoch \(epoch), batch \(batch): the \(name) loss is \(value); try a lower learning rate or scaled features"
        case let .lossNotScalar(rows, columns): return "the loss is \(rows)×\(columns); expected a 1×1 tensor"
        case let .nonFiniteValidation(epoch, what, value): return "epoch \(epoch): the validation \(what) is \(value)"
        }
    }
}
