import BallastCore
@testable import BallastLearn
import BallastNN
import BallastTestSupport
import Testing

/// The tape-free prediction path of the CNN detectors against the tape's forward pass in inference
/// mode (the pass training validates with), on seeded weights and data.
@Suite("CNN prediction without a tape")
struct CNNInferenceTests {
    /// Architectures covering what the fast path rearranges: same/valid padding, odd and even kernels,
    /// pooling with dropped positions, no pooling, no batch norm, no dense layer, one, two and three
    /// blocks, a (bidirectional) LSTM.
    static let architectures: [CNNArchitecture] = [
        CNNArchitecture(inputs: 23, filters: [4, 8], kernelSize: 3, padding: .same, poolSize: 2, batchNorm: true,
                        recurrent: nil, denseWidths: [16], outputs: 3, dropout: 0.2),
        CNNArchitecture(inputs: 80, filters: [5, 6, 7], kernelSize: 4, padding: .valid, poolSize: 3, batchNorm: false,
                        recurrent: nil, denseWidths: [], outputs: 4, dropout: 0),
        CNNArchitecture(inputs: 17, filters: [3], kernelSize: 5, padding: .same, poolSize: 1, batchNorm: true,
                        recurrent: nil, denseWidths: [8, 6], outputs: 2, dropout: 0.5),
        CNNArchitecture(inputs: 20, filters: [4, 6], kernelSize: 3, padding: .same, poolSize: 2, batchNorm: true,
                        recurrent: .init(hiddenSize: 5, bidirectional: true), denseWidths: [12], outputs: 5, dropout: 0.2),
        CNNArchitecture(inputs: 12, filters: [3], kernelSize: 2, padding: .valid, poolSize: 2, batchNorm: true,
                        recurrent: .init(hiddenSize: 7, bidirectional: false), denseWidths: [], outputs: 3, dropout: 0),
    ]

    /// A network of `architecture` with seeded weights and batch-norm statistics away from their
    /// initial values (mean 0, variance 1, γ 1, β 0 would make the folding trivial).
    static func network(_ architecture: CNNArchitecture, seed: UInt64) throws -> CNNNetwork {
        try architecture.validate()
        var rng = Xoshiro256StarStar(seed: seed)
        let network = architecture.build(using: &rng)
        for parameter in network.parameters + network.buffers where !parameter.name.hasSuffix("num_batches_tracked") {
            let low: Double, high: Double
            switch parameter.name.split(separator: ".").last ?? "" {
            case "running_var": (low, high) = (0.3, 2.5)
            case "running_mean": (low, high) = (-0.8, 0.8)
            default: continue
            }
            parameter.value = Matrix(rows: parameter.value.rows, columns: parameter.value.columns) { _, _ in
                Float(low + (high - low) * rng.nextUniform())
            }
        }
        for norm in network.convolution.layers.compactMap({ $0 as? BatchNorm1d }) {
            for (parameter, centre) in [(norm.scale, 1.0), (norm.shift, 0.0)] {
                guard let parameter else { continue }
                parameter.value = Matrix(rows: 1, columns: parameter.value.columns) { _, _ in Float(centre + rng.nextUniform() - 0.5) }
            }
        }
        return network
    }

    /// The tape's logits in inference mode.
    static func tapeLogits(_ network: CNNNetwork, _ x: Matrix) -> Matrix {
        let tape = Tape<Float>()
        return tape.matrix(network.forward(tape.input(x), on: tape, mode: .inference))
    }

    @Test("logits equal the tape's inference-mode forward pass up to Float rounding; classes are the same",
          arguments: architectures.indices)
    func matchesTape(index: Int) throws {
        let architecture = Self.architectures[index]
        let network = try Self.network(architecture, seed: 7 + UInt64(index))
        // 300 rows: a full task of 256 and a partial one, each with a partial sub-block.
        let x = TestData.normalMatrix(rows: 300, columns: architecture.inputs, seed: 11 + UInt64(index))
        let expected = Self.tapeLogits(network, x)
        let plan = CNNInference(network)
        let logits = plan.logits(x)
        #expect(logits.rows == expected.rows && logits.columns == expected.columns)
        let scale = max(expected.storage.map(abs).max() ?? 1, 1)
        let error = zip(logits.storage, expected.storage).map { abs($0 - $1) }.max() ?? .infinity
        #expect(error <= 2e-5 * scale, "architecture \(index): largest logit difference \(error) (logits up to \(scale))")
        #expect(logits.mostProbableClasses() == expected.mostProbableClasses())
        let probabilities = plan.probabilities(x)
        let tapeProbabilities = NetworkTraining.probabilities(network, features: x, classes: architecture.outputs)
        let gap = zip(probabilities.storage, tapeProbabilities.storage).map { abs($0 - $1) }.max() ?? .infinity
        #expect(gap <= 1e-5, "architecture \(index): largest probability difference \(gap)")
    }

    @Test("validation scores from the fast path equal the tape's (weighted loss and accuracy), as training uses them",
          arguments: [0, 3])
    func validationScore(index: Int) throws {
        let architecture = Self.architectures[index]
        let network = try Self.network(architecture, seed: 21 + UInt64(index))
        let x = TestData.normalMatrix(rows: 150, columns: architecture.inputs, seed: 13)
        let labels = (0..<150).map { ($0 * 7) % architecture.outputs }
        let weights = (0..<architecture.outputs).map { Float(1 + $0) / 2 }
        let rows = Array(stride(from: 1, to: 150, by: 2))
        let tape = NetworkTraining.score(network, features: x, labels: labels, rows: rows, weights: weights, tape: Tape<Float>())
        let fast = NetworkTraining.score(logits: CNNInference(network).logits(x.gatherRows(rows)), labels: rows.map { labels[$0] },
                                         weights: weights)
        #expect(abs(fast.loss - tape.loss) <= 1e-5 * max(1, abs(tape.loss)), "loss \(fast.loss) vs \(tape.loss)")
        #expect(fast.metric == tape.metric)
        #expect(tape.loss.isFinite && (tape.metric ?? 0) > 0)
    }

    @Test("a row gives the same logits alone as inside a batch, whatever the tasks' split (up to Float rounding)")
    func rowsAreIndependent() throws {
        let architecture = Self.architectures[3]
        let plan = CNNInference(try Self.network(architecture, seed: 3))
        let x = TestData.normalMatrix(rows: 270, columns: architecture.inputs, seed: 5)
        let batch = plan.logits(x)
        func close(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) } }
        for r in [0, 15, 16, 255, 256, 269] {
            #expect(close(plan.logits(x.gatherRows([r])).row(0), batch.row(r)), "row \(r)")
        }
        #expect(close(plan.logits(x.gatherRows(Array(100..<270))).storage, batch.gatherRows(Array(100..<270)).storage))
    }

    @Test("a fitted model predicts with the fast path: the same classes as the tape on its training rows")
    func fittedModel() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [60, 40, 20], columns: 12, seed: 9)
        var rng = Xoshiro256StarStar(seed: 4)
        let model = try CNNClassifier(filters: [4, 8], recurrent: .init(hiddenSize: 4), denseWidths: [8], epochs: 2, batchSize: 32,
                                      progress: .hidden).fit(data, using: &rng)
        let network = try model.architecture.build(weights: model.weights)
        let tape = NetworkTraining.probabilities(network, features: data.features, classes: 3)
        let fast = try model.predictProbabilities(data.features)
        #expect(zip(fast.storage, tape.storage).map { abs($0 - $1) }.max() ?? 1 <= 1e-5)
        #expect(fast.mostProbableClasses() == tape.mostProbableClasses())
    }
}
