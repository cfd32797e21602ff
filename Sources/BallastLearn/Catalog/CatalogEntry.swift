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
    /// The quick profile: parameters quick mode (`ballast experiment --quick`, `ballast demo
    /// --quick`) sets unless a specification sets them itself — fewer trees, rounds or epochs.
    /// Empty for algorithms that are already fast.
    public let quickParameters: [String: String]
    /// For an ensemble, the parameter listing its members (entry names of the same catalogue joined
    /// by `+`, each with its defaults); the factory builds them with ``make(_:quick:)`` so quick
    /// mode reaches every member. `nil` for other algorithms.
    public let membersParameter: String?

    /// Creates an entry.
    /// - Parameters:
    ///   - name: the canonical name.
    ///   - aliases: other accepted names.
    ///   - summary: one line for the listings.
    ///   - quickParameters: the quick profile (see ``quickParameters``).
    ///   - membersParameter: for an ensemble, the parameter naming its members.
    ///   - factory: builds the configured algorithm.
    public init(name: String, aliases: [String] = [], summary: String, quickParameters: [String: String] = [:],
                membersParameter: String? = nil, factory: @escaping @Sendable (inout ParameterValues) throws -> Product) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.quickParameters = quickParameters
        self.membersParameter = membersParameter
        self.factory = factory
    }

    /// The parameters the factory reads, with defaults, learned by running it on no values.
    public var parameters: [ParameterDoc] {
        var values = ParameterValues(algorithm: name, values: [:])
        _ = try? factory(&values)
        return values.documented
    }

    /// Builds the algorithm for a specification.
    /// - Parameters:
    ///   - spec: the specification (its name is not checked against this entry).
    ///   - quick: apply the quick profile (``quickParameters``, and the members' profiles of an ensemble).
    /// - Throws: ``CatalogError`` for unknown parameters or invalid values.
    public func make(_ spec: AlgorithmSpec, quick: Bool = false) throws -> Product {
        var values = ParameterValues(algorithm: name, values: quick ? quickened(spec).parameters : spec.parameters)
        values.quick = quick
        let product = try factory(&values)
        if let unknown = values.unread.first {
            throw CatalogError.unknownParameter(algorithm: name, parameter: unknown, known: values.documented.map(\.name))
        }
        return product
    }

    /// `spec` with the quick profile added where it sets none.
    /// - Parameter spec: a specification of this entry.
    public func quickened(_ spec: AlgorithmSpec) -> AlgorithmSpec {
        var s = spec
        for (key, value) in quickParameters where s.parameters[key] == nil { s.parameters[key] = value }
        return s
    }

    /// The member names of an ensemble specification (its ``membersParameter`` or that parameter's
    /// default); empty for other algorithms.
    /// - Parameter spec: a specification of this entry.
    public func memberNames(_ spec: AlgorithmSpec) -> [String] {
        guard let key = membersParameter else { return [] }
        let text = spec.parameters[key] ?? parameters.first { $0.name == key }?.defaultValue ?? ""
        return text.split(separator: "+").map(String.init)
    }

    /// Whether `name` is this entry's name or one of its aliases.
    public func matches(_ name: String) -> Bool { self.name == name || aliases.contains(name) }
}
