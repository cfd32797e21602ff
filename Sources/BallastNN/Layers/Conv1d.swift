import BallastCore

/// A 1-D convolution over feature columns laid out as channels × length (PyTorch's `nn.Conv1d` on
/// an `(N, C, L)` tensor flattened to `N × (C·L)`, same weight layout).
///
/// Column `c · length + t` of the input holds channel `c` at position `t`; the output is laid out
/// the same way, `outputChannels × outputLength`, so a ``Linear`` layer can follow directly (PyTorch's
/// `flatten`). The 1-D CNN intrusion detectors treat NSL-KDD's 122 encoded features as one channel of
/// length 122.
///
/// Computed by the fused tape op ``Tape/conv1d(_:weight:bias:channels:length:kernelSize:stride:padding:)``:
/// im2col into the tape's arena and one GEMM per batch. The scratch memory is about
/// `(2·inputChannels·kernelSize + outputChannels) · outputLength` scalars per row, so predict large
/// sets in mini-batches.
public final class Conv1d: Layer {
    /// `outputChannels × (inputChannels·kernelSize)` weights, element `(o, c·kernelSize + k)` as
    /// PyTorch's `weight[o, c, k]` (``Parameter/name`` is `"<name>.weight"`, shape
    /// `[outputChannels, inputChannels, kernelSize]`).
    public let weight: Parameter
    /// `1 × outputChannels` bias (`"<name>.bias"`, shape `[outputChannels]`), or `nil`.
    public let bias: Parameter?
    /// Input channels.
    public let inputChannels: Int
    /// Output channels (filters).
    public let outputChannels: Int
    /// Input positions per channel.
    public let length: Int
    /// Window width.
    public let kernelSize: Int
    /// Distance between consecutive windows.
    public let stride: Int
    /// Zeros added at both ends of every channel.
    public let padding: Int

    /// Output positions per channel: `⌊(length + 2·padding − kernelSize) / stride⌋ + 1`.
    public var outputLength: Int { (length + 2 * padding - kernelSize) / stride + 1 }
    /// Input columns, `inputChannels · length`.
    public var inputFeatures: Int { inputChannels * length }
    /// Output columns, `outputChannels · outputLength`.
    public var outputFeatures: Int { outputChannels * outputLength }

    /// A convolution with freshly initialized weights.
    ///
    /// - Parameters:
    ///   - inputChannels: channels of the input.
    ///   - outputChannels: number of filters.
    ///   - length: positions per input channel.
    ///   - kernelSize: window width.
    ///   - stride: step between windows (default 1).
    ///   - padding: zeros at each end (default 0).
    ///   - initialization: weight scheme with fan-in `inputChannels · kernelSize` (He by default).
    ///   - bias: whether to add a per-filter bias.
    ///   - name: prefix of the parameter names.
    ///   - rng: the random stream the weights are drawn from.
    /// - Precondition: positive sizes, `padding >= 0`, and at least one output position (callers
    ///   validate user-given architectures before building layers).
    public init(inputChannels: Int, outputChannels: Int, length: Int, kernelSize: Int, stride: Int = 1,
                padding: Int = 0, initialization: Initialization = .heUniform, bias: Bool = true,
                name: String = "conv", using rng: inout some RandomNumberGenerator) {
        precondition(inputChannels > 0 && outputChannels > 0 && length > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
                     "Conv1d: channels \(inputChannels)→\(outputChannels), length \(length), kernel \(kernelSize), stride \(stride), padding \(padding)")
        precondition(length + 2 * padding >= kernelSize,
                     "Conv1d: kernel \(kernelSize) is wider than the padded length \(length + 2 * padding)")
        let fanIn = inputChannels * kernelSize
        weight = Parameter(name: name + ".weight",
                           value: initialization.weights(fanIn: fanIn, fanOut: outputChannels, using: &rng),
                           shape: [outputChannels, inputChannels, kernelSize])
        self.bias = bias ? Parameter(name: name + ".bias",
                                     value: initialization.bias(fanIn: fanIn, fanOut: outputChannels, using: &rng),
                                     shape: [outputChannels]) : nil
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.length = length
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    /// The weight, then the bias.
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    /// `2 · inputChannels · kernelSize` per output element (+ 1 for the bias).
    public func flopsPerSample() -> Int {
        outputFeatures * (2 * inputChannels * kernelSize + (bias == nil ? 0 : 1))
    }

    /// Convolves every row of `x`.
    /// - Parameters:
    ///   - x: `batch × (inputChannels·length)`, channel-major.
    ///   - tape: the tape of the current step.
    ///   - mode: unused.
    /// - Returns: `batch × (outputChannels·outputLength)`, channel-major.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        precondition(x.columns == inputFeatures,
                     "Conv1d: input has \(x.columns) columns, expected \(inputChannels)×\(length) = \(inputFeatures)")
        return tape.conv1d(x, weight: tape.parameter(weight), bias: bias.map { tape.parameter($0) }, channels: inputChannels,
                           length: length, kernelSize: kernelSize, stride: stride, padding: padding)
    }
}
