import BallastLearn

/// A detector is encoded as its specification text as written (`gbdt:rounds=50`) and parsed and
/// validated when decoded.
extension DetectorChoice: Codable {
    /// Decodes and validates a specification.
    /// - Throws: `DecodingError.dataCorrupted` naming the detector and the catalogue's complaint.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "detector '\(text)': \(error)")
        }
    }

    /// Encodes the specification text as written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
