import BallastCore

/// A deep generative model's hyperparameters: `fit` learns a ``GenerativeModel`` that samples
/// synthetic rows of a chosen class.
///
/// Like every algorithm, a conforming type is a `Sendable` struct with defaults for every
/// hyperparameter and no logic in `init`; `fit` validates. Rows are in the preprocessed space
/// (what `FittedPreprocessor.transform` makes) and the ``FeatureSchema`` says which columns are
/// integers, flags and one-hot groups, so a model can treat discrete columns as such.
///
/// How the classes are modelled is the generator's ``conditioning``: a class-conditional model
/// (CVAE, DCBN-VAE, CGAN, CTGAN) trains one network on every row and takes the class as an input;
/// an unconditional one (VAE, RealNVP, AE-Flow, GAN) trains one network per class present in
/// `data`, from that class's rows only (the AE-Flow paper's choice). Either way the fitted model
/// samples any class it was trained on. Use ``GenerativeOversampler`` to rebalance a data set with
/// a generator.
public protocol Generator: Sendable {
    /// The fitted model type.
    associatedtype Model: GenerativeModel

    /// Whether one network learns every class, or one network per class.
    var conditioning: GeneratorConditioning { get }

    /// Learns to generate the rows of `data`.
    /// - Parameters:
    ///   - data: preprocessed rows and labels; an unconditional generator fits one network per
    ///     class present, a conditional one needs at least one row and may see any number of classes.
    ///   - schema: the column kinds of `data` (its width must match).
    ///   - rng: the only source of randomness.
    /// - Returns: the fitted model with its training history.
    /// - Throws: ``LearnError`` for empty or non-finite data, mismatched widths, invalid
    ///   hyperparameters or a diverging loss (naming the epoch); ``GeneratorError`` for a class too
    ///   small to train on.
    func fit(_ data: LabeledMatrix, schema: FeatureSchema, using rng: inout some RandomNumberGenerator) throws -> Model
}

/// How a ``Generator`` models the classes.
public enum GeneratorConditioning: String, Sendable, Codable, Hashable {
    /// One network for all classes, the class given as an input (a condition).
    case classConditional = "class-conditional"
    /// One independent network per class, fitted on that class's rows only.
    case perClass = "per-class"
}

/// A fitted generator: synthetic rows of any trained class, its size and cost, and how it trained.
///
/// Models are `Codable` values (weights inside as safetensors bytes), so they travel in bundles
/// and experiment results; ``safetensors()`` gives the weights alone, under PyTorch-style names.
public protocol GenerativeModel: Sendable, Codable {
    /// The class table of the training data; ``sample(_:of:using:)`` takes an index into it.
    var classNames: [String] { get }
    /// Columns of a generated row.
    var featureCount: Int { get }
    /// The classes the model can sample, ascending.
    var trainedClasses: [Int] { get }
    /// Trainable scalars over every network (not batch-norm statistics).
    var parameterCount: Int { get }
    /// Floating-point operations to generate one row (the sampling path only: decoder, generator or
    /// inverse flow; a multiply-add counts 2).
    var flopsPerRow: Int { get }
    /// How each network trained: loss terms per epoch, validation fidelity, the epoch kept.
    var training: [GeneratorTrainingRecord] { get }

    /// Generates rows of one class in the preprocessed space (not yet snapped to the schema; see
    /// ``GenerativeOversampler``). Values are finite.
    /// - Parameters:
    ///   - count: rows to generate (≥ 0).
    ///   - classIndex: a class in ``trainedClasses``.
    ///   - rng: the only source of randomness.
    /// - Returns: a `count × featureCount` matrix.
    /// - Throws: ``GeneratorError/classNotTrained(className:trained:)`` or
    ///   ``LearnError/invalidParameter(name:value:expected:)`` for a negative count.
    func sample(_ count: Int, of classIndex: Int, using rng: inout some RandomNumberGenerator) throws -> Matrix

    /// The weights of every network as one safetensors file (metadata names the model).
    /// - Throws: ``BallastNN/CheckpointError`` (not expected for a fitted model).
    func safetensors() throws -> [UInt8]
}

extension GenerativeModel {
    /// Multiply-adds to generate one row (half of ``flopsPerRow`` for dense layers; papers often
    /// report this figure as "FLOPs").
    public var multiplyAddsPerRow: Int { flopsPerRow / 2 }

    /// Checks a sampling request.
    /// - Throws: ``GeneratorError/classNotTrained(className:trained:)`` or
    ///   ``LearnError/invalidParameter(name:value:expected:)``.
    public func validateSampling(_ count: Int, of classIndex: Int) throws {
        guard count >= 0 else { throw LearnError.invalidParameter(name: "count", value: "\(count)", expected: "≥ 0") }
        guard trainedClasses.contains(classIndex) else {
            let name = classNames.indices.contains(classIndex) ? classNames[classIndex] : "#\(classIndex)"
            throw GeneratorError.classNotTrained(className: name, trained: trainedClasses.map { classNames[$0] })
        }
    }
}

/// Why a generator could not fit or sample.
public enum GeneratorError: Error, Equatable, CustomStringConvertible {
    /// The class has fewer rows than the generator can learn from.
    case classTooSmall(className: String, rows: Int, minimum: Int)
    /// Sampling was asked for a class the model never saw.
    case classNotTrained(className: String, trained: [String])

    public var description: String {
        switch self {
        case let .classTooSmall(className, rows, minimum):
            return "class '\(className)' has \(rows) rows; a generator needs at least \(minimum)"
        case let .classNotTrained(className, trained):
            return "the generator was not trained on class '\(className)' (trained: \(trained.joined(separator: ", ")))"
        }
    }
}
