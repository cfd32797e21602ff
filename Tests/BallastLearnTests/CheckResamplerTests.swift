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

    @Test("an honest random over-sampler passes")
    func honest() {
        #expect(ResamplerChecks.failures(of: RandomOverSampler()).isEmpty)
    }
}
