import BallastCore
import BallastLearn
import BallastTestSupport
import Foundation
import Testing

@Suite("Logistic regression")
struct LogisticRegressionTests {
    @Test("two symmetric points: the weights solve the penalized optimum computed by hand")
    func goldenSymmetric() throws {
        // Rows x = -1 (class 0) and x = +1 (class 1). By symmetry W = [[-a, a]], b = 0, and the
        // averaged objective is log(1 + e^{-2a}) + a² / (2C); its minimum solves a = 2C / (1 + e^{2a}).
        let data = LabeledMatrix(features: Matrix([[-1], [1]]), labels: [0, 1], classNames: ["a", "b"])
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try LogisticRegressionClassifier(c: 1, tolerance: 1e-8).fit(data, using: &rng)
        var lo = 0.0, hi = 2.0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if mid < 2 / (1 + exp(2 * mid)) { lo = mid } else { hi = mid }
        }
        #expect(abs(Double(model.weights[1]) - lo) < 1e-4)
        #expect(abs(Double(model.weights[0]) + lo) < 1e-4)
        #expect(model.intercepts.allSatisfy { abs($0) < 1e-5 })
        let p = try model.predictProbabilities(Matrix([[1]]))
        #expect(abs(Double(p[0, 1]) - 1 / (1 + exp(-2 * lo))) < 1e-4)
    }

    @Test("separable classes are all predicted correctly")
    func separable() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [40, 40, 40], columns: 3, separation: 8, seed: 5)
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try LogisticRegressionClassifier(c: 10).fit(data, using: &rng)
        #expect(try model.predict(data.features) == data.labels)
        #expect(model.converged)
    }

    @Test("a smaller C shrinks the weights")
    func regularization() throws {
        let data = ClassifierTestData.blobs(seed: 9)
        var rng = Xoshiro256StarStar(seed: 0)
        let strong = try LogisticRegressionClassifier(c: 0.01).fit(data, using: &rng)
        let weak = try LogisticRegressionClassifier(c: 100).fit(data, using: &rng)
        let norm = { (w: [Float]) in w.reduce(0) { $0 + $1 * $1 } }
        #expect(norm(strong.weights) < norm(weak.weights))
        #expect(throws: LearnError.self) { try LogisticRegressionClassifier(c: 0).fit(data, using: &rng) }
    }
}
