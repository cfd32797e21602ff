import BallastCore
import BallastLearn
import BallastTestSupport
import Foundation
import Testing

@Suite("Voting ensemble and type-erased models")
struct VotingTests {
    static let data = ClassifierTestData.blobs(rowsPerClass: [50, 30, 20], columns: 3, seed: 13)

    @Test("soft voting is the weighted mean of the members' probabilities")
    func softVoting() throws {
        var rng = Xoshiro256StarStar(seed: 4)
        let vote = VotingClassifier(members: [DecisionTreeClassifier(maxDepth: 2), LogisticRegressionClassifier()], weights: [3, 1])
        let model = try vote.fit(Self.data, using: &rng)
        let p = try model.predictProbabilities(Self.data.features)
        let a = try model.members[0].predictProbabilities(Self.data.features)
        let b = try model.members[1].predictProbabilities(Self.data.features)
        for i in 0..<p.count { #expect(abs(p.storage[i] - (0.75 * a.storage[i] + 0.25 * b.storage[i])) < 1e-6) }
        #expect(model.members.map(\.kind) == ["decision-tree", "logistic-regression"])
    }

    @Test("hard voting: the weighted majority label wins, probabilities are vote shares")
    func hardVoting() throws {
        var rng = Xoshiro256StarStar(seed: 4)
        let members: [any Classifier] = [DecisionTreeClassifier(maxDepth: 1), LogisticRegressionClassifier(), KNearestNeighborsClassifier(k: 3)]
        let model = try VotingClassifier(members: members, voting: .hard).fit(Self.data, using: &rng)
        let labels = try model.members.map { try $0.predict(Self.data.features) }
        let p = try model.predictProbabilities(Self.data.features)
        for r in 0..<Self.data.count {
            var votes = [Float](repeating: 0, count: 3)
            for l in labels { votes[l[r]] += 1 / 3 }
            for c in 0..<3 { #expect(abs(p[r, c] - votes[c]) < 1e-6) }
        }
    }

    @Test("a type-erased model round-trips through JSON with its kind; unknown kinds are refused by name")
    func erasedCoding() throws {
        var rng = Xoshiro256StarStar(seed: 1)
        let model = try GradientBoostingClassifier(rounds: 3).fitErased(Self.data, using: &rng)
        let json = try JSONEncoder().encode(model)
        let text = try #require(String(data: json, encoding: .utf8))
        #expect(text.contains("\"kind\":\"gradient-boosting\""))
        let decoded = try JSONDecoder().decode(AnyClassifierModel.self, from: json)
        #expect(try decoded.predictProbabilities(Self.data.features) == model.predictProbabilities(Self.data.features))
        let unknown = Data(text.replacingOccurrences(of: "gradient-boosting", with: "quantum-forest").utf8)
        #expect {
            try JSONDecoder().decode(AnyClassifierModel.self, from: unknown)
        } throws: { error in
            "\(error)".contains("quantum-forest") && "\(error)".contains("decision-tree")
        }
    }

    @Test("every registered kind is unique")
    func uniqueKinds() {
        let kinds = ClassifierModelRegistry.types.map { $0.kind }
        #expect(Set(kinds).count == kinds.count)
    }

    @Test("the catalogue's vote defaults to soft voting over boosting and logistic regression")
    func catalogDefault() throws {
        let vote = try #require(try Catalog.classifier("vote") as? VotingClassifier)
        #expect(vote.voting == .soft)
        #expect(vote.members.count == 2 && vote.members[0] is GradientBoostingClassifier && vote.members[1] is LogisticRegressionClassifier)
        #expect(throws: CatalogError.self) { try Catalog.classifier("vote:members=gbdt+lr,weights=1") }
        #expect(throws: CatalogError.self) { try Catalog.classifier("vote:members=nope") }
    }

    @Test("invalid ensembles are refused")
    func invalid() {
        var rng = Xoshiro256StarStar(seed: 0)
        #expect(throws: LearnError.self) { try VotingClassifier(members: []).fit(Self.data, using: &rng) }
        #expect(throws: LearnError.self) {
            try VotingClassifier(members: [LogisticRegressionClassifier()], weights: [1, 2]).fit(Self.data, using: &rng)
        }
    }
}
