import BallastCore
import Foundation

/// KMeans-SMOTE (Douzas, Bacao & Last 2018): clusters all the data with k-means, keeps clusters where
/// the class is well represented, and spreads the class's new rows over them in proportion to their
/// sparsity, interpolating with SMOTE inside each cluster.
///
/// A cluster qualifies when its share of the class is at least `balanceThreshold` (default: the
/// class's share of the rows to generate, halved — imbalanced-learn's "auto") and it holds more than
/// `k` rows of the class. Sparsity is `mean distance^e / rows` with the paper's exponent
/// `e = 0.16 · log₁.₆(features)^1.8`; the mean pairwise distance is estimated on at most
/// `sparsitySample` rows of a cluster. Counts are exact (imbalanced-learn's per-cluster rounding up
/// adds up to one row per cluster, #1186). When no cluster qualifies the class is over-sampled by
/// plain SMOTE with a warning.
public struct KMeansSMOTE: Resampler {
    /// Which classes grow, and to how many rows.
    public var strategy: SamplingStrategy
    /// Nearest neighbours within a cluster to interpolate towards.
    public var k: Int
    /// Number of k-means clusters (shrinks to the row count).
    public var clusters: Int
    /// Minimum share of the class in a cluster; `nil` chooses it as described above.
    public var balanceThreshold: Double?
    /// Rows per cluster used to estimate the mean pairwise distance.
    public var sparsitySample: Int
    /// Snap synthetic rows to valid records.
    public var typeAware: Bool

    public var kind: ResamplerKind { .overSampling }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, k: Int = 5, clusters: Int = 8, balanceThreshold: Double? = nil,
                sparsitySample: Int = 2000, typeAware: Bool = true) {
        self.strategy = strategy
        self.k = k
        self.clusters = clusters
        self.balanceThreshold = balanceThreshold
        self.sparsitySample = sparsitySample
        self.typeAware = typeAware
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        try ResamplingSupport.require(k >= 1, "k", k, "an integer ≥ 1")
        try ResamplingSupport.require(clusters >= 1, "clusters", clusters, "an integer ≥ 1")
        try ResamplingSupport.require(sparsitySample >= 2, "sparsity-sample", sparsitySample, "an integer ≥ 2")
        if let t = balanceThreshold { try ResamplingSupport.require(t >= 0 && t <= 1, "balance-threshold", t, "a share in [0, 1]") }
        let targets = try ResamplingSupport.overSamplingTargets(strategy, byClass: byClass, data: data)
        let schema = try ResamplingSupport.effectiveSchema(schema, typeAware: typeAware, data: data)
        var warnings: [ResamplingWarning] = []
        var synthetic = Matrix(rows: 0, columns: data.features.columns)
        var labels: [Int] = []
        let toMake = byClass.indices.map { max(0, targets[$0] - byClass[$0].count) }
        let totalToMake = toMake.reduce(0, +)
        guard totalToMake > 0 else { return ResamplingResult(data: data) }
        let model = try KMeans(clusterCount: min(clusters, data.count)).fit(data.features, using: &rng)
        let exponent = 0.16 * pow(log(Double(max(data.features.columns, 2))) / log(1.6), 1.8)
        for (c, rows) in byClass.enumerated() where toMake[c] > 0 {
            let n = toMake[c], name = data.classNames[c]
            let threshold = balanceThreshold ?? (clusters == 1 ? 0 : Double(n) / Double(totalToMake) / 2)
            var members = Array(repeating: [Int](), count: model.clusterSizes.count)
            for r in rows { members[model.assignments[r]].append(r) }
            var valid: [[Int]] = [], sparsity: [Double] = []
            for (j, m) in members.enumerated() where model.clusterSizes[j] > 0 {
                let share = Double(m.count) / Double(model.clusterSizes[j])
                guard share >= threshold, m.count > k else { continue }
                valid.append(m)
                sparsity.append(meanDistance(data.features, m, using: &rng).map { pow($0, exponent) / Double(m.count) } ?? 0)
            }
            let made: Matrix
            if valid.isEmpty {
                warnings.append(.noEligibleCluster(className: name, fallback: "smote"))
                made = try SMOTE.oversample(data.features.gatherRows(rows), count: n, k: k, method: "kmeans-smote",
                                            className: name, warnings: &warnings, using: &rng)
            } else {
                var parts = Matrix(rows: 0, columns: data.features.columns)
                for (m, share) in zip(valid, Allocation.proportional(n, weights: sparsity)) where share > 0 {
                    parts.appendRows(try SMOTE.oversample(data.features.gatherRows(m), count: share, k: k, method: "kmeans-smote",
                                                          className: name, warnings: &warnings, using: &rng))
                }
                made = parts
            }
            synthetic.appendRows(made)
            labels.append(contentsOf: repeatElement(c, count: n))
        }
        return ResamplingResult(data: ResamplingSupport.appending(data, synthetic: synthetic, labels: labels, schema: schema),
                                warnings: warnings)
    }

    /// Mean Euclidean distance between distinct rows of `rows` (on a seeded sample of at most
    /// `sparsitySample` rows); `nil` for fewer than two rows.
    func meanDistance(_ features: Matrix, _ rows: [Int], using rng: inout some RandomNumberGenerator) -> Double? {
        guard rows.count >= 2 else { return nil }
        let sample = rows.count <= sparsitySample ? rows : rng.sampleWithoutReplacement(from: rows.count, count: sparsitySample).map { rows[$0] }
        let x = features.gatherRows(sample)
        let n = x.rows
        let gram = x.matmul(x, transposeOther: .transposed)
        let norms = x.rowSquaredNorms()
        var total = 0.0
        gram.withUnsafeBufferPointer { g in
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let d = Double(norms[i]) + Double(norms[j]) - 2 * Double(g[i * n + j])
                    total += max(0, d).squareRoot()
                }
            }
        }
        return total / Double(n * (n - 1) / 2)
    }
}
