/// Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", 2015) with PyTorch's
/// `torch.optim.Adam` semantics and defaults.
///
/// `weightDecay` is the classic L2 penalty added to the gradient before the moment estimates (use
/// ``AdamW`` for decoupled decay). Step `t` (from 1) does
///
///     g ← g + weightDecay · p
///     m ← β₁ · m + (1 − β₁) · g
///     v ← β₂ · v + (1 − β₂) · g²
///     p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// The moment buffers are allocated once, when the optimizer is created.
public final class Adam: Optimizer {
    /// The parameters this optimizer updates.
    public let parameters: [Parameter]
    /// The step size of the next ``step()``.
    public var learningRate: Float
    /// L2 penalty coefficient added to the gradient.
    public let weightDecay: Float
    /// Number of ``step()`` calls so far.
    public private(set) var stepCount = 0
    /// Decay rate of the first-moment estimate.
    public var beta1: Float { kernel.beta1 }
    /// Decay rate of the second-moment estimate.
    public var beta2: Float { kernel.beta2 }
    /// Term added to the denominator for numerical stability.
    public var epsilon: Float { kernel.epsilon }

    private let kernel: AdamKernel

    /// Creates an Adam optimizer over `parameters`.
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update (each keeps its own moment estimates).
    ///   - learningRate: step size, ≥ 0 (default 0.001).
    ///   - beta1: first-moment decay, in [0, 1) (default 0.9).
    ///   - beta2: second-moment decay, in [0, 1) (default 0.999).
    ///   - epsilon: denominator term, ≥ 0 (default 1e-8).
    ///   - weightDecay: L2 penalty, ≥ 0 (default 0).
    /// - Throws: ``NNError/invalidParameter(name:value:expected:)`` naming the first bad hyperparameter.
    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) throws {
        try AdamKernel.validate(owner: "Adam", learningRate: learningRate, beta1: beta1, beta2: beta2,
                                epsilon: epsilon, weightDecay: weightDecay)
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.kernel = AdamKernel(parameters: parameters, beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// Updates every parameter from its gradient (see the type's discussion for the rule).
    public func step() {
        stepCount += 1
        kernel.apply(to: parameters, step: stepCount, learningRate: learningRate, l2: weightDecay, decoupledDecay: 0)
    }
}
