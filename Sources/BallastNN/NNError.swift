/// Errors of the neural engine that user input can reach (shapes of loaded weights, bad
/// hyperparameters, unreadable checkpoints).
public enum NNError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter is out of range: its name, the value given and what is accepted.
    case invalidParameter(name: String, value: String, expected: String)

    /// A readable message naming the parameter, the value and what was expected.
    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let expected):
            return "\(name)=\(value) is invalid: expected \(expected)"
        }
    }
}
