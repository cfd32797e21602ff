import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

/// Every resampler in the catalogue passes the shared checks.
@Suite("Resampler conformance")
struct ResamplerConformanceTests {
    @Test("catalogue entry passes checkResampler", arguments: Catalog.resamplers.map(\.name))
    func conformance(name: String) throws {
        let resampler = try Catalog.resampler(name)
        let failures = ResamplerChecks.failures(of: resampler)
        #expect(failures.isEmpty, "\(name): \(failures.joined(separator: "; "))")
    }
}
