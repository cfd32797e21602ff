import BallastCore

/// Random under-sampling: keeps a uniformly drawn subset (without replacement) of each selected
/// class, of exactly its target size; the kept rows stay in their original order.
public struct RandomUnderSampler: Resampler {
    /// Which classes shrink, and to how many rows.
    public var strategy: SamplingStrategy

    public var kind: ResamplerKind { .underSampling }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto) {
        self.strategy = strategy
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        let targets = try strategy.targetCounts(counts: byClass.map(\.count), classNames: data.classNames, purpose: .underSampling)
        var keep: [Int] = []
        for (c, rows) in byClass.enumerated() {
            if targets[c] >= rows.count {
                keep.append(contentsOf: rows)
            } else {
                keep.append(contentsOf: rng.sampleWithoutReplacement(from: rows.count, count: targets[c]).map { rows[$0] })
            }
        }
        return ResamplingResult(data: ResamplingSupport.keeping(data, keep))
    }
}
