import BallastCore
import BallastNN
import Testing

@Suite struct DropoutTests {
    @Test func inferenceIsTheIdentity() {
        let dropout = Dropout(rate: 0.5, seed: 41)
        let tape = Tape<Float>()
        let x = tape.input(Matrix([[1, 2, 3], [4, 5, 6]]))
        let y = dropout.forward(x, on: tape, mode: .inference)
        #expect(tape.value(y) == [1, 2, 3, 4, 5, 6])
        let none = Dropout(rate: 0, seed: 41).forward(x, on: tape, mode: .training)
        #expect(tape.value(none) == [1, 2, 3, 4, 5, 6])
    }

    /// Over 10,000 ones with rate 0.3, the share of zeros is 0.3 within 0.02 (≈ 4.4 standard
    /// deviations), survivors are 1/0.7, and the mean stays ≈ 1 (inverted dropout).
    @Test func maskRateAndScaling() {
        let dropout = Dropout(rate: 0.3, seed: 42)
        let tape = Tape<Float>()
        let y = tape.value(dropout.forward(tape.input(Matrix(rows: 200, columns: 50, repeating: 1)), on: tape, mode: .training))
        let zeros = y.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 10_000 - 0.3) < 0.02, "\(zeros) zeros")
        #expect(y.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
        #expect(abs(y.reduce(0, +) / 10_000 - 1) < 0.03)
    }

    /// The same seed gives the same masks; consecutive passes draw new ones.
    @Test func masksAreSeeded() {
        let tape = Tape<Float>()
        let x = tape.input(Matrix(rows: 8, columns: 16, repeating: 1))
        let a = Dropout(rate: 0.5, seed: 43), b = Dropout(rate: 0.5, seed: 43)
        let first = tape.value(a.forward(x, on: tape, mode: .training))
        #expect(first == tape.value(b.forward(x, on: tape, mode: .training)))
        #expect(first != tape.value(a.forward(x, on: tape, mode: .training)))
    }

    /// With one fixed mask (a fresh layer with the same seed on every evaluation) the gradient is
    /// the mask.
    @Test func gradientCheck() {
        var rng = Xoshiro256StarStar(seed: 44)
        let x = Matrix(rows: 3, columns: 5, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x]) { tape, inputs in
            Dropout(rate: 0.4, seed: 45).forward(inputs[0], on: tape, mode: .training)
        }
        #expect(report.passed, "\(report)")
    }
}
