import BallastCore
import BallastNN
import Testing

@Suite("Trainer")
struct TrainerTests {
    /// y = X·w* + noise, 200 rows × 3 features.
    static let data: (x: Matrix, y: Matrix) = {
        var rng = Xoshiro256StarStar(seed: 3)
        let x = Matrix(rows: 200, columns: 3) { _, _ in Float(rng.nextNormal()) }
        let truth: [Float] = [2, -1, 0.5]
        let y = Matrix(rows: 200, columns: 1) { r, _ in
            (0..<3).reduce(Float(0.1 * rng.nextNormal())) { $0 + x[r, $1] * truth[$1] }
        }
        return (x, y)
    }()

    /// Mean squared error of a linear model on the given rows.
    static func loss(_ w: Parameter, _ tape: Tape<Float>, _ rows: some Collection<Int>) -> Tensor {
        let x = tape.input(data.x.gatherRows(rows))
        let y = tape.input(data.y.gatherRows(rows))
        let e = tape.sub(tape.matmul(x, tape.parameter(w)), y)
        return tape.mean(tape.mul(e, e), axis: nil)
    }

    static func fit(_ trainer: Trainer, seed: UInt64, scripted: [Double]? = nil,
                    afterEpoch: ((EpochRecord, Parameter) -> Void)? = nil) throws -> (TrainingHistory, Parameter) {
        let w = Parameter(name: "w", value: Matrix(rows: 3, columns: 1))
        let optimizer = try SGD(parameters: [w], learningRate: 0.05)
        var rng = Xoshiro256StarStar(seed: seed)
        var validations = 0
        let history = try trainer.fit(
            rowCount: data.x.rows, optimizer: optimizer, using: &rng,
            onEpoch: { afterEpoch?($0, w) },
            batchLoss: { tape, rows in loss(w, tape, rows) },
            validate: { tape, rows in
                let real = tape.withValue(loss(w, tape, rows)) { Double($0[0]) }
                defer { validations += 1 }
                return ValidationScore(loss: scripted.map { $0[min(validations, $0.count - 1)] } ?? real)
            })
        return (history, w)
    }

    @Test("same seed, same history and weights; another seed, another order")
    func determinism() throws {
        let trainer = Trainer(epochs: 4, batchSize: 16, patience: nil, progress: .hidden)
        let (h1, w1) = try Self.fit(trainer, seed: 9)
        let (h2, w2) = try Self.fit(trainer, seed: 9)
        let (h3, w3) = try Self.fit(trainer, seed: 10)
        #expect(h1.epochs == h2.epochs && w1.value == w2.value)
        #expect(h1.epochs != h3.epochs && w1.value != w3.value)
        // It learns: the loss falls and the weights approach the truth.
        #expect(h1.epochs.last?.trainingLoss ?? 1 < 0.1 * (h1.epochs.first?.trainingLoss ?? 0))
        #expect(abs(w1.value[0, 0] - 2) < 0.1 && abs(w1.value[1, 0] + 1) < 0.1)
    }

    @Test("history has one record per epoch with the scheduled learning rate and the split sizes")
    func history() throws {
        let trainer = Trainer(epochs: 5, batchSize: 32, validationFraction: 0.25, patience: nil,
                              schedule: .step(every: 2, factor: 0.5), progress: .hidden)
        let (h, _) = try Self.fit(trainer, seed: 1)
        #expect(h.epochs.map(\.epoch) == [1, 2, 3, 4, 5])
        #expect(h.epochs.map(\.learningRate) == [0.05, 0.05, 0.025, 0.025, 0.0125])
        #expect(h.epochs.allSatisfy { $0.validationLoss != nil })
        #expect(h.trainingRows == 150 && h.validationRows == 50 && h.bestEpoch == 5 && !h.stoppedEarly)
        #expect(h.epochSeconds.count == 5)
    }

    @Test("early stopping stops after `patience` epochs without improvement and restores the best epoch")
    func earlyStopping() throws {
        // Validation losses: best at epoch 3, then worse for 2 epochs → stop after epoch 5.
        let scripted: [Double] = [5, 4, 3, 3.5, 3.2, 1, 1]
        var weightsAfter: [Int: Matrix] = [:]
        let trainer = Trainer(epochs: 7, batchSize: 32, patience: 2, progress: .hidden)
        let (h, w) = try Self.fit(trainer, seed: 4, scripted: scripted) { record, w in weightsAfter[record.epoch] = w.value }
        #expect(h.epochs.count == 5 && h.stoppedEarly && h.bestEpoch == 3)
        #expect(h.epochs.map(\.validationLoss) == [5, 4, 3, 3.5, 3.2])
        #expect(w.value == weightsAfter[3] && w.value != weightsAfter[5])
    }

    @Test("a single leftover row joins the last batch; every training row is seen once per epoch")
    func batches() throws {
        var sizes: [Int] = []
        var seen: [Int] = []
        let w = Parameter(name: "w", value: Matrix(rows: 3, columns: 1))
        var rng = Xoshiro256StarStar(seed: 2)
        _ = try Trainer(epochs: 1, batchSize: 64, patience: nil, progress: .hidden).fit(
            rowCount: 193, optimizer: try SGD(parameters: [w], learningRate: 0.01), using: &rng,
            batchLoss: { tape, rows in
                sizes.append(rows.count)
                seen += rows
                return Self.loss(w, tape, rows)
            })
        #expect(sizes == [64, 64, 65])
        #expect(seen.sorted() == Array(0..<193) && seen != Array(0..<193))
    }

    @Test("the validation split is stratified, disjoint from training and covers every row")
    func stratifiedSplit() {
        let labels = Array(repeating: 0, count: 90) + Array(repeating: 1, count: 20) + [2, 2]
        var rng = Xoshiro256StarStar(seed: 5)
        let (training, validation) = Trainer(validationFraction: 0.1).split(rowCount: labels.count, labels: labels, using: &rng)
        #expect(Set(training).isDisjoint(with: validation) && (training + validation).sorted() == Array(0..<labels.count))
        #expect(validation.map { labels[$0] }.sorted() == Array(repeating: 0, count: 9) + [1, 1])
    }

    @Test("a diverging loss and invalid settings throw errors that say what to change")
    func errors() throws {
        let w = Parameter(name: "w", value: Matrix(rows: 3, columns: 1))
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: TrainingError.nonFiniteLoss(epoch: 1, batch: 1, value: .infinity)) {
            try Trainer(epochs: 2, progress: .hidden).fit(
                rowCount: 10, optimizer: try SGD(parameters: [w], learningRate: 0.01), using: &rng,
                batchLoss: { tape, _ in tape.input(Matrix(rows: 1, columns: 1, values: [.infinity])) })
        }
        #expect(throws: TrainingError.invalidParameter(name: "batch", value: "0", expected: "≥ 1")) { try Trainer(batchSize: 0).validate() }
        #expect(throws: TrainingError.self) { try Trainer(validationFraction: 0.95).validate() }
        #expect(Trainer.progressLine(epoch: 2, of: 10, fraction: 0.5, loss: 0.25, validationLoss: 0.3, rowsPerSecond: 12345.4)
                == "epoch 2/10 ██████████░░░░░░░░░░  50% loss 0.2500 val 0.3000 12345 rows/s")
    }
}
