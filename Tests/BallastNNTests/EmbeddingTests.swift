import BallastCore
import BallastNN
import Testing

@Suite struct EmbeddingTests {
    @Test func lookupReturnsTableRows() {
        var rng = Xoshiro256StarStar(seed: 31)
        let embedding = Embedding(count: 4, dimension: 3, using: &rng)
        let table = embedding.weight.value
        let tape = Tape<Float>()
        let y = embedding.forward(indices: [2, 0, 2], on: tape)
        #expect(tape.value(y) == table.row(2) + table.row(0) + table.row(2))
        // As a layer: codes (3, 1) in a row become the concatenated vectors.
        let z = embedding.forward(tape.input(Matrix([[3, 1], [0, 0]])), on: tape, mode: .inference)
        #expect(z.rows == 2 && z.columns == 6)
        #expect(tape.value(z) == table.row(3) + table.row(1) + table.row(0) + table.row(0))
        #expect(embedding.parameterCount == 12 && embedding.flopsPerSample() == 0)
    }

    /// A category used twice receives both gradients: loss = Σ of the vectors of (1, 1, 0) gives
    /// gradient 2 on row 1, 1 on row 0 and 0 on the unused rows.
    @Test func repeatedIndicesAccumulate() {
        var rng = Xoshiro256StarStar(seed: 32)
        let embedding = Embedding(count: 3, dimension: 2, using: &rng)
        let tape = Tape<Float>()
        tape.backward(tape.sum(embedding.forward(indices: [1, 1, 0], on: tape), axis: nil))
        #expect(embedding.weight.gradient.storage == [1, 1, 2, 2, 0, 0])
    }

    @Test func gradientCheck() {
        var rng = Xoshiro256StarStar(seed: 33)
        let embedding = Embedding(count: 5, dimension: 3, using: &rng)
        let report = GradientCheck.check(inputs: [], parameters: embedding.parameters) { tape, _ in
            let codes = tape.input(Matrix([[4, 1], [1, 0], [3, 4]]))
            return tape.tanh(embedding.forward(codes, on: tape, mode: .training))
        }
        #expect(report.passed, "\(report)")
    }

    /// Weights start from N(0, 1), as PyTorch's.
    @Test func initializationIsStandardNormal() {
        var rng = Xoshiro256StarStar(seed: 34)
        let w = Embedding(count: 100, dimension: 50, using: &rng).weight.value.storage.map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count)
        let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count)
        #expect(abs(mean) < 0.05 && abs(variance - 1) < 0.05)
    }
}
