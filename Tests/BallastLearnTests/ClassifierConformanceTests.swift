import BallastCore
import BallastData
import BallastLearn
import BallastTestSupport
import Testing

/// Every catalogue classifier passes `checkClassifier` on small seeded data.
@Suite("Classifier conformance")
struct ClassifierConformanceTests {
    /// Three overlapping Gaussian classes, imbalanced.
    static let blobs = ClassifierTestData.blobs(rowsPerClass: [70, 40, 15], columns: 5, seed: 11)

    /// Preprocessed simulated traffic: NSL-KDD's schema and five imbalanced classes.
    static let traffic: LabeledMatrix? = {
        var rng = Xoshiro256StarStar(seed: 5)
        let table = TrafficSimulator(rowCount: 400).generate(using: &rng)
        guard let fitted = try? Preprocessor().fit(table.features) else { return nil }
        return try? table.labeledMatrix(using: fitted)
    }()

    @Test("passes checkClassifier on Gaussian blobs", arguments: Catalog.classifiers.map(\.name))
    func blobsConformance(name: String) throws {
        let classifier = try Catalog.classifier(name)
        let failures = checkClassifier(classifier, on: Self.blobs)
        #expect(failures.isEmpty, "\(name): \(failures)")
    }

    @Test("passes checkClassifier on simulated traffic", arguments: Catalog.classifiers.map(\.name))
    func trafficConformance(name: String) throws {
        let data = try #require(Self.traffic)
        let classifier = try Catalog.classifier(name)
        let failures = checkClassifier(classifier, on: data)
        #expect(failures.isEmpty, "\(name): \(failures)")
    }

    @Test("class-weight=balanced is accepted and changes what is learned", arguments: ["dt:depth=3", "rf:trees=10,depth=3", "lr", "gbdt:rounds=5", "knn:k=15", "vote"])
    func balancedWeights(spec: String) throws {
        let data = Self.blobs
        var rng = Xoshiro256StarStar(seed: 1)
        let plain = try Catalog.classifier(spec)
        let weighted = try Catalog.classifier(spec + (spec.contains(":") ? "," : ":") + "class-weight=balanced")
        #expect(checkClassifier(weighted, on: data).isEmpty)
        let a = try fitProbabilities(plain, data, &rng)
        var rng2 = Xoshiro256StarStar(seed: 1)
        let b = try fitProbabilities(weighted, data, &rng2)
        #expect(a != b)
    }

    private func fitProbabilities<C: Classifier>(_ c: C, _ data: LabeledMatrix, _ rng: inout Xoshiro256StarStar) throws -> Matrix {
        try c.fit(data, using: &rng).predictProbabilities(data.features)
    }
}
