import BallastCore

/// A 1-D convolution over feature columns laid out as channels × length (PyTorch's `nn.Conv1d` on
/// an `(N, C, L)` tensor flattened to `N × (C·L)`, same weight layout).
///
/// Column `c · length + t` of the input holds channel `c` at position `t`; the output is laid out
/// the same way, `outputChannels × outputLength`, so a ``Linear`` layer can follow directly (PyTorch's
/// `flatten`). The 1-D CNN intrusion detectors treat NSL-KDD's 122 encoded features as one channel of
/// length 122.
///
/// Computed as im2col + one GEMM per batch: the input windows are gathered into a
/// `(batch·outputLength) × (inputChannels·kernelSize + 1)` matrix (the extra column of ones carries
/// the bias), multiplied by the `outputChannels × (inputChannels·kernelSize + 1)` weights, and the
/// `outputChannels × (batch·outputLength)` product is regrouped per sample by a row gather. The gather
/// indices are computed once per batch size and reused.
public final class Conv1d: Layer {
    /// `outputChannels × (inputChannels·kernelSize)` weights, element `(o, c·kernelSize + k)` as
    /// PyTorch's `weight[o, c, k]` (``Parameter/name`` is `"<name>.weight"`).
    public let weight: Parameter
    /// `1 × outputChannels` bias (`"<name>.bias"`), or `nil`.
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

    /// Gather indices for the last batch size seen (im2col, then the per-sample regrouping).
    private var cachedBatch = -1
    private var windowIndices: [Int] = []
    private var regroupIndices: [Int] = []

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
                           value: initialization.weights(fanIn: fanIn, fanOut: outputChannels, using: &rng))
        self.bias = bias ? Parameter(name: name + ".bias",
                                     value: initialization.bias(fanIn: fanIn, fanOut: outputChannels, using: &rng)) : nil
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
        let batch = x.rows, positions = outputLength, taps = inputChannels * kernelSize
        prepareIndices(batch: batch)
        // Each row gets two extra columns, 0 (padding) and 1 (the bias input), so that im2col is one gather.
        let constants = tape.input(rows: batch, columns: 2) { buffer in
            for r in 0..<batch {
                buffer[2 * r] = 0
                buffer[2 * r + 1] = 1
            }
        }
        let width = inputFeatures + 2
        let flat = tape.reshape(tape.concat([x, constants]), rows: batch * width, columns: 1)
        let columns = bias == nil ? taps : taps + 1
        let windows = tape.reshape(tape.gatherRows(flat, windowIndices), rows: batch * positions, columns: columns)
        var filters = tape.parameter(weight)
        if let bias {
            filters = tape.concat([filters, tape.reshape(tape.parameter(bias), rows: outputChannels, columns: 1)])
        }
        // outputChannels × (batch·positions), then regrouped to batch × (outputChannels·positions).
        let product = tape.matmul(filters, windows, transposeB: true)
        let perFilter = tape.reshape(product, rows: outputChannels * batch, columns: positions)
        return tape.reshape(tape.gatherRows(perFilter, regroupIndices), rows: batch, columns: outputFeatures)
    }

    /// Builds the gather indices for `batch` rows unless they exist already.
    private func prepareIndices(batch: Int) {
        guard batch != cachedBatch else { return }
        let width = inputFeatures + 2, zero = inputFeatures, one = inputFeatures + 1
        let positions = outputLength
        let columns = inputChannels * kernelSize + (bias == nil ? 0 : 1)
        var windows = [Int](repeating: 0, count: batch * positions * columns)
        windows.withUnsafeMutableBufferPointer { out in
            var i = 0
            for n in 0..<batch {
                let row = n * width
                for t in 0..<positions {
                    let start = t * stride - padding
                    for c in 0..<inputChannels {
                        for k in 0..<kernelSize {
                            let position = start + k
                            out[i] = row + (position >= 0 && position < length ? c * length + position : zero)
                            i += 1
                        }
                    }
                    if bias != nil {
                        out[i] = row + one
                        i += 1
                    }
                }
            }
        }
        var regroup = [Int](repeating: 0, count: batch * outputChannels)
        for n in 0..<batch {
            for o in 0..<outputChannels { regroup[n * outputChannels + o] = o * batch + n }
        }
        windowIndices = windows
        regroupIndices = regroup
        cachedBatch = batch
    }
}
