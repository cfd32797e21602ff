import BallastCore
import BallastNN
import Testing

/// The fused recurrence (`Tape.lstmSequence`) against the per-step ops it replaced in `LSTM`:
/// `slice`, `linear`, `add` and `lstmCell` for every step. Both run on one tape from the same
/// inputs; values and all three gradients must be equal bit for bit (signed zeros included), not
/// merely close, because the fused op keeps the replaced ops' floating-point order.
@Suite struct LSTMSequenceTests {
    struct Case: CustomStringConvertible, Sendable {
        var steps: Int, hidden: Int, rows: Int, sequence: Bool, reversed: Bool
        /// Also use the input gates elsewhere, recorded after the recurrence, so its backward step
        /// finds their gradient already written and must add to it.
        var inputGatesReused = false
        var description: String {
            "\(rows) rows, \(steps) steps, h \(hidden), \(sequence ? (reversed ? "reversed sequence" : "sequence") : "last")"
                + (inputGatesReused ? ", input gates reused" : "")
        }
    }

    static let cases: [Case] = [
        Case(steps: 1, hidden: 3, rows: 4, sequence: false, reversed: false),
        Case(steps: 5, hidden: 4, rows: 7, sequence: false, reversed: false),
        Case(steps: 5, hidden: 4, rows: 7, sequence: true, reversed: false),
        Case(steps: 4, hidden: 3, rows: 6, sequence: true, reversed: true),
        Case(steps: 30, hidden: 16, rows: 130, sequence: false, reversed: false),  // enough rows to split over threads
        Case(steps: 1, hidden: 5, rows: 3, sequence: true, reversed: true),
        Case(steps: 3, hidden: 12, rows: 9, sequence: true, reversed: false),  // a full and a partial group of eight lanes
        // Parts of these cross the GEMM size thresholds (24³ and 64³ multiply-adds) that the whole
        // product does not: each part must still run the whole product's algorithm.
        Case(steps: 10, hidden: 16, rows: 20, sequence: false, reversed: false),
        Case(steps: 4, hidden: 8, rows: 100, sequence: false, reversed: false),
        Case(steps: 5, hidden: 32, rows: 64, sequence: true, reversed: false),
        Case(steps: 6, hidden: 5, rows: 3, sequence: false, reversed: false, inputGatesReused: true),
        Case(steps: 6, hidden: 5, rows: 3, sequence: true, reversed: true, inputGatesReused: true),
    ]

    /// The recurrence written out step by step, as `LSTM.forward` built it before the fused op.
    static func composed(_ tape: Tape<Float>, inputGates: Tensor, weight: Tensor, bias: Tensor, c: Case) -> Tensor {
        let g = 4 * c.hidden
        var hidden: Tensor? = nil, cell: Tensor? = nil, outputs: [Tensor] = []
        for t in 0..<c.steps {
            let fromInput = c.steps == 1 ? inputGates : tape.slice(inputGates, columns: t * g ..< (t + 1) * g)
            let gates = if let hidden { tape.add(fromInput, tape.linear(hidden, weight: weight, bias: bias)) }
                else { tape.add(fromInput, bias) }
            (hidden, cell) = tape.lstmCell(gates: gates, cell: cell)
            outputs.append(hidden!)
        }
        return c.sequence ? tape.concat(c.reversed ? outputs.reversed() : outputs) : hidden!
    }

    /// Runs one way (`fused` or not) on a fresh tape: the output and the gradients of the input
    /// gates, the recurrent weight and the recurrent bias under a random linear loss.
    static func run(_ c: Case, fused: Bool) -> (output: [Float], inputGates: [Float], weight: [Float], bias: [Float]) {
        var rng = Xoshiro256StarStar(seed: UInt64(c.steps * 1000 + c.hidden * 10 + c.rows))
        func random(_ rows: Int, _ columns: Int, scale: Double = 1) -> [Float] {
            (0..<(rows * columns)).map { _ in Float(scale * rng.nextNormal()) }
        }
        let h = c.hidden, width = c.sequence ? c.steps * h : h
        let gatesValues = random(c.rows, c.steps * 4 * h), weightValues = random(4 * h, h, scale: 0.5)
        let biasValues = random(1, 4 * h, scale: 0.5), lossWeights = random(c.rows, width), reuseWeights = random(c.rows, c.steps * 4 * h)
        let tape = Tape<Float>()
        let inputGates = tape.input(rows: c.rows, columns: c.steps * 4 * h, values: gatesValues, requiresGradient: true)
        let weight = tape.input(rows: 4 * h, columns: h, values: weightValues, requiresGradient: true)
        let bias = tape.input(rows: 1, columns: 4 * h, values: biasValues, requiresGradient: true)
        let output = fused
            ? tape.lstmSequence(inputGates: inputGates, steps: c.steps, weight: weight, bias: bias, sequence: c.sequence, reversed: c.reversed)
            : composed(tape, inputGates: inputGates, weight: weight, bias: bias, c: c)
        var loss = tape.sum(tape.mul(output, tape.input(rows: c.rows, columns: width, values: lossWeights)), axis: nil)
        if c.inputGatesReused {
            let other = tape.sum(tape.mul(inputGates, tape.input(rows: c.rows, columns: c.steps * 4 * h, values: reuseWeights)), axis: nil)
            loss = tape.add(loss, other)
        }
        tape.backward(loss)
        return (tape.value(output), tape.gradient(inputGates) ?? [], tape.gradient(weight) ?? [], tape.gradient(bias) ?? [])
    }

    @Test(arguments: cases)
    func equalsTheStepByStepOps(_ c: Case) {
        let fused = Self.run(c, fused: true), reference = Self.run(c, fused: false)
        #expect(fused.output.count == c.rows * (c.sequence ? c.steps * c.hidden : c.hidden))
        func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }
        #expect(bits(fused.output) == bits(reference.output))
        #expect(bits(fused.inputGates) == bits(reference.inputGates))
        #expect(bits(fused.weight) == bits(reference.weight))
        #expect(bits(fused.bias) == bits(reference.bias))
        // The gradients are not all zero (a loss that reached nothing would pass trivially).
        #expect(fused.inputGates.contains { $0 != 0 } && fused.bias.contains { $0 != 0 })
        #expect(c.steps == 1 || fused.weight.contains { $0 != 0 })
    }

    /// Finite differences in Double, through every operand.
    @Test(arguments: [false, true])
    func gradientCheck(sequence: Bool) {
        var rng = Xoshiro256StarStar(seed: 21)
        let gates = Matrix(rows: 3, columns: 3 * 8, generator: { _, _ in Float(rng.nextNormal()) })
        let weight = Matrix(rows: 8, columns: 2, generator: { _, _ in Float(0.5 * rng.nextNormal()) })
        let bias = Matrix(rows: 1, columns: 8, generator: { _, _ in Float(0.5 * rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [gates, weight, bias]) { tape, inputs in
            tape.lstmSequence(inputGates: inputs[0], steps: 3, weight: inputs[1], bias: inputs[2], sequence: sequence, reversed: sequence)
        }
        #expect(report.passed, "\(report)")
    }

    /// No rows: an empty output, and the backward pass has nothing to do.
    @Test func emptyBatch() {
        let tape = Tape<Float>()
        let inputGates = tape.input(rows: 0, columns: 2 * 8, values: [], requiresGradient: true)
        let weight = tape.input(rows: 8, columns: 2, values: [Float](repeating: 0.1, count: 16), requiresGradient: true)
        let bias = tape.input(rows: 1, columns: 8, values: [Float](repeating: 0.1, count: 8), requiresGradient: true)
        let out = tape.lstmSequence(inputGates: inputGates, steps: 2, weight: weight, bias: bias)
        #expect(out.rows == 0 && out.columns == 2)
        tape.backward(tape.sum(out, axis: nil))
        #expect(tape.gradient(weight) == [Float](repeating: 0, count: 16))
    }
}
