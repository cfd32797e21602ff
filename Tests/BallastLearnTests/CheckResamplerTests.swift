import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

/// Deliberately broken resamplers: each must be caught by the check written for its fault.
@Suite("checkResampler catches broken resamplers")
struct CheckResamplerTests {
    /// What a broken resampler gets wrong.
    enum Fault: String, CaseIterable, Sendable {
        case ignoresSeed, dropsOriginal, extraRow, skipsValidation, unsnapped, nonFinite, mutatesInput, reordersSubset
    }

    /// Random over-sampling with one injected fault.
    struct Broken: Resampler {
        var fault: Fault
        var strategy: SamplingStrategy = .auto
        var kind: ResamplerKind { fault == .reordersSubset ? .underSampling : .overSampling }

        func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                         using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
            if fault == .mutatesInput {
                data.features.withUnsafeBufferPointer { UnsafeMutablePointer(mutating: $0.baseAddress!)[0] += 1 }
            }
            if fault == .skipsValidation { return ResamplingResult(data: data) }
            try data.validateForTraining()
            if fault == .reordersSubset {
                let base = try RandomUnderSampler(strategy: strategy).fitResample(data, schema: schema, using: &rng).data
                return ResamplingResult(data: base.gatherRows(Array((0..<base.count).reversed())))
            }
            var system = SystemRandomNumberGenerator()
            var out = fault == .ignoresSeed
                ? try RandomOverSampler(strategy: strategy).resample(data, schema: schema, using: &system)
                : try RandomOverSampler(strategy: strategy).resample(data, schema: schema, using: &rng)
            switch fault {
            case .dropsOriginal: out.features[0, 0] += 0.5
            case .extraRow:
                out.features.appendRow(data.features.row(0))
                out.labels.append(data.labels[0])
            case .unsnapped: out.features[out.count - 1, out.features.columns - 1] = 0.5
            case .nonFinite: out.features[out.count - 1, 0] = .infinity
            default: break
            }
            return ResamplingResult(data: out)
        }
    }

    @Test("each fault is reported by its check", arguments: Fault.allCases)
    func bites(fault: Fault) {
        let failures = ResamplerChecks.failures(of: Broken(fault: fault))
        let expected: String = switch fault {
        case .ignoresSeed: "determinism"
        case .dropsOriginal: "originals"
        case .extraRow: "counts"
        case .skipsValidation: "errors"
        case .unsnapped: "type-aware"
        case .nonFinite: "finite"
        case .mutatesInput: "input"
        case .reordersSubset: "subset"
        }
        #expect(failures.contains { $0.hasPrefix(expected) }, "\(fault): \(failures)")
    }

    /// Over-samples as `.auto` whatever its strategy says, instead of resolving it (and throwing).
    struct IgnoresStrategy: Resampler {
        var strategy: SamplingStrategy
        var kind: ResamplerKind { .overSampling }

        func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                         using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
            try RandomOverSampler().fitResample(data, schema: schema, using: &rng)
        }
    }

    @Test("a strategy that cannot be resolved is a counts failure when the resampler does not throw (no silent skip)")
    func unresolvableStrategy() {
        let failures = ResamplerChecks.failures(of: IgnoresStrategy(strategy: .counts([7: 500])))
        #expect(failures.contains { $0.hasPrefix("counts") && $0.contains("cannot be resolved") }, "\(failures)")
    }

    /// A combination that is not a ``ResamplingPipeline``: random over-sampling plus one duplicated row.
    struct OpaqueCombination: Resampler {
        var strategy: SamplingStrategy = .auto
        var kind: ResamplerKind { .combination }

        func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                         using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
            var out = try RandomOverSampler().fitResample(data, schema: schema, using: &rng).data
            out.features.appendRow(data.features.row(0))
            out.labels.append(data.labels[0])
            return ResamplingResult(data: out)
        }
    }

    /// Pipelines with one broken step, and the check that must report it.
    static let brokenPipelines: [(name: String, pipeline: any Resampler, check: String)] = [
        ("over-sampler adding a row, then ENN", ResamplingPipeline(steps: [Broken(fault: .extraRow), EditedNearestNeighbours(strategy: .all)]), "counts"),
        ("over-sampler altering an original, then Tomek", ResamplingPipeline(steps: [Broken(fault: .dropsOriginal), TomekLinks(strategy: .all)]), "originals"),
        ("ROS, then an under-sampler reordering rows", ResamplingPipeline(steps: [RandomOverSampler(), Broken(fault: .reordersSubset)]), "subset"),
        ("nested: SMOTE, then (ROS, over-sampler adding a row)",
         ResamplingPipeline(steps: [SMOTE(), ResamplingPipeline(steps: [RandomOverSampler(), Broken(fault: .extraRow)])]), "counts"),
        ("a combination that is not a pipeline", OpaqueCombination(), "combination"),
    ]

    @Test("a pipeline's broken step is reported by its kind's check", arguments: brokenPipelines.indices)
    func brokenPipeline(index: Int) {
        let (name, pipeline, check) = Self.brokenPipelines[index]
        let failures = ResamplerChecks.failures(of: pipeline)
        #expect(failures.contains { $0.hasPrefix(check) }, "\(name): \(failures)")
    }

    @Test("honest pipelines pass: SMOTE then ENN, and a nested chain")
    func honestPipelines() {
        #expect(ResamplerChecks.failures(of: ResamplingPipeline(steps: [SMOTE(), EditedNearestNeighbours(strategy: .all)])).isEmpty)
        let nested = ResamplingPipeline(steps: [RandomOverSampler(), ResamplingPipeline(steps: [TomekLinks(strategy: .all), RandomUnderSampler()])])
        #expect(ResamplerChecks.failures(of: nested).isEmpty)
    }

    @Test("an honest random over-sampler passes")
    func honest() {
        #expect(ResamplerChecks.failures(of: RandomOverSampler()).isEmpty)
    }
}
