import BallastCore
import BallastLearn
import BallastTestSupport
import Foundation
import Testing

@Suite("Gradient boosting")
struct GradientBoostingTests {
    @Test("one round's leaf values are −G/(H+λ) × learning rate (hand-computed)")
    func goldenRound() throws {
        // x = 1, 2, 3, 4 with classes a, a, b, b. Margins start at 0, so p = 1/2: for class a,
        // g = p − y = −1/2 on the a rows and +1/2 on the b rows, h = 2p(1 − p) = 1/2 on every row.
        // The split x ≤ 2.5 gives G = ∓1, H = 1 per side: leaves −(∓1)/(1 + 1) × 0.5 = ±0.25.
        let data = LabeledMatrix(features: Matrix([[1], [2], [3], [4]]), labels: [0, 0, 1, 1], classNames: ["a", "b"])
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try GradientBoostingClassifier(rounds: 1, learningRate: 0.5, maxDepth: 1, lambda: 1).fit(data, using: &rng)
        #expect(model.trees.count == 2)
        let a = model.trees[0], b = model.trees[1]
        #expect(a.threshold[0] == 2.5 && b.threshold[0] == 2.5)
        #expect(a.values[Int(a.left[0])] == 0.25 && a.values[Int(a.right[0])] == -0.25)
        #expect(b.values[Int(b.left[0])] == -0.25 && b.values[Int(b.right[0])] == 0.25)
        let p = try model.predictProbabilities(Matrix([[1]]))
        #expect(abs(Double(p[0, 0]) - 1 / (1 + exp(-0.5))) < 1e-6)
    }

    @Test("gamma and minimum child weight stop splits")
    func splitLimits() throws {
        let data = LabeledMatrix(features: Matrix([[1], [2], [3], [4]]), labels: [0, 0, 1, 1], classNames: ["a", "b"])
        var rng = Xoshiro256StarStar(seed: 0)
        // The split's gain is 1/2 + 1/2 − 0 = 1: gamma 2 forbids it; so does a child hessian below 1.5.
        let pruned = try GradientBoostingClassifier(rounds: 1, maxDepth: 1, gamma: 2).fit(data, using: &rng)
        #expect(pruned.trees[0].nodeCount == 1)
        let heavy = try GradientBoostingClassifier(rounds: 1, maxDepth: 1, minChildWeight: 1.5).fit(data, using: &rng)
        #expect(heavy.trees[0].nodeCount == 1)
    }

    @Test("a leaf limit grows trees best-first up to that many leaves")
    func leafLimit() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [80, 60, 40], columns: 4, separation: 1.5, seed: 4)
        var rng = Xoshiro256StarStar(seed: 0)
        let limited = try GradientBoostingClassifier(rounds: 3, maxDepth: 10, maxLeaves: 4).fit(data, using: &rng)
        #expect(limited.trees.allSatisfy { $0.leafCount <= 4 })
        #expect(limited.trees.contains { $0.leafCount == 4 })
        // Best-first with two leaves is the depth-1 stump: the root's best split.
        let stump = try GradientBoostingClassifier(rounds: 2, maxDepth: 1).fit(data, using: &rng)
        let twoLeaves = try GradientBoostingClassifier(rounds: 2, maxDepth: 6, maxLeaves: 2).fit(data, using: &rng)
        #expect(stump.trees == twoLeaves.trees)
    }

    @Test("Margins equal the sum of each tree's leaf, bit for bit, whether rows walk together or one row walks eight trees")
    func packedWalkMatchesTrees() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [50, 40, 30], columns: 5, separation: 1.0, seed: 9)
        var rng = Xoshiro256StarStar(seed: 3)
        // 13 rounds × 3 classes = 39 trees: not a multiple of the eight walked together; depths vary.
        let model = try GradientBoostingClassifier(rounds: 13, maxDepth: 6, maxLeaves: 5).fit(data, using: &rng)
        #expect(Set(model.trees.map(\.depth)).count > 1)
        for rows in [1, 2, 3, 4, 11, 19] {
            let x = data.features.gatherRows(0..<rows)
            let margins = try model.predictMargins(x)
            for r in 0..<rows {
                var expected = model.baseMargins
                for (t, tree) in model.trees.enumerated() {
                    var node = 0
                    while tree.feature[node] >= 0 {
                        node = Int(x[r, Int(tree.feature[node])] <= tree.threshold[node] ? tree.left[node] : tree.right[node])
                    }
                    expected[t % 3] += tree.values[node]
                }
                for c in 0..<3 { #expect(margins[r, c] == expected[c], "rows \(rows), row \(r), class \(c)") }
            }
        }
    }

    @Test("early stopping keeps the best round on a held-out split")
    func earlyStopping() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [80, 60, 40], columns: 4, separation: 1.5, seed: 4)
        var rng = Xoshiro256StarStar(seed: 2)
        let model = try GradientBoostingClassifier(rounds: 300, learningRate: 0.5, earlyStoppingRounds: 5).fit(data, using: &rng)
        #expect(model.rounds >= 1 && model.rounds < 300)
        #expect(model.trees.count == model.rounds * 3)
    }

    @Test("subsampling is seeded and changes the model")
    func subsampling() throws {
        let data = ClassifierTestData.blobs(seed: 8)
        let booster = GradientBoostingClassifier(rounds: 10, subsample: 0.7, columnSubsample: 0.5)
        var a = Xoshiro256StarStar(seed: 1), b = Xoshiro256StarStar(seed: 1), c = Xoshiro256StarStar(seed: 2)
        let m1 = try booster.fit(data, using: &a), m2 = try booster.fit(data, using: &b), m3 = try booster.fit(data, using: &c)
        #expect(m1 == m2)
        #expect(m1 != m3)
    }

    @Test("a model file whose tree count disagrees with its rounds is refused at prediction")
    func inconsistentModel() throws {
        var rng = Xoshiro256StarStar(seed: 0)
        let data = ClassifierTestData.blobs()
        let model = try GradientBoostingClassifier(rounds: 2).fit(data, using: &rng)
        let broken = GradientBoostingModel(classNames: model.classNames, featureCount: model.featureCount,
                                           baseMargins: model.baseMargins, trees: Array(model.trees.dropLast()), rounds: 2)
        #expect(throws: LearnError.self) { try broken.predictProbabilities(data.features) }
    }

    @Test("invalid hyperparameters are named")
    func invalid() {
        var rng = Xoshiro256StarStar(seed: 0)
        let data = ClassifierTestData.blobs()
        #expect(throws: LearnError.invalidParameter(name: "learningRate", value: "0.0", expected: "a number in (0, 1]")) {
            try GradientBoostingClassifier(learningRate: 0).fit(data, using: &rng)
        }
        #expect(throws: LearnError.self) { try GradientBoostingClassifier(maxBins: 300).fit(data, using: &rng) }
    }
}
