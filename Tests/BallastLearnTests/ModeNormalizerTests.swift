import BallastCore
import BallastLearn
import Testing

@Suite("Mode-specific normalisation")
struct ModeNormalizerTests {
    /// 600 draws of N(−5, 0.5²) and 400 of N(4, 1), shuffled.
    static func bimodal(seed: UInt64) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        var values = (0..<600).map { _ in Float(rng.nextNormal(mean: -5, standardDeviation: 0.5)) }
            + (0..<400).map { _ in Float(rng.nextNormal(mean: 4, standardDeviation: 1)) }
        rng.shuffle(&values)
        return values
    }

    @Test("a bimodal column gives two modes at its centres with their weights and spreads")
    func bimodalModes() throws {
        var rng = Xoshiro256StarStar(seed: 1)
        let normalizer = ModeNormalizer(fitting: Self.bimodal(seed: 3), using: &rng)
        print("modes: means \(normalizer.means), deviations \(normalizer.deviations), weights \(normalizer.weights)")
        try #require(normalizer.modes == 2)
        #expect(abs(normalizer.means[0] + 5) < 0.1 && abs(normalizer.means[1] - 4) < 0.2)
        // The spreads are scikit-learn's variational ones, widened by the Wishart prior whose scale
        // is the column's variance (sklearn 1.9 on another sample of this mixture: 0.548, 1.081).
        #expect(abs(normalizer.deviations[0] - 0.55) < 0.03 && abs(normalizer.deviations[1] - 1.08) < 0.06)
        #expect(abs(normalizer.weights[0] - 0.6) < 0.02 && abs(normalizer.weights[1] - 0.4) < 0.02)
        // A value at a mode's centre belongs to it; the scalar is (x − μ) / 4σ.
        #expect(normalizer.posterior(-5)[0] > 0.999 && normalizer.posterior(4)[1] > 0.999)
        #expect(abs(normalizer.normalize(Float(normalizer.means[1] + 2 * normalizer.deviations[1]), mode: 1) - 0.5) < 1e-5)
    }

    @Test("the inverse of the normalisation is exact within float rounding, for every value and its drawn mode")
    func exactInverse() {
        var rng = Xoshiro256StarStar(seed: 2)
        let values = Self.bimodal(seed: 4)
        let normalizer = ModeNormalizer(fitting: values, using: &rng)
        var worst: Float = 0, outside = 0
        for x in values + [-40, 25, 0] {
            let k = normalizer.mode(of: x, using: &rng)
            let scalar = normalizer.normalize(x, mode: k)
            if abs(scalar) > 1 { outside += 1 }
            worst = max(worst, abs(normalizer.denormalize(scalar, mode: k) - x) / max(1, abs(x)))
        }
        #expect(worst < 1e-6)
        // Nearly every training value lands in [−1, 1] of its mode (4σ); only the three outliers may not.
        #expect(outside <= 3 + 2)
    }

    @Test("few distinct values get a mode each; a constant column gets one narrow mode")
    func discreteValues() {
        var rng = Xoshiro256StarStar(seed: 3)
        let three = ModeNormalizer(fitting: [Float](repeating: 0, count: 500) + [Float](repeating: 1, count: 300) + [Float](repeating: 7, count: 200),
                                   using: &rng)
        // scikit-learn's BayesianGaussianMixture (CTGAN's settings) on the same column: means
        // 0.0034, 1.0023, 6.9736; deviations 0.142, 0.160, 0.418 (the priors pull and widen them).
        #expect(three.modes == 3)
        #expect(zip(three.means, [0.0034, 1.0023, 6.9736]).allSatisfy { abs($0 - $1) < 1e-3 })
        #expect(zip(three.deviations, [0.142, 0.160, 0.418]).allSatisfy { abs($0 - $1) < 2e-3 })
        #expect(zip(three.weights, [0.499, 0.301, 0.201]).allSatisfy { abs($0 - $1) < 2e-3 })
        let constant = ModeNormalizer(fitting: [Float](repeating: 2.5, count: 100), using: &rng)
        #expect(constant.modes == 1 && abs(constant.means[0] - 2.5) < 1e-6)
        #expect(constant.denormalize(constant.normalize(2.5, mode: 0), mode: 0) == 2.5)
    }

    @Test("fitting is seeded: the same seed gives the same modes")
    func determinism() {
        var a = Xoshiro256StarStar(seed: 9), b = Xoshiro256StarStar(seed: 9)
        let values = Self.bimodal(seed: 5)
        #expect(ModeNormalizer(fitting: values, using: &a) == ModeNormalizer(fitting: values, using: &b))
    }
}
