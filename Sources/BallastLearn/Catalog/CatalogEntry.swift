/// One named algorithm in the ``Catalog``: its name, a summary, and the factory that builds a
/// configured value from parameters.
public struct CatalogEntry<Product>: Sendable {
    /// The canonical name used by the CLI and the server (`smote`, `rf`).
    public let name: String
    /// Other accepted names (`ros` for `random-over`).
    public let aliases: [String]
    /// One line for the method listings of `ballast balance --help` and `ballast train --help`.
    public let summary: String
    /// Builds the configured algorithm; every parameter is read through the ``ParameterValues``.
    public let factory: @Sendable (inout ParameterValues) throws -> Product

    /// Creates an entry.
    public init(name: String, aliases: [String] = [], summary: String,
                factory: @escaping @Sendable (inout ParameterValues) throws -> Product) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.factory = factory
    }

    /// The parameters the factory reads, with defaults, learned by running it on no values.
    public var parameters: [ParameterDoc] {
        var values = ParameterValues(algorithm: name, values: [:])
        _ = try? factory(&values)
        return values.documented
    }

    /// Builds the algorithm for a specification.
    /// - Throws: ``CatalogError`` for unknown parameters or invalid values.
    public func make(_ spec: AlgorithmSpec) throws -> Product {
        var values = ParameterValues(algorithm: name, values: spec.parameters)
        let product = try factory(&values)
        if let unknown = values.unread.first {
            throw CatalogError.unknownParameter(algorithm: name, parameter: unknown, known: values.documented.map(\.name))
        }
        return product
    }

    /// Whether `name` is this entry's name or one of its aliases.
    public func matches(_ name: String) -> Bool { self.name == name || aliases.contains(name) }
}
