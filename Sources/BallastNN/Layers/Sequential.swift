/// Layers applied one after the other.
public final class Sequential: Layer {
    /// The layers, in order.
    public let layers: [any Layer]

    /// A stack of `layers`.
    /// - Parameter layers: applied first to last.
    public init(_ layers: [any Layer]) { self.layers = layers }

    /// Every layer's parameters, in layer order.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    /// Every layer's buffers, in layer order.
    public var buffers: [Parameter] { layers.flatMap(\.buffers) }
    /// The sum over the layers.
    public func flopsPerSample() -> Int { layers.reduce(0) { $0 + $1.flopsPerSample() } }

    /// Runs each layer on the previous one's output.
    /// - Parameters:
    ///   - x: the first layer's input.
    ///   - tape: the tape of the current step.
    ///   - mode: passed to every layer.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        var h = x
        for layer in layers { h = layer.forward(h, on: tape, mode: mode) }
        return h
    }
}
