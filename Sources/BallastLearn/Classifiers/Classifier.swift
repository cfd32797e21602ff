import BallastCore

/// A detector's hyperparameters: `fit` learns a ``ClassifierModel`` from labelled rows.
///
/// Conforming types are `Sendable` structs with defaults for every hyperparameter and no logic in
/// `init`; invalid hyperparameters are reported by `fit` as ``LearnError/invalidParameter(name:value:expected:)``.
/// Fitted state lives in the separate `Model` type, so predicting before fitting cannot compile.
public protocol Classifier: Sendable {
    /// The fitted model type.
    associatedtype Model: ClassifierModel

    /// Learns a model from labelled rows.
    /// - Parameters:
    ///   - data: training rows and labels (validated: see ``LearnError``).
    ///   - rng: the only source of randomness.
    /// - Throws: ``LearnError`` for empty data, a single class, non-finite features, mismatched label
    ///   counts or invalid hyperparameters.
    func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> Model

    /// Learns a model from labelled rows whose columns `schema` describes.
    ///
    /// Pass the schema of the preprocessing that produced the rows (``FeatureSchema/init(preprocessor:)``)
    /// so that a detector can take the raw values into account: decision trees, forests and boosted
    /// trees place a split between two `log1p` values at the image of their *raw* midpoint, as a tree
    /// trained on the raw data would. The default implementation ignores the schema.
    /// - Parameters:
    ///   - data: training rows and labels (validated: see ``LearnError``).
    ///   - schema: the columns' description, or `nil` (as ``fit(_:using:)``).
    ///   - rng: the only source of randomness.
    /// - Throws: as ``fit(_:using:)``; ``LearnError/invalidParameter(name:value:expected:)`` naming
    ///   `schema` when it describes a different number of columns.
    func fit(_ data: LabeledMatrix, schema: FeatureSchema?, using rng: inout some RandomNumberGenerator) throws -> Model
}

extension Classifier {
    /// Learns a model from labelled rows; the schema is not used.
    /// - Throws: as ``fit(_:using:)``.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema?, using rng: inout some RandomNumberGenerator) throws -> Model {
        try fit(data, using: &rng)
    }
}

/// A fitted detector: class probabilities and predicted labels for new rows.
public protocol ClassifierModel: Sendable, Codable {
    /// Class names, indexed by label; probabilities have one column per class in this order.
    var classNames: [String] { get }
    /// Number of feature columns the model expects.
    var featureCount: Int { get }

    /// Class probabilities, one row per input row, one column per class; each row sums to 1.
    /// - Throws: ``LearnError/featureCountMismatch(expected:found:)`` or ``LearnError/nonFinite(row:column:)``.
    func predictProbabilities(_ features: Matrix) throws -> Matrix
}

extension ClassifierModel {
    /// The most probable class of each row (ties go to the lower class index).
    /// - Throws: as ``predictProbabilities(_:)``.
    public func predict(_ features: Matrix) throws -> [Int] {
        try predictProbabilities(features).mostProbableClasses()
    }

    /// Checks that `features` has the model's width and only finite values.
    /// - Throws: ``LearnError/featureCountMismatch(expected:found:)`` or ``LearnError/nonFinite(row:column:)``.
    public func validateInput(_ features: Matrix) throws {
        if features.columns != featureCount && !(features.rows == 0 && features.columns == 0) {
            throw LearnError.featureCountMismatch(expected: featureCount, found: features.columns)
        }
        if let (r, c) = features.firstNonFinite() { throw LearnError.nonFinite(row: r, column: c) }
    }
}

extension Matrix {
    /// For class probabilities (one row per record, one column per class), the most probable class
    /// of each row; ties go to the lower class index.
    public func mostProbableClasses() -> [Int] {
        withUnsafeBufferPointer { buf in
            (0..<rows).map { r in
                var best = 0
                for c in 1..<max(columns, 1) where buf[r * columns + c] > buf[r * columns + best] { best = c }
                return best
            }
        }
    }
}

/// Invalid input or hyperparameters for a learning algorithm.
public enum LearnError: Error, Equatable, CustomStringConvertible {
    /// The training data has no rows.
    case emptyData
    /// All training rows belong to one class; a detector needs at least two.
    case singleClass(String)
    /// Labels and feature rows differ in number.
    case labelCountMismatch(rows: Int, labels: Int)
    /// A label is outside the class table.
    case labelOutOfRange(row: Int, label: Int, classCount: Int)
    /// A feature value is NaN or infinite.
    case nonFinite(row: Int, column: Int)
    /// Rows have a different width from the training data.
    case featureCountMismatch(expected: Int, found: Int)
    /// A hyperparameter has an invalid value.
    case invalidParameter(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .emptyData: return "the training data has no rows"
        case .singleClass(let name):
            return "every training row is of class '\(name)': a detector needs at least two classes"
        case let .labelCountMismatch(rows, labels): return "\(labels) labels for \(rows) feature rows"
        case let .labelOutOfRange(row, label, classCount): return "row \(row): label \(label) is outside 0..<\(classCount)"
        case let .nonFinite(row, column): return "row \(row), column \(column): value is NaN or infinite"
        case let .featureCountMismatch(expected, found):
            return "rows have \(found) feature columns; the model was trained on \(expected)"
        case let .invalidParameter(name, value, expected): return "\(name)=\(value) is invalid: expected \(expected)"
        }
    }
}

extension LabeledMatrix {
    /// Validates training data for a classifier: rows present, labels matching, finite features,
    /// at least two classes present.
    /// - Throws: the corresponding ``LearnError``.
    public func validateForTraining() throws {
        guard features.rows > 0 else { throw LearnError.emptyData }
        do {
            try validate()
        } catch let error as LabeledMatrixError {
            switch error {
            case let .labelCountMismatch(rows, labels): throw LearnError.labelCountMismatch(rows: rows, labels: labels)
            case let .labelOutOfRange(row, label, classCount):
                throw LearnError.labelOutOfRange(row: row, label: label, classCount: classCount)
            case let .nonFinite(row, column, _): throw LearnError.nonFinite(row: row, column: column)
            }
        }
        let present = classCounts.enumerated().filter { $0.element > 0 }
        if present.count < 2 { throw LearnError.singleClass(classNames[present.first?.offset ?? 0]) }
    }
}
