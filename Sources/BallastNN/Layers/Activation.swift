/// An element-wise activation as a layer, for ``Sequential`` stacks.
public final class Activation: Layer {
    /// The activations available as layers.
    public enum Function: Sendable, Hashable {
        /// `max(x, 0)`.
        case relu
        /// `x` or `slope · x`.
        case leakyReLU(slope: Float)
        /// `x` or `alpha · (eˣ − 1)`.
        case elu(alpha: Float)
        /// Hyperbolic tangent.
        case tanh
        /// Logistic sigmoid.
        case sigmoid
        /// `log(1 + eˣ)`.
        case softplus
    }

    /// The function applied.
    public let function: Function
    /// The width, used only for ``flopsPerSample()`` (0 when unknown).
    public let features: Int

    /// An activation layer.
    /// - Parameters:
    ///   - function: the activation.
    ///   - features: the width, for FLOP counts (1 FLOP per element; 0 leaves it uncounted).
    public init(_ function: Function, features: Int = 0) {
        self.function = function
        self.features = features
    }

    /// None.
    public var parameters: [Parameter] { [] }

    /// One per element of the declared width.
    public func flopsPerSample() -> Int { features }

    /// Applies the function element-wise.
    /// - Parameters:
    ///   - x: any shape.
    ///   - tape: the tape of the current step.
    ///   - mode: unused.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        switch function {
        case .relu: tape.relu(x)
        case .leakyReLU(let slope): tape.leakyReLU(x, slope: slope)
        case .elu(let alpha): tape.elu(x, alpha: alpha)
        case .tanh: tape.tanh(x)
        case .sigmoid: tape.sigmoid(x)
        case .softplus: tape.softplus(x)
        }
    }
}
