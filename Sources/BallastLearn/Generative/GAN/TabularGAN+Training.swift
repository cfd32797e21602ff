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
        let rows = encoding.map { $0.transform(scaled, using: &rng) } ?? scaled
        let spanWidths = encoding?.discreteColumns.map { encoding?.columns[$0].spanWidth ?? 0 } ?? []
        let conditional = conditioning == .classConditional, classes = data.classNames.count
        let conditionWidth = !conditional ? 0 : trainingBySampling ? classes + spanWidths.reduce(0, +) : classes
        let a = architecture(features: rows.columns, conditionWidth: conditionWidth, tanhColumns: encoding?.scalarCount ?? rows.columns,
                             spans: encoding?.spanWidths ?? [])
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
        }
        let sampling = trainingBySampling
        var step = 0
        var generatorLoss = 0.0, conditionLoss = 0.0
        let terms = ["critic", "generator"] + (sampling && !spanWidths.isEmpty ? ["condition"] : [])
        let record = try training.run(
            data: data, schema: schema, classIndex: classIndex, lossTerms: terms, state: network.buffers,
            optimizers: [generatorOptimizer, criticOptimizer], using: &rng,
            onSplit: { training, _ in if sampling { batch.prepare(trainingRows: training) } },
            step: { tape, trainerRows in
                var fake = batch.make(trainerRows, network: network, on: tape)
                criticOptimizer.zeroGradients()
                let criticLoss = objective.criticLoss(real: network.score(batch.joined(fake.real, fake.realCondition, on: tape), on: tape, mode: .training),
                                                      fake: network.score(batch.joined(tape.detach(fake.activated), fake.condition, on: tape),
                                                                          on: tape, mode: .training), on: tape)
                let criticValue = tape.withValue(criticLoss) { Double($0[0]) }
                guard criticValue.isFinite else { return [criticValue, generatorLoss] + (terms.count > 2 ? [conditionLoss] : []) }
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
                return [criticValue, generatorLoss] + (terms.count > 2 ? [conditionLoss] : [])
            },
            sample: { c, n, rng in
                scaler.inverse(TabularGANModel.generate(network, count: n, classIndex: c, encoding: encoding, conditions: batch.conditions,
                                                        using: &rng))
            })
        let generator = try Checkpoint.tensors(parameters: network.generatorParameters + network.buffers)
        return TrainedGAN(network: GeneratorNetwork(classIndex: classIndex, weights: generator, scaler: scaler, training: record),
                          architecture: a, encoding: encoding, conditions: batch.conditions)
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

extension TabularGAN.Objective {
    /// The critic's loss from its scores of real and generated groups.
    func criticLoss(real: Tensor, fake: Tensor, on tape: Tape<Float>) -> Tensor {
        switch self {
        case .crossEntropy:
            return tape.add(tape.binaryCrossEntropyWithLogits(real, Self.constant(1, like: real, on: tape)),
                            tape.binaryCrossEntropyWithLogits(fake, Self.constant(0, like: fake, on: tape)))
        }
    }

    /// The generator's loss from the critic's scores of generated groups.
    func generatorLoss(_ scores: Tensor, on tape: Tape<Float>) -> Tensor {
        switch self {
        case .crossEntropy: return tape.binaryCrossEntropyWithLogits(scores, Self.constant(1, like: scores, on: tape))
        }
    }

    static func constant(_ value: Float, like t: Tensor, on tape: Tape<Float>) -> Tensor {
        tape.input(rows: t.rows, columns: t.columns) { $0.update(repeating: value) }
    }
}
