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

    /// Chains written with `+` are pipelines too: every step is checked on the rows it received.
    @Test("a `+` chain passes checkResampler", arguments: ["smote+kmeans-under:clusters=4+oss", "ros+enn", "smote-enn+rus", "adasyn+tomek"])
    func chain(spec: String) throws {
        let failures = ResamplerChecks.failures(of: try Catalog.resampler(spec))
        #expect(failures.isEmpty, "\(spec): \(failures.joined(separator: "; "))")
    }
}
