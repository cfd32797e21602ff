extension LabeledMatrix: Codable {
    private enum CodingKeys: String, CodingKey { case features, labels, classNames }

    /// Decodes `{"features", "labels", "classNames"}` and checks one label per row, each a valid
    /// class index, so that an edited file cannot make later code index past the class table.
    /// - Throws: `DecodingError.dataCorrupted` naming `labels`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let features = try c.decode(Matrix.self, forKey: .features)
        let labels = try c.decode([Int].self, forKey: .labels)
        let classNames = try c.decode([String].self, forKey: .classNames)
        guard labels.count == features.rows else {
            throw DecodingError.dataCorruptedError(forKey: .labels, in: c,
                                                   debugDescription: "\(labels.count) labels for \(features.rows) rows")
        }
        if let row = labels.firstIndex(where: { $0 < 0 || $0 >= classNames.count }) {
            throw DecodingError.dataCorruptedError(
                forKey: .labels, in: c,
                debugDescription: "row \(row) has label \(labels[row]), outside 0..<\(classNames.count) (the classNames)")
        }
        self.init(features: features, labels: labels, classNames: classNames)
    }

    /// Encodes the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(features, forKey: .features)
        try c.encode(labels, forKey: .labels)
        try c.encode(classNames, forKey: .classNames)
    }
}
