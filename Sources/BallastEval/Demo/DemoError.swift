/// A demo configuration or dataset the comparison cannot run with.
public enum DemoError: Error, Equatable, CustomStringConvertible {
    /// A list option (`--balance`, `--models`) names nothing.
    case emptyList(option: String)
    /// The training and test files have different class tables.
    case classMismatch(train: [String], test: [String])
    /// No detector was given.
    case noDetectors

    public var description: String {
        switch self {
        case .emptyList(let option): return "\(option) names no method: expected a comma-separated list of names"
        case let .classMismatch(train, test):
            return "the training classes (\(train.joined(separator: ", "))) differ from the test classes (\(test.joined(separator: ", ")))"
        case .noDetectors: return "the comparison needs at least one detector"
        }
    }
}
