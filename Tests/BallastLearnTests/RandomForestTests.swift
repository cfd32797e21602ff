import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

@Suite("Random forest")
struct RandomForestTests {
    static let data = ClassifierTestData.blobs(rowsPerClass: [80, 60, 40], columns: 4, separation: 2, seed: 21)

    @Test("the out-of-bag accuracy is computed on request and is a fair estimate")
    func outOfBag() throws {
        var rng = Xoshiro256StarStar(seed: 3)
        let model = try RandomForestClassifier(trees: 40, oobScore: true).fit(Self.data, using: &rng)
        let oob = try #require(model.oobScore)
        // Blobs overlap: out-of-bag accuracy is high but below the (memorized) training accuracy.
        #expect(oob > 0.7 && oob < 1)
        var rng2 = Xoshiro256StarStar(seed: 3)
        #expect(try RandomForestClassifier(trees: 5).fit(Self.data, using: &rng2).oobScore == nil)
    }

    @Test("the seed decides the forest; the forest averages its trees")
    func seedsAndAveraging() throws {
        var a = Xoshiro256StarStar(seed: 1), b = Xoshiro256StarStar(seed: 2)
        let forest = RandomForestClassifier(trees: 25)
        let m1 = try forest.fit(Self.data, using: &a), m2 = try forest.fit(Self.data, using: &b)
        #expect(m1.trees.count == 25)
        #expect(m1 != m2)
        // Probabilities are means of 25 trees' leaf proportions: not all 0 or 1 on overlapping data.
        let p = try m1.predictProbabilities(Self.data.features)
        #expect(p.storage.contains { $0 > 0.05 && $0 < 0.95 })
        #expect(abs(m1.featureImportances.reduce(0, +) - 1) < 1e-9)
    }

    @Test("invalid hyperparameters are named")
    func invalid() {
        var rng = Xoshiro256StarStar(seed: 0)
        #expect(throws: LearnError.invalidParameter(name: "trees", value: "0", expected: "≥ 1")) {
            try RandomForestClassifier(trees: 0).fit(Self.data, using: &rng)
        }
        #expect(throws: LearnError.self) { try RandomForestClassifier(bootstrap: false, oobScore: true).fit(Self.data, using: &rng) }
    }
}
