import BallastCore

/// Cluster centroids (prototype generation; Yen & Lee 2009): each shrunk class is replaced by the
/// centres of a k-means clustering with as many clusters as its target count (`.centroids`), or by
/// the class row nearest to each centre (`.nearestRow`, every row used once).
///
/// Classes left alone keep their rows in the original order; prototypes follow, class by class.
/// Centroids are snapped to the feature schema (type-aware) unless `typeAware` is off.
public struct ClusterCentroids: Resampler {
    /// What replaces a cluster.
    public enum Voting: String, Sendable, CaseIterable {
        /// The cluster's mean (imbalanced-learn's "soft").
        case centroids = "soft"
        /// The real row nearest to the mean (imbalanced-learn's "hard").
        case nearestRow = "hard"
    }

    /// Which classes shrink, and to how many rows.
    public var strategy: SamplingStrategy
    /// Centroids or nearest real rows.
    public var voting: Voting
    /// Snap centroids to valid records.
    public var typeAware: Bool

    public var kind: ResamplerKind { .prototypeGeneration }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, voting: Voting = .centroids, typeAware: Bool = true) {
        self.strategy = strategy
        self.voting = voting
        self.typeAware = typeAware
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        let targets = try strategy.targetCounts(counts: byClass.map(\.count), classNames: data.classNames, purpose: .underSampling)
        let schema = voting == .centroids ? try ResamplingSupport.effectiveSchema(schema, typeAware: typeAware, data: data) : nil
        let untouched = byClass.indices.filter { targets[$0] >= byClass[$0].count }.flatMap { byClass[$0] }.sorted()
        var out = data.gatherRows(untouched)
        for (c, rows) in byClass.enumerated() where targets[c] < rows.count && targets[c] > 0 {
            let members = data.features.gatherRows(rows)
            let model = try KMeans(clusterCount: targets[c]).fit(members, using: &rng)
            var prototypes: Matrix
            switch voting {
            case .centroids:
                prototypes = model.centroids
                if let schema { schema.snap(&prototypes) }
            case .nearestRow:
                prototypes = members.gatherRows(try Self.distinctNearest(centroids: model.centroids, members: members))
            }
            out.features.appendRows(prototypes)
            out.labels.append(contentsOf: repeatElement(c, count: prototypes.rows))
        }
        return ResamplingResult(data: out)
    }

    /// For each centroid, the nearest member row not already taken by an earlier centroid.
    static func distinctNearest(centroids: Matrix, members: Matrix) throws -> [Int] {
        let k = min(members.rows, 16)
        let nn = try NearestNeighbors.search(reference: members, queries: centroids, k: k)
        var taken = Set<Int>()
        return (0..<centroids.rows).map { q in
            let pick = nn.neighbors(of: q).map(Int.init).first { !taken.contains($0) }
                ?? (0..<members.rows).first { !taken.contains($0) } ?? 0
            taken.insert(pick)
            return pick
        }
    }
}
