import BallastCore
import BallastData
import BallastLearn
import BallastNN
import BallastTestSupport
import Foundation
import Testing

@Suite("MLP classifier")
struct MLPClassifierTests {
    /// Simulated traffic (NSL-KDD's schema, five imbalanced classes), preprocessed on the training
    /// part only, split 75/25 stratified.
    static let traffic: (train: LabeledMatrix, test: LabeledMatrix)? = {
        var rng = Xoshiro256StarStar(seed: 21)
        guard let table = try? TrafficSimulator(rowCount: 3000).generate(using: &rng),
              let fitted = try? Preprocessor().fit(table.features), let all = try? table.labeledMatrix(using: fitted),
              let split = try? StratifiedSplit(testFraction: 0.25).split(labels: all.labels, using: &rng) else { return nil }
        func part(_ rows: [Int]) -> LabeledMatrix {
            LabeledMatrix(features: all.features.gatherRows(rows), labels: rows.map { all.labels[$0] }, classNames: all.classNames)
        }
        return (part(split.train), part(split.test))
    }()

    static func accuracy(_ model: some ClassifierModel, _ data: LabeledMatrix) throws -> Double {
        let predicted = try model.predict(data.features)
        return Double(zip(predicted, data.labels).filter { $0 == $1 }.count) / Double(data.count)
    }

    @Test("a seeded MLP reaches 95% accuracy on held-out simulated traffic, like logistic regression or better")
    func accuracyOnSimulatedTraffic() throws {
        let (train, test) = try #require(Self.traffic)
        var rng = Xoshiro256StarStar(seed: 1)
        let model = try MLPClassifier(hiddenWidths: [64, 32], epochs: 30, batchSize: 64, progress: .hidden).fit(train, using: &rng)
        var rng2 = Xoshiro256StarStar(seed: 1)
        let logistic = try LogisticRegressionClassifier().fit(train, using: &rng2)
        let mlpAccuracy = try Self.accuracy(model, test), lrAccuracy = try Self.accuracy(logistic, test)
        print("MLP 64x32 on simulated traffic: held-out accuracy \(mlpAccuracy) (LR \(lrAccuracy)), \(model.history.count) epochs, best \(model.bestEpoch)")
        #expect(mlpAccuracy >= 0.95)
        #expect(mlpAccuracy >= lrAccuracy - 0.01)
        #expect(model.history.count >= model.bestEpoch && model.bestEpoch >= 1)
        #expect(model.history.first?.trainingLoss ?? 0 > model.history.last?.trainingLoss ?? 1)
    }

    @Test("catalogue parameters reach the configured MLP; dnn is an alias; bad values are refused by name")
    func catalog() throws {
        let mlp = try #require(try Catalog.classifier("dnn:widths=64x32,epochs=7,batch=32,lr=0.01,dropout=0,batch-norm=true,class-weight=balanced,patience=none,validation=0.2,activation=tanh") as? MLPClassifier)
        #expect(mlp.hiddenWidths == [64, 32] && mlp.epochs == 7 && mlp.batchSize == 32 && mlp.learningRate == 0.01)
        #expect(mlp.dropout == 0 && mlp.batchNorm && mlp.classWeights == .balanced && mlp.patience == nil)
        #expect(mlp.validationFraction == 0.2 && mlp.activation == .tanh)
        let defaults = try #require(try Catalog.classifier("mlp") as? MLPClassifier)
        #expect(defaults.hiddenWidths == [256, 128] && defaults.patience == 5 && defaults.epochs == 20)
        #expect(try (Catalog.classifier("mlp:widths=none") as? MLPClassifier)?.hiddenWidths == [])
        #expect(throws: CatalogError.invalidValue(algorithm: "mlp", parameter: "widths", value: "64xx32",
                                                  expected: "widths in 1...65536 joined by 'x' (e.g. 256x128), or none")) {
            try Catalog.classifier("mlp:widths=64xx32")
        }
        #expect(throws: CatalogError.self) { try Catalog.classifier("mlp:patience=0") }
        #expect(throws: CatalogError.self) { try Catalog.classifier("mlp:dropout=1") }
        let names = try #require(Catalog.classifiers.first { $0.name == "mlp" }).parameters.map(\.name)
        #expect(names == ["widths", "activation", "dropout", "batch-norm", "lr", "epochs", "batch", "validation", "patience", "class-weight"])
    }

    @Test("weights carry PyTorch's names and shapes, and the model's safetensors bytes hold them")
    func weights() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [40, 30, 20], columns: 5, seed: 3)
        var rng = Xoshiro256StarStar(seed: 2)
        let model = try MLPClassifier(hiddenWidths: [8, 6], dropout: 0.1, batchNorm: true, epochs: 3, progress: .hidden).fit(data, using: &rng)
        // Linear, BatchNorm1d, ReLU, Dropout per hidden layer: indices 0-3 and 4-7, output Linear 8.
        #expect(model.weights.keys.sorted() == ["0.bias", "0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean",
                                                "1.running_var", "1.weight", "4.bias", "4.weight", "5.bias", "5.num_batches_tracked",
                                                "5.running_mean", "5.running_var", "5.weight", "8.bias", "8.weight"])
        #expect(model.weights["1.num_batches_tracked"]?.shape == [] && (model.weights["1.num_batches_tracked"]?.values.first ?? 0) > 0)
        #expect(model.weights["0.weight"]?.shape == [8, 5] && model.weights["4.weight"]?.shape == [6, 8])
        #expect(model.weights["8.weight"]?.shape == [3, 6] && model.weights["5.running_var"]?.shape == [6])
        let expectedCount = (8 * 5 + 8) + 16 + (6 * 8 + 6) + 12 + (3 * 6 + 3)
        #expect(model.parameterCount == expectedCount)
        let file = try SafeTensors.decode(model.safetensors())
        #expect(file.tensors == model.weights)
        #expect(file.metadata["ballast.widths"] == "8x6" && file.metadata["format"] == "pt")
    }

    @Test("a saved model whose weights do not fit its architecture is refused, naming the tensor")
    func corruptModel() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [30, 30], columns: 3, seed: 4)
        var rng = Xoshiro256StarStar(seed: 2)
        let model = try MLPClassifier(hiddenWidths: [4], epochs: 2, progress: .hidden).fit(data, using: &rng)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
        json["hiddenWidths"] = [5]
        let altered = try JSONSerialization.data(withJSONObject: json)
        #expect { try JSONDecoder().decode(MLPModel.self, from: altered) } throws: { error in
            "\(error)".contains("tensor '0.weight' has shape [4, 3]; the parameter expects [5, 3]")
        }
    }

    @Test("invalid hyperparameters throw LearnError naming the catalogue key")
    func invalidHyperparameters() {
        let data = ClassifierTestData.blobs(rowsPerClass: [20, 20], columns: 3, seed: 5)
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: LearnError.invalidParameter(name: "widths", value: "0", expected: "layer widths ≥ 1")) {
            try MLPClassifier(hiddenWidths: [4, 0]).fit(data, using: &rng)
        }
        #expect(throws: LearnError.invalidParameter(name: "batch", value: "0", expected: "≥ 1")) {
            try MLPClassifier(batchSize: 0).fit(data, using: &rng)
        }
    }
}
