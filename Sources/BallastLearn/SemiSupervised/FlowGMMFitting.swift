import BallastCore
import BallastNN

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One fit of a ``SemiSupervisedFlowClassifier``: the standardised rows, the network, the graph and
/// the self-training rounds (see the classifier for the method).
struct FlowGMMFitting {
    let settings: SemiSupervisedFlowClassifier
    let labelled: LabeledMatrix
    let shape: CouplingFlowShape
    /// Per-feature mean and scale of the standardisation (from labelled and unlabelled rows).
    let inputMean: [Float], inputScale: [Float]
    /// Standardised labelled rows.
    let labelledRows: Matrix
    /// Standardised unlabelled rows.
    let unlabelledRows: Matrix
    let network: FlowGMMNetwork

    init(settings: SemiSupervisedFlowClassifier, labelled: LabeledMatrix, unlabelled: Matrix, shape: CouplingFlowShape,
         using rng: inout some RandomNumberGenerator) {
        self.settings = settings
        self.labelled = labelled
        self.shape = shape
        (inputMean, inputScale) = Self.standardisation(of: [labelled.features, unlabelled])
        labelledRows = Self.standardise(labelled.features, mean: inputMean, scale: inputScale)
        unlabelledRows = unlabelled.rows > 0 ? Self.standardise(unlabelled, mean: inputMean, scale: inputScale)
            : Matrix(rows: 0, columns: labelled.features.columns)
        network = FlowGMMNetwork(shape: shape, classes: labelled.classNames.count, spread: settings.meanSpread,
                                 learnMeans: settings.learnMeans, using: &rng)
    }

    /// Column means and standard deviations of the stacked parts (a deviation below 1e-6 becomes 1).
    static func standardisation(of parts: [Matrix]) -> (mean: [Float], scale: [Float]) {
        let d = parts.first?.columns ?? 0
        var sum = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        var n = 0.0
        for part in parts where part.rows > 0 {
            part.withUnsafeBufferPointer { v in
                for r in 0..<part.rows {
                    for j in 0..<d {
                        let x = Double(v[r * d + j])
                        sum[j] += x
                        squares[j] += x * x
                    }
                }
            }
            n += Double(part.rows)
        }
        let mean = sum.map { $0 / max(n, 1) }
        let scale = (0..<d).map { j -> Float in
            let variance = max(0, squares[j] / max(n, 1) - mean[j] * mean[j])
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
        return (mean.map { Float($0) }, scale)
    }

    /// `(x − mean) / scale` column by column.
    static func standardise(_ x: Matrix, mean: [Float], scale: [Float]) -> Matrix {
        var out = x
        let d = x.columns
        out.withUnsafeMutableBufferPointer { v in
            for r in 0..<x.rows { for j in 0..<d { v[r * d + j] = (v[r * d + j] - mean[j]) / scale[j] } }
        }
        return out
    }

    /// Runs the rounds and returns the fitted model.
    mutating func run(using rng: inout some RandomNumberGenerator) throws -> SemiSupervisedFlowModel {
        let k = labelled.classNames.count
        let counts = labelled.classCounts
        let labelledPriors = ClassPriorEstimation.floored(counts.map { Double($0) / Double(labelled.count) })
        var priors = labelledPriors
        let graph = try buildGraph(using: &rng)
        let optimizer = try Adam(parameters: network.parameters, learningRate: Float(settings.learningRate))
        var stepRng = Xoshiro256StarStar(seed: rng.next())
        var pseudo = PseudoLabelSelection.Selection(rows: [], labels: [], thresholds: [])
        var records: [SelfTrainingRound] = []
        let u = unlabelledRows.rows
        let cap = settings.capRatio.map { Int((($0 * Double(u)) / Double(k)).rounded(.up)) }
        var selection = settings.selection
        selection.capPerClass = cap

        for round in 0...settings.rounds {
            let history = try train(pseudo: pseudo, priors: priors, graph: graph, optimizer: optimizer, round: round,
                                    using: &stepRng)
            var record = SelfTrainingRound(round: round, pseudoLabelled: LabeledMatrix.classCounts(of: pseudo.labels, classCount: k),
                                           thresholds: pseudo.thresholds, priors: priors,
                                           finalLoss: history.epochs.last?.trainingLoss ?? 0)
            guard u > 0 else {
                records.append(record)
                break
            }
            let logits = network.logits(unlabelledRows, logPriors: priors.map { Float(log($0)) })
            if settings.estimatePriors {
                // The logits minus log π are log p(x | y) up to a per-row constant.
                var likelihoods = logits
                let logPriors = priors.map { Float(log($0)) }
                likelihoods.withUnsafeMutableBufferPointer { v in
                    for r in 0..<u { for c in 0..<k { v[r * k + c] -= logPriors[c] } }
                }
                priors = ClassPriorEstimation.estimate(logLikelihoods: likelihoods, initial: priors)
                record.estimatedPriors = priors
            }
            records.append(record)
            guard round < settings.rounds, settings.pseudoWeight > 0 else { break }
            let probabilities = SemiSupervisedFlowModel.softmax(settings.estimatePriors
                ? network.logits(unlabelledRows, logPriors: priors.map { Float(log($0)) }) : logits)
            let next = selection.select(probabilities)
            if next.rows == pseudo.rows && next.labels == pseudo.labels { break }
            pseudo = next
        }
        return SemiSupervisedFlowModel(
            classNames: labelled.classNames, featureCount: labelled.features.columns, shape: shape,
            inputMean: inputMean, inputScale: inputScale, logPriors: priors.map { Float(log($0)) },
            labelledPriors: labelledPriors, weights: try Checkpoint.tensors(parameters: network.storedTensors),
            rounds: records, unlabelledCount: u)
    }

    /// The k-nearest-neighbour graph of the labelled rows and a seeded subset of the unlabelled
    /// rows, or `nil` without a manifold term.
    func buildGraph(using rng: inout some RandomNumberGenerator) throws -> NeighbourGraph? {
        guard settings.manifoldWeight > 0 else { return nil }
        let u = unlabelledRows.rows
        var chosen = Array(0..<u)
        if u > settings.graphRows {
            chosen = Array(rng.permutation(u).prefix(settings.graphRows)).sorted()
        }
        let rows = chosen.isEmpty ? labelledRows : Matrix.vstack([labelledRows, unlabelledRows.gatherRows(chosen)])
        let graph = try NeighbourGraph(rows: rows, k: settings.neighbours)
        return graph.edgeCount > 0 ? graph : nil
    }

    /// One round of training on the labelled and pseudo-labelled rows.
    func train(pseudo: PseudoLabelSelection.Selection, priors: [Double], graph: NeighbourGraph?, optimizer: Adam, round: Int,
               using stepRng: inout Xoshiro256StarStar) throws -> TrainingHistory {
        let k = labelled.classNames.count, d = labelledRows.columns
        let supervised = pseudo.rows.isEmpty ? labelledRows : Matrix.vstack([labelledRows, unlabelledRows.gatherRows(pseudo.rows)])
        let labels = labelled.labels + pseudo.labels
        let classWeights = try settings.classWeights.classWeights(labels: labels, classCount: k)
        let rowWeights: [Float] = labels.enumerated().map { i, c in
            Float(classWeights[c] * (i < labelled.count ? 1 : settings.pseudoWeight))
        }
        let s = supervised.rows, u = unlabelledRows.rows
        let logPriors = priors.map { Float(log($0)) }
        let useUnlabelled = u > 0 && settings.unlabelledWeight > 0 && settings.densityWeight > 0
        let edges = graph.map { _ in settings.edgeBatch } ?? 0
        var order = stepRng.permutation(s)
        var cursor = 0
        let noise = Float(settings.noise)
        let densityScale = Float(settings.densityWeight) / Float(d)
        let trainer = Trainer(epochs: settings.epochs, batchSize: settings.batchSize, validationFraction: 0, patience: nil,
                              progress: settings.progress, progressLabel: "ssflow round \(round)")
        var batchRows: [Int] = [], weights: [Float] = []
        var orderRng = Xoshiro256StarStar(seed: stepRng.next())
        do {
            return try trainer.run(
                rowCount: min(settings.epochRows, max(s, u)), lossTerms: ["loss", "classification", "density", "manifold"],
                optimizers: [optimizer], using: &orderRng,
                step: { tape, slice in
                    optimizer.zeroGradients()
                    let b = slice.count
                    batchRows.removeAll(keepingCapacity: true)
                    for _ in 0..<b {
                        batchRows.append(order[cursor])
                        cursor += 1
                        if cursor == s {
                            cursor = 0
                            stepRng.shuffle(&order)
                        }
                    }
                    let ub = useUnlabelled ? b : 0
                    let total = b + ub + 2 * edges
                    var x = [Float](repeating: 0, count: total * d)
                    supervised.withUnsafeBufferPointer { v in
                        for (i, r) in batchRows.enumerated() { for j in 0..<d { x[i * d + j] = v[r * d + j] } }
                    }
                    unlabelledRows.withUnsafeBufferPointer { v in
                        for i in 0..<ub {
                            let r = stepRng.nextInt(below: u)
                            for j in 0..<d { x[(b + i) * d + j] = v[r * d + j] }
                        }
                    }
                    if noise > 0 {
                        for i in 0..<((b + ub) * d) { x[i] += noise * Float(stepRng.nextNormal()) }
                    }
                    if let graph {
                        graph.rows.withUnsafeBufferPointer { v in
                            for e in 0..<edges {
                                let edge = stepRng.nextInt(below: graph.edgeCount)
                                let from = Int(graph.sources[edge]), to = Int(graph.targets[edge])
                                let a = b + ub + e, c = b + ub + edges + e
                                for j in 0..<d {
                                    x[a * d + j] = v[from * d + j]
                                    x[c * d + j] = v[to * d + j]
                                }
                            }
                        }
                    }
                    let input = tape.input(rows: total, columns: d, values: x)
                    let (logits, shared) = network.forward(input, logPriors: FlowGMMNetwork.logPriorInput(logPriors, on: tape), on: tape)
                    let logSoftmax = tape.logSoftmax(logits)
                    // Weighted cross-entropy of the supervised rows (PyTorch's weighted mean).
                    weights = [Float](repeating: 0, count: b * k)
                    var weightSum: Float = 0
                    for (i, r) in batchRows.enumerated() {
                        weights[i * k + labels[r]] = rowWeights[r]
                        weightSum += rowWeights[r]
                    }
                    let classification = tape.mul(tape.sum(tape.mul(tape.slice(logSoftmax, rows: 0..<b),
                                                                    tape.input(rows: b, columns: k, values: weights)), axis: nil),
                                                  scalar: -1 / max(weightSum, 1e-12))
                    var loss = classification
                    var density: Tensor?
                    if densityScale > 0 {
                        let logDensity = FlowGMMNetwork.logDensity(logits: tape.slice(logits, rows: 0..<(b + ub)),
                                                                   logSoftmax: tape.slice(logSoftmax, rows: 0..<(b + ub)),
                                                                   shared: tape.slice(shared, rows: 0..<(b + ub)), on: tape)
                        var term = tape.mul(tape.mean(tape.slice(logDensity, rows: 0..<b), axis: nil), scalar: -densityScale)
                        if ub > 0 {
                            term = tape.add(term, tape.mul(tape.mean(tape.slice(logDensity, rows: b..<(b + ub)), axis: nil),
                                                           scalar: -densityScale * Float(settings.unlabelledWeight)))
                        }
                        density = term
                        loss = tape.add(loss, term)
                    }
                    var manifold: Tensor?
                    if edges > 0 {
                        let p = tape.exp(tape.slice(logSoftmax, rows: (b + ub)..<total))
                        let difference = tape.sub(tape.slice(p, rows: 0..<edges), tape.slice(p, rows: edges..<(2 * edges)))
                        let term = tape.mul(tape.sum(tape.mul(difference, difference), axis: nil),
                                            scalar: Float(settings.manifoldWeight) / Float(edges))
                        manifold = term
                        loss = tape.add(loss, term)
                    }
                    func scalar(_ t: Tensor?) -> Double {
                        guard let t else { return 0 }
                        return tape.withValue(t) { Double($0[0]) }
                    }
                    let value = scalar(loss)
                    let values: [Double] = [value, scalar(classification), scalar(density), scalar(manifold)]
                    guard value.isFinite else { return values }
                    tape.backward(loss)
                    _ = clipGradientNorm(optimizer.parameters, maxNorm: 10)
                    optimizer.step()
                    return values
                })
        } catch let error as TrainingError {
            switch error {
            case .nonFiniteLoss, .nonFiniteLossTerm, .nonFiniteValidation:
                throw LearnError.invalidParameter(name: "lr", value: "\(settings.learningRate)", expected: "a smaller learning rate (\(error))")
            case let .invalidParameter(name, value, expected):
                throw LearnError.invalidParameter(name: name, value: value, expected: expected)
            case .lossNotScalar:
                throw error
            }
        }
    }
}

extension FlowGMMNetwork {
    /// Class logits of standardised rows, in chunks of 4096 rows.
    func logits(_ rows: Matrix, logPriors: [Float]) -> Matrix {
        let k = logPriors.count, d = rows.columns
        var out = Matrix(rows: rows.rows, columns: k)
        guard rows.rows > 0 else { return out }
        let tape = Tape<Float>()
        let chunk = 4096
        out.withUnsafeMutableBufferPointer { o in
            rows.withUnsafeBufferPointer { v in
                for start in stride(from: 0, to: rows.rows, by: chunk) {
                    let end = min(start + chunk, rows.rows)
                    tape.reset()
                    let x = tape.input(rows: end - start, columns: d) { buffer in
                        guard let dst = buffer.baseAddress, let src = v.baseAddress else { return }
                        dst.update(from: src + start * d, count: (end - start) * d)
                    }
                    let (logits, _) = forward(x, logPriors: Self.logPriorInput(logPriors, on: tape), on: tape)
                    tape.withValue(logits) { z in
                        for i in 0..<((end - start) * k) { o[start * k + i] = z[i] }
                    }
                }
            }
        }
        return out
    }
}
