import BallastCore
import BallastLearn
import BallastTestSupport
import BallastNN
import Foundation
import Testing

/// The coupling flow shared by RealNVP and AE-Flow: invertibility, gradients, and its likelihood.
@Suite("Coupling flow")
struct CouplingFlowTests {
    /// A flow whose last conditioner layers are random instead of zero, so it is not the identity.
    static func randomFlow(_ kind: CouplingKind, dimensions: Int = 5, couplings: Int = 4, seed: UInt64 = 3) -> CouplingFlow {
        var rng = Xoshiro256StarStar(seed: seed)
        let flow = CouplingFlow(shape: CouplingFlowShape(dimensions: dimensions, couplings: couplings, hiddenWidths: [7], kind: kind),
                                name: "flow", using: &rng)
        for layers in flow.conditioners {
            guard let last = layers.last else { continue }
            last.weight.value = Matrix(rows: last.outputs, columns: last.inputs) { _, _ in Float(rng.nextNormal()) * 0.8 }
        }
        return flow
    }

    @Test("the inverse undoes the forward map", arguments: CouplingKind.allCases)
    func inverse(kind: CouplingKind) {
        let flow = Self.randomFlow(kind)
        let x = TestData.normalMatrix(rows: 9, columns: 5, seed: 4)
        let tape = Tape<Float>()
        let (z, _) = flow.forward(tape.input(x), on: tape)
        let zValues = tape.value(z)
        #expect(zip(zValues, x.storage).contains { abs($0 - $1) > 0.05 }, "the flow is not the identity")
        let back = tape.value(flow.inverse(z, on: tape))
        for (a, b) in zip(back, x.storage) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b))) }
    }

    @Test("gradients of the log-likelihood match finite differences", arguments: CouplingKind.allCases)
    func gradients(kind: CouplingKind) {
        let flow = Self.randomFlow(kind, dimensions: 3, couplings: 3)
        let x = TestData.normalMatrix(rows: 4, columns: 3, seed: 5)
        let report = GradientCheck.check(inputs: [x], parameters: flow.parameters) { tape, inputs in
            flow.logLikelihood(inputs[0], on: tape).logLikelihood
        }
        #expect(report.passed, "\(report)")
    }

    @Test("an identity flow's log-likelihood is the standard normal log-density")
    func identityLikelihood() {
        var rng = Xoshiro256StarStar(seed: 1)
        let flow = CouplingFlow(shape: CouplingFlowShape(dimensions: 3, couplings: 2, hiddenWidths: [4], kind: .affine), name: "f", using: &rng)
        let x = Matrix(rows: 2, columns: 3, values: [0, 1, -2, 0.5, 0.5, 3])
        let tape = Tape<Double>()
        let value = tape.value(flow.logLikelihood(tape.input(x), on: tape).logLikelihood)[0]
        // Row log-densities: −1.5·log 2π − ½·5 and −1.5·log 2π − ½·9.5, averaged.
        let expected = -1.5 * 1.8378770664093453 - 0.5 * (5 + 9.5) / 2
        #expect(abs(value - expected) < 1e-9)
    }

    @Test("trained on a correlated Gaussian, the held-out log-likelihood approaches the analytic value")
    func gaussianLikelihood() throws {
        // x = A·e with e ~ N(0, I): log-likelihood per row has expectation −d/2·log 2π − log|det A| − d/2.
        let d = 4
        let a: [Float] = [1.5, 0, 0, 0, 0.9, 0.6, 0, 0, -0.5, 0.3, 0.8, 0, 0.2, -0.4, 0.1, 1.2]
        let logDet = [1.5, 0.6, 0.8, 1.2].reduce(0.0) { $0 + log(Double($1)) }
        let analytic = -Double(d) / 2 * 1.8378770664093453 - logDet - Double(d) / 2
        var rng = Xoshiro256StarStar(seed: 11)
        func sample(_ n: Int) -> Matrix {
            let e = Matrix(rows: n, columns: d) { _, _ in Float(rng.nextNormal()) }
            return Matrix(rows: n, columns: d) { r, i in (0..<d).reduce(0) { $0 + a[i * d + $1] * e[r, $1] } }
        }
        let flow = CouplingFlow(shape: CouplingFlowShape(dimensions: d, couplings: 4, hiddenWidths: [16], kind: .affine), name: "f", using: &rng)
        let adam = try Adam(parameters: flow.parameters, learningRate: 1e-2)
        let tape = Tape<Float>()
        for _ in 0..<600 {
            tape.reset()
            adam.zeroGradients()
            tape.backward(tape.neg(flow.logLikelihood(tape.input(sample(256)), on: tape).logLikelihood))
            adam.step()
        }
        tape.reset()
        let heldOut = Double(tape.value(flow.logLikelihood(tape.input(sample(20_000)), on: tape).logLikelihood)[0])
        #expect(abs(heldOut - analytic) < 0.1, "held-out \(heldOut), analytic \(analytic)")
    }

    @Test("parameter counts come from the shape, and absurd shapes are refused without building")
    func parameterBudget() {
        let shape = CouplingFlowShape(dimensions: 10, couplings: 3, hiddenWidths: [8], kind: .affine)
        var rng = Xoshiro256StarStar(seed: 0)
        #expect(shape.parameterCount == CouplingFlow(shape: shape, name: "f", using: &rng).parameterCount)
        #expect(CouplingFlowShape(dimensions: 65_536, couplings: 64, hiddenWidths: [65_536, 65_536], kind: .affine).parameterCount == nil)
        #expect(CouplingFlowShape(dimensions: 3, couplings: 1_000_000, hiddenWidths: [4], kind: .additive).parameterCount == nil)
    }
}
