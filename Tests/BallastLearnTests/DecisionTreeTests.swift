import BallastCore
import BallastLearn
import BallastTestSupport
import Foundation
import Testing

@Suite("Decision tree")
struct DecisionTreeTests {
    /// x₀ = 1, 2, 3, 4 with classes a, a, b, a; x₁ is constant.
    static let tiny = LabeledMatrix(features: Matrix([[1, 5], [2, 5], [3, 5], [4, 5]]), labels: [0, 0, 1, 0], classNames: ["a", "b"])

    @Test("a depth-1 tree splits where Gini says (hand-computed)")
    func goldenStump() throws {
        // Gini proxy Σ n_c²/n per side: t=1.5 → 1 + 5/3, t=2.5 → 2 + 1, t=3.5 → 5/3 + 1; the best is 2.5.
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try DecisionTreeClassifier(maxDepth: 1).fit(Self.tiny, using: &rng)
        #expect(model.tree.nodeCount == 3)
        #expect(model.tree.feature[0] == 0)
        #expect(model.tree.threshold[0] == 2.5)
        let p = try model.predictProbabilities(Matrix([[2, 5], [3, 0]]))
        #expect(p == Matrix([[1, 0], [0.5, 0.5]]))
        #expect(model.featureImportances == [1, 0])
    }

    @Test("balanced class weights: the minority leaf leans to the minority class")
    func balancedStump() throws {
        // Weights: class a 4/(2·3) = 2/3, class b 4/(2·1) = 2; the split stays at 2.5 and the right
        // leaf holds a: 2/3, b: 2 → probabilities 0.25, 0.75.
        #expect(try ClassWeights.balanced.classWeights(labels: Self.tiny.labels, classCount: 2) == [4.0 / 6, 2])
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try DecisionTreeClassifier(maxDepth: 1, classWeights: .balanced).fit(Self.tiny, using: &rng)
        #expect(model.tree.threshold[0] == 2.5)
        let p = try model.predictProbabilities(Matrix([[4, 5]]))
        #expect(abs(p[0, 0] - 0.25) < 1e-6 && abs(p[0, 1] - 0.75) < 1e-6)
        #expect(try model.predict(Matrix([[4, 5]])) == [1])
    }

    @Test("entropy criterion picks the split of least weighted entropy")
    func entropyStump() throws {
        // Entropy also prefers 2.5 here: 2·0 + 2·1 = 2 bits against 3·0.918 = 2.75 bits for 1.5 / 3.5.
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try DecisionTreeClassifier(criterion: .entropy, maxDepth: 1).fit(Self.tiny, using: &rng)
        #expect(model.tree.threshold[0] == 2.5)
    }

    @Test("grown without limits, the tree fits separable training data exactly")
    func fitsTrainingData() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [50, 50, 50], columns: 3, separation: 3, seed: 3)
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try DecisionTreeClassifier().fit(data, using: &rng)
        #expect(try model.predict(data.features) == data.labels)
        let shallow = try DecisionTreeClassifier(maxDepth: 2, minSamplesLeaf: 5).fit(data, using: &rng)
        #expect(shallow.tree.depth <= 2)
        #expect(abs(shallow.featureImportances.reduce(0, +) - 1) < 1e-9)
    }

    @Test("invalid hyperparameters are named in the error")
    func invalidParameters() {
        var rng = Xoshiro256StarStar(seed: 0)
        #expect(throws: LearnError.invalidParameter(name: "maxDepth", value: "0", expected: "≥ 1, or none for unlimited")) {
            try DecisionTreeClassifier(maxDepth: 0).fit(Self.tiny, using: &rng)
        }
        #expect(throws: LearnError.self) { try DecisionTreeClassifier(minSamplesLeaf: 0).fit(Self.tiny, using: &rng) }
        #expect(throws: LearnError.self) { try DecisionTreeClassifier(maxFeatures: .count(3)).fit(Self.tiny, using: &rng) }
    }

    @Test("a corrupted model file is refused at decoding")
    func corruptedTree() throws {
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try DecisionTreeClassifier(maxDepth: 1).fit(Self.tiny, using: &rng)
        var json = try #require(String(data: JSONEncoder().encode(model), encoding: .utf8))
        json = json.replacingOccurrences(of: "\"left\":[1,", with: "\"left\":[0,")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DecisionTreeModel.self, from: Data(json.utf8)) }
    }
}
