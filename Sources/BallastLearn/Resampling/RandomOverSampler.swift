import BallastCore
import Foundation

/// Random over-sampling: draws rows of each selected class with replacement until it reaches its
/// target; optionally a smoothed bootstrap (imbalanced-learn's `shrinkage`; Menardi & Torelli 2014,
/// ROSE) adds Gaussian noise scaled by the class's per-feature standard deviation.
public struct RandomOverSampler: Resampler {
    /// Which classes grow, and to how many rows.
    public var strategy: SamplingStrategy
    /// `nil`: exact duplicates. A value ≥ 0: smoothed bootstrap with this shrinkage of the kernel width.
    public var shrinkage: Double?
    /// Snap noisy rows to valid records (only matters with `shrinkage`).
    public var typeAware: Bool

    public var kind: ResamplerKind { .overSampling }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, shrinkage: Double? = nil, typeAware: Bool = true) {
        self.strategy = strategy
        self.shrinkage = shrinkage
        self.typeAware = typeAware
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        if let s = shrinkage { try ResamplingSupport.require(s >= 0 && s.isFinite, "shrinkage", s, "a finite value ≥ 0") }
        let targets = try ResamplingSupport.overSamplingTargets(strategy, byClass: byClass, data: data)
        let schema = shrinkage == nil ? nil : try ResamplingSupport.effectiveSchema(schema, typeAware: typeAware, data: data)
        let cols = data.features.columns
        var picks: [Int] = []
        var labels: [Int] = []
        var classScale: [[Float]] = []   // per growing class, the noise width per column
        var scaleOfRow: [Int] = []        // per synthetic row, its entry in classScale
        for (c, rows) in byClass.enumerated() where targets[c] > rows.count {
            let n = targets[c] - rows.count
            for _ in 0..<n { picks.append(rows[rng.nextInt(below: rows.count)]) }
            labels.append(contentsOf: repeatElement(c, count: n))
            if let s = shrinkage {
                let members = data.features.gatherRows(rows)
                let smoothing = pow(4 / (Double(cols + 2) * Double(rows.count)), 1 / Double(cols + 4))
                classScale.append(members.columnVariances().map { Float(s * smoothing * $0.squareRoot()) })
                scaleOfRow.append(contentsOf: repeatElement(classScale.count - 1, count: n))
            }
        }
        var synthetic = data.features.gatherRows(picks)
        if shrinkage != nil {
            synthetic.withUnsafeMutableBufferPointer { x in
                for r in 0..<picks.count {
                    let scale = classScale[scaleOfRow[r]]
                    for c in 0..<cols { x[r * cols + c] += scale[c] * Float(rng.nextNormal()) }
                }
            }
        }
        return ResamplingResult(data: ResamplingSupport.appending(data, synthetic: synthetic, labels: labels, schema: schema))
    }
}
