import BallastCore
import BallastNN
import Foundation
import Testing

@Suite struct LossTests {
    static func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns, generator: { _, _ in Float(rng.nextNormal()) })
    }

    @Test func handComputedValues() {
        let tape = Tape<Double>()
        let mse = tape.mseLoss(tape.input(Matrix([[1, 2], [3, 4]])), tape.input(Matrix([[1, 0], [0, 4]])))
        #expect(tape.value(mse) == [(4.0 + 9) / 4])

        // Stable for large logits: log(1 + e^100) would overflow naively.
        let bce = tape.binaryCrossEntropyWithLogits(tape.input(Matrix([[0, 100, -100]])), tape.input(Matrix([[1, 0, 0]])))
        #expect(abs(tape.value(bce)[0] - (log(2) + 100) / 3) < 1e-9)

        // PyTorch's weighted mean: (1·l0 + 3·l1) / (1 + 3).
        let ce = tape.softmaxCrossEntropy(tape.input(Matrix([[2, 0], [0, 0]])), labels: [0, 1], classWeights: [1, 3])
        let l0 = log(1 + exp(-2.0)), l1 = log(2.0)
        #expect(abs(tape.value(ce)[0] - (l0 + 3 * l1) / 4) < 1e-9)

        let kl = tape.gaussianKL(mean: tape.input(Matrix([[1, 0], [0, 0]])), logVariance: tape.input(Matrix([[0, 0], [0, log(2)]])))
        // row 0: ½·1; row 1: ½·(2 − 1 − log 2); averaged over the 2 rows.
        #expect(abs(tape.value(kl)[0] - (0.5 + 0.5 * (1 - log(2))) / 2) < 1e-7)

        let density = tape.standardNormalLogDensity(tape.input(Matrix([[0, 0], [1, 0]])), logDeterminant: tape.input(Matrix([[0.5], [1.5]])))
        #expect(abs(tape.value(density)[0] - (-log(2 * Double.pi) - 0.25 + 1)) < 1e-9)
    }

    @Test func gradientChecks() {
        let a = Self.random(4, 3, seed: 1), b = Self.random(4, 3, seed: 2)
        let targets = Matrix(rows: 4, columns: 3, generator: { r, c in Float((r + c) % 2) })
        var reports: [String: GradientCheck.Report] = [:]
        reports["mse"] = GradientCheck.check(inputs: [a, b]) { t, i in t.mseLoss(i[0], i[1]) }
        reports["bce"] = GradientCheck.check(inputs: [a]) { t, i in t.binaryCrossEntropyWithLogits(i[0], t.input(targets)) }
        reports["ce"] = GradientCheck.check(inputs: [a]) { t, i in t.softmaxCrossEntropy(i[0], labels: [0, 2, 1, 2]) }
        reports["ce weighted"] = GradientCheck.check(inputs: [a]) { t, i in
            t.softmaxCrossEntropy(i[0], labels: [0, 2, 1, 2], classWeights: [0.5, 2, 4])
        }
        reports["kl"] = GradientCheck.check(inputs: [a, b]) { t, i in t.gaussianKL(mean: i[0], logVariance: i[1]) }
        reports["flow"] = GradientCheck.check(inputs: [a, Self.random(4, 1, seed: 3)]) { t, i in
            t.standardNormalLogDensity(i[0], logDeterminant: i[1])
        }
        for (name, report) in reports.sorted(by: { $0.key < $1.key }) {
            #expect(report.passed, "\(name): \(report)")
        }
    }

    @Test func crossEntropyEqualsNegativeLogSoftmaxPick() {
        let tape = Tape<Double>()
        let logits = tape.input(Self.random(3, 4, seed: 4))
        let fused = tape.value(tape.softmaxCrossEntropy(logits, labels: [3, 0, 1]))[0]
        let logp = tape.value(tape.logSoftmax(logits))
        #expect(abs(fused - -(logp[3] + logp[4] + logp[9]) / 3) < 1e-12)
    }
}
