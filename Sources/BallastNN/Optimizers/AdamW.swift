/// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", 2019) with PyTorch's
/// `torch.optim.AdamW` semantics and defaults (weight decay 0.01).
///
/// The weight decay shrinks the parameters directly instead of entering the gradient, so it is not
/// rescaled by the adaptive denominator. Step `t` (from 1) does
///
///     p ← p · (1 − lr · weightDecay)
///     m ← β₁ · m + (1 − β₁) · g
///     v ← β₂ · v + (1 − β₂) · g²
///     p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// The moment buffers are allocated once, when the optimizer is created.
public final class AdamW: Optimizer {
    /// The parameters this optimizer updates.
    public let parameters: [Parameter]
    /// The step size of the next ``step()``.
    public var learningRate: Float
    /// Decoupled weight-decay coefficient.
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

    /// Creates an AdamW optimizer over `parameters`.
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update (each keeps its own moment estimates).
    ///   - learningRate: step size, ≥ 0 (default 0.001).
    ///   - beta1: first-moment decay, in [0, 1) (default 0.9).
    ///   - beta2: second-moment decay, in [0, 1) (default 0.999).
    ///   - epsilon: denominator term, ≥ 0 (default 1e-8).
    ///   - weightDecay: decoupled decay, ≥ 0 (default 0.01, as in PyTorch).
    /// - Throws: ``NNError/invalidParameter(name:value:expected:)`` naming the first bad hyperparameter.
    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 1e-2) throws {
        try AdamKernel.validate(owner: "AdamW", learningRate: learningRate, beta1: beta1, beta2: beta2,
                                epsilon: epsilon, weightDecay: weightDecay)
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.kernel = AdamKernel(parameters: parameters, beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// Updates every parameter from its gradient (see the type's discussion for the rule).
    public func step() {
        stepCount += 1
        kernel.apply(to: parameters, step: stepCount, learningRate: learningRate, l2: 0, decoupledDecay: weightDecay)
    }
}
