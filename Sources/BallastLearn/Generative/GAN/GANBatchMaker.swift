import BallastCore
import BallastNN
import Foundation

/// Draws the real and generated batches of a ``TabularGAN``'s training steps, and the generator's
/// condition loss.
///
/// Without training-by-sampling a step uses the trainer's rows (padded with repeats to a multiple
/// of `pac`), and a conditional network generates rows of the same classes. With it, the step draws
/// its conditions by log-frequency (``ConditionTable``), generates rows for them, and takes real
/// rows matching a shuffled copy of the same conditions from the training split, as the `ctgan`
/// package does.
struct GANBatchMaker {
    /// One step's tensors.
    struct Batch {
        /// `n × features` real rows in the network's space.
        var real: Tensor
        /// Their conditions, or `nil` for an unconditional network.
        var realCondition: Tensor?
        /// The generator's output before its head.
        var raw: Tensor
        /// The generated rows (after `tanh` and Gumbel-softmax).
        var activated: Tensor
        /// The generator's conditions.
        var condition: Tensor?
        /// The drawn conditions (training-by-sampling only).
        var draws: [ConditionTable.Draw]
    }

    let architecture: GANArchitecture
    let labels: [Int]
    let classes: Int
    /// Every row in the network's space.
    let rows: Matrix
    /// Draws noise, conditions and rows.
    var noise: Xoshiro256StarStar
    /// Per discrete column (span order), the category of every row; empty without training-by-sampling.
    var categories: [[Int]] = []
    /// Categories per discrete column.
    var spanWidths: [Int] = []
    /// Where each discrete column's span starts in the generator's output.
    var spanStarts: [Int] = []
    /// Where the class span starts in the generator's output (training-by-sampling), or `nil`.
    var labelStart: Int?
    /// The conditions of the training split (training-by-sampling, after ``prepare(trainingRows:)``).
    private(set) var conditions: ConditionTable?
    private var index: ConditionIndex?

    init(architecture: GANArchitecture, labels: [Int], classes: Int, rows: Matrix, noise: Xoshiro256StarStar) {
        self.architecture = architecture
        self.labels = labels
        self.classes = classes
        self.rows = rows
        self.noise = noise
    }

    /// Indexes the training rows for training-by-sampling.
    mutating func prepare(trainingRows: [Int]) {
        conditions = ConditionTable(labels: labels, categories: categories, rows: trainingRows, classes: classes, spanWidths: spanWidths)
        index = ConditionIndex(labels: labels, categories: categories, rows: trainingRows, classes: classes, spanWidths: spanWidths)
    }

    /// Draws a step's real rows and generates as many rows (training mode).
    /// - Parameters:
    ///   - trainerRows: the trainer's batch (its size sets the step's; its rows are the real rows
    ///     unless conditions are drawn).
    ///   - network: the generator.
    ///   - tape: the step's tape.
    mutating func make(_ trainerRows: ArraySlice<Int>, network: GANNetwork, on tape: Tape<Float>) -> Batch {
        let pac = architecture.pac
        let n = max(pac, (trainerRows.count + pac - 1) / pac * pac)
        var realRows: [Int], draws: [ConditionTable.Draw] = []
        var condition: Tensor?, realCondition: Tensor?
        if let conditions, let index {
            draws = conditions.drawForTraining(n, using: &noise)
            var shuffled = draws
            noise.shuffle(&shuffled)
            if architecture.pac > 1 {
                // PacGAN groups of one class each, for the generated and the real batch alike.
                draws = Self.groupedByClass(draws)
                shuffled = Self.groupedByClass(shuffled)
            }
            realRows = shuffled.map { index.row(for: $0, using: &noise) ?? trainerRows.first ?? 0 }
            condition = conditions.condition(draws, on: tape)
            realCondition = conditions.condition(shuffled, on: tape)
        } else {
            realRows = Array(trainerRows)
            while realRows.count < n { realRows.append(trainerRows[trainerRows.startIndex + noise.nextInt(below: trainerRows.count)]) }
            if architecture.conditionWidth > 0 {
                condition = GeneratorFitting.oneHot(realRows.map { labels[$0] }, classes: classes, on: tape)
                realCondition = condition
            }
        }
        let real = GeneratorFitting.input(rows, rows: realRows, on: tape)
        let z = GeneratorFitting.noise(rows: n, columns: architecture.latent, on: tape, using: &noise)
        let raw = network.generate(z, condition: condition, on: tape, mode: .training)
        let spanWidth = architecture.features - architecture.tanhColumns
        let gumbel = spanWidth == 0 ? nil : tape.input(rows: n, columns: spanWidth) { out in
            for i in out.indices { out[i] = Self.gumbel(using: &noise) }
        }
        return Batch(real: real, realCondition: realCondition, raw: raw, activated: network.activate(raw, gumbel: gumbel, on: tape),
                     condition: condition, draws: draws)
    }

    /// A row joined with its condition, as the critic takes it.
    func joined(_ x: Tensor, _ condition: Tensor?, on tape: Tape<Float>) -> Tensor {
        condition.map { tape.concat(x, $0) } ?? x
    }

    /// CTGAN's condition loss: the cross-entropy between each generated row's logits in its drawn
    /// discrete column and the drawn category, summed over rows and divided by the batch size; plus
    /// the mean cross-entropy of the class span against the drawn class. `nil` without drawn
    /// conditions.
    func conditionLoss(_ batch: Batch, on tape: Tape<Float>) -> Tensor? {
        guard !batch.draws.isEmpty else { return nil }
        var total: Tensor?
        if let labelStart {
            total = tape.softmaxCrossEntropy(tape.slice(batch.raw, columns: labelStart..<(labelStart + classes)),
                                             labels: batch.draws.map(\.classIndex))
        }
        let n = Float(batch.draws.count)
        for s in spanWidths.indices {
            let members = batch.draws.indices.filter { batch.draws[$0].column == s }
            guard !members.isEmpty else { continue }
            let logits = tape.gatherRows(tape.slice(batch.raw, columns: spanStarts[s]..<(spanStarts[s] + spanWidths[s])), members)
            let loss = tape.mul(tape.softmaxCrossEntropy(logits, labels: members.map { batch.draws[$0].category }), scalar: Float(members.count) / n)
            total = total.map { tape.add($0, loss) } ?? loss
        }
        return total
    }

    /// `draws` ordered by class (stable), so that consecutive PacGAN groups hold one class each
    /// except where one class's rows end.
    static func groupedByClass(_ draws: [ConditionTable.Draw]) -> [ConditionTable.Draw] {
        draws.indices.sorted { (draws[$0].classIndex, $0) < (draws[$1].classIndex, $1) }.map { draws[$0] }
    }

    /// A Gumbel(0, 1) draw, `−log(−log u)` with `u` strictly inside (0, 1).
    static func gumbel(using rng: inout some RandomNumberGenerator) -> Float {
        let u = (Double(rng.next() >> 11) + 0.5) * 0x1.0p-53
        return Float(-Foundation.log(-Foundation.log(u)))
    }
}
