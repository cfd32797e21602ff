/// Updates a fixed list of parameters from their accumulated gradients.
///
/// An optimizer is created once per fit with the parameters it owns and keeps its per-parameter
/// state (momentum, moment estimates) in one buffer allocated up front, so ``step()`` allocates
/// nothing. The usual training step is:
///
/// ```swift
/// let tape = Tape<Float>()
/// let optimizer = try Adam(parameters: model.parameters, learningRate: 0.01)
/// for _ in 0..<100 {
///     tape.reset()
///     optimizer.zeroGradients()
///     let logits = model.forward(tape.input(features), on: tape, mode: .training)
///     tape.backward(tape.softmaxCrossEntropy(logits, labels: labels))
///     clipGradientNorm(optimizer.parameters, maxNorm: 5)
///     optimizer.step()
/// }
/// ```
///
/// Optimizers are reference types because their state belongs to one training run; they are not
/// `Sendable`.
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates, in the order they were given.
    var parameters: [Parameter] { get }

    /// The step size used by the next ``step()``; a ``LearningRateSchedule`` sets it between epochs.
    var learningRate: Float { get set }

    /// Number of ``step()`` calls so far.
    var stepCount: Int { get }

    /// Updates every parameter from its current gradient.
    ///
    /// - Precondition: every parameter still has the shape it had when the optimizer was created.
    func step()

    /// Sets every parameter's gradient to zero.
    func zeroGradients()
}

extension Optimizer {
    /// Sets every parameter's gradient to zero.
    public func zeroGradients() {
        for p in parameters { p.zeroGradient() }
    }
}
