import BallastCore
import BallastNN
import Testing

/// Checks of ``Tape/gradient(of:withRespectTo:seed:)`` op by op: the recorded gradient has the
/// value the backward pass computes, and differentiating it (by the tape, through the recorded
/// ops) agrees with finite differences in Double — with respect to the input, every other operand
/// and the seed.
@Suite struct DoubleBackwardTests {
    typealias Op = (Tape<Double>, [Tensor]) -> Tensor

    static func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        GradientCheckTests.random(rows, columns, seed: seed)
    }

    static func positive(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        GradientCheckTests.positive(rows, columns, seed: seed)
    }

    /// The two checks of the recorded gradient of `op` with respect to input `k`, with a random seed.
    static func expectRecordedBackward(_ inputs: [Matrix], wrt k: Int = 0, parameters: [Parameter] = [], _ label: String,
                                       sourceLocation: SourceLocation = #_sourceLocation, _ op: Op) {
        let tape = Tape<Double>()
        let tensors = inputs.map { tape.input($0, requiresGradient: true) }
        let out = op(tape, tensors)
        let seed = random(out.rows, out.columns, seed: 99)
        let s = tape.input(seed)
        let recorded = tape.value(tape.gradient(of: out, withRespectTo: tensors[k], seed: s))
        tape.backward(tape.sum(tape.mul(out, s), axis: nil))
        let expected = tape.gradient(tensors[k]) ?? []
        let firstOrder = zip(recorded, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(recorded.count == expected.count && firstOrder < 1e-12,
                "\(label): recorded gradient differs from backward by \(firstOrder)", sourceLocation: sourceLocation)
        for p in parameters { p.zeroGradient() }

        let report = GradientCheck.check(inputs: inputs + [seed], parameters: parameters) { t, i in
            t.gradient(of: op(t, Array(i.dropLast())), withRespectTo: i[k], seed: i[i.count - 1])
        }
        #expect(report.passed, "\(label): \(report)", sourceLocation: sourceLocation)
    }

    @Test func linearWithRespectToEachOperand() {
        let x = Self.random(5, 3, seed: 1), w = Self.random(4, 3, seed: 2), b = Self.random(1, 4, seed: 3)
        for k in 0..<3 {
            // tanh after the layer makes the second derivative in x non-zero.
            Self.expectRecordedBackward([x, w, b], wrt: k, "linear, operand \(k)") { t, i in
                t.tanh(t.linear(i[0], weight: i[1], bias: i[2]))
            }
        }
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func matmulWithEveryTranspose(_ transposes: (Bool, Bool)) {
        let (ta, tb) = transposes
        let a = ta ? Self.random(4, 3, seed: 4) : Self.random(3, 4, seed: 4)
        let b = tb ? Self.random(5, 4, seed: 5) : Self.random(4, 5, seed: 5)
        for k in 0..<2 {
            Self.expectRecordedBackward([a, b], wrt: k, "matmul \(transposes), operand \(k)") { t, i in
                t.sigmoid(t.matmul(i[0], i[1], transposeA: ta, transposeB: tb))
            }
        }
    }

    @Test func gramMatrixUsesOneTensorTwice() {
        Self.expectRecordedBackward([Self.random(3, 4, seed: 21)], "x · xᵀ") { t, i in
            t.tanh(t.matmul(i[0], i[0], transposeB: true))
        }
    }

    @Test(arguments: [
        UnaryFunction.exp, .tanh, .sigmoid, .softplus, .relu, .leakyReLU(slope: 0.2), .elu(alpha: 0.7),
        .clamp(min: -0.5, max: 0.5), .power(2), .power(3), .negate, .scale(-1.5), .shift(2),
        .quadratic(constant: 0.5, linear: -1, square: 2), .quadratic(constant: 1, linear: 3, square: 0),
    ])
    func unaryOnAnyReals(_ f: UnaryFunction) {
        Self.expectRecordedBackward([Self.random(3, 5, seed: 6)], "\(f)") { t, i in t.apply(f, i[0]) }
    }

    @Test(arguments: [UnaryFunction.log, .sqrt, .power(0.5), .power(-1.3)])
    func unaryOnPositiveReals(_ f: UnaryFunction) {
        Self.expectRecordedBackward([Self.positive(3, 5, seed: 7)], "\(f)") { t, i in t.apply(f, i[0]) }
    }

    @Test(arguments: [BinaryFunction.add, .subtract, .multiply, .divide])
    func binaryWithEveryBroadcast(_ f: BinaryFunction) {
        let a = Self.random(3, 4, seed: 8)
        for shape in [(3, 4), (1, 4), (3, 1), (1, 1)] {
            let b = Self.positive(shape.0, shape.1, seed: 9)
            for k in 0..<2 {
                // Squaring makes every second derivative non-trivial (add and subtract are linear).
                Self.expectRecordedBackward([a, b], wrt: k, "\(f) with b \(shape), operand \(k)") { t, i in
                    t.pow(t.apply(f, i[0], i[1]), 2)
                }
            }
        }
    }

    @Test func broadcastOperandFirst() {
        let row = Self.random(1, 4, seed: 10), a = Self.random(3, 4, seed: 11)
        for k in 0..<2 {
            Self.expectRecordedBackward([row, a], wrt: k, "row · a, operand \(k)") { t, i in t.tanh(t.mul(i[0], i[1])) }
        }
    }

    @Test func reductionsAndBroadcast() {
        let a = Self.random(4, 3, seed: 12)
        for axis in [Axis.rows, .columns, nil] {
            Self.expectRecordedBackward([a], "sum \(String(describing: axis))") { t, i in t.pow(t.sum(i[0], axis: axis), 2) }
            Self.expectRecordedBackward([a], "mean \(String(describing: axis))") { t, i in t.tanh(t.mean(i[0], axis: axis)) }
        }
        for shape in [(1, 3), (4, 1), (1, 1)] {
            let b = Self.random(shape.0, shape.1, seed: 13)
            Self.expectRecordedBackward([b], "broadcast \(shape)") { t, i in t.pow(t.broadcast(i[0], rows: 4, columns: 3), 3) }
        }
    }

    @Test func shapeOps() {
        let a = Self.random(4, 3, seed: 14), b = Self.random(4, 2, seed: 15)
        for k in 0..<2 {
            Self.expectRecordedBackward([a, b], wrt: k, "concat, part \(k)") { t, i in t.tanh(t.concat([i[0], i[1], i[0]])) }
        }
        Self.expectRecordedBackward([a], "slice columns") { t, i in t.pow(t.slice(i[0], columns: 1..<2), 2) }
        Self.expectRecordedBackward([a], "slice rows") { t, i in t.pow(t.slice(i[0], rows: 1..<3), 2) }
        Self.expectRecordedBackward([a], "reshape") { t, i in
            t.mul(t.reshape(i[0], rows: 2, columns: 6), t.tanh(t.reshape(i[0], rows: 2, columns: 6)))
        }
    }

    @Test func rowWiseOps() {
        let a = Self.random(4, 5, seed: 16)
        Self.expectRecordedBackward([a], "logSoftmax") { t, i in t.logSoftmax(i[0]) }
        Self.expectRecordedBackward([a], "rowMax") { t, i in t.pow(t.rowMax(i[0]), 2) }
    }

    /// Gradients of the recorded gradient reach a network's weights: d/dθ of ∇ₓ f(x; θ).
    @Test func smoothNetworkWithParameters() {
        var rng = Xoshiro256StarStar(seed: 17)
        let first = Linear(3, 4, using: &rng), second = Linear(4, 2, using: &rng)
        let x = Self.random(5, 3, seed: 18)
        Self.expectRecordedBackward([x], parameters: first.parameters + second.parameters, "tanh–softplus network") { t, i in
            t.softplus(second.forward(t.tanh(first.forward(i[0], on: t, mode: .training)), on: t, mode: .training))
        }
    }

    /// (x + x) · x = 2x²: both uses of x contribute, in the recorded gradient (4x) and in its own
    /// derivative (4).
    @Test func repeatedUseAccumulates() {
        let tape = Tape<Double>()
        let x = tape.input(rows: 1, columns: 3, values: [1, -2, 0.5], requiresGradient: true)
        let g = tape.gradient(of: tape.mul(tape.add(x, x), x), withRespectTo: x)
        #expect(tape.value(g) == [4, -8, 2])
        tape.backward(tape.sum(g, axis: nil))
        #expect(tape.gradient(x) == [4, 4, 4])
    }

    /// The recorded ops are themselves recordable: the third derivative of tanh, by two nested calls.
    @Test func nestedGradients() {
        let tape = Tape<Double>()
        let values: [Double] = [-1.2, 0.3, 0.9]
        let x = tape.input(rows: 1, columns: 3, values: values, requiresGradient: true)
        let second = tape.gradient(of: tape.gradient(of: tape.tanh(x), withRespectTo: x), withRespectTo: x)
        let expected = values.map { v -> Double in let y = Double.nnTanh(v); return -2 * y * (1 - y * y) }
        #expect(zip(tape.value(second), expected).allSatisfy { abs($0 - $1) < 1e-12 })
        let report = GradientCheck.check(inputs: [Self.random(2, 3, seed: 19)]) { t, i in
            t.gradient(of: t.gradient(of: t.tanh(i[0]), withRespectTo: i[0]), withRespectTo: i[0])
        }
        #expect(report.passed, "\(report)")
    }

    @Test func unrelatedOrEarlierInputGetsZero() {
        let tape = Tape<Float>()
        let x = tape.input(rows: 2, columns: 2, values: [1, 2, 3, 4], requiresGradient: true)
        let y = tape.input(rows: 2, columns: 2, values: [1, 1, 1, 1], requiresGradient: true)
        #expect(tape.value(tape.gradient(of: tape.exp(x), withRespectTo: y)) == [0, 0, 0, 0])
        #expect(tape.value(tape.gradient(of: tape.detach(tape.exp(x)), withRespectTo: x)) == [0, 0, 0, 0])
    }

    @Test func aMissingSecondOrderPathIsCaught() {
        // Recording x ⊙ detach(x) hides x from the recorded gradient's own derivative, so the check
        // must fail: the analytic derivative of the recorded gradient is 0, the numeric one is the seed.
        let report = GradientCheck.check(inputs: [Self.random(2, 3, seed: 20)]) { t, i in
            t.gradient(of: t.mul(i[0], t.detach(i[0])), withRespectTo: i[0])
        }
        #expect(!report.passed)
    }

    @Test func unsupportedOpStopsWithItsName() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let tape = Tape<Float>()
            let x = tape.input(rows: 2, columns: 2, values: [1, 2, 3, 5], requiresGradient: true)
            _ = tape.gradient(of: tape.gatherRows(x, [1, 0]), withRespectTo: x)
        }
        if let result {
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("'gatherRows'"), "\(result.standardErrorContent.count) bytes: \(message.prefix(300))")
        }
    }
}
