/// A parsed algorithm specification such as `smote:k=5` or `kmeans-under:clusters=40,seed=3`.
///
/// The text form is `NAME[:KEY=VALUE[,KEY=VALUE...]]`. Names and keys are case-insensitive and
/// stored lower-cased; values are kept as written. The ``description`` is canonical (keys sorted),
/// so it can be printed and parsed back.
public struct AlgorithmSpec: Sendable, Hashable, CustomStringConvertible {
    /// The catalogue name (lower-cased).
    public var name: String
    /// Parameter values by lower-cased key.
    public var parameters: [String: String]

    /// Creates a specification from its parts.
    public init(name: String, parameters: [String: String] = [:]) {
        self.name = name.lowercased()
        self.parameters = Dictionary(uniqueKeysWithValues: parameters.map { ($0.key.lowercased(), $0.value) })
    }

    /// Parses `NAME[:KEY=VALUE,...]`.
    /// - Parameter text: the specification, e.g. `borderline-smote:kind=2,k=5`.
    /// - Throws: ``CatalogError/malformed(_:reason:)`` for an empty name, a parameter without `=`,
    ///   an empty key or a key given twice.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0]).trimmingSpaces.lowercased()
        guard !name.isEmpty else { throw CatalogError.malformed(text, reason: "the algorithm name is empty") }
        var parameters: [String: String] = [:]
        if parts.count == 2 {
            for item in parts[1].split(separator: ",", omittingEmptySubsequences: true) {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2 else {
                    throw CatalogError.malformed(text, reason: "parameter '\(item)' has no '=' (expected key=value)")
                }
                let key = String(pair[0]).trimmingSpaces.lowercased()
                let value = String(pair[1]).trimmingSpaces
                guard !key.isEmpty else { throw CatalogError.malformed(text, reason: "a parameter has an empty name") }
                guard parameters[key] == nil else {
                    throw CatalogError.malformed(text, reason: "parameter '\(key)' is given twice")
                }
                parameters[key] = value
            }
        }
        self.name = name
        self.parameters = parameters
    }

    /// The canonical text form: `name` or `name:key=value,...` with keys sorted.
    public var description: String {
        guard !parameters.isEmpty else { return name }
        return name + ":" + parameters.keys.sorted().map { "\($0)=\(parameters[$0] ?? "")" }.joined(separator: ",")
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
