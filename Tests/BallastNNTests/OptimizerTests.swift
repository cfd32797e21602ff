import BallastCore
import BallastNN
import Testing

/// Behaviour shared by every optimizer, and gradient clipping.
@Suite struct OptimizerTests {
    static func makeAll(_ parameters: [Parameter]) throws -> [any Optimizer] {
        [try SGD(parameters: parameters, learningRate: 0.1, momentum: 0.9),
         try Adam(parameters: parameters), try AdamW(parameters: parameters)]
    }

    @Test func zeroGradientsClearsEveryParameter() throws {
        let a = Parameter(name: "a", value: Matrix(rows: 2, columns: 3, repeating: 1))
        let b = Parameter(name: "b", value: Matrix(rows: 1, columns: 4, repeating: 1))
        for optimizer in try Self.makeAll([a, b]) {
            a.gradient = Matrix(rows: 2, columns: 3, repeating: 5)
            b.gradient = Matrix(rows: 1, columns: 4, repeating: -5)
            optimizer.zeroGradients()
            #expect(a.gradient.storage.allSatisfy { $0 == 0 } && b.gradient.storage.allSatisfy { $0 == 0 })
        }
    }

    /// Every optimizer moves a weight against its gradient.
    @Test func everyOptimizerDescends() throws {
        for optimizer in try Self.makeAll([Parameter(name: "w", value: Matrix(rows: 1, columns: 10, repeating: 0))]) {
            let p = optimizer.parameters[0]
            p.gradient = Matrix(rows: 1, columns: 10, values: (0..<10).map { Float($0) - 4.5 })
            optimizer.step()
            for (w, g) in zip(p.value.storage, p.gradient.storage) {
                #expect(w * g < 0, "\(type(of: optimizer)) moved \(w) along gradient \(g)")
            }
        }
    }

    /// Gradients (3, 4) and (12) have global norm √(9 + 16 + 144) = 13; clipping to 6.5 halves them
    /// (factor 6.5 / (13 + 1e-6)) and returns 13.
    @Test func clippingScalesAllGradientsTogether() {
        let a = Parameter(name: "a", value: Matrix(rows: 1, columns: 2))
        let b = Parameter(name: "b", value: Matrix(rows: 1, columns: 1))
        a.gradient = Matrix([[3, 4]])
        b.gradient = Matrix([[12]])
        let norm = clipGradientNorm([a, b], maxNorm: 6.5)
        #expect(norm == 13)
        #expect(abs(a.gradient[0, 0] - 1.5) < 1e-6 && abs(a.gradient[0, 1] - 2) < 1e-6)
        #expect(abs(b.gradient[0, 0] - 6) < 1e-6)
        let after = clipGradientNorm([a, b], maxNorm: 100)
        #expect(abs(after - 6.5) < 1e-5)
        #expect(abs(b.gradient[0, 0] - 6) < 1e-6, "a norm under the limit leaves gradients unchanged")
    }

    /// A long gradient (SIMD body and tail) of 100 elements of 0.5 has norm 5.
    @Test func clippingNormOfLongGradient() {
        let p = Parameter(name: "p", value: Matrix(rows: 4, columns: 25))
        p.gradient = Matrix(rows: 4, columns: 25, repeating: 0.5)
        #expect(abs(clipGradientNorm([p], maxNorm: 1) - 5) < 1e-6)
        #expect(p.gradient.storage.allSatisfy { abs($0 - 0.1) < 1e-6 })
    }

    @Test func nonFiniteNormLeavesGradientsForTheCaller() {
        let p = Parameter(name: "p", value: Matrix(rows: 1, columns: 3))
        p.gradient = Matrix([[1, .nan, 2]])
        #expect(clipGradientNorm([p], maxNorm: 1).isNaN)
        #expect(p.gradient[0, 0] == 1 && p.gradient[0, 2] == 2)
    }

    /// Three Gaussian blobs in 4-D (60 points, centres ±2 apart): a small ReLU network trained for
    /// 100 full-batch steps with each optimizer (the loop of ``Optimizer``'s documentation) classifies
    /// at least 95 % of the points.
    @Test(arguments: ["sgd", "adam", "adamw"])
    func everyOptimizerTrainsASmallNetwork(_ kind: String) throws {
        var rng = Xoshiro256StarStar(seed: 51)
        let centres: [[Float]] = [[2, 0, 0, 2], [-2, 2, 0, 0], [0, -2, 2, -2]]
        let labels = (0..<60).map { $0 % 3 }
        let features = Matrix(rows: 60, columns: 4) { r, c in centres[labels[r]][c] + Float(rng.nextNormal()) * 0.7 }
        let model = Sequential([Linear(4, 16, using: &rng), Activation(.relu), Linear(16, 3, using: &rng)])
        let optimizer: any Optimizer = switch kind {
        case "sgd": try SGD(parameters: model.parameters, learningRate: 0.05, momentum: 0.9)
        case "adam": try Adam(parameters: model.parameters, learningRate: 0.01)
        default: try AdamW(parameters: model.parameters, learningRate: 0.01)
        }
        let tape = Tape<Float>()
        for _ in 0..<100 {
            tape.reset()
            optimizer.zeroGradients()
            let logits = model.forward(tape.input(features), on: tape, mode: .training)
            tape.backward(tape.softmaxCrossEntropy(logits, labels: labels))
            clipGradientNorm(optimizer.parameters, maxNorm: 5)
            optimizer.step()
        }
        tape.reset()
        let scores = tape.matrix(model.forward(tape.input(features), on: tape, mode: .inference))
        let correct = (0..<60).filter { r in (0..<3).max { scores[r, $0] < scores[r, $1] } == labels[r] }.count
        #expect(correct >= 57, "\(kind): \(correct)/60 correct")
    }
}
