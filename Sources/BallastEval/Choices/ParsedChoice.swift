import BallastLearn

/// A balancing or detector choice: written as text (`smote:k=3`, `gbdt:rounds=50`), parsed and
/// validated once, and encoded as the text as written (so results, journals and spec hashes keep
/// the user's spelling) and parsed again — validated — when decoded.
public protocol ParsedChoice: Codable, ExpressibleByStringLiteral where StringLiteralType == String {
    /// What the choice is called in messages: "balancing", "detector".
    static var choiceKind: String { get }
    /// The text as written.
    var text: String { get }
    /// Parses and validates a choice.
    /// - Throws: ``CatalogError`` for an unknown name, parameter or value.
    init(parsing text: String) throws
}

extension ParsedChoice {
    /// A choice written in code (`"smote"` where a choice is expected).
    ///
    /// A literal is the programmer's, never user input (which goes through ``init(parsing:)``), so
    /// a literal the catalogue rejects stops the program with the catalogue's message.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value)
        } catch {
            preconditionFailure("\(Self.choiceKind) '\(value)' written in code is invalid: \(error)")
        }
    }

    /// Decodes and validates a choice.
    /// - Throws: `DecodingError.dataCorrupted` naming the choice and the catalogue's complaint.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(Self.choiceKind) '\(text)': \(error)")
        }
    }

    /// Encodes the text as written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

extension BalancingChoice: ParsedChoice {
    public static var choiceKind: String { "balancing" }
}

extension DetectorChoice: ParsedChoice {
    public static var choiceKind: String { "detector" }
}
