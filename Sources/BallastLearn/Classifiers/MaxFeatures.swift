/// How many features a tree considers at each split.
public enum MaxFeatures: Sendable, Equatable, Codable {
    /// Every feature.
    case all
    /// ⌊√features⌋ (at least 1): the random-forest default.
    case sqrt
    /// ⌊log₂ features⌋ (at least 1).
    case log2
    /// ⌊fraction × features⌋ (at least 1), fraction in (0, 1].
    case fraction(Double)
    /// A fixed count, 1...features.
    case count(Int)

    /// The number of candidate features out of `features`.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` for a fraction outside (0, 1]
    ///   or a count outside 1...features.
    public func count(of features: Int) throws -> Int {
        switch self {
        case .all: return features
        case .sqrt: return max(1, Int(Double(features).squareRoot()))
        case .log2:
            var n = 0
            while (1 << (n + 1)) <= features { n += 1 }
            return max(1, n)
        case .fraction(let f):
            guard f > 0 && f <= 1 else { throw LearnError.invalidParameter(name: "maxFeatures", value: "\(f)", expected: "a fraction in (0, 1]") }
            return max(1, Int(f * Double(features)))
        case .count(let k):
            guard k >= 1 && k <= features else {
                throw LearnError.invalidParameter(name: "maxFeatures", value: "\(k)", expected: "1...\(features) (the feature count)")
            }
            return k
        }
    }

    /// Parses `all`, `sqrt`, `log2`, a fraction such as `0.5`, or a count such as `12`.
    /// - Returns: `nil` for other text.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "all", "none": self = .all
        case "sqrt": self = .sqrt
        case "log2": self = .log2
        default:
            if let k = Int(text) { self = .count(k) } else if let f = Double(text) { self = .fraction(f) } else { return nil }
        }
    }
}
