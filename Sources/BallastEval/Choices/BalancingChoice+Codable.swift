import BallastLearn

/// A balancing is encoded as its text as written (`smote:k=3`, `weights`) and parsed and validated
/// when decoded.
extension BalancingChoice: Codable {
    /// Decodes and validates a balancing.
    /// - Throws: `DecodingError.dataCorrupted` naming the balancing and the catalogue's complaint.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "balancing '\(text)': \(error)")
        }
    }

    /// Encodes the text as written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
