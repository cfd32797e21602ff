import BallastCore
import BallastData
import BallastLearn
import BallastNN
import BallastTestSupport
import Foundation
import Testing

@Suite("CNN and CNN+LSTM classifiers")
struct CNNClassifierTests {
    /// A small CNN (4 and 8 filters, one dense layer of 16) that trains in well under a second.
    static func small(recurrent: CNNClassifier.Recurrent? = nil, epochs: Int = 3) -> CNNClassifier {
        CNNClassifier(filters: [4, 8], recurrent: recurrent, denseWidths: [16], epochs: epochs, batchSize: 32, progress: .hidden)
    }

    @Test("seeded CNN and CNN+LSTM reach 95% accuracy on held-out simulated traffic",
          arguments: [nil, CNNClassifier.Recurrent(hiddenSize: 16, bidirectional: true)])
    func accuracyOnSimulatedTraffic(recurrent: CNNClassifier.Recurrent?) throws {
        let (train, test) = try #require(MLPClassifierTests.traffic)
        var rng = Xoshiro256StarStar(seed: 1)
        let model = try CNNClassifier(filters: [8, 16], recurrent: recurrent, denseWidths: [32], learningRate: 3e-3, epochs: 20,
                                      batchSize: 64,
                                      progress: .hidden).fit(train, using: &rng)
        let accuracy = try MLPClassifierTests.accuracy(model, test)
        print("\(model.detectorName) on simulated traffic: held-out accuracy \(accuracy), \(model.history.count) epochs, best \(model.bestEpoch)")
        #expect(accuracy >= 0.95)
        #expect(model.history.count >= model.bestEpoch && model.bestEpoch >= 1)
        #expect(model.history.first?.trainingLoss ?? 0 > model.history.last?.trainingLoss ?? 1)
    }

    @Test("catalogue parameters reach the configured CNN; cnn-lstm adds the LSTM; bad values are refused by name")
    func catalog() throws {
        let cnn = try #require(try Catalog.classifier("cnn:filters=16x32x64,kernel=5,padding=valid,pool=3,batch-norm=false,dense=64x32,dropout=0.5,lr=0.01,epochs=7,batch=32,validation=0.2,patience=none,class-weight=balanced") as? CNNClassifier)
        #expect(cnn.filters == [16, 32, 64] && cnn.kernelSize == 5 && cnn.padding == .valid && cnn.poolSize == 3 && !cnn.batchNorm)
        #expect(cnn.denseWidths == [64, 32] && cnn.dropout == 0.5 && cnn.learningRate == 0.01 && cnn.epochs == 7 && cnn.batchSize == 32)
        #expect(cnn.validationFraction == 0.2 && cnn.patience == nil && cnn.classWeights == .balanced && cnn.recurrent == nil)
        let lstm = try #require(try Catalog.classifier("cnn-lstm:hidden=32,bidirectional=true,dense=none") as? CNNClassifier)
        #expect(lstm.recurrent == CNNClassifier.Recurrent(hiddenSize: 32, bidirectional: true) && lstm.denseWidths.isEmpty)
        let defaults = try #require(try Catalog.classifier("cnn") as? CNNClassifier)
        #expect(defaults.filters == [32, 64] && defaults.kernelSize == 3 && defaults.poolSize == 2 && defaults.denseWidths == [128])
        #expect(throws: CatalogError.self) { try Catalog.classifier("cnn:filters=none") }
        #expect(throws: CatalogError.self) { try Catalog.classifier("cnn:padding=full") }
        #expect(throws: CatalogError.self) { try Catalog.classifier("cnn-lstm:hidden=0") }
        #expect(throws: CatalogError.self) { try Catalog.classifier("cnn:hidden=8") }
        let names = try #require(Catalog.classifiers.first { $0.name == "cnn-lstm" }).parameters.map(\.name)
        #expect(names == ["hidden", "bidirectional", "filters", "kernel", "padding", "pool", "batch-norm", "dense", "dropout", "lr",
                          "epochs", "batch", "validation", "patience", "class-weight"])
    }

    @Test("weights carry the names and shapes of the PyTorch module BallastCNN")
    func weights() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [40, 30, 20], columns: 10, seed: 3)
        var rng = Xoshiro256StarStar(seed: 2)
        let cnn = try Self.small().fit(data, using: &rng)
        // conv: Conv1d 0, BatchNorm1d 1, ReLU 2, MaxPool1d 3, Conv1d 4, BatchNorm1d 5, ...; 10 → 5 → 2 positions.
        // head: Dropout 0, Linear 1, ReLU 2, Dropout 3, Linear 4.
        let batchNorm = ["num_batches_tracked", "running_mean", "running_var", "weight", "bias"]
        let expected = ["conv.0.weight", "conv.0.bias", "conv.4.weight", "conv.4.bias", "head.1.weight", "head.1.bias",
                        "head.4.weight", "head.4.bias"] + batchNorm.map { "conv.1." + $0 } + batchNorm.map { "conv.5." + $0 }
        #expect(cnn.weights.keys.sorted() == expected.sorted())
        #expect(cnn.weights["conv.0.weight"]?.shape == [4, 1, 3] && cnn.weights["conv.4.weight"]?.shape == [8, 4, 3])
        #expect(cnn.weights["conv.5.running_var"]?.shape == [8] && cnn.weights["head.1.weight"]?.shape == [16, 16])
        #expect(cnn.weights["head.4.weight"]?.shape == [3, 16])
        #expect(cnn.parameterCount == (12 + 4) + 8 + (96 + 8) + 16 + (256 + 16) + (48 + 3))
        let file = try SafeTensors.decode(cnn.safetensors())
        #expect(file.tensors == cnn.weights && file.metadata["ballast.model"] == "cnn" && file.metadata["ballast.filters"] == "4x8")

        var rng2 = Xoshiro256StarStar(seed: 2)
        let lstm = try Self.small(recurrent: .init(hiddenSize: 5, bidirectional: true)).fit(data, using: &rng2)
        #expect(lstm.weights["lstm.weight_ih_l0"]?.shape == [20, 8] && lstm.weights["lstm.weight_hh_l0_reverse"]?.shape == [20, 5])
        #expect(lstm.weights["head.1.weight"]?.shape == [16, 10] && lstm.detectorName == "cnn-lstm")
        #expect(try SafeTensors.decode(lstm.safetensors()).metadata["ballast.bidirectional"] == "true")
    }

    @Test("a class with a single row trains and is predicted within the classes; one class is refused")
    func tinyClasses() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [50, 30, 1], columns: 6, seed: 5)
        var rng = Xoshiro256StarStar(seed: 3)
        let model = try Self.small(recurrent: .init(hiddenSize: 4)).fit(data, using: &rng)
        let predicted = try model.predict(data.features)
        #expect(predicted.allSatisfy { (0..<3).contains($0) } && model.classNames.count == 3)
        let single = LabeledMatrix(features: data.features, labels: data.labels.map { _ in 0 }, classNames: ["a"])
        #expect(throws: LearnError.self) { try Self.small().fit(single, using: &rng) }
    }

    @Test("too few feature columns for the blocks, and NaN features at prediction, throw errors naming them")
    func badInput() throws {
        let narrow = ClassifierTestData.blobs(rowsPerClass: [20, 20], columns: 3, seed: 6)
        var rng = Xoshiro256StarStar(seed: 1)
        #expect { try CNNClassifier(filters: [4, 4, 4], progress: .hidden).fit(narrow, using: &rng) } throws: { error in
            guard case let LearnError.invalidParameter(name, _, expected) = error else { return false }
            return name == "features" && expected.contains("at least 8 columns")
        }
        #expect(throws: LearnError.invalidParameter(name: "batch", value: "0", expected: "≥ 1")) {
            try CNNClassifier(batchSize: 0).fit(ClassifierTestData.blobs(rowsPerClass: [20, 20], columns: 6, seed: 6), using: &rng)
        }
        let model = try Self.small(epochs: 1).fit(ClassifierTestData.blobs(rowsPerClass: [20, 20], columns: 6, seed: 6), using: &rng)
        var bad = Matrix(rows: 2, columns: 6)
        bad[1, 4] = .nan
        #expect(throws: LearnError.nonFinite(row: 1, column: 4)) { try model.predictProbabilities(bad) }
    }

    @Test("a saved model with corrupt weights or absurd sizes is refused with a clear error, not a crash")
    func corruptModel() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [30, 30], columns: 8, seed: 4)
        var rng = Xoshiro256StarStar(seed: 2)
        let model = try Self.small(recurrent: .init(hiddenSize: 3), epochs: 1).fit(data, using: &rng)
        let original = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
        func decode(_ change: (inout [String: Any]) -> Void) throws -> CNNModel {
            var json = original
            change(&json)
            return try JSONDecoder().decode(CNNModel.self, from: JSONSerialization.data(withJSONObject: json))
        }
        #expect(try decode { _ in } == model)
        #expect { try decode { $0["filters"] = [5, 8] } } throws: { "\($0)".contains("'conv.0.weight' has shape [4, 1, 3]") }
        #expect { try decode { $0["weights"] = Data([1, 2, 3]).base64EncodedString() } } throws: { "\($0)".contains("CNN weights") }
        #expect { try decode { $0["filters"] = [65_536, 65_536]; $0["kernelSize"] = 1024 } } throws: { error in
            "\(error)".contains("at most 200000000 parameters")
        }
        #expect { try decode { $0["featureCount"] = -1 } } throws: { "\($0)".contains("features") }
        #expect { try decode { $0["poolSize"] = 0 } } throws: { "\($0)".contains("pool") }
    }
}
