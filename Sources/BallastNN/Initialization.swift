import BallastCore

/// How a weight matrix of shape `fanOut × fanIn` is initialized.
///
/// He (Kaiming) initialization suits ReLU networks (He et al., 2015), Xavier (Glorot) suits tanh
/// and sigmoid ones (Glorot & Bengio, 2010). ``pytorchDefault`` reproduces `torch.nn.Linear`'s
/// default, `U(−1/√fanIn, 1/√fanIn)` for weights and biases.
public enum Initialization: Sendable, Hashable {
    /// `N(0, 2 / fanIn)`; zero bias.
    case heNormal
    /// `U(−√(6 / fanIn), √(6 / fanIn))`; zero bias.
    case heUniform
    /// `N(0, 2 / (fanIn + fanOut))`; zero bias.
    case xavierNormal
    /// `U(−√(6 / (fanIn + fanOut)), √(6 / (fanIn + fanOut)))`; zero bias.
    case xavierUniform
    /// `U(−1/√fanIn, 1/√fanIn)` for weights and biases, as `torch.nn.Linear`.
    case pytorchDefault

    /// A `fanOut × fanIn` weight matrix drawn from this scheme.
    /// - Parameters:
    ///   - fanIn: input features.
    ///   - fanOut: output features.
    ///   - rng: the random stream.
    public func weights(fanIn: Int, fanOut: Int, using rng: inout some RandomNumberGenerator) -> Matrix {
        let inCount = Double(Swift.max(fanIn, 1)), both = Double(Swift.max(fanIn + fanOut, 1))
        var out = Matrix(rows: fanOut, columns: fanIn)
        out.withUnsafeMutableBufferPointer { w in
            for i in 0..<w.count {
                switch self {
                case .heNormal: w[i] = Float(rng.nextNormal() * (2 / inCount).squareRoot())
                case .heUniform: w[i] = Float((2 * rng.nextUniform() - 1) * (6 / inCount).squareRoot())
                case .xavierNormal: w[i] = Float(rng.nextNormal() * (2 / both).squareRoot())
                case .xavierUniform: w[i] = Float((2 * rng.nextUniform() - 1) * (6 / both).squareRoot())
                case .pytorchDefault: w[i] = Float((2 * rng.nextUniform() - 1) / inCount.squareRoot())
                }
            }
        }
        return out
    }

    /// A `1 × fanOut` bias: zeros, or `U(−1/√fanIn, 1/√fanIn)` for ``pytorchDefault``.
    /// - Parameters:
    ///   - fanIn: input features.
    ///   - fanOut: output features.
    ///   - rng: the random stream.
    public func bias(fanIn: Int, fanOut: Int, using rng: inout some RandomNumberGenerator) -> Matrix {
        var out = Matrix(rows: 1, columns: fanOut)
        if self == .pytorchDefault {
            let bound = 1 / Double(Swift.max(fanIn, 1)).squareRoot()
            out.withUnsafeMutableBufferPointer { b in
                for i in 0..<b.count { b[i] = Float((2 * rng.nextUniform() - 1) * bound) }
            }
        }
        return out
    }
}
