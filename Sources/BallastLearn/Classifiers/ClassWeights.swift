import BallastCore

/// How much each class counts in training, applied as per-row sample weights.
///
/// Weighting the loss by class is the cheapest answer to imbalance, and often rivals resampling:
/// `.balanced` gives every class the same total weight, as scikit-learn's `class_weight="balanced"`.
public enum ClassWeights: Sendable, Equatable, Codable {
    /// Every row weighs 1.
    case none
    /// Class `c` weighs `rows / (presentClasses * count_c)` (scikit-learn's `"balanced"`).
    case balanced
    /// Class `c` weighs `weights[c]`; classes not listed weigh 1.
    case explicit([Int: Double])

    /// The largest explicit weight: models accumulate weights in `Float`, and a weight near
    /// `Float.greatestFiniteMagnitude` overflows their sums (a model then predicts the majority only).
    public static let maximumWeight = 1e6

    /// The weight of each class, indexed by label.
    /// - Parameters:
    ///   - labels: training labels.
    ///   - classCount: size of the class table.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` for an explicit weight outside
    ///   `0...maximumWeight` or a class index outside the table.
    public func classWeights(labels: [Int], classCount: Int) throws -> [Double] {
        switch self {
        case .none:
            return Array(repeating: 1, count: classCount)
        case .balanced:
            let counts = LabeledMatrix.classCounts(of: labels, classCount: classCount)
            let present = counts.filter { $0 > 0 }.count
            return counts.map { $0 > 0 ? Double(labels.count) / Double(present * $0) : 0 }
        case .explicit(let table):
            var w = Array(repeating: 1.0, count: classCount)
            for (c, v) in table.sorted(by: { $0.key < $1.key }) {
                guard c >= 0 && c < classCount else {
                    throw LearnError.invalidParameter(name: "class-weight", value: "class \(c)",
                                                      expected: "a class index in 0..<\(classCount)")
                }
                guard v.isFinite && v >= 0 && v <= Self.maximumWeight else {
                    throw LearnError.invalidParameter(name: "class-weight", value: "\(v) for class \(c)",
                                                      expected: "a weight in 0...\(Int(Self.maximumWeight)) (weights are relative: scale the others down)")
                }
                w[c] = v
            }
            return w
        }
    }

    /// One weight per row: the weight of its class.
    /// - Throws: as ``classWeights(labels:classCount:)``, and
    ///   ``LearnError/invalidParameter(name:value:expected:)`` when every row weighs 0.
    public func sampleWeights(labels: [Int], classCount: Int) throws -> [Float] {
        let w = try classWeights(labels: labels, classCount: classCount)
        let rows = labels.map { Float(w[$0]) }
        guard rows.contains(where: { $0 > 0 }) else {
            throw LearnError.invalidParameter(name: "class-weight", value: "\(self)", expected: "a positive weight for some class present")
        }
        return rows
    }
}
