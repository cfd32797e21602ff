import BallastCore

/// Borderline-SMOTE (Han, Wang & Mao 2005): synthesizes only from the rows "in danger" — rows whose
/// `m` nearest neighbours (in all the data) are at least half, but not all, of other classes.
///
/// Variant 1 interpolates towards the row's `k` nearest neighbours of its own class; variant 2
/// towards its `k` nearest neighbours of any class, with a gap of at most 0.5 towards another class.
/// A class without danger rows is over-sampled by plain SMOTE with a warning, so counts are always
/// met (imbalanced-learn silently returns fewer rows).
public struct BorderlineSMOTE: Resampler {
    /// The two variants of the paper.
    public enum Variant: String, Sendable, CaseIterable {
        /// Neighbours of the same class only.
        case one = "1"
        /// Neighbours of any class (shorter steps towards other classes).
        case two = "2"
    }

    /// Which classes grow, and to how many rows.
    public var strategy: SamplingStrategy
    /// Neighbours to interpolate towards.
    public var k: Int
    /// Neighbours (in all the data) that decide whether a row is in danger.
    public var m: Int
    /// Variant 1 or 2.
    public var variant: Variant
    /// Snap synthetic rows to valid records.
    public var typeAware: Bool
    /// Bounded neighbour search (see ``SMOTE/neighborPartitionRows``): a search with more query rows
    /// than this (a class, or its rows in danger), over more rows than this, runs in k-means parts
    /// of about this many rows (approximate); `nil` searches exactly. Must exceed `k` and `m`.
    public var neighborPartitionRows: Int?

    public var kind: ResamplerKind { .overSampling }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, k: Int = 5, m: Int = 10, variant: Variant = .one, typeAware: Bool = true,
                neighborPartitionRows: Int? = nil) {
        self.strategy = strategy
        self.k = k
        self.m = m
        self.variant = variant
        self.typeAware = typeAware
        self.neighborPartitionRows = neighborPartitionRows
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let method = "borderline-smote\(variant.rawValue)"
        return try ResamplingSupport.overSample(data, strategy: strategy, schema: schema, typeAware: typeAware, using: &rng, prepare: {
            try ResamplingSupport.require(k >= 1, "k", k, "an integer ≥ 1")
            try ResamplingSupport.require(m >= 1, "m", m, "an integer ≥ 1")
            try ResamplingSupport.requirePartition(neighborPartitionRows, above: max(k, m), "k = \(k) and m = \(m)")
        }) { c, rows, n, warnings, rng in
            let name = data.classNames[c]
            let partition = neighborPartitionRows
            let danger = try DangerRows.classify(rows, of: c, in: data, m: m, partitionRows: partition, using: &rng)
                .filter { $0.value == .danger }.map(\.index)
            let made: Matrix
            if danger.isEmpty {
                warnings.append(.noBorderlineRows(method: method, className: name, fallback: "smote"))
                made = try SMOTE.oversample(data.features.gatherRows(rows), count: n, k: k, method: method, className: name,
                                            partitionRows: partition, warnings: &warnings, using: &rng)
            } else {
                let bases = data.features.gatherRows(danger.map { rows[$0] })
                switch variant {
                case .one:
                    let members = data.features.gatherRows(rows)
                    let used = min(k, rows.count - 1)
                    if used < k { warnings.append(.neighborsReduced(method: method, className: name, requested: k, used: max(used, 0))) }
                    if used < 1 {
                        warnings.append(.duplicatedSingleRow(method: method, className: name, copies: n))
                        made = SMOTEEngine.duplicate(members, copies: n, using: &rng)
                    } else {
                        let list = try SMOTEEngine.neighbors(of: danger, in: members, k: used, partitionRows: partition, using: &rng)
                        made = SMOTEEngine.interpolate(bases: bases, pool: members, neighbors: list, count: n, using: &rng)
                    }
                case .two:
                    let used = min(k, data.count - 1)
                    let list = try SMOTEEngine.neighbors(of: danger.map { rows[$0] }, in: data.features, k: used,
                                                         partitionRows: partition, using: &rng)
                    made = SMOTEEngine.interpolate(bases: bases, pool: data.features, neighbors: list, count: n,
                                                   shortened: data.labels.map { $0 != c }, using: &rng)
                }
            }
            return made
        }
    }
}

/// The danger/noise/safe classification of Borderline-SMOTE and SVM-SMOTE.
enum DangerRows {
    /// Where a row stands among its `m` nearest neighbours.
    enum State: Equatable {
        /// Fewer than half the neighbours are of other classes.
        case safe
        /// At least half, but not all, are of other classes.
        case danger
        /// All are of other classes.
        case noise
    }

    /// The state of each of `rows` (indices into `data`, all of class `c`), by its `m` nearest other
    /// rows in all the data (`m` shrinks to the rows available); with `partitionRows`, the search is
    /// bounded (``NearestNeighbors/searchPartitioned(reference:queryRows:k:partitionRows:using:)``).
    /// - Returns: `(index into rows, state)` pairs, in order.
    static func classify(_ rows: [Int], of c: Int, in data: LabeledMatrix, m: Int, partitionRows: Int? = nil,
                         using rng: inout some RandomNumberGenerator) throws -> [(index: Int, value: State)] {
        let (others, used) = try otherClassNeighbors(rows, of: c, in: data, k: m, partitionRows: partitionRows, using: &rng)
        guard used >= 1 else { return rows.indices.map { ($0, .safe) } }
        return others.enumerated().map { i, other in
            if other == used { return (i, .noise) }
            return (i, 2 * other >= used ? .danger : .safe)
        }
    }

    /// For each of `rows` (all of class `c`), how many of its `k` nearest other rows in all the data
    /// are of another class; `k` shrinks to the rows available and is returned as `used` (0: none).
    /// `rng` is drawn from only when `partitionRows` bounds a search of more rows than that.
    static func otherClassNeighbors(_ rows: [Int], of c: Int, in data: LabeledMatrix, k: Int, partitionRows: Int? = nil,
                                    using rng: inout some RandomNumberGenerator) throws -> (counts: [Int], used: Int) {
        let used = min(k, data.count - 1)
        guard used >= 1, !rows.isEmpty else { return (Array(repeating: 0, count: rows.count), max(used, 0)) }
        let list = try SMOTEEngine.neighbors(of: rows, in: data.features, k: used, partitionRows: partitionRows, using: &rng)
        return (rows.indices.map { i in list.neighbors(of: i).reduce(0) { $0 + (data.labels[Int($1)] != c ? 1 : 0) } }, used)
    }
}
