import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

/// Every generator in the catalogue passes the shared checks, with a small training budget and the
/// class-fidelity rate documented here (rows of class c that a forest fitted on real simulator rows
/// labels c, mean over the five classes).
@Suite("Generator conformance")
struct GeneratorConformanceTests {
    /// Test budget and documented class-fidelity rate of each catalogued generator.
    static let budgets: [String: (spec: String, agreement: Double)] = [
        // Measured at these budgets: vae 91%, cvae 76%, dcbn-vae 84% (Normal and DoS, the multimodal
        // classes of the simulator, are the hardest for the conditional networks).
        "vae": ("vae:epochs=40,batch=32,patience=none", 0.85),
        "cvae": ("cvae:epochs=40,batch=32,patience=none", 0.7),
        "dcbn-vae": ("dcbn-vae:epochs=40,batch=32,lr=0.001,patience=none", 0.75),
        "realnvp": ("realnvp:epochs=30,patience=none", 0.5),
        "ae-flow": ("ae-flow:epochs=40,patience=none", 0.5),
        // GANs at these budgets: gan 91%, wgan-gp 95% (one network per class), cgan 75%, ctgan 67%
        // (one conditional network; ctgan's test budget narrows its networks to 64x64 and judges
        // PacGAN groups of 5 rows instead of 10, which costs three times as much per step here).
        "gan": ("gan:epochs=60,batch=32,lr=0.001,patience=none", 0.85),
        "cgan": ("cgan:epochs=80,batch=32,lr=0.002,patience=none", 0.7),
        "wgan-gp": ("wgan-gp:epochs=60,batch=32,lr=0.001,patience=none", 0.85),
        "ctgan": ("ctgan:g-widths=64x64,d-widths=64x64,pac=5,epochs=80,batch=40,lr=0.001,patience=none", 0.55),
    ]

    @Test("catalogue entry passes checkGenerator", arguments: Catalog.generators.map(\.name))
    func conformance(name: String) throws {
        let budget = try #require(Self.budgets[name], "\(name) has no test budget in GeneratorConformanceTests.budgets")
        let generator = try Catalog.generator(budget.spec)
        let failures = GeneratorChecks.failures(of: generator, minimumAgreement: budget.agreement)
        #expect(failures.isEmpty, "\(name): \(failures.joined(separator: "; "))")
    }
}
