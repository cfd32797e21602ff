import BallastCore
import Foundation

/// SVM-SMOTE (Nguyen, Cooper & Kamei 2011): synthesizes around the class's support vectors of a
/// kernel SVM (the estimated border). Support vectors whose `m` nearest neighbours are all of other
/// classes are noise and dropped; those with at least half of other classes interpolate towards
/// their `k` class neighbours, the others extrapolate away from them by up to `outStep`. The split
/// between the two groups is drawn from Beta(10, 10), as in imbalanced-learn.
///
/// The SVM (RBF, SMO) is trained one-vs-rest per class on a seeded subsample of at most `svmRows`
/// rows of the class and `svmRows` of the others — imbalanced-learn trains on all rows, which takes
/// minutes. Counts are always met: a class with no usable support vector falls back to SMOTE with a
/// warning.
public struct SVMSMOTE: Resampler {
    /// Which classes grow, and to how many rows.
    public var strategy: SamplingStrategy
    /// Class neighbours to interpolate towards (or extrapolate away from).
    public var k: Int
    /// Neighbours (in all the data) that decide noise and danger.
    public var m: Int
    /// Largest extrapolation step for safe support vectors.
    public var outStep: Double
    /// The SVM's penalty `C`.
    public var c: Double
    /// Bound on the SVM's training rows per side (class, rest).
    public var svmRows: Int
    /// Snap synthetic rows to valid records.
    public var typeAware: Bool

    public var kind: ResamplerKind { .overSampling }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, k: Int = 5, m: Int = 10, outStep: Double = 0.5, c: Double = 1,
                svmRows: Int = 2000, typeAware: Bool = true) {
        self.strategy = strategy
        self.k = k
        self.m = m
        self.outStep = outStep
        self.c = c
        self.svmRows = svmRows
        self.typeAware = typeAware
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        try ResamplingSupport.overSample(data, strategy: strategy, schema: schema, typeAware: typeAware, using: &rng, prepare: {
            try ResamplingSupport.require(k >= 1, "k", k, "an integer ≥ 1")
            try ResamplingSupport.require(m >= 1, "m", m, "an integer ≥ 1")
            try ResamplingSupport.require(outStep >= 0 && outStep.isFinite, "out-step", outStep, "a finite value ≥ 0")
            try ResamplingSupport.require(svmRows >= 2, "svm-rows", svmRows, "an integer ≥ 2")
        }) { c, rows, n, warnings, rng in
            let name = data.classNames[c]
            let members = data.features.gatherRows(rows)
            // Support vectors of the class, as positions in `rows`.
            let support = try supportPositions(of: c, rows: rows, data: data, using: &rng)
            let states = try DangerRows.classify(support.map { rows[$0] }, of: c, in: data, m: m, using: &rng)
            let danger = states.filter { $0.value == .danger }.map { support[$0.index] }
            let safe = states.filter { $0.value == .safe }.map { support[$0.index] }
            let used = min(k, rows.count - 1)
            let made: Matrix
            if danger.isEmpty && safe.isEmpty || used < 1 {
                warnings.append(.noBorderlineRows(method: "svm-smote", className: name, fallback: "smote"))
                made = try SMOTE.oversample(members, count: n, k: k, method: "svm-smote", className: name, warnings: &warnings, using: &rng)
            } else {
                if used < k { warnings.append(.neighborsReduced(method: "svm-smote", className: name, requested: k, used: used)) }
                let fraction = Self.beta10(using: &rng)
                let inDanger = safe.isEmpty ? n : danger.isEmpty ? 0 : min(n, Int(fraction * Double(n + 1)))
                var parts = Matrix(rows: 0, columns: data.features.columns)
                for (group, count, step) in [(danger, inDanger, Float(1)), (safe, n - inDanger, -Float(outStep))] where count > 0 {
                    let bases = members.gatherRows(group)
                    let list = try NearestNeighbors.search(reference: members, queries: bases, k: used, excluding: group)
                    parts.appendRows(SMOTEEngine.interpolate(bases: bases, pool: members, neighbors: list, count: count, step: step, using: &rng))
                }
                made = parts
            }
            return made
        }
    }

    /// Positions in `rows` of the class's support vectors of a one-vs-rest SVM on a bounded subsample.
    func supportPositions(of c: Int, rows: [Int], data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> [Int] {
        let inClass = rows.count <= svmRows ? Array(rows.indices) : rng.sampleWithoutReplacement(from: rows.count, count: svmRows).sorted()
        let others = data.labels.indices.filter { data.labels[$0] != c }
        let rest = others.count <= svmRows ? others : rng.sampleWithoutReplacement(from: others.count, count: svmRows).sorted().map { others[$0] }
        let training = inClass.map { rows[$0] } + rest
        let model = try KernelSVM(c: self.c).fit(data.features.gatherRows(training), positive: training.indices.map { $0 < inClass.count })
        return model.supportIndices.filter { $0 < inClass.count }.map { inClass[$0] }
    }

    /// A Beta(10, 10) draw: `G₁ / (G₁ + G₂)` with Gamma(10) variates as sums of ten exponentials.
    static func beta10(using rng: inout some RandomNumberGenerator) -> Double {
        func gamma10() -> Double { (0..<10).reduce(0.0) { s, _ in s - log(1 - rng.nextUniform()) } }
        let a = gamma10(), b = gamma10()
        return a / (a + b)
    }
}
