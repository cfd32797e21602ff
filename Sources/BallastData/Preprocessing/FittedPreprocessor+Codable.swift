extension FittedPreprocessor: Codable {
    private enum CodingKeys: String, CodingKey { case configuration, columns, outputColumns, oneHotGroups }

    /// Decodes a fitted preprocessing and checks its layout, so that an edited file cannot make
    /// ``transform(_:)`` or ``inverseTransform(_:)`` write outside a row or trap on a number.
    /// - Throws: `DecodingError.dataCorrupted` naming the first inconsistent field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(configuration: try c.decode(Preprocessor.self, forKey: .configuration),
                  columns: try c.decode([FittedColumn].self, forKey: .columns),
                  outputColumns: try c.decode([OutputColumn].self, forKey: .outputColumns),
                  oneHotGroups: try c.decode([Range<Int>].self, forKey: .oneHotGroups))
        if let (key, problem) = layoutProblem() {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: problem)
        }
    }

    /// Encodes the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(configuration, forKey: .configuration)
        try c.encode(columns, forKey: .columns)
        try c.encode(outputColumns, forKey: .outputColumns)
        try c.encode(oneHotGroups, forKey: .oneHotGroups)
    }

    /// The first field that does not fit the layout (output ranges inside the output width and of the
    /// size the column kind produces, finite scalers, category indices in range), or `nil`.
    private func layoutProblem() -> (CodingKeys, String)? {
        let width = outputWidth
        let oneHot = configuration.categoricalEncoding == .oneHot
        for (j, f) in columns.enumerated() {
            let range = f.outputRange
            let name = "columns[\(j)] (\(f.name))"
            let expectedCount = f.kind == .categorical && oneHot ? f.categories.count : 1
            guard range.lowerBound >= 0, range.upperBound <= width, range.count == expectedCount else {
                return (.columns, "\(name).outputRange \(range), expected \(expectedCount) columns inside 0..<\(width)")
            }
            if f.kind == .categorical {
                let mode = f.imputationValue
                guard mode.isFinite, mode == mode.rounded(), mode >= 0, mode < Double(max(1, f.categories.count)) else {
                    return (.columns, "\(name).imputationValue \(mode), expected a category index in 0..<\(f.categories.count)")
                }
            } else {
                let numbers = ["imputationValue": f.imputationValue, "shift": f.shift, "factor": f.factor, "base": f.base,
                               "observedMin": f.observedMin, "observedMax": f.observedMax]
                for (field, value) in numbers.sorted(by: { $0.key < $1.key }) where !value.isFinite {
                    return (.columns, "\(name).\(field) \(value), expected a finite number")
                }
                guard f.factor != 0 else { return (.columns, "\(name).factor 0, expected a nonzero scale") }
                if let problem = f.tieBreaks?.problem() { return (.columns, "\(name).tieBreaks: \(problem)") }
                guard f.observedMin <= f.observedMax else {
                    return (.columns, "\(name).observedMin \(f.observedMin) exceeds observedMax \(f.observedMax)")
                }
            }
        }
        for (i, out) in outputColumns.enumerated() {
            guard out.sourceColumn >= 0 && out.sourceColumn < columns.count else {
                return (.outputColumns, "outputColumns[\(i)].sourceColumn \(out.sourceColumn), expected 0..<\(columns.count)")
            }
            if case let .oneHot(group) = out.role, group < 0 || group >= oneHotGroups.count {
                return (.outputColumns, "outputColumns[\(i)] one-hot group \(group), expected 0..<\(oneHotGroups.count)")
            }
        }
        for (g, range) in oneHotGroups.enumerated() where range.lowerBound < 0 || range.upperBound > width {
            return (.oneHotGroups, "oneHotGroups[\(g)] \(range) lies outside the \(width) output columns")
        }
        return nil
    }
}
