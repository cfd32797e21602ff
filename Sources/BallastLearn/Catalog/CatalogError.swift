/// A catalogue lookup that cannot be satisfied: unknown names, unknown parameters, bad values.
public enum CatalogError: Error, Equatable, CustomStringConvertible {
    /// The text is not of the form `NAME[:KEY=VALUE,...]`.
    case malformed(String, reason: String)
    /// No algorithm of this kind has the name.
    case unknownAlgorithm(name: String, kind: String, known: [String])
    /// The algorithm has no parameter of this name.
    case unknownParameter(algorithm: String, parameter: String, known: [String])
    /// A parameter value cannot be read or is out of range.
    case invalidValue(algorithm: String, parameter: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .malformed(text, reason): return "'\(text)': \(reason)"
        case let .unknownAlgorithm(name, kind, known):
            return "unknown \(kind) '\(name)'; known: \(known.joined(separator: ", "))"
        case let .unknownParameter(algorithm, parameter, known):
            let list = known.isEmpty ? "it takes no parameters" : "known: \(known.joined(separator: ", "))"
            return "\(algorithm) has no parameter '\(parameter)'; \(list)"
        case let .invalidValue(algorithm, parameter, value, expected):
            return "\(algorithm): \(parameter)=\(value) is invalid: expected \(expected)"
        }
    }
}
