import BallastCore

/// A detector that also learns from unlabelled rows.
///
/// ``Classifier/fit(_:using:)`` of a semi-supervised detector trains on the labelled rows alone;
/// the tools that know which rows are unlabelled (`ballast train --labelled-fraction`, `--unlabelled`,
/// empty label cells, the experiment runner's `labelled-fractions`) call
/// ``fit(_:unlabelled:using:)`` instead.
public protocol SemiSupervisedClassifier: Classifier {
    /// Learns a model from labelled rows and unlabelled rows of the same width.
    /// - Parameters:
    ///   - labelled: labelled training rows.
    ///   - unlabelled: rows without labels (may have no rows).
    ///   - rng: the only source of randomness.
    /// - Throws: ``LearnError`` as ``Classifier/fit(_:using:)``, and ``SemiSupervisedError`` for
    ///   unlabelled rows of the wrong width or with non-finite values, or a class without labels.
    func fit(_ labelled: LabeledMatrix, unlabelled: Matrix, using rng: inout some RandomNumberGenerator) throws -> Model
}

/// Invalid input for a semi-supervised detector.
public enum SemiSupervisedError: Error, Equatable, CustomStringConvertible {
    /// A class of the class table has no labelled row.
    case classWithoutLabels(name: String, index: Int)
    /// The unlabelled rows' width differs from the labelled rows'.
    case unlabelledWidthMismatch(expected: Int, found: Int)
    /// An unlabelled value is NaN or infinite.
    case unlabelledNonFinite(row: Int, column: Int)

    public var description: String {
        switch self {
        case let .classWithoutLabels(name, index):
            return "class '\(name)' (label \(index)) has no labelled row: every class needs at least one labelled row (label some rows of '\(name)', or remove the class)"
        case let .unlabelledWidthMismatch(expected, found):
            return "the unlabelled rows have \(found) feature columns; the labelled rows have \(expected)"
        case let .unlabelledNonFinite(row, column):
            return "unlabelled row \(row), column \(column): value is NaN or infinite"
        }
    }
}

extension SemiSupervisedClassifier {
    /// Fits on labelled and unlabelled rows and type-erases the model (for bundles and experiments).
    /// - Throws: as ``fit(_:unlabelled:using:)``, or when the model type is not registered.
    public func fitErased(_ labelled: LabeledMatrix, unlabelled: Matrix,
                          using rng: inout some RandomNumberGenerator) throws -> AnyClassifierModel {
        try AnyClassifierModel(erasing: fit(labelled, unlabelled: unlabelled, using: &rng))
    }
}

/// Fits `classifier` on the labelled rows, and on the unlabelled rows too when it is a
/// ``SemiSupervisedClassifier`` (a supervised detector sees only the labelled rows).
/// A supervised detector gets `schema` (see ``Classifier/fit(_:schema:using:)``).
/// - Returns: the model and whether the unlabelled rows were used.
/// - Throws: as the classifier's `fit`.
public func fitWithUnlabelled(_ classifier: any Classifier, labelled: LabeledMatrix, unlabelled: Matrix, schema: FeatureSchema? = nil,
                              using rng: inout some RandomNumberGenerator) throws -> (model: AnyClassifierModel, usedUnlabelled: Bool) {
    if unlabelled.rows > 0, let semi = classifier as? any SemiSupervisedClassifier {
        return (try semi.fitErased(labelled, unlabelled: unlabelled, using: &rng), true)
    }
    return (try classifier.fitErased(labelled, schema: schema, using: &rng), false)
}
