import BallastCore

/// A fully connected layer `y = x · Wᵀ + b` (PyTorch's `nn.Linear`, same weight layout).
public final class Linear: Layer {
    /// `outputs × inputs` weights (``Parameter/name`` is `"<name>.weight"`).
    public let weight: Parameter
    /// `1 × outputs` bias (`"<name>.bias"`), or `nil`.
    public let bias: Parameter?

    /// Number of input features.
    public var inputs: Int { weight.value.columns }
    /// Number of output features.
    public var outputs: Int { weight.value.rows }

    /// A layer with freshly initialized weights.
    /// - Parameters:
    ///   - inputs: input features.
    ///   - outputs: output features.
    ///   - initialization: the weight scheme (He by default, for ReLU networks).
    ///   - bias: whether to add a bias.
    ///   - name: prefix of the parameter names.
    ///   - rng: the random stream the weights are drawn from.
    public init(_ inputs: Int, _ outputs: Int, initialization: Initialization = .heUniform, bias: Bool = true,
                name: String = "linear", using rng: inout some RandomNumberGenerator) {
        precondition(inputs > 0 && outputs > 0, "Linear: \(inputs) → \(outputs) features")
        weight = Parameter(name: name + ".weight", value: initialization.weights(fanIn: inputs, fanOut: outputs, using: &rng))
        self.bias = bias ? Parameter(name: name + ".bias", value: initialization.bias(fanIn: inputs, fanOut: outputs, using: &rng),
                                     shape: [outputs]) : nil
    }

    /// A layer with the given weights (`outputs × inputs`) and optional bias (`1 × outputs`).
    /// - Parameters:
    ///   - weight: the weight parameter.
    ///   - bias: the bias parameter, or `nil`.
    public init(weight: Parameter, bias: Parameter?) {
        if let bias {
            precondition(bias.value.rows == 1 && bias.value.columns == weight.value.rows, "Linear: bias shape does not match weight")
        }
        self.weight = weight
        self.bias = bias
    }

    /// The weight, then the bias.
    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    /// `2 · inputs · outputs` (+ `outputs` with a bias).
    public func flopsPerSample() -> Int { 2 * inputs * outputs + (bias == nil ? 0 : outputs) }

    /// `x · Wᵀ + b` as one fused op.
    /// - Parameters:
    ///   - x: `batch × inputs`.
    ///   - tape: the tape of the current step.
    ///   - mode: unused.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        tape.linear(x, weight: tape.parameter(weight), bias: bias.map { tape.parameter($0) })
    }
}
