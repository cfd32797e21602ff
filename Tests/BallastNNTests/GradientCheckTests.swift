import BallastCore
import BallastNN
import Testing

/// Finite-difference checks (in Double) of every tape op.
@Suite struct GradientCheckTests {
    static func random(_ rows: Int, _ columns: Int, seed: UInt64, offset: Float = 0) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns, generator: { _, _ in Float(rng.nextNormal()) + offset })
    }

    static func positive(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns, generator: { _, _ in 0.5 + 2 * rng.nextUniformFloat() })
    }

    @Test func linearLayer() {
        var rng = Xoshiro256StarStar(seed: 7)
        let layer = Linear(3, 4, using: &rng)
        let x = Matrix(rows: 5, columns: 3, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x], parameters: layer.parameters) { tape, inputs in
            layer.forward(inputs[0], on: tape, mode: .training)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func matmulPlainAndTransposed() {
        let a = Self.random(3, 4, seed: 1), b = Self.random(4, 5, seed: 2), bt = Self.random(5, 4, seed: 3)
        #expect(GradientCheck.check(inputs: [a, b]) { t, i in t.matmul(i[0], i[1]) }.passed)
        let r = GradientCheck.check(inputs: [a, bt]) { t, i in t.matmul(i[0], i[1], transposeB: true) }
        #expect(r.passed, "\(r)")
        let at = Self.random(4, 3, seed: 15)
        let ra = GradientCheck.check(inputs: [at, b]) { t, i in t.matmul(i[0], i[1], transposeA: true) }
        #expect(ra.passed, "\(ra)")
        let rab = GradientCheck.check(inputs: [at, bt]) { t, i in t.matmul(i[0], i[1], transposeA: true, transposeB: true) }
        #expect(rab.passed, "\(rab)")
        // The same tensor as both factors (a Gram matrix) receives both gradients.
        let gram = GradientCheck.check(inputs: [a]) { t, i in t.matmul(i[0], i[0], transposeB: true) }
        #expect(gram.passed, "\(gram)")
    }

    @Test func transposedProductsHaveTheirValues() {
        // [1 2; 3 4]ᵀ · [1 0; 1 1]ᵀ = [1 3; 2 4] · [1 1; 0 1] = [1 4; 2 6].
        let tape = Tape<Float>()
        let a = tape.input(Matrix([[1, 2], [3, 4]])), b = tape.input(Matrix([[1, 0], [1, 1]]))
        #expect(tape.value(tape.matmul(a, b, transposeA: true, transposeB: true)) == [1, 4, 2, 6])
        #expect(tape.value(tape.matmul(a, b, transposeA: true)) == [4, 3, 6, 4])
    }

    @Test func broadcastToEveryShape() {
        for shape in [(1, 3), (4, 1), (1, 1)] {
            let r = GradientCheck.check(inputs: [Self.random(shape.0, shape.1, seed: 16)]) { t, i in t.broadcast(i[0], rows: 4, columns: 3) }
            #expect(r.passed, "broadcast \(shape): \(r)")
        }
        let tape = Tape<Float>()
        #expect(tape.value(tape.broadcast(tape.input(Matrix([[1], [2]])), rows: 2, columns: 3)) == [1, 1, 1, 2, 2, 2])
    }

    @Test(arguments: [BinaryFunction.add, .subtract, .multiply, .divide])
    func binaryWithEveryBroadcast(_ f: BinaryFunction) {
        let a = Self.random(3, 4, seed: 4)
        for bShape in [(3, 4), (1, 4), (3, 1), (1, 1)] {
            let b = Self.positive(bShape.0, bShape.1, seed: 5)
            let r = GradientCheck.check(inputs: [a, b]) { t, i in t.apply(f, i[0], i[1]) }
            #expect(r.passed, "\(f) with b \(bShape): \(r)")
        }
    }

    @Test func broadcastOperandFirstForCommutativeOps() {
        let row = Self.random(1, 4, seed: 6), a = Self.random(3, 4, seed: 7)
        #expect(GradientCheck.check(inputs: [row, a]) { t, i in t.mul(i[0], i[1]) }.passed)
        #expect(GradientCheck.check(inputs: [row, a]) { t, i in t.add(i[0], i[1]) }.passed)
    }

    @Test(arguments: [
        UnaryFunction.exp, .tanh, .sigmoid, .softplus, .relu, .leakyReLU(slope: 0.1), .elu(alpha: 0.7),
        .clamp(min: -0.5, max: 0.5), .power(2), .power(3), .negate, .scale(-1.5), .shift(2),
        .quadratic(constant: 0.5, linear: -1, square: 2),
    ])
    func unaryOnAnyReals(_ f: UnaryFunction) {
        let r = GradientCheck.check(inputs: [Self.random(3, 5, seed: 8)]) { t, i in t.apply(f, i[0]) }
        #expect(r.passed, "\(f): \(r)")
    }

    @Test(arguments: [UnaryFunction.log, .sqrt, .power(0.5), .power(-1.3)])
    func unaryOnPositiveReals(_ f: UnaryFunction) {
        let r = GradientCheck.check(inputs: [Self.positive(3, 5, seed: 9)]) { t, i in t.apply(f, i[0]) }
        #expect(r.passed, "\(f): \(r)")
    }

    @Test func sumAndMeanOverEachAxis() {
        let a = Self.random(4, 3, seed: 10)
        for axis in [Axis.rows, .columns, nil] {
            #expect(GradientCheck.check(inputs: [a]) { t, i in t.sum(i[0], axis: axis) }.passed)
            #expect(GradientCheck.check(inputs: [a]) { t, i in t.mean(t.exp(i[0]), axis: axis) }.passed)
        }
    }

    @Test func shapeOps() {
        let a = Self.random(4, 3, seed: 11), b = Self.random(4, 2, seed: 12)
        #expect(GradientCheck.check(inputs: [a, b]) { t, i in t.concat([i[0], i[1], i[0]]) }.passed)
        #expect(GradientCheck.check(inputs: [a, b]) { t, i in t.concat(i[1], i[0]) }.passed)
        #expect(GradientCheck.check(inputs: [a]) { t, i in t.slice(i[0], columns: 1..<3) }.passed)
        #expect(GradientCheck.check(inputs: [a]) { t, i in t.slice(i[0], rows: 1..<3) }.passed)
        #expect(GradientCheck.check(inputs: [a]) { t, i in t.gatherRows(i[0], [2, 0, 2, 3, 2]) }.passed)
        #expect(GradientCheck.check(inputs: [a]) { t, i in t.mul(t.reshape(i[0], rows: 2, columns: 6), t.reshape(i[0], rows: 2, columns: 6)) }.passed)
    }

    @Test func rowWiseOps() {
        let a = Self.random(4, 5, seed: 13)
        let r1 = GradientCheck.check(inputs: [a]) { t, i in t.logSoftmax(i[0]) }
        #expect(r1.passed, "\(r1)")
        let r2 = GradientCheck.check(inputs: [a]) { t, i in t.rowMax(i[0]) }
        #expect(r2.passed, "\(r2)")
    }

    @Test func aBrokenGradientIsCaught() {
        // The check must be able to fail: detach hides x from the backward pass of x·x, so the
        // analytic gradient is half the true one.
        let report = GradientCheck.check(inputs: [Self.random(2, 2, seed: 14, offset: 1)]) { t, i in
            t.mul(i[0], t.detach(i[0]))
        }
        #expect(!report.passed)
    }
}
