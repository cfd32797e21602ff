import BallastCore
import BallastNN

/// A ``TabularGAN``'s critic (discriminator) on its own: the layers its configuration builds for rows
/// of a given width, and the loss its training step minimises — binary cross-entropy, or the
/// Wasserstein distance plus the gradient penalty at interpolates, per PacGAN group.
///
/// Training uses exactly this code on a `Tape<Float>`; on a `Tape<Double>` it lets
/// ``BallastNN/GradientCheck`` compare the whole critic step's weight gradients (double backward
/// included) with finite differences. Use a configuration without dropout for such a check (a
/// check evaluates the loss many times and dropout draws new masks each time).
///
/// ```swift
/// var gan = TabularGAN.ctgan
/// gan.dropout = 0
/// let critic = try GANCritic(gan, features: 6, conditionWidth: 2, using: &rng)
/// let report = GradientCheck.check(inputs: [real, fake, epsilon], parameters: critic.parameters) { tape, x in
///     critic.loss(real: x[0], fake: x[1], epsilon: x[2], on: tape)
/// }
/// ```
public final class GANCritic {
    let network: GANNetwork
    /// The loss the critic minimises.
    public let objective: TabularGAN.Objective

    /// Builds the critic of `gan` for rows of `features` columns joined with `conditionWidth`
    /// condition columns, with fresh weights.
    /// - Parameters:
    ///   - gan: the configuration (widths, slope, dropout, pac, objective).
    ///   - features: columns of a row in the network's space.
    ///   - conditionWidth: columns of the condition joined to each row.
    ///   - rng: draws the weights.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` for invalid hyperparameters or sizes.
    public init(_ gan: TabularGAN, features: Int, conditionWidth: Int = 0, using rng: inout some RandomNumberGenerator) throws {
        try gan.validateHyperparameters()
        let a = gan.architecture(features: features, conditionWidth: conditionWidth, tanhColumns: features, spans: [])
        guard (1...1_000_000).contains(features), (0...1_000_000).contains(conditionWidth), a.parameterCount != nil else {
            throw LearnError.invalidParameter(name: "features", value: "\(features) + \(conditionWidth)", expected: "a network of at most \(GANArchitecture.maximumParameters) parameters")
        }
        network = a.build(critic: true, using: &rng)
        objective = gan.objective
    }

    /// The critic's weights.
    public var parameters: [Parameter] { network.criticParameters }

    /// The critic's scores of `x` (`rows × (features + conditionWidth)`, rows a multiple of pac):
    /// `(rows / pac) × 1`.
    public func score<S: NNScalar>(_ x: Tensor, on tape: Tape<S>) -> Tensor {
        network.score(x, on: tape, mode: .training)
    }

    /// The critic's loss on real and generated rows (each joined with its condition).
    /// - Parameters:
    ///   - real: `rows × (features + conditionWidth)`.
    ///   - fake: the same shape, detached from any generator.
    ///   - epsilon: `(rows / pac) × 1` interpolation weights in [0, 1) for the gradient penalty
    ///     (ignored by cross-entropy).
    ///   - tape: the tape.
    public func loss<S: NNScalar>(real: Tensor, fake: Tensor, epsilon: Tensor?, on tape: Tape<S>) -> Tensor {
        objective.criticLoss(real: real, fake: fake, epsilon: epsilon, network: network, on: tape).loss
    }
}

extension TabularGAN.Objective {
    /// The interpolation weights of the gradient penalty, one per PacGAN group, uniform in [0, 1);
    /// `nil` for cross-entropy.
    func interpolationWeights(groups: Int, on tape: Tape<Float>, using rng: inout Xoshiro256StarStar) -> Tensor? {
        guard case .wasserstein = self else { return nil }
        return tape.input(rows: groups, columns: 1) { e in
            for i in e.indices { e[i] = rng.nextUniformFloat() }
        }
    }

    /// The critic's loss on a real and a generated batch (rows joined with their conditions), and
    /// the gradient penalty inside it, if any.
    /// - Parameters:
    ///   - real: the real rows.
    ///   - fake: the generated rows, detached from the generator.
    ///   - epsilon: the penalty's interpolation weights (``interpolationWeights(groups:on:using:)``).
    ///   - network: the critic.
    ///   - tape: the step's tape.
    func criticLoss<S: NNScalar>(real: Tensor, fake: Tensor, epsilon: Tensor?, network: GANNetwork,
                                 on tape: Tape<S>) -> (loss: Tensor, penalty: Tensor?) {
        let realScores = network.score(real, on: tape, mode: .training), fakeScores = network.score(fake, on: tape, mode: .training)
        switch self {
        case .crossEntropy:
            return (tape.add(tape.binaryCrossEntropyWithLogits(realScores, Self.constant(1, like: realScores, on: tape)),
                             tape.binaryCrossEntropyWithLogits(fakeScores, Self.constant(0, like: fakeScores, on: tape))), nil)
        case .wasserstein(let lambda):
            let distance = tape.sub(tape.mean(fakeScores, axis: nil), tape.mean(realScores, axis: nil))
            guard let epsilon else { return (distance, nil) }
            let penalty = tape.gradientPenalty(real: real, fake: fake, epsilon: epsilon, lambda: Float(lambda), pac: network.architecture.pac) { x in
                network.score(x, on: tape, mode: .training)
            }
            return (tape.add(distance, penalty), penalty)
        }
    }

    /// The generator's loss from the critic's scores of generated groups.
    func generatorLoss(_ scores: Tensor, on tape: Tape<Float>) -> Tensor {
        switch self {
        case .crossEntropy: return tape.binaryCrossEntropyWithLogits(scores, Self.constant(1, like: scores, on: tape))
        case .wasserstein: return tape.neg(tape.mean(scores, axis: nil))
        }
    }

    static func constant<S: NNScalar>(_ value: S, like t: Tensor, on tape: Tape<S>) -> Tensor {
        tape.input(rows: t.rows, columns: t.columns) { $0.update(repeating: value) }
    }
}
