import BallastCore
import BallastNN
import Testing

@Suite struct BatchNorm1dTests {
    /// x = [[1, 2], [3, 6]]: column means [2, 4], biased variances [1, 4], unbiased [2, 8].
    static let x = Matrix([[1, 2], [3, 6]])

    @Test func trainingUsesBatchStatisticsAndMovesRunningOnes() {
        let bn = BatchNorm1d(features: 2)
        bn.scale?.value = Matrix([[2, 0.5]])
        bn.shift?.value = Matrix([[1, -1]])
        let tape = Tape<Double>()
        let y = tape.value(bn.forward(tape.input(Self.x), on: tape, mode: .training))
        let s0 = 1 / (1 + 1e-5).squareRoot(), s1 = 2 / (4 + 1e-5).squareRoot()
        let expected = [2 * -s0 + 1, 0.5 * -s1 - 1, 2 * s0 + 1, 0.5 * s1 - 1]
        #expect(zip(y, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(y)")
        // PyTorch: momentum 0.1 towards the batch mean and the unbiased variance.
        #expect(abs(bn.runningMean.value[0, 0] - 0.2) < 1e-6 && abs(bn.runningMean.value[0, 1] - 0.4) < 1e-6)
        #expect(abs(bn.runningVariance.value[0, 0] - 1.1) < 1e-6 && abs(bn.runningVariance.value[0, 1] - 1.7) < 1e-6)
        #expect(bn.batchesTracked.value[0, 0] == 1)
    }

    @Test func inferenceUsesRunningStatisticsAndLeavesThem() {
        let bn = BatchNorm1d(features: 2)
        bn.runningMean.value = Matrix([[0.2, 0.4]])
        bn.runningVariance.value = Matrix([[1.1, 1.7]])
        let tape = Tape<Float>()
        let y = tape.value(bn.forward(tape.input(Matrix([[1, 2]])), on: tape, mode: .inference))
        #expect(abs(y[0] - 0.8 / (1.1 + 1e-5).squareRoot()) < 1e-5)
        #expect(abs(y[1] - 1.6 / (1.7 + 1e-5).squareRoot()) < 1e-5)
        #expect(bn.runningMean.value == Matrix([[0.2, 0.4]]) && bn.batchesTracked.value[0, 0] == 0)
    }

    @Test(arguments: [Mode.training, .inference])
    func gradientCheck(_ mode: Mode) {
        var rng = Xoshiro256StarStar(seed: 21)
        let bn = BatchNorm1d(features: 3)
        bn.scale?.value = Matrix(rows: 1, columns: 3, generator: { _, _ in 1 + Float(rng.nextNormal()) })
        bn.shift?.value = Matrix(rows: 1, columns: 3, generator: { _, _ in Float(rng.nextNormal()) })
        bn.runningVariance.value = Matrix([[0.5, 2, 1.5]])
        let x = Matrix(rows: 5, columns: 3, generator: { _, _ in Float(rng.nextNormal()) })
        let report = GradientCheck.check(inputs: [x], parameters: bn.parameters) { tape, inputs in
            bn.forward(inputs[0], on: tape, mode: mode)
        }
        #expect(report.passed, "\(report)")
    }

    @Test func sizeAndCost() {
        let bn = BatchNorm1d(features: 256)
        #expect(bn.parameterCount == 512)
        #expect(bn.flopsPerSample() == 4 * 256)
        #expect(bn.buffers.map(\.name) == ["batchnorm.running_mean", "batchnorm.running_var", "batchnorm.num_batches_tracked"])
        #expect(bn.buffers.map(\.shape) == [[256], [256], []])
    }
}

@Suite struct ConditionalBatchNorm1dTests {
    @Test func eachRowTakesItsClassScaleAndShift() {
        let cbn = ConditionalBatchNorm1d(features: 2, classes: 2)
        cbn.scale.value = Matrix([[1, 1], [2, 3]])
        cbn.shift.value = Matrix([[0, 0], [10, 20]])
        let tape = Tape<Double>()
        let y = tape.value(cbn.forward(tape.input(BatchNorm1dTests.x), labels: [0, 1], on: tape, mode: .training))
        let s0 = 1 / (1 + 1e-5).squareRoot(), s1 = 2 / (4 + 1e-5).squareRoot()
        let expected = [-s0, -s1, 2 * s0 + 10, 3 * s1 + 20]
        #expect(zip(y, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(y)")
        #expect(abs(cbn.normalization.runningMean.value[0, 1] - 0.4) < 1e-6)
    }

    @Test func gradientCheckOverClassTables() {
        var rng = Xoshiro256StarStar(seed: 22)
        let cbn = ConditionalBatchNorm1d(features: 3, classes: 3)
        cbn.scale.value = Matrix(rows: 3, columns: 3, generator: { _, _ in 1 + Float(rng.nextNormal()) })
        cbn.shift.value = Matrix(rows: 3, columns: 3, generator: { _, _ in Float(rng.nextNormal()) })
        let x = Matrix(rows: 6, columns: 3, generator: { _, _ in Float(rng.nextNormal()) })
        let labels = [2, 0, 2, 1, 0, 2]
        for mode in [Mode.training, .inference] {
            let report = GradientCheck.check(inputs: [x], parameters: cbn.parameters) { tape, inputs in
                cbn.forward(inputs[0], labels: labels, on: tape, mode: mode)
            }
            #expect(report.passed, "\(mode): \(report)")
        }
    }

    @Test func sizeAndCost() {
        let cbn = ConditionalBatchNorm1d(features: 256, classes: 5)
        #expect(cbn.parameterCount == 2 * 5 * 256)
        #expect(cbn.flopsPerSample() == 4 * 256)
    }
}
