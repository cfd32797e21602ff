import BallastCore

/// A rebalancing method: imbalanced-learn's `fit_resample`, returning a new labelled matrix.
///
/// Conforming types are `Sendable` structs of hyperparameters with defaults and no logic in `init`;
/// hyperparameters and data are validated in ``fitResample(_:schema:using:)``. Over-samplers keep every
/// original row (first, in their original order) and append synthetic rows; under-samplers and
/// cleaning methods return a subset of the rows in their original order.
public protocol Resampler: Sendable {
    /// Which classes the method changes (cleaning methods: which classes it cleans) and to how many rows.
    var strategy: SamplingStrategy { get set }

    /// Whether the method adds rows, removes rows to a count, cleans by a rule, or combines these.
    var kind: ResamplerKind { get }

    /// Rebalances `data`.
    /// - Parameters:
    ///   - data: the training rows (never modified).
    ///   - schema: the kinds of the feature columns, from the fitted preprocessing; synthetic rows are
    ///     snapped to it (integer columns rounded, binary columns 0/1, one-hot groups one-hot, values
    ///     inside the observed range). `nil` infers a schema from the data.
    ///   - rng: the only source of randomness.
    /// - Returns: the resampled rows and warnings about adjustments made (a shrunken `k`, a fallback).
    /// - Throws: ``LearnError`` for empty data, a single class, non-finite features, mismatched labels
    ///   or invalid hyperparameters; ``ResamplingError`` for a sampling strategy that cannot be met.
    func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                     using rng: inout some RandomNumberGenerator) throws -> ResamplingResult
}

extension Resampler {
    /// Rebalances `data` with a schema inferred from it, dropping warnings.
    /// - Throws: as ``Resampler/fitResample(_:schema:using:)``.
    public func resample(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> LabeledMatrix {
        try fitResample(data, schema: nil, using: &rng).data
    }

    /// Rebalances `data` respecting `schema`, dropping warnings.
    /// - Throws: as ``Resampler/fitResample(_:schema:using:)``.
    public func resample(_ data: LabeledMatrix, schema: FeatureSchema?,
                         using rng: inout some RandomNumberGenerator) throws -> LabeledMatrix {
        try fitResample(data, schema: schema, using: &rng).data
    }
}

/// What a resampler does with rows; decides which guarantees it gives (see ``Resampler``).
public enum ResamplerKind: String, Sendable, Codable, CaseIterable {
    /// Keeps every original row, in order, and appends synthetic rows to exact target counts.
    case overSampling = "over-sampling"
    /// Keeps a subset of rows (or prototypes) of exact target counts.
    case underSampling = "under-sampling"
    /// Replaces rows of a class by exactly its target count of new prototypes (cluster centroids).
    case prototypeGeneration = "prototype generation"
    /// Removes rows its rule marks (noise, Tomek links); counts are not targets.
    case cleaning
    /// Several steps (e.g. SMOTE then ENN).
    case combination
}

/// The output of a resampler: the new rows and what was adjusted on the way.
public struct ResamplingResult: Sendable, Equatable {
    /// The resampled rows.
    public var data: LabeledMatrix
    /// Adjustments a user should know about, in the order they happened.
    public var warnings: [ResamplingWarning]
    /// What each deep generator used did (size, loss curves, per-class fidelity), in order; empty
    /// for classic resamplers.
    public var generators: [GeneratorReport]

    /// Creates a result.
    public init(data: LabeledMatrix, warnings: [ResamplingWarning] = [], generators: [GeneratorReport] = []) {
        self.data = data
        self.warnings = warnings
        self.generators = generators
    }
}

/// Something a resampler adjusted instead of failing (tiny classes, empty clusters).
public enum ResamplingWarning: Sendable, Equatable, CustomStringConvertible {
    /// A class had too few rows for the requested neighbour count; `used` neighbours were used.
    case neighborsReduced(method: String, className: String, requested: Int, used: Int)
    /// A class of a single row was over-sampled by duplicating it.
    case duplicatedSingleRow(method: String, className: String, copies: Int)
    /// No cluster qualified for KMeans-SMOTE; the class was over-sampled by `fallback` instead.
    case noEligibleCluster(className: String, fallback: String)
    /// A class had no danger (borderline) rows or support vectors to synthesize from; `fallback` was used.
    case noBorderlineRows(method: String, className: String, fallback: String)
    /// Other information.
    case note(String)

    public var description: String {
        switch self {
        case let .neighborsReduced(method, className, requested, used):
            return "\(method): class '\(className)' has too few rows for k=\(requested); using k=\(used)"
        case let .duplicatedSingleRow(method, className, copies):
            return "\(method): class '\(className)' has a single row; it was duplicated \(copies) times instead of interpolated"
        case let .noEligibleCluster(className, fallback):
            return "kmeans-smote: no cluster qualified for class '\(className)'; used \(fallback) instead"
        case let .noBorderlineRows(method, className, fallback):
            return "\(method): class '\(className)' has no borderline rows; used \(fallback) instead"
        case let .note(text): return text
        }
    }
}
