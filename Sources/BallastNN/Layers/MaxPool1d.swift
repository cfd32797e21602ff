/// 1-D max pooling over feature columns laid out as channels × length (PyTorch's `nn.MaxPool1d`
/// on an `(N, C, L)` tensor flattened to `N × (C·L)`, floor mode, no padding).
///
/// Output column `c · outputLength + t` is the maximum of channel `c` over positions
/// `t·stride ..< t·stride + kernelSize`; positions left over at the end are dropped, as in PyTorch.
/// The gradient goes to the first position holding the maximum.
///
/// When `stride == kernelSize` (the usual case) the windows are consecutive columns, so pooling is
/// a reshape and a row maximum; otherwise the windows are gathered first (indices cached per batch
/// size).
public final class MaxPool1d: Layer {
    /// Channels of the input (and output).
    public let channels: Int
    /// Input positions per channel.
    public let length: Int
    /// Window width.
    public let kernelSize: Int
    /// Distance between consecutive windows.
    public let stride: Int

    /// Output positions per channel: `⌊(length − kernelSize) / stride⌋ + 1`.
    public var outputLength: Int { (length - kernelSize) / stride + 1 }
    /// Input columns, `channels · length`.
    public var inputFeatures: Int { channels * length }
    /// Output columns, `channels · outputLength`.
    public var outputFeatures: Int { channels * outputLength }

    private var cachedBatch = -1
    private var windowIndices: [Int] = []

    /// A pooling layer.
    /// - Parameters:
    ///   - channels: channels of the input.
    ///   - length: positions per channel.
    ///   - kernelSize: window width.
    ///   - stride: step between windows (`nil`: `kernelSize`, PyTorch's default).
    /// - Precondition: positive sizes and `kernelSize <= length`.
    public init(channels: Int, length: Int, kernelSize: Int, stride: Int? = nil) {
        let stride = stride ?? kernelSize
        precondition(channels > 0 && length > 0 && kernelSize > 0 && stride > 0 && kernelSize <= length,
                     "MaxPool1d: \(channels) channels of length \(length), kernel \(kernelSize), stride \(stride)")
        self.channels = channels
        self.length = length
        self.kernelSize = kernelSize
        self.stride = stride
    }

    /// None.
    public var parameters: [Parameter] { [] }

    /// `kernelSize − 1` comparisons per output element.
    public func flopsPerSample() -> Int { outputFeatures * (kernelSize - 1) }

    /// Pools every row of `x`.
    /// - Parameters:
    ///   - x: `batch × (channels·length)`, channel-major.
    ///   - tape: the tape of the current step.
    ///   - mode: unused.
    /// - Returns: `batch × (channels·outputLength)`, channel-major.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        precondition(x.columns == inputFeatures,
                     "MaxPool1d: input has \(x.columns) columns, expected \(channels)×\(length) = \(inputFeatures)")
        let batch = x.rows, positions = outputLength
        let windows: Tensor
        if stride == kernelSize {
            var series = tape.reshape(x, rows: batch * channels, columns: length)
            if positions * kernelSize < length { series = tape.slice(series, columns: 0..<(positions * kernelSize)) }
            windows = tape.reshape(series, rows: batch * channels * positions, columns: kernelSize)
        } else {
            prepareIndices(batch: batch)
            let flat = tape.reshape(x, rows: batch * inputFeatures, columns: 1)
            windows = tape.reshape(tape.gatherRows(flat, windowIndices), rows: batch * channels * positions, columns: kernelSize)
        }
        return tape.reshape(tape.rowMax(windows), rows: batch, columns: outputFeatures)
    }

    /// Builds the window gather indices for `batch` rows unless they exist already.
    private func prepareIndices(batch: Int) {
        guard batch != cachedBatch else { return }
        let positions = outputLength
        var indices = [Int](repeating: 0, count: batch * channels * positions * kernelSize)
        indices.withUnsafeMutableBufferPointer { out in
            var i = 0
            for series in 0..<(batch * channels) {
                for t in 0..<positions {
                    for k in 0..<kernelSize {
                        out[i] = series * length + t * stride + k
                        i += 1
                    }
                }
            }
        }
        windowIndices = indices
        cachedBatch = batch
    }
}
