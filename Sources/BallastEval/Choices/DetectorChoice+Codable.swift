import BallastLearn

/// A detector is encoded as its specification text (`gbdt:rounds=50`) and validated when decoded.
extension DetectorChoice: Codable {
    /// Decodes and validates a specification.
    /// - Throws: `DecodingError.dataCorrupted` naming the catalogue's complaint.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "detector '\(text)': \(error)")
        }
    }

    /// Encodes the specification text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
