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
        guard let table = try? TrafficSimulator(rowCount: 400).generate(using: &rng) else { return nil }
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

    @Test("class-weight=balanced is accepted and changes what is learned", arguments: ["dt:depth=3", "rf:trees=10,depth=3", "lr", "gbdt:rounds=5", "knn:k=15", "vote", "mlp:epochs=5", "cnn:epochs=3", "cnn-lstm:epochs=3,hidden=16"])
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

    @Test("catalogue parameters reach the configured classifier")
    func catalogParameters() throws {
        let tree = try #require(try Catalog.classifier("dt:depth=10,criterion=entropy") as? DecisionTreeClassifier)
        #expect(tree.maxDepth == 10 && tree.criterion == .entropy && tree.classWeights == .none)
        let forest = try #require(try Catalog.classifier("rf:trees=50,max-features=0.5,oob=true") as? RandomForestClassifier)
        #expect(forest.trees == 50 && forest.maxFeatures == .fraction(0.5) && forest.oobScore)
        let boost = try #require(try Catalog.classifier("xgb:rounds=200,depth=6,eta=0.3,early-stop=10") as? GradientBoostingClassifier)
        #expect(boost.rounds == 200 && boost.maxDepth == 6 && boost.learningRate == 0.3 && boost.earlyStoppingRounds == 10)
        let logistic = try #require(try Catalog.classifier("lr:c=0.5,class-weight=balanced") as? LogisticRegressionClassifier)
        #expect(logistic.c == 0.5 && logistic.classWeights == .balanced)
        let weighted = try #require(try Catalog.classifier("dt:class-weight=3:20;4:50") as? DecisionTreeClassifier)
        #expect(weighted.classWeights == .explicit([3: 20, 4: 50]))
        #expect(throws: CatalogError.self) { try Catalog.classifier("dt:class-weight=heavy") }
        #expect(throws: CatalogError.self) { try Catalog.classifier("rf:max-features=many") }
        #expect(throws: CatalogError.self) { try Catalog.classifier("gbdt:eta=2") }
        #expect(Catalog.classifiers.map(\.name) == ["dt", "rf", "lr", "gbdt", "knn", "vote", "mlp", "cnn", "cnn-lstm", "ssflow"])
    }

    @Test("explicit class weights are checked against the class table")
    func explicitWeights() throws {
        #expect(throws: LearnError.self) { try ClassWeights.explicit([7: 2]).classWeights(labels: [0, 1], classCount: 2) }
        #expect(throws: LearnError.self) { try ClassWeights.explicit([0: -1]).classWeights(labels: [0, 1], classCount: 2) }
        #expect(try ClassWeights.explicit([1: 4]).sampleWeights(labels: [0, 1, 1], classCount: 2) == [1, 4, 4])
    }

    private func fitProbabilities<C: Classifier>(_ c: C, _ data: LabeledMatrix, _ rng: inout Xoshiro256StarStar) throws -> Matrix {
        try c.fit(data, using: &rng).predictProbabilities(data.features)
    }
}
