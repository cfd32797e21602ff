import BallastCore
import Testing

@Suite("Seeded random numbers")
struct RandomTests {
    @Test("SplitMix64 matches the reference sequence for seed 1234567")
    func splitMixGolden() {
        // Reference values from Vigna's splitmix64.c with x = 1234567.
        var g = SplitMix64(seed: 1_234_567)
        #expect(g.next() == 6_457_827_717_110_365_317)
        #expect(g.next() == 3_203_168_211_198_807_973)
    }

    @Test("Equal seeds give equal streams; split children differ from the parent")
    func determinism() {
        var a = Xoshiro256StarStar(seed: 42)
        var b = Xoshiro256StarStar(seed: 42)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        var child = a.split()
        #expect(child.next() != a.next())
    }

    @Test("Uniform draws lie in [0, 1) and nextInt is unbiased enough")
    func ranges() {
        var g = Xoshiro256StarStar(seed: 7)
        var counts = [Int](repeating: 0, count: 3)
        for _ in 0..<30_000 {
            let u = g.nextUniform()
            #expect(u >= 0 && u < 1)
            counts[g.nextInt(below: 3)] += 1
        }
        for c in counts { #expect(abs(c - 10_000) < 500) }
    }

    @Test("Normal draws have mean 0 and variance 1")
    func normalMoments() {
        var g = Xoshiro256StarStar(seed: 3)
        let n = 200_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n { let x = g.nextNormal(); s += x; s2 += x * x }
        let mean = s / Double(n)
        #expect(abs(mean) < 0.01)
        #expect(abs(s2 / Double(n) - mean * mean - 1) < 0.02)
    }

    @Test("Sampling without replacement returns distinct in-range values", arguments: [(10, 10), (1000, 3), (50, 40), (5, 0)])
    func sampling(population: Int, count: Int) {
        var g = Xoshiro256StarStar(seed: 11)
        let s = g.sampleWithoutReplacement(from: population, count: count)
        #expect(s.count == count)
        #expect(Set(s).count == count)
        #expect(s.allSatisfy { $0 >= 0 && $0 < population })
    }

    @Test("Weighted choice follows the weights and ignores non-positive ones")
    func weighted() {
        var g = Xoshiro256StarStar(seed: 5)
        var counts = [0, 0, 0, 0]
        for _ in 0..<40_000 { counts[g.weightedChoice([1, 0, 3, -2])!] += 1 }
        #expect(counts[1] == 0 && counts[3] == 0)
        #expect(abs(Double(counts[2]) / Double(counts[0]) - 3) < 0.15)
        #expect(g.weightedChoice([0, .nan, -1]) == nil)
    }
}
