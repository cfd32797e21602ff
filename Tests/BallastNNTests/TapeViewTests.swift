import BallastCore
import BallastNN
import Foundation
import Testing

/// `reshape` is a view: it shares its operand's value and gradient buffer. These tests build graphs
/// where the shared buffer is written through several names, in both orders, and by kernels that
/// overwrite (a GEMM with `beta = 0`) as well as ones that add, and compare with the gradients
/// written out by hand.
@Suite struct TapeViewTests {
    @Test func aReshapeCopiesNothingAndItsGradientIsItsOperands() {
        // loss = Σ (reshape(x) ⊙ c) + Σ 2x: each element of x gets c + 2 (in row-major order).
        let tape = Tape<Double>()
        let x = tape.input(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6], requiresGradient: true)
        let r = tape.reshape(x, rows: 3, columns: 2)
        #expect(tape.value(r) == [1, 2, 3, 4, 5, 6])
        let c = tape.input(rows: 3, columns: 2, values: [10, 20, 30, 40, 50, 60])
        tape.backward(tape.add(tape.sum(tape.mul(r, c), axis: nil), tape.sum(tape.mul(x, scalar: 2), axis: nil)))
        #expect(tape.gradient(x) == [12, 22, 32, 42, 52, 62])
        #expect(tape.gradient(r) == [12, 22, 32, 42, 52, 62])
    }

    @Test func overwritingKernelsDoNotWipeWhatAnotherNameAdded() {
        // x (4×2) is used by a matmul directly (its input gradient is written by a GEMM that may
        // overwrite) and, through a view, by an element-wise op recorded later (so reached first in
        // the backward pass). Both contributions must survive, in either recording order.
        let w = Matrix([[1, 2, 3], [4, 5, 6]])
        let xs: [Double] = [0.5, -1, 2, 0.25, -0.5, 1.5, 3, -2]
        for viewFirst in [false, true] {
            let tape = Tape<Double>()
            let x = tape.input(rows: 4, columns: 2, values: xs, requiresGradient: true)
            let wt = tape.input(w)
            var terms: [Tensor] = []
            func viaView() { terms.append(tape.sum(tape.mul(tape.reshape(x, rows: 2, columns: 4), scalar: 3), axis: nil)) }
            func direct() { terms.append(tape.sum(tape.matmul(x, wt), axis: nil)) }
            if viewFirst { viaView(); direct() } else { direct(); viaView() }
            tape.backward(tape.add(terms[0], terms[1]))
            // d/dx of Σ x·W is each row's Σ_j W[c, j] (6 and 15); the view adds 3 everywhere.
            #expect(tape.gradient(x) == [9, 18, 9, 18, 9, 18, 9, 18], "view recorded first: \(viewFirst)")
        }
    }

    @Test func viewsOfViewsAndRepeatedBackwardCallsStartFromZero() {
        let tape = Tape<Double>()
        let x = tape.input(rows: 2, columns: 2, values: [1, 2, 3, 4], requiresGradient: true)
        let v = tape.reshape(tape.reshape(x, rows: 4, columns: 1), rows: 1, columns: 4)
        let loss = tape.sum(tape.mul(v, v), axis: nil)  // d/dx = 2x
        tape.backward(loss)
        tape.backward(loss)  // recomputed from zero, not doubled
        #expect(tape.gradient(x) == [2, 4, 6, 8])
        #expect(GradientCheck.check(inputs: [Matrix([[0.3, -0.7], [1.1, 0.2]])]) { t, i in
            let flat = t.reshape(t.reshape(i[0], rows: 4, columns: 1), rows: 1, columns: 4)
            return t.add(t.sum(t.tanh(flat), axis: nil), t.sum(t.mul(i[0], i[0]), axis: nil))
        }.passed)
    }

    /// ReLU, row max (max pooling), channel batch norm and binary ops (their first operand) write
    /// their input's gradient instead of adding to it when theirs is the first contribution (no
    /// separate zeroing pass). Another use of
    /// the same input, recorded before or after them, must still add its share; and the result must
    /// equal the plain accumulate-into-zeros kernels. Sizes span several parallel pieces.
    @Test(arguments: [(rows: 3, channels: 2, length: 4), (rows: 64, channels: 8, length: 130)])
    func firstWriteKernelsKeepWhatAnotherUseAdded(rows: Int, channels: Int, length: Int) {
        var rng = Xoshiro256StarStar(seed: UInt64(rows))
        let columns = channels * length
        let xs = (0..<(rows * columns)).map { _ in Float(rng.nextNormal()) }
        let ws = (0..<(rows * columns)).map { _ in Float(rng.nextNormal()) }
        /// `Σ kernel(x) ⊙ w` on `tape`, for kernel 0 (ReLU), 1 (row max over pairs), 2 (channel batch
        /// norm), 3 (`x ⊙ x`: both operands of one binary op), 4 (`(x − row) / column`: broadcast operands).
        func kernelLoss(_ op: Int, on tape: Tape<Float>, _ x: Tensor) -> Tensor {
            let w = tape.input(rows: rows, columns: columns, values: ws)
            switch op {
            case 0: return tape.sum(tape.mul(tape.relu(x), w), axis: nil)
            case 1:
                let pairs = rows * columns / 2
                return tape.sum(tape.mul(tape.rowMax(tape.reshape(x, rows: pairs, columns: 2)),
                                         tape.input(rows: pairs, columns: 1, values: Array(ws.prefix(pairs)))), axis: nil)
            case 3: return tape.sum(tape.mul(tape.mul(x, x), w), axis: nil)
            case 4:
                let row = tape.input(rows: 1, columns: columns, values: Array(ws.prefix(columns)))
                let column = tape.input(rows: rows, columns: 1, values: (0..<rows).map { Float($0 % 3) + 0.5 })
                return tape.sum(tape.mul(tape.div(tape.sub(x, row), column), w), axis: nil)
            default:
                var mean = Matrix(rows: 1, columns: channels), variance = Matrix(rows: 1, columns: channels, repeating: 1)
                return tape.sum(tape.mul(tape.batchNormalize(x, runningMean: &mean, runningVariance: &variance, momentum: 0.1,
                                                             epsilon: 1e-5, training: true, length: length), w), axis: nil)
            }
        }
        for otherFirst in [false, true] {
            for op in 0..<5 {
                let tape = Tape<Float>()
                let x = tape.input(rows: rows, columns: columns, values: xs, requiresGradient: true)
                func other() -> Tensor { tape.sum(tape.mul(x, scalar: 3), axis: nil) }
                let terms = otherFirst ? [other(), kernelLoss(op, on: tape, x)] : [kernelLoss(op, on: tape, x), other()]
                tape.backward(tape.add(terms[0], terms[1]))
                let withOther = tape.gradient(x)!
                // The same kernel alone (its gradient written into a fresh buffer), plus 3.
                let alone = Tape<Float>()
                let x2 = alone.input(rows: rows, columns: columns, values: xs, requiresGradient: true)
                alone.backward(kernelLoss(op, on: alone, x2))
                let expected = alone.gradient(x2)!.map { $0 + 3 }
                if op == 3 && !otherFirst {
                    // x ⊙ x adds two shares after the other use's 3 (the newest op's backward runs
                    // first): (3 + s) + s against (s + s) + 3 alone, equal up to rounding.
                    #expect(zip(withOther, expected).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }, "op 3")
                } else {
                    #expect(withOther == expected, "op \(op), other use recorded first: \(otherFirst)")
                }
                // Repeated backward starts from zero again.
                tape.backward(tape.add(terms[0], terms[1]))
                #expect(tape.gradient(x)! == withOther, "op \(op): second backward")
            }
        }
    }

    /// Kernels split their work over the workers; every element is computed the same way wherever
    /// it runs, so a large pass equals the same pass done in small pieces, bit for bit.
    @Test func splitKernelsGiveTheSameBitsAsOnePiece() {
        var rng = Xoshiro256StarStar(seed: 11)
        let rows = 300, columns = 257, n = rows * columns  // above the split grain, odd sizes
        let a = (0..<n).map { _ in Float.random(in: -4...4, using: &rng) }
        let b = (0..<n).map { _ in Float.random(in: 0.5...4, using: &rng) }
        let g = (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }
        // Wake the workers, so that the split is likely to run on them (equal either way).
        Parallel.forEachChunk(0..<64, minimumChunk: 1) { _ in }
        var whole = [Float](repeating: 0, count: n), pieces = whole
        var gradWhole = [Float](repeating: 0.25, count: n), gradPieces = gradWhole
        for f in [UnaryFunction.tanh, .sigmoid, .exp, .relu] {
            Float.unaryForward(f, a, &whole, count: n)
            a.withUnsafeBufferPointer { x in
                pieces.withUnsafeMutableBufferPointer { y in
                    for start in stride(from: 0, to: n, by: 1000) {
                        Float.unaryForward(f, x.baseAddress! + start, y.baseAddress! + start, count: min(1000, n - start))
                    }
                }
            }
            #expect(whole == pieces, "\(f)")
        }
        for f in [BinaryFunction.add, .multiply, .divide] {
            Float.binaryBackward(f, a: a, b: b, out: whole, outputGradient: g, gradientA: &gradWhole, accumulateA: true, gradientB: nil,
                                 rows: rows, columns: columns, broadcast: .none)
            for r in 0..<rows {
                let o = r * columns
                a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in whole.withUnsafeBufferPointer { out in
                    g.withUnsafeBufferPointer { gy in gradPieces.withUnsafeMutableBufferPointer { ga in
                        Float.binaryBackward(f, a: a.baseAddress! + o, b: b.baseAddress! + o, out: out.baseAddress! + o,
                                             outputGradient: gy.baseAddress! + o, gradientA: ga.baseAddress! + o, accumulateA: true, gradientB: nil,
                                             rows: 1, columns: columns, broadcast: .none)
                    } }
                } } }
            }
            #expect(gradWhole == gradPieces, "\(f)")
        }
    }
}
