import BallastCore

/// K-means density under-sampling, from the AE-Flow data-balancing paper: a class is clustered with
/// k-means, each cluster's spread (mean distance of its rows to the centre) is measured, and the
/// class's target count is shared out in proportion to spread, capped at each cluster's size —
/// dense clusters (many rows in a small region) lose most rows, sparse clusters are kept whole
/// ("water-filling"). Within a cluster, the rows kept are a seeded uniform draw, in original order.
///
/// A single-row cluster (an outlier) counts as the sparsest, so it is kept whenever possible.
public struct KMeansUnderSampler: Resampler {
    /// Which classes shrink, and to how many rows.
    public var strategy: SamplingStrategy
    /// Clusters per class (shrinks to the class's row count).
    public var clusters: Int

    public var kind: ResamplerKind { .underSampling }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, clusters: Int = 40) {
        self.strategy = strategy
        self.clusters = clusters
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        try ResamplingSupport.require(clusters >= 1, "clusters", clusters, "an integer ≥ 1")
        let targets = try strategy.targetCounts(counts: byClass.map(\.count), classNames: data.classNames, purpose: .underSampling)
        var keep: [Int] = []
        for (c, rows) in byClass.enumerated() {
            guard targets[c] < rows.count else { keep.append(contentsOf: rows); continue }
            guard targets[c] > 0 else { continue }
            let plan = try Self.plan(data.features.gatherRows(rows), target: targets[c], clusters: clusters, using: &rng)
            for (members, quota) in zip(plan.members, plan.quotas) where quota > 0 {
                keep.append(contentsOf: rng.sampleWithoutReplacement(from: members.count, count: quota).map { rows[members[$0]] })
            }
        }
        return ResamplingResult(data: ResamplingSupport.keeping(data, keep))
    }

    /// The clusters of one class (positions of its rows) and how many rows each keeps.
    static func plan(_ x: Matrix, target: Int, clusters: Int,
                     using rng: inout some RandomNumberGenerator) throws -> (members: [[Int]], quotas: [Int], spreads: [Double]) {
        let model = try KMeans(clusterCount: min(clusters, x.rows)).fit(x, using: &rng)
        var members = Array(repeating: [Int](), count: model.centroids.rows)
        for (r, a) in model.assignments.enumerated() { members[a].append(r) }
        let cols = x.columns
        var spreads = members.map { m -> Double in
            guard m.count > 1 else { return -1 }
            var total = 0.0
            for r in m {
                var d = 0.0
                for j in 0..<cols { let e = Double(x[r, j] - model.centroids[model.assignments[r], j]); d += e * e }
                total += d.squareRoot()
            }
            return total / Double(m.count)
        }
        let widest = max(spreads.max() ?? 0, 1e-12)
        spreads = spreads.map { $0 < 0 ? widest : max($0, 1e-12 * widest) }
        let quotas = Allocation.capped(target, weights: spreads, capacities: members.map(\.count))
        return (members, quotas, spreads)
    }
}
