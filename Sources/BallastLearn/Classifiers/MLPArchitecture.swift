import BallastCore
import BallastNN

/// The shape of an ``MLPClassifier`` network, shared by fitting and prediction: it builds the same
/// layers, named as PyTorch's `nn.Sequential` would name them (`"0.weight"`, `"1.running_mean"`), so
/// the saved weights load into the equivalent PyTorch module.
///
/// Per hidden width: `Linear`, optional `BatchNorm1d`, the activation, optional `Dropout`; then a
/// `Linear` to one logit per class.
struct MLPArchitecture: Sendable, Equatable {
    var inputs: Int
    var hiddenWidths: [Int]
    var outputs: Int
    var activation: MLPClassifier.HiddenActivation
    var batchNorm: Bool
    var dropout: Double

    /// Builds the network with fresh weights: He-uniform for the ReLU family, Xavier-uniform for
    /// tanh, zero biases; each dropout layer gets its own generator seeded from `rng`.
    func build(using rng: inout some RandomNumberGenerator) -> Sequential {
        let initialization: Initialization = activation == .tanh ? .xavierUniform : .heUniform
        var layers: [any Layer] = []
        var width = inputs
        for hidden in hiddenWidths {
            layers.append(Linear(width, hidden, initialization: initialization, name: "\(layers.count)", using: &rng))
            if batchNorm { layers.append(BatchNorm1d(features: hidden, name: "\(layers.count)")) }
            layers.append(Activation(activation.function, features: hidden))
            if dropout > 0 { layers.append(Dropout(rate: Float(dropout), seed: rng.next())) }
            width = hidden
        }
        layers.append(Linear(width, outputs, initialization: initialization, name: "\(layers.count)", using: &rng))
        return Sequential(layers)
    }

    /// The weights and biases of the linear layers (a lower bound on what a checkpoint of this
    /// architecture stores), or `nil` when a width is below 1 or the count overflows.
    var linearScalarCount: Int? {
        var total = 0, width = inputs
        for next in hiddenWidths + [outputs] {
            guard width >= 1, next >= 1 else { return nil }
            let (weights, o1) = width.multipliedReportingOverflow(by: next)
            let (layer, o2) = weights.addingReportingOverflow(next)
            let (sum, o3) = total.addingReportingOverflow(layer)
            if o1 || o2 || o3 { return nil }
            total = sum
            width = next
        }
        return total
    }

    /// Builds the network and loads `weights` (PyTorch names and shapes) into it.
    /// - Throws: ``CheckpointError`` when a tensor is missing, misshapen or unexpected.
    func build(weights: [String: StoredTensor]) throws -> Sequential {
        var rng = Xoshiro256StarStar(seed: 0)
        let network = build(using: &rng)
        try Checkpoint.load(into: network.parameters + network.buffers, from: SafeTensorsFile(tensors: weights))
        return network
    }
}

extension MLPClassifier.HiddenActivation {
    /// The layer function.
    var function: Activation.Function {
        switch self {
        case .relu: return .relu
        case .leakyReLU: return .leakyReLU(slope: 0.01)
        case .elu: return .elu(alpha: 1)
        case .tanh: return .tanh
        }
    }
}
