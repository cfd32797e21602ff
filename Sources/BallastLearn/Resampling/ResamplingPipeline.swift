import BallastCore

/// Resamplers applied one after another, each to the previous one's output — e.g. the AE-Flow
/// paper's "over-sample the minorities, K-means-under-sample the majorities, then one-sided
/// selection", or SMOTE followed by ENN.
///
/// The pipeline's ``strategy``: `.auto` leaves every step its own strategy. `.counts` sets one target
/// per class for the whole pipeline: each over-sampling step raises only the classes below their
/// target, each under-sampling or prototype step lowers only those above, and cleaning steps keep
/// their own class selection — so `balance every class to 20,000` is one strategy, not an error.
/// Any other strategy is given to the over-, under-sampling and prototype steps.
public struct ResamplingPipeline: Resampler {
    /// The steps, in order.
    public var steps: [any Resampler]
    /// See the type's discussion.
    public var strategy: SamplingStrategy

    public var kind: ResamplerKind { .combination }

    /// Creates a pipeline.
    public init(steps: [any Resampler], strategy: SamplingStrategy = .auto) {
        self.steps = steps
        self.strategy = strategy
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        try data.validateForTraining()
        guard !steps.isEmpty else {
            throw LearnError.invalidParameter(name: "steps", value: "none", expected: "at least one resampler")
        }
        var current = ResamplingResult(data: data)
        let strategy = try self.strategy.resolved(classNames: data.classNames)
        for var step in steps {
            switch (strategy, step.kind) {
            case (.auto, _), (_, .cleaning):
                break
            case (.counts(let wanted), let kind):
                let counts = current.data.classCounts
                let raise = kind == .overSampling || kind == .combination
                let clamped = wanted.filter { c, n in
                    c >= 0 && c < counts.count && (raise ? n > counts[c] : n < counts[c])
                }
                guard !clamped.isEmpty else { continue }
                step.strategy = .counts(clamped)
            default:
                step.strategy = strategy
            }
            let next = try step.fitResample(current.data, schema: schema, using: &rng)
            current = ResamplingResult(data: next.data, warnings: current.warnings + next.warnings,
                                       generators: current.generators + next.generators)
        }
        return current
    }
}
