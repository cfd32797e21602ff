import BallastCore
import BallastNN

/// One trained network of a ``TabularGAN`` with what its model needs to sample.
struct TrainedGAN {
    var network: GeneratorNetwork
    var architecture: GANArchitecture
    var encoding: ModeSpecificEncoding?
    var conditions: ConditionTable?
}

extension TabularGAN {
    /// Trains one generator (and its critic) on `data`: a class's rows for a per-class network, every
    /// row for a conditional one.
    ///
    /// Per step: the critic is updated on a real and a generated batch; every ``criticSteps``-th
    /// step the generator is updated too, on the critic's new weights (on the same generated batch
    /// when ``criticSteps`` is 1, as PyTorch's DCGAN example does, which saves a forward pass).
    /// With training-by-sampling the step draws its own conditions and matching real rows from the
    /// training split; otherwise it uses the trainer's batch, padded to a multiple of ``pac``.
    func train(_ data: LabeledMatrix, classIndex: Int?, schema: FeatureSchema,
               using rng: inout Xoshiro256StarStar) throws -> TrainedGAN {
        let scaler = ColumnScaler(fitting: data.features, lower: -1, upper: 1)
        let scaled = scaler.transform(data.features)
        var encoding: ModeSpecificEncoding?
        if case let .modeSpecific(maxModes, threshold) = self.encoding {
            encoding = ModeSpecificEncoding(fitting: scaled, schema: schema, maxModes: maxModes, weightThreshold: threshold, using: &rng)
        }
        let encoded = encoding.map { $0.transform(scaled, using: &rng) } ?? scaled
        let spanWidths = encoding?.discreteColumns.map { encoding?.columns[$0].spanWidth ?? 0 } ?? []
        let conditional = conditioning == .classConditional, classes = data.classNames.count
        let conditionWidth = !conditional ? 0 : trainingBySampling ? classes + spanWidths.reduce(0, +) : classes
        // With training-by-sampling the class is also a column of the rows (a softmax span after the
        // encoding's, as the package's label column would be), which the condition loss ties to the
        // drawn class: the critic then judges whether the features fit the row's own label, which
        // conditions the generator far more strongly than the condition vector alone through a
        // PacGAN critic.
        let rows = trainingBySampling ? Matrix.hstack([encoded, Self.oneHot(data.labels, classes: classes)]) : encoded
        let a = architecture(features: rows.columns, conditionWidth: conditionWidth, tanhColumns: encoding?.scalarCount ?? encoded.columns,
                             spans: (encoding?.spanWidths ?? []) + (trainingBySampling ? [classes] : []))
        guard a.parameterCount != nil else {
            throw LearnError.invalidParameter(name: "g-widths", value: generatorWidths.map(String.init).joined(separator: "x"),
                                              expected: "networks of at most \(GANArchitecture.maximumParameters) parameters together")
        }
        let network = a.build(critic: true, using: &rng)
        let adam = { (parameters: [Parameter]) in
            try Adam(parameters: parameters, learningRate: Float(training.learningRate), beta1: Float(beta1), beta2: Float(beta2),
                     weightDecay: Float(weightDecay))
        }
        let generatorOptimizer = try adam(network.generatorParameters), criticOptimizer = try adam(network.criticParameters)
        var batch = GANBatchMaker(architecture: a, labels: data.labels, classes: classes, rows: rows, noise: rng.split())
        if trainingBySampling {
            batch.categories = encoding.map { Self.categories(of: $0, in: scaled) } ?? []
            batch.spanWidths = spanWidths
            batch.spanStarts = encoding.map { e in e.discreteColumns.map { e.offsets.span[$0] } } ?? []
            batch.labelStart = encoded.columns
        }
        let sampling = trainingBySampling
        let penalised: Bool
        if case .wasserstein = objective { penalised = true } else { penalised = false }
        var step = 0
        var generatorLoss = 0.0, conditionLoss = 0.0, penaltyValue = 0.0
        let conditioned = sampling
        let terms = ["critic", "generator"] + (penalised ? ["penalty"] : []) + (conditioned ? ["condition"] : [])
        func values(_ critic: Double) -> [Double] {
            [critic, generatorLoss] + (penalised ? [penaltyValue] : []) + (conditioned ? [conditionLoss] : [])
        }
        let record = try training.run(
            data: data, schema: schema, classIndex: classIndex, lossTerms: terms, state: network.buffers,
            optimizers: [generatorOptimizer, criticOptimizer], using: &rng,
            onSplit: { training, _ in if sampling { batch.prepare(trainingRows: training) } },
            step: { tape, trainerRows in
                var fake = batch.make(trainerRows, network: network, on: tape)
                criticOptimizer.zeroGradients()
                let real = batch.joined(fake.real, fake.realCondition, on: tape)
                let epsilon = objective.interpolationWeights(groups: real.rows / a.pac, on: tape, using: &batch.noise)
                let (criticLoss, penalty) = objective.criticLoss(real: real, fake: batch.joined(tape.detach(fake.activated), fake.condition, on: tape),
                                                                 epsilon: epsilon, network: network, on: tape)
                let criticValue = tape.withValue(criticLoss) { Double($0[0]) }
                penaltyValue = penalty.map { p in tape.withValue(p) { Double($0[0]) } } ?? 0
                guard criticValue.isFinite else { return values(criticValue) }
                tape.backward(criticLoss)
                criticOptimizer.step()
                step += 1
                if step % criticSteps == 0 {
                    tape.rereadParameters()
                    if criticSteps > 1 { fake = batch.make(trainerRows, network: network, on: tape) }
                    let scores = network.score(batch.joined(fake.activated, fake.condition, on: tape), on: tape, mode: .training)
                    var loss = objective.generatorLoss(scores, on: tape)
                    generatorLoss = tape.withValue(loss) { Double($0[0]) }
                    if let condition = batch.conditionLoss(fake, on: tape) {
                        conditionLoss = tape.withValue(condition) { Double($0[0]) }
                        loss = tape.add(loss, condition)
                    }
                    if generatorLoss.isFinite && conditionLoss.isFinite {
                        generatorOptimizer.zeroGradients()
                        tape.backward(loss)
                        generatorOptimizer.step()
                    }
                }
                return values(criticValue)
            },
            sample: { c, n, rng in
                scaler.inverse(TabularGANModel.generate(network, count: n, classIndex: c, encoding: encoding, conditions: batch.conditions,
                                                        using: &rng))
            })
        let generator = try Checkpoint.tensors(parameters: network.generatorParameters + network.buffers)
        return TrainedGAN(network: GeneratorNetwork(classIndex: classIndex, weights: generator, scaler: scaler, training: record),
                          architecture: a, encoding: encoding, conditions: batch.conditions)
    }

    /// The one-hot rows of `labels`.
    static func oneHot(_ labels: [Int], classes: Int) -> Matrix {
        var m = Matrix(rows: labels.count, columns: classes)
        for (r, c) in labels.enumerated() { m[r, c] = 1 }
        return m
    }

    /// The category of every row in each discrete column of `encoding` (span order).
    static func categories(of encoding: ModeSpecificEncoding, in scaled: Matrix) -> [[Int]] {
        let width = scaled.columns
        return scaled.withUnsafeBufferPointer { x in
            encoding.discreteColumns.map { column in
                (0..<scaled.rows).map { r in encoding.category(of: column, in: UnsafeBufferPointer(rebasing: x[(r * width)..<(r * width + width)])) }
            }
        }
    }
}
