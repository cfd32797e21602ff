import BallastNN

/// The layers of a ``CNNClassifier``: the convolution blocks, an optional (bidirectional) LSTM over
/// their output, and the dense head — PyTorch's `BallastCNN` module (see ``CNNArchitecture``).
final class CNNNetwork: Layer {
    /// `[Conv1d → BatchNorm1d → ReLU → MaxPool1d] × blocks`, channel-major output.
    let convolution: Sequential
    /// Nothing, one forward LSTM, or a forward and a reverse one (bidirectional).
    let recurrent: [LSTM]
    /// Dropout, dense layers, logits.
    let head: Sequential

    /// The three parts, applied in order.
    init(convolution: Sequential, recurrent: [LSTM], head: Sequential) {
        self.convolution = convolution
        self.recurrent = recurrent
        self.head = head
    }

    /// Convolutions, LSTM (forward then reverse), head: the order of PyTorch's `state_dict`.
    var parameters: [Parameter] { convolution.parameters + recurrent.flatMap(\.parameters) + head.parameters }
    /// The batch-norm statistics.
    var buffers: [Parameter] { convolution.buffers + head.buffers }

    func flopsPerSample() -> Int {
        convolution.flopsPerSample() + recurrent.reduce(0) { $0 + $1.flopsPerSample() } + head.flopsPerSample()
    }

    /// Logits of every row of `x` (`batch × inputs`).
    func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        let maps = convolution.forward(x, on: tape, mode: mode)
        let features = switch recurrent.count {
        case 0: maps
        case 1: recurrent[0].forward(maps, on: tape, mode: mode)
        default: tape.concat(recurrent.map { $0.forward(maps, on: tape, mode: mode) })
        }
        return head.forward(features, on: tape, mode: mode)
    }
}
