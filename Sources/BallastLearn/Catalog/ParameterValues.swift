/// The parameters of one ``AlgorithmSpec``, read with types and defaults by a ``CatalogEntry``'s
/// factory.
///
/// Every read records the parameter's name, default and summary, so the same factory code that
/// builds an algorithm also documents it (``CatalogEntry/parameters``) — defaults are written once.
public struct ParameterValues: Sendable {
    /// The algorithm name, for error messages.
    public let algorithm: String
    let values: [String: String]
    /// Parameters read so far, in reading order.
    public private(set) var documented: [ParameterDoc] = []
    /// Whether quick mode applies: an ensemble's factory builds its members with their quick profiles.
    public var quick = false

    /// Wraps the values of a specification.
    public init(algorithm: String, values: [String: String]) {
        self.algorithm = algorithm
        self.values = values
    }

    /// Keys present in the specification that no read asked for.
    public var unread: [String] {
        let read = Set(documented.map(\.name))
        return values.keys.filter { !read.contains($0) }.sorted()
    }

    mutating func raw(_ name: String, _ defaultText: String, _ summary: String) -> String? {
        documented.append(ParameterDoc(name: name, defaultValue: defaultText, summary: summary))
        return values[name]
    }

    func invalid(_ name: String, _ value: String, _ expected: String) -> CatalogError {
        .invalidValue(algorithm: algorithm, parameter: name, value: value, expected: expected)
    }

    /// An integer parameter.
    /// - Parameters:
    ///   - name: lower-case key.
    ///   - defaultValue: used when the key is absent.
    ///   - range: the allowed values.
    ///   - summary: one line for the listings of `ballast balance --help` and `ballast train --help`.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    public mutating func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int> = Int.min...Int.max,
                             _ summary: String) throws -> Int {
        guard let text = raw(name, "\(defaultValue)", summary) else { return defaultValue }
        guard let v = Int(text), range.contains(v) else { throw invalid(name, text, "an integer in \(range.text)") }
        return v
    }

    /// An optional integer parameter (absent → `nil`).
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    public mutating func optionalInt(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max,
                                     _ summary: String) throws -> Int? {
        guard let text = raw(name, "none", summary) else { return nil }
        guard let v = Int(text), range.contains(v) else { throw invalid(name, text, "an integer in \(range.text)") }
        return v
    }

    /// An optional real parameter: absent or `keyword` (such as `none` or `auto`) → `nil`; the help
    /// shows the keyword as the default. A negative number also reads as `nil`, for specifications
    /// written when these defaults were shown as `-1`.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    public mutating func optionalDouble(_ name: String, keyword: String, in range: ClosedRange<Double>, _ summary: String) throws -> Double? {
        guard let text = raw(name, keyword, summary), text.lowercased() != keyword else { return nil }
        guard let v = Double(text), v.isFinite, v < 0 || range.contains(v) else {
            throw invalid(name, text, "\(keyword) or a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return v < 0 ? nil : v
    }

    /// A real parameter.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    public mutating func double(_ name: String, default defaultValue: Double,
                                in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                                _ summary: String) throws -> Double {
        guard let text = raw(name, "\(defaultValue)", summary) else { return defaultValue }
        guard let v = Double(text), v.isFinite, range.contains(v) else {
            throw invalid(name, text, "a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    /// A Boolean parameter (`true/false`, `yes/no`, `1/0`, `on/off`).
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    public mutating func bool(_ name: String, default defaultValue: Bool, _ summary: String) throws -> Bool {
        guard let text = raw(name, "\(defaultValue)", summary) else { return defaultValue }
        switch text.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw invalid(name, text, "true or false")
        }
    }

    /// A parameter with a fixed set of values (an enum with string raw values).
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    public mutating func choice<E: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: E,
                                                                   _ summary: String) throws -> E where E.RawValue == String {
        guard let text = raw(name, defaultValue.rawValue, summary) else { return defaultValue }
        guard let v = E(rawValue: text.lowercased()) else {
            throw invalid(name, text, "one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }

    /// A free-form text parameter (e.g. a nested algorithm name).
    public mutating func string(_ name: String, default defaultValue: String, _ summary: String) -> String {
        raw(name, defaultValue, summary) ?? defaultValue
    }
}

/// One documented parameter of a catalogue entry.
public struct ParameterDoc: Sendable, Equatable {
    /// Lower-case key.
    public var name: String
    /// The default, as text.
    public var defaultValue: String
    /// One line of explanation.
    public var summary: String
}

extension ClosedRange where Bound == Int {
    var text: String {
        switch (lowerBound == Int.min, upperBound == Int.max) {
        case (true, true): return "any range"
        case (false, true): return "\(lowerBound)..."
        case (true, false): return "...\(upperBound)"
        case (false, false): return "\(lowerBound)...\(upperBound)"
        }
    }
}
