import BallastCore
import BallastData
@testable import BallastLearn
import BallastNN
import BallastTestSupport
import Foundation
import Testing

/// The parts of `ssflow`: the FlowGMM network's gradients and log-determinant, EM priors,
/// pseudo-label selection, the refusal of a class without labels, and the catalogue entry.
@Suite("Semi-supervised flow (ssflow)")
struct SemiSupervisedFlowTests {
    /// A FlowGMM network whose conditioners' last layers are not zero (a fresh flow is the identity,
    /// whose gradients would check nothing).
    static func perturbedNetwork(dimensions: Int = 4, classes: Int = 3, seed: UInt64 = 3) -> FlowGMMNetwork {
        var rng = Xoshiro256StarStar(seed: seed)
        let network = FlowGMMNetwork(shape: CouplingFlowShape(dimensions: dimensions, couplings: 3, hiddenWidths: [5], kind: .affine),
                                     classes: classes, spread: 2, learnMeans: true, using: &rng)
        for p in network.parameters {
            p.value = Matrix(rows: p.value.rows, columns: p.value.columns, generator: { _, _ in Float(0.4 * rng.nextNormal()) })
        }
        return network
    }

    @Test("log p(x) — flow log-determinant included — passes a Double finite-difference gradient check")
    func logDensityGradient() {
        let network = Self.perturbedNetwork()
        var rng = Xoshiro256StarStar(seed: 9)
        let x = Matrix(rows: 3, columns: 4, generator: { _, _ in Float(rng.nextNormal()) })
        let logPriors: [Float] = [log(0.6), log(0.3), log(0.1)]
        let report = GradientCheck.check(inputs: [x], parameters: network.parameters, tolerance: 1e-5) { tape, inputs in
            let (logits, shared) = network.forward(inputs[0], logPriors: FlowGMMNetwork.logPriorInput(logPriors, on: tape), on: tape)
            return FlowGMMNetwork.logDensity(logits: logits, logSoftmax: tape.logSoftmax(logits), shared: shared, on: tape)
        }
        #expect(report.passed, "\(report)")
    }

    @Test("the flow's log-determinant passes a gradient check and equals log |det J| of the numerical Jacobian")
    func logDeterminant() throws {
        let network = Self.perturbedNetwork()
        var rng = Xoshiro256StarStar(seed: 4)
        let x = Matrix(rows: 2, columns: 4, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x], parameters: network.parameters, tolerance: 1e-5) { tape, inputs in
            try! #require(network.flow.forward(inputs[0], on: tape).logDeterminant)
        }
        #expect(report.passed, "\(report)")

        // Central differences of z = f(x) in Double, column by column, then log |det| by elimination.
        let tape = Tape<Double>()
        let d = 4, h = 1e-5
        for r in 0..<x.rows {
            let point = (0..<d).map { Double(x[r, $0]) }
            func f(_ v: [Double]) -> [Double] {
                tape.reset()
                return tape.value(network.flow.forward(tape.input(rows: 1, columns: d, values: v), on: tape).z)
            }
            var jacobian = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
            for j in 0..<d {
                var plus = point, minus = point
                plus[j] += h
                minus[j] -= h
                let (a, b) = (f(plus), f(minus))
                for i in 0..<d { jacobian[i][j] = (a[i] - b[i]) / (2 * h) }
            }
            tape.reset()
            let analytic = try #require(network.flow.forward(tape.input(rows: 1, columns: d, values: point), on: tape).logDeterminant)
            let value = tape.value(analytic)[0]
            #expect(abs(value - Self.logAbsDeterminant(jacobian)) < 1e-6, "row \(r): \(value) vs \(Self.logAbsDeterminant(jacobian))")
        }
    }

    /// log |det A| by Gaussian elimination with partial pivoting.
    static func logAbsDeterminant(_ matrix: [[Double]]) -> Double {
        var a = matrix
        let n = a.count
        var total = 0.0
        for c in 0..<n {
            let pivot = (c..<n).max { abs(a[$0][c]) < abs(a[$1][c]) } ?? c
            a.swapAt(c, pivot)
            total += log(abs(a[c][c]))
            for r in (c + 1)..<n {
                let factor = a[r][c] / a[c][c]
                for j in c..<n { a[r][j] -= factor * a[c][j] }
            }
        }
        return total
    }

    @Test("EM recovers the priors of a synthetic mixture from its components' likelihoods")
    func priorsByEM() {
        var rng = Xoshiro256StarStar(seed: 21)
        let truth = [0.7, 0.2, 0.1], centres = [-2.0, 0.0, 2.5]
        let n = 20_000
        var values: [Float] = []
        for _ in 0..<n {
            let u = rng.nextUniform()
            let c = u < truth[0] ? 0 : (u < truth[0] + truth[1] ? 1 : 2)
            let x = centres[c] + rng.nextNormal()
            for m in centres { values.append(Float(-0.5 * (x - m) * (x - m))) }
        }
        let estimated = ClassPriorEstimation.estimate(logLikelihoods: Matrix(rows: n, columns: 3, values: values),
                                                      initial: [1.0 / 3, 1.0 / 3, 1.0 / 3])
        for (e, t) in zip(estimated, truth) { #expect(abs(e - t) < 0.02, "estimated \(estimated), true \(truth)") }
        #expect(abs(estimated.reduce(0, +) - 1) < 1e-9)
    }

    @Test("adaptive thresholds lower the bar of a rarely predicted class; the cap keeps the most confident rows")
    func pseudoLabels() {
        // 8 confident majority rows, 2 rare-class rows at 0.8.
        var rows: [[Float]] = Array(repeating: [0.99, 0.01], count: 8)
        rows += [[0.2, 0.8], [0.3, 0.7]]
        let p = Matrix(rows)
        let fixed = PseudoLabelSelection(threshold: 0.95, floor: 0.5, adaptive: false).select(p)
        #expect(fixed.labels == Array(repeating: 0, count: 8))
        let adaptive = PseudoLabelSelection(threshold: 0.95, floor: 0.5, adaptive: true).select(p)
        #expect(adaptive.labels.filter { $0 == 1 }.count == 2 && adaptive.thresholds[1] == 0.5 && adaptive.thresholds[0] == 0.95)
        let capped = PseudoLabelSelection(threshold: 0.95, floor: 0.5, adaptive: true, capPerClass: 3).select(p)
        #expect(capped.labels.filter { $0 == 0 }.count == 3 && capped.rows == [0, 1, 2, 8, 9])
    }

    @Test("a labelled set missing a class is refused with an error naming the class")
    func missingClass() {
        let blobs = ClassifierTestData.blobs(rowsPerClass: [30, 20, 10], columns: 4, seed: 2)
        let rows = blobs.labels.indices.filter { blobs.labels[$0] != 2 }
        let partial = blobs.gatherRows(rows)
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: SemiSupervisedError.classWithoutLabels(name: "class2", index: 2)) {
            _ = try SemiSupervisedFlowClassifier(epochs: 1).fit(partial, unlabelled: blobs.features, using: &rng)
        }
        #expect(SemiSupervisedError.classWithoutLabels(name: "class2", index: 2).description.contains("'class2'"))
        #expect(throws: SemiSupervisedError.unlabelledWidthMismatch(expected: 4, found: 3)) {
            _ = try SemiSupervisedFlowClassifier(epochs: 1).fit(blobs, unlabelled: Matrix(rows: 2, columns: 3), using: &rng)
        }
    }

    @Test("catalogue parameters reach the classifier, and bad values are refused by name")
    func catalogue() throws {
        let c = try #require(try Catalog.classifier("ssflow:rounds=1,em=false,adaptive=false,manifold-weight=0,cap=none,widths=32x32") as? SemiSupervisedFlowClassifier)
        #expect(c.rounds == 1 && !c.estimatePriors && !c.selection.adaptive && c.manifoldWeight == 0 && c.capRatio == nil && c.hiddenWidths == [32, 32])
        #expect(c.classWeights == .balanced)
        #expect(throws: CatalogError.self) { try Catalog.classifier("ssflow:threshold=0.4,min-threshold=0.6") }
        #expect(throws: CatalogError.self) { try Catalog.classifier("ssflow:cap=0") }
    }
}
