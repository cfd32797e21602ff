import BallastCore
import BallastNN
import Foundation

extension TabularGANModel: Codable {
    private enum CodingKeys: String, CodingKey { case classNames, featureCount, architecture, encoding, conditions, networks }

    /// Decodes a model and checks it before anything is built from it: the architecture's sizes
    /// (with arithmetic parameter-count caps), that the encoding covers every column once and
    /// matches the generator's output, the condition table's shape, and every network's scaler and
    /// weights against the architecture.
    /// - Throws: `DecodingError.dataCorrupted` naming the bad part.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classNames = try c.decode([String].self, forKey: .classNames)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        architecture = try c.decode(GANArchitecture.self, forKey: .architecture)
        encoding = try c.decodeIfPresent(ModeSpecificEncoding.self, forKey: .encoding)
        conditions = try c.decodeIfPresent(ConditionTable.self, forKey: .conditions)
        networks = try c.decode([GeneratorNetwork].self, forKey: .networks)
        let a = architecture, classes = classNames.count
        let conditional = networks.contains { $0.classIndex == nil }
        guard (1...1_000_000).contains(featureCount), (1...100_000).contains(classes), a.isValid,
              !networks.isEmpty, networks.count <= classes, !conditional || networks.count == 1,
              networks.allSatisfy({ n in n.classIndex.map { classNames.indices.contains($0) } ?? true }),
              conditional == (a.conditionWidth > 0) else {
            throw DecodingError.dataCorruptedError(forKey: .architecture, in: c,
                                                   debugDescription: "the GAN architecture or its networks' classes are invalid")
        }
        do {
            var spanWidths: [Int] = []
            // Training-by-sampling adds a class span after the rows' own columns.
            let label = conditions == nil ? [] : [classes]
            if let encoding {
                try encoding.validate(width: featureCount)
                spanWidths = encoding.discreteColumns.map { encoding.columns[$0].spanWidth }
                guard a.features == encoding.encodedWidth + label.reduce(0, +), a.tanhColumns == encoding.scalarCount,
                      a.softmaxSpans == encoding.spanWidths + label else {
                    throw LearnError.invalidParameter(name: "encoding", value: "\(encoding.encodedWidth) columns",
                                                      expected: "the generator's \(a.features) outputs")
                }
            } else if a.features != featureCount + label.reduce(0, +) || a.tanhColumns != featureCount || a.softmaxSpans != label {
                throw LearnError.invalidParameter(name: "architecture", value: "\(a.features) outputs", expected: "\(featureCount)")
            }
            if let conditions {
                try conditions.validate(classes: classes, spanWidths: spanWidths)
                guard a.conditionWidth == conditions.width else {
                    throw LearnError.invalidParameter(name: "condition", value: "\(a.conditionWidth)", expected: "\(conditions.width)")
                }
            } else if a.conditionWidth != 0 && a.conditionWidth != classes {
                throw LearnError.invalidParameter(name: "condition", value: "\(a.conditionWidth)", expected: "0 or \(classes)")
            }
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .encoding, in: c, debugDescription: "GAN model: \(error)")
        }
        try networks.validateDecoded(width: featureCount, key: .networks, in: c) { _ = try a.buildGenerator(weights: $0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(architecture, forKey: .architecture)
        try c.encodeIfPresent(encoding, forKey: .encoding)
        try c.encodeIfPresent(conditions, forKey: .conditions)
        try c.encode(networks, forKey: .networks)
    }
}
