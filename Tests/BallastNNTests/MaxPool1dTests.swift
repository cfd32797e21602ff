import BallastCore
import BallastNN
import Testing

@Suite struct MaxPool1dTests {
    /// Two channels of length 5, windows of 2: positions 4 is dropped (floor mode).
    /// Channel 0 (1, 3, 2, 5, 4) → (3, 5); channel 1 (−1, −3, 0, 2, 9) → (−1, 2).
    @Test func nonOverlappingWindows() {
        let pool = MaxPool1d(channels: 2, length: 5, kernelSize: 2)
        let tape = Tape<Float>()
        let y = pool.forward(tape.input(Matrix([[1, 3, 2, 5, 4, -1, -3, 0, 2, 9]])), on: tape, mode: .inference)
        #expect(tape.value(y) == [3, 5, -1, 2])
        #expect(pool.outputFeatures == 4 && pool.flopsPerSample() == 4)
    }

    /// Windows of 3 with stride 1 over (1, 3, 2, 5, 4): (3, 5, 5).
    @Test func overlappingWindows() {
        let pool = MaxPool1d(channels: 1, length: 5, kernelSize: 3, stride: 1)
        let tape = Tape<Float>()
        let y = pool.forward(tape.input(Matrix([[1, 3, 2, 5, 4], [0, -1, -2, -3, -4]])), on: tape, mode: .inference)
        #expect(tape.value(y) == [3, 5, 5, 0, -1, -2])
    }

    /// The gradient reaches only the maximum of each window (distinct values, so no ties).
    @Test(arguments: [(2, 2), (3, 1), (3, 2)])
    func gradientCheck(kernel: Int, stride: Int) {
        let pool = MaxPool1d(channels: 2, length: 7, kernelSize: kernel, stride: stride)
        var rng = Xoshiro256StarStar(seed: 21)
        let values = rng.permutation(28).map { Float($0) * 0.37 - 5 }
        let report = GradientCheck.check(inputs: [Matrix(rows: 2, columns: 14, values: values)]) { tape, inputs in
            pool.forward(inputs[0], on: tape, mode: .training)
        }
        #expect(report.passed, "\(report)")
    }
}
