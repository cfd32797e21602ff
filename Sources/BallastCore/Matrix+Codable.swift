extension Matrix: Codable {
    private enum CodingKeys: String, CodingKey { case rows, columns, storage }

    /// Decodes `{"rows", "columns", "storage"}` and checks that the shape fits the values present, so
    /// that an edited file cannot make later code read past the storage.
    /// - Throws: `DecodingError.dataCorrupted` naming `rows` when the shape is negative, overflows,
    ///   or does not match the number of stored values.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try c.decode(Int.self, forKey: .rows)
        let columns = try c.decode(Int.self, forKey: .columns)
        let storage = try c.decode([Float].self, forKey: .storage)
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 0, columns >= 0, !overflow, count == storage.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .rows, in: c,
                debugDescription: "\(rows) rows × \(columns) columns do not fit the \(storage.count) stored values")
        }
        self.init(rows: rows, columns: columns, values: storage)
    }

    /// Encodes the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rows, forKey: .rows)
        try c.encode(columns, forKey: .columns)
        try c.encode(storage, forKey: .storage)
    }
}
