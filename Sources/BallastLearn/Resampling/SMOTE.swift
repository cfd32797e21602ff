import BallastCore

/// SMOTE: Synthetic Minority Over-sampling TEchnique (Chawla, Bowyer, Hall & Kegelmeyer 2002).
///
/// Each selected class grows to its target with rows interpolated between a random row of the class
/// and one of its `k` nearest neighbours in the class. Synthetic rows are snapped to the feature
/// schema (type-aware synthesis) unless `typeAware` is off.
///
/// Tiny classes: `k` shrinks to `rows − 1` with a warning; a class of one row is duplicated with a
/// warning. The output never has more rows than the strategy asks for.
///
/// The neighbour search is exact by default, and its cost grows with the square of a class's rows
/// (Σ n_c² × columns). With ``neighborPartitionRows`` set, a class of more rows is split into k-means
/// parts of about that many rows and searched part by part
/// (``NearestNeighbors/searchWithinPartitioned(_:k:partitionRows:using:)``): cost linear in n, at
/// the price of missing some true neighbours near the borders between parts.
public struct SMOTE: Resampler {
    /// Which classes grow, and to how many rows.
    public var strategy: SamplingStrategy
    /// Nearest neighbours of the same class to interpolate towards.
    public var k: Int
    /// Snap synthetic rows to valid records.
    public var typeAware: Bool
    /// Bounded neighbour search: a class of more rows than this is searched in k-means parts of
    /// about this many rows (approximate); `nil` searches every class exactly. Must exceed `k`.
    public var neighborPartitionRows: Int?

    public var kind: ResamplerKind { .overSampling }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, k: Int = 5, typeAware: Bool = true, neighborPartitionRows: Int? = nil) {
        self.strategy = strategy
        self.k = k
        self.typeAware = typeAware
        self.neighborPartitionRows = neighborPartitionRows
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        try ResamplingSupport.overSample(data, strategy: strategy, schema: schema, typeAware: typeAware, using: &rng, prepare: {
            try ResamplingSupport.require(k >= 1, "k", k, "an integer ≥ 1")
            try ResamplingSupport.requirePartition(neighborPartitionRows, above: k, "k = \(k)")
        }) { c, rows, n, warnings, rng in
            try Self.oversample(data.features.gatherRows(rows), count: n, k: k, method: "smote",
                                className: data.classNames[c], partitionRows: neighborPartitionRows, warnings: &warnings, using: &rng)
        }
    }

    /// `count` SMOTE rows from the rows of one class (with the tiny-class fallbacks); with
    /// `partitionRows`, the neighbour search of a larger class is partitioned.
    static func oversample(_ members: Matrix, count: Int, k: Int, method: String, className: String, partitionRows: Int? = nil,
                           warnings: inout [ResamplingWarning], using rng: inout some RandomNumberGenerator) throws -> Matrix {
        let nn = try SMOTEEngine.neighbors(within: members, k: k, method: method, className: className, partitionRows: partitionRows,
                                           warnings: &warnings, using: &rng)
        guard let list = nn.list else {
            warnings.append(.duplicatedSingleRow(method: method, className: className, copies: count))
            return SMOTEEngine.duplicate(members, copies: count, using: &rng)
        }
        return SMOTEEngine.interpolate(bases: members, pool: members, neighbors: list, count: count, using: &rng)
    }
}
