import BallastCore

/// ADASYN: adaptive synthetic sampling (He, Bai, Garcia & Li 2008). Like SMOTE, but each row of a
/// class gets synthetic rows in proportion to the share of other classes among its `k` nearest
/// neighbours in all the data — more synthesis where the class is hard to learn.
///
/// Counts are exact (largest-remainder apportionment; imbalanced-learn's rounding can miss the
/// target by a few rows). A class whose rows have no neighbour of another class gets uniform weights
/// (plain SMOTE) with a warning instead of imbalanced-learn's error.
public struct ADASYN: Resampler {
    /// Which classes grow, and to how many rows.
    public var strategy: SamplingStrategy
    /// Neighbours used both for the difficulty weights and for interpolation.
    public var k: Int
    /// Snap synthetic rows to valid records.
    public var typeAware: Bool
    /// Bounded neighbour search (see ``SMOTE/neighborPartitionRows``): a class of more rows than
    /// this is searched in k-means parts of about this many rows, both among all the data (the
    /// difficulty weights) and within the class (approximate); `nil` searches exactly. Must exceed `k`.
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
            let name = data.classNames[c]
            let members = data.features.gatherRows(rows)
            let weights = try Self.difficulty(rows, of: c, in: data, k: k, partitionRows: neighborPartitionRows, using: &rng)
            if weights.allSatisfy({ $0 == 0 }) {
                warnings.append(.note("adasyn: no row of class '\(name)' has a neighbour of another class; rows weighted uniformly (plain SMOTE)"))
            }
            let nn = try SMOTEEngine.neighbors(within: members, k: k, method: "adasyn", className: name,
                                               partitionRows: neighborPartitionRows, warnings: &warnings, using: &rng)
            let made: Matrix
            if let list = nn.list {
                made = SMOTEEngine.interpolate(bases: members, pool: members, neighbors: list,
                                               perBase: Allocation.proportional(n, weights: weights), using: &rng)
            } else {
                warnings.append(.duplicatedSingleRow(method: "adasyn", className: name, copies: n))
                made = SMOTEEngine.duplicate(members, copies: n, using: &rng)
            }
            return made
        }
    }

    /// The share of other-class rows among each row's `k` nearest neighbours in all the data.
    static func difficulty(_ rows: [Int], of c: Int, in data: LabeledMatrix, k: Int, partitionRows: Int?,
                           using rng: inout some RandomNumberGenerator) throws -> [Double] {
        let (others, used) = try DangerRows.otherClassNeighbors(rows, of: c, in: data, k: k, partitionRows: partitionRows, using: &rng)
        return others.map { used > 0 ? Double($0) / Double(used) : 0 }
    }
}
