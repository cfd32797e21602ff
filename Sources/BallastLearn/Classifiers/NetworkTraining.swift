import BallastCore
import BallastNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The training and prediction shared by the neural-network detectors (``MLPClassifier``,
/// ``CNNClassifier``): Adam on softmax cross-entropy (optionally class-weighted) over seeded
/// mini-batches, a stratified validation split with early stopping that restores the best epoch's
/// weights, and the trainer's progress bar.
struct NetworkTraining: Sendable {
    /// Dropout rate, in [0, 0.95).
    var dropout: Double
    /// Adam's learning rate.
    var learningRate: Double
    /// Maximum passes over the training rows.
    var epochs: Int
    /// Rows per mini-batch.
    var batchSize: Int
    /// Fraction of rows held out (stratified) for validation; 0 trains on every row.
    var validationFraction: Double
    /// Epochs without a lower validation loss before stopping; `nil` runs every epoch.
    var patience: Int?
    /// Whether the trainer draws a progress bar.
    var progress: ProgressDisplay

    /// Checks the hyperparameters, naming each by its catalogue key.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)``.
    func validate() throws {
        func invalid(_ name: String, _ value: Any, _ expected: String) -> LearnError {
            .invalidParameter(name: name, value: "\(value)", expected: expected)
        }
        guard dropout >= 0 && dropout < 0.95 else { throw invalid("dropout", dropout, "a rate in [0, 0.95)") }
        guard learningRate > 0 && learningRate.isFinite else { throw invalid("lr", learningRate, "a finite rate > 0") }
        guard epochs >= 1 else { throw invalid("epochs", epochs, "≥ 1") }
        guard batchSize >= 1 else { throw invalid("batch", batchSize, "≥ 1") }
        guard validationFraction >= 0 && validationFraction <= 0.5 else {
            throw invalid("validation", validationFraction, "a fraction in [0, 0.5]")
        }
        if let patience, patience < 1 { throw invalid("patience", patience, "≥ 1 (or none)") }
    }

    /// Trains `network` (which maps `batch × features` rows to class logits) on `data`.
    /// - Parameters:
    ///   - network: the freshly initialized network; its weights are left at the best epoch's.
    ///   - data: validated training rows.
    ///   - weights: one loss weight per class.
    ///   - rng: draws the validation split and the batch order.
    /// - Returns: the training history.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)``; a diverging loss is reported
    ///   as the `lr` parameter.
    ///   - validationLogits: the network's inference-mode logits without a tape (its current
    ///     weights), when the network has such a path; the validation rows are then scored by it
    ///     rather than by a forward pass on the tape.
    func train(_ network: any Layer, on data: LabeledMatrix, classWeights weights: [Float],
               validationLogits: ((Matrix) -> Matrix)? = nil,
               using rng: inout some RandomNumberGenerator) throws -> TrainingHistory {
        let optimizer = try Adam(parameters: network.parameters, learningRate: Float(learningRate))
        let trainer = Trainer(epochs: epochs, batchSize: batchSize, validationFraction: validationFraction,
                              patience: patience, progress: progress)
        var batchLabels: [Int] = []
        let features = data.features, labels = data.labels
        let validate: ((Tape<Float>, [Int]) throws -> ValidationScore)?
        if validationFraction == 0 {
            validate = nil
        } else if let validationLogits {
            validate = { _, rows in
                Self.score(logits: validationLogits(features.gatherRows(rows)), labels: rows.map { labels[$0] }, weights: weights)
            }
        } else {
            validate = { tape, rows in Self.score(network, features: features, labels: labels, rows: rows, weights: weights, tape: tape) }
        }
        do {
            return try trainer.fit(
                rowCount: data.count, labels: labels, state: network.buffers, optimizer: optimizer, using: &rng,
                batchLoss: { tape, rows in
                    let x = Self.input(features, rows: rows, on: tape)
                    batchLabels.removeAll(keepingCapacity: true)
                    for r in rows { batchLabels.append(labels[r]) }
                    return tape.softmaxCrossEntropy(network.forward(x, on: tape, mode: .training), labels: batchLabels,
                                                    classWeights: weights)
                },
                validate: validate)
        } catch let error as TrainingError {
            switch error {
            case .nonFiniteLoss, .nonFiniteLossTerm, .nonFiniteValidation:
                throw LearnError.invalidParameter(name: "lr", value: "\(learningRate)", expected: "a smaller learning rate (\(error))")
            case let .invalidParameter(name, value, expected):
                throw LearnError.invalidParameter(name: name, value: value, expected: expected)
            case .lossNotScalar:
                throw error
            }
        }
    }

    /// The rows `rows` of `features` as a tape input, copied straight into the tape's buffer.
    static func input(_ features: Matrix, rows: some Collection<Int>, on tape: Tape<Float>) -> Tensor {
        let m = features.columns
        return features.withUnsafeBufferPointer { source in
            tape.input(rows: rows.count, columns: m) { out in
                guard let dst = out.baseAddress, let src = source.baseAddress else { return }
                for (i, r) in rows.enumerated() { (dst + i * m).update(from: src + r * m, count: m) }
            }
        }
    }

    /// Weighted cross-entropy (PyTorch's weighted mean) and accuracy of the rows, in inference mode,
    /// computed in chunks so memory stays bounded.
    static func score(_ network: any Layer, features: Matrix, labels: [Int], rows: [Int], weights: [Float],
                      tape: Tape<Float>) -> ValidationScore {
        var sums = ScoreSums()
        let chunk = 4096
        for start in stride(from: 0, to: rows.count, by: chunk) {
            let part = rows[start..<min(start + chunk, rows.count)]
            tape.reset()
            let logits = network.forward(input(features, rows: part, on: tape), on: tape, mode: .inference)
            tape.withValue(logits) { z in
                for (i, r) in part.enumerated() { sums.add(z, row: i, classes: logits.columns, label: labels[r], weights: weights) }
            }
        }
        return sums.score(rows: rows.count)
    }

    /// The same score from logits computed elsewhere (`labels[i]` is row `i`'s class).
    static func score(logits: Matrix, labels: [Int], weights: [Float]) -> ValidationScore {
        var sums = ScoreSums()
        logits.withUnsafeBufferPointer { z in
            for i in labels.indices { sums.add(z, row: i, classes: logits.columns, label: labels[i], weights: weights) }
        }
        return sums.score(rows: labels.count)
    }

    /// Running sums of a validation score: weighted and plain cross-entropy, correct rows.
    private struct ScoreSums {
        var weighted = 0.0, totalWeight = 0.0, plain = 0.0, correct = 0

        mutating func add(_ z: UnsafeBufferPointer<Float>, row i: Int, classes k: Int, label: Int, weights: [Float]) {
            let row = z[(i * k)..<(i * k + k)]
            let top = row.max() ?? 0
            let logSum = Double(top) + log(row.reduce(0.0) { $0 + exp(Double($1 - top)) })
            let loss = logSum - Double(z[i * k + label])
            let w = Double(weights[label])
            weighted += w * loss
            totalWeight += w
            plain += loss
            if row.indices.max(by: { row[$0] < row[$1] }) == i * k + label { correct += 1 }
        }

        func score(rows: Int) -> ValidationScore {
            let loss = totalWeight > 0 ? weighted / totalWeight : plain / Double(max(rows, 1))
            return ValidationScore(loss: loss, metric: Double(correct) / Double(max(rows, 1)))
        }
    }

    /// Class probabilities of every row (softmax of the logits, inference mode), in chunks of
    /// `chunk` rows so the tape's memory stays bounded.
    /// - Parameters:
    ///   - network: maps rows to `classes` logits.
    ///   - features: validated rows.
    ///   - classes: number of classes.
    ///   - chunk: rows per forward pass.
    static func probabilities(_ network: any Layer, features: Matrix, classes k: Int, chunk: Int = 4096) -> Matrix {
        var out = Matrix(rows: features.rows, columns: k)
        guard features.rows > 0 else { return out }
        let tape = Tape<Float>()
        out.withUnsafeMutableBufferPointer { p in
            for start in stride(from: 0, to: features.rows, by: chunk) {
                let rows = start..<min(start + chunk, features.rows)
                tape.reset()
                let logits = network.forward(input(features, rows: rows, on: tape), on: tape, mode: .inference)
                tape.withValue(logits) { z in
                    softmax(z.baseAddress!, rows: rows.count, classes: k, into: p.baseAddress! + rows.lowerBound * k)
                }
            }
        }
        return out
    }

    /// Row-wise softmax of `rows × classes` logits into `p` (shifted by the row maximum).
    static func softmax(_ z: UnsafePointer<Float>, rows: Int, classes k: Int, into p: UnsafeMutablePointer<Float>) {
        for i in 0..<rows {
            let top = (0..<k).reduce(-Float.infinity) { max($0, z[i * k + $1]) }
            var sum: Float = 0
            for j in 0..<k {
                let e = expf(z[i * k + j] - top)
                p[i * k + j] = e
                sum += e
            }
            for j in 0..<k { p[i * k + j] /= sum }
        }
    }
}
