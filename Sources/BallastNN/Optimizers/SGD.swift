/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, with
/// PyTorch's `torch.optim.SGD` semantics.
///
/// For each parameter `p` with gradient `g`, one ``step()`` does
///
///     g ← g + weightDecay · p
///     b ← g                                  (first step)
///     b ← momentum · b + (1 − dampening) · g (later steps)
///     d ← g + momentum · b   (Nesterov)   or   b   (momentum)   or   g   (momentum = 0)
///     p ← p − learningRate · d
///
/// The momentum buffers are allocated once, when the optimizer is created.
public final class SGD: Optimizer {
    /// The parameters this optimizer updates.
    public let parameters: [Parameter]
    /// The step size of the next ``step()``.
    public var learningRate: Float
    /// Momentum factor (0 disables momentum).
    public let momentum: Float
    /// Dampening of the gradient's contribution to the momentum buffer.
    public let dampening: Float
    /// Whether the step uses Nesterov momentum.
    public let nesterov: Bool
    /// L2 penalty coefficient added to the gradient.
    public let weightDecay: Float
    /// Number of ``step()`` calls so far.
    public private(set) var stepCount = 0

    private let state: OptimizerState

    /// Creates an SGD optimizer over `parameters`.
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update (each keeps its own momentum buffer).
    ///   - learningRate: step size, ≥ 0.
    ///   - momentum: momentum factor, ≥ 0 (PyTorch's default 0).
    ///   - dampening: dampening for momentum, in [0, 1] (default 0).
    ///   - nesterov: use Nesterov momentum; needs `momentum > 0` and `dampening == 0`, as in PyTorch.
    ///   - weightDecay: L2 penalty, ≥ 0 (default 0).
    /// - Throws: ``NNError/invalidParameter(name:value:expected:)`` naming the first bad hyperparameter.
    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                nesterov: Bool = false, weightDecay: Float = 0) throws {
        try validateHyperparameter("SGD.learningRate", learningRate, expected: "a finite number ≥ 0") { $0 >= 0 }
        try validateHyperparameter("SGD.momentum", momentum, expected: "a finite number ≥ 0") { $0 >= 0 }
        try validateHyperparameter("SGD.dampening", dampening, expected: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
        try validateHyperparameter("SGD.weightDecay", weightDecay, expected: "a finite number ≥ 0") { $0 >= 0 }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw NNError.invalidParameter(name: "SGD.nesterov", value: "true",
                                           expected: "momentum > 0 and dampening = 0 (momentum is \(momentum), dampening \(dampening))")
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.state = OptimizerState(parameters: parameters, slots: momentum == 0 ? 0 : 1)
    }

    /// Updates every parameter from its gradient (see the type's discussion for the rule).
    public func step() {
        let useMomentum = momentum != 0
        // b ← keep · b + take · g;  d ← fromGradient · g + fromBuffer · b
        let keep: Float = stepCount == 0 ? 0 : momentum
        let take: Float = stepCount == 0 ? 1 : 1 - dampening
        let fromGradient: Float = !useMomentum || nesterov ? 1 : 0
        let fromBuffer: Float = useMomentum ? (nesterov ? momentum : 1) : 0
        let lr = learningRate, decay = weightDecay
        for (index, p) in parameters.enumerated() {
            state.checkShape(p, index: index)
            let n = p.value.count
            let buffer = useMomentum ? state.pointer(slot: 0, parameter: index) : nil
            p.gradient.withUnsafeBufferPointer { gradient in
                p.value.withUnsafeMutableBufferPointer { value in
                    guard let g = gradient.baseAddress, let w = value.baseAddress else { return }
                    SGD.update(w, g, buffer, n, lr: lr, decay: decay, keep: keep, take: take,
                               fromGradient: fromGradient, fromBuffer: fromBuffer)
                }
            }
        }
        stepCount += 1
    }

    /// The update of one parameter of `n` elements; `b` is `nil` without momentum.
    private static func update(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                               _ b: UnsafeMutablePointer<Float>?, _ n: Int, lr: Float, decay: Float,
                               keep: Float, take: Float, fromGradient: Float, fromBuffer: Float) {
        var i = 0
        if let b {
            while i + 8 <= n {
                let wv = loadVector(w, i)
                let gv = loadVector(g, i) + decay * wv
                let bv = keep * loadVector(b, i) + take * gv
                storeVector(bv, b, i)
                storeVector(wv - lr * (fromGradient * gv + fromBuffer * bv), w, i)
                i += 8
            }
            while i < n {
                let gv = g[i] + decay * w[i]
                let bv = keep * b[i] + take * gv
                b[i] = bv
                w[i] -= lr * (fromGradient * gv + fromBuffer * bv)
                i += 1
            }
        } else {
            while i + 8 <= n {
                let wv = loadVector(w, i)
                storeVector(wv - lr * (loadVector(g, i) + decay * wv), w, i)
                i += 8
            }
            while i < n {
                w[i] -= lr * (g[i] + decay * w[i])
                i += 1
            }
        }
    }
}
