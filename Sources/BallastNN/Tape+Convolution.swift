// A fused 1-D convolution op: im2col into arena scratch, one GEMM, and the matching backward step.
//
// Every loop here moves whole runs through the ``NNScalar`` kernels (copy, fill, accumulate,
// copyColumns, gemm, reduceSum), so the generic tape code makes one dynamic call per run, never
// one per element.

import BallastCore

/// Layout of the integer record of a `Tape.Op.convolution(start:)` node in the tape's `indices`.
enum ConvolutionField {
    static let input = 0, weight = 1, bias = 2, channels = 3, length = 4, kernel = 5, stride = 6, padding = 7
    /// Arena offsets of the scratch matrices.
    static let windows = 8, product = 9, windowsGradient = 10
    /// Number of fields.
    static let count = 11
}

extension Tape {
    /// A 1-D convolution of channel-major rows (PyTorch's `conv1d` on `(N, C, L)` flattened to
    /// `N × (C·L)`, same weight layout).
    ///
    /// The windows are laid out as a `(channels·kernelSize) × (batch·outputLength)` matrix in the
    /// arena (im2col, one contiguous run per channel, tap and row), multiplied by the weights in one
    /// GEMM, and the `filters × (batch·outputLength)` product is regrouped per row. All scratch memory
    /// for the backward step is reserved here, from the arena.
    /// - Parameters:
    ///   - x: `batch × (channels·length)`, channel-major.
    ///   - weight: `filters × (channels·kernelSize)`, element `(o, c·kernelSize + k)`.
    ///   - bias: `1 × filters`, or `nil`.
    ///   - channels: input channels.
    ///   - length: positions per input channel.
    ///   - kernelSize: window width.
    ///   - stride: step between windows.
    ///   - padding: zeros at both ends of each channel.
    /// - Returns: `batch × (filters·outputLength)`, channel-major, with
    ///   `outputLength = ⌊(length + 2·padding − kernelSize) / stride⌋ + 1`.
    public func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, channels: Int, length: Int,
                       kernelSize: Int, stride: Int = 1, padding: Int = 0) -> Tensor {
        check(x); check(weight)
        precondition(channels > 0 && length > 0 && kernelSize > 0 && stride > 0 && padding >= 0
                     && length + 2 * padding >= kernelSize,
                     "Tape.conv1d: channels \(channels), length \(length), kernel \(kernelSize), stride \(stride), padding \(padding)")
        precondition(x.columns == channels * length, "Tape.conv1d: input has \(x.columns) columns, expected \(channels)×\(length)")
        precondition(weight.columns == channels * kernelSize,
                     "Tape.conv1d: weight is \(weight.rows)×\(weight.columns), expected filters×\(channels * kernelSize)")
        if let bias {
            check(bias)
            precondition(bias.rows == 1 && bias.columns == weight.rows, "Tape.conv1d: bias \(bias.rows)×\(bias.columns), expected 1×\(weight.rows)")
        }
        let batch = x.rows, filters = weight.rows, taps = channels * kernelSize
        let positions = (length + 2 * padding - kernelSize) / stride + 1
        let columns = batch * positions
        let needsGradient = needs(x) || needs(weight) || bias.map(needs) == true

        let start = indices.count
        indices.append(contentsOf: repeatElement(-1, count: ConvolutionField.count))
        indices[start + ConvolutionField.input] = x.id
        indices[start + ConvolutionField.weight] = weight.id
        indices[start + ConvolutionField.bias] = bias?.id ?? -1
        indices[start + ConvolutionField.channels] = channels
        indices[start + ConvolutionField.length] = length
        indices[start + ConvolutionField.kernel] = kernelSize
        indices[start + ConvolutionField.stride] = stride
        indices[start + ConvolutionField.padding] = padding
        let (t, _) = record(rows: batch, columns: filters * positions, needsGradient: needsGradient,
                            op: .convolution(start: start))
        // Reserve every scratch matrix before taking any address (an allocation may move the arena).
        indices[start + ConvolutionField.windows] = allocate(taps * columns)
        indices[start + ConvolutionField.product] = allocate(filters * columns)
        if needs(x) { indices[start + ConvolutionField.windowsGradient] = allocate(taps * columns) }
        guard t.count > 0 else { return t }

        let windows = pointer(indices[start + ConvolutionField.windows])
        let product = pointer(indices[start + ConvolutionField.product])
        let input = UnsafePointer(valuePointer(x.id))
        Parallel.split(batch, minimumChunk: Scalar.rowGrain(taps * positions)) { records in  // record n fills columns n·positions… of every row
            for c in 0..<channels {
                for k in 0..<kernelSize {
                    let row = windows + (c * kernelSize + k) * columns
                    for n in records {
                        gatherRun(input + n * x.columns + c * length, into: row + n * positions, tap: k, length: length,
                                  positions: positions, stride: stride, padding: padding)
                    }
                }
            }
        }
        if let bias {
            let b = valuePointer(bias.id)
            for o in 0..<filters { Scalar.fill(product + o * columns, with: b[o], count: columns) }
        }
        Scalar.gemm(transposeA: false, transposeB: false, m: filters, n: columns, k: taps, alpha: 1,
                    a: valuePointer(weight.id), lda: taps, b: windows, ldb: columns,
                    beta: bias == nil ? 0 : 1, c: product, ldc: columns)
        let out = valuePointer(t.id)
        Parallel.split(batch, minimumChunk: Scalar.rowGrain(t.columns)) { records in
            for n in records {
                Scalar.copyColumns(from: product, stride: columns, offset: n * positions, to: out + n * t.columns,
                                   stride: positions, offset: 0, rows: filters, width: positions, accumulate: false)
            }
        }
        return t
    }

    /// The output positions `first ..< last` whose input position `t·stride + tap − padding` lies
    /// in `0..<length`.
    private func validPositions(tap: Int, length: Int, positions: Int, stride: Int, padding: Int) -> Range<Int> {
        let offset = tap - padding
        let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = Swift.min(positions, length > offset ? (length - offset - 1) / stride + 1 : 0)
        return first < last ? first ..< last : 0 ..< 0
    }

    /// Fills the window row `run` (`positions` values) with one channel's inputs at tap `tap`,
    /// zeros where the window reaches into the padding.
    private func gatherRun(_ channel: UnsafePointer<Scalar>, into run: UnsafeMutablePointer<Scalar>, tap: Int,
                           length: Int, positions: Int, stride: Int, padding: Int) {
        let valid = validPositions(tap: tap, length: length, positions: positions, stride: stride, padding: padding)
        guard !valid.isEmpty else {
            Scalar.fill(run, with: 0, count: positions)
            return
        }
        if valid.lowerBound > 0 { Scalar.fill(run, with: 0, count: valid.lowerBound) }
        if valid.upperBound < positions { Scalar.fill(run + valid.upperBound, with: 0, count: positions - valid.upperBound) }
        let source = channel + (valid.lowerBound * stride + tap - padding)
        if stride == 1 {
            Scalar.copy(source, to: run + valid.lowerBound, count: valid.count)
        } else {
            Scalar.copyColumns(from: source, stride: stride, offset: 0, to: run + valid.lowerBound, stride: 1, offset: 0,
                               rows: valid.count, width: 1, accumulate: false)
        }
    }

    /// Adds the window-row gradient `run` back into one channel's input gradient (col2im).
    private func scatterRun(_ run: UnsafePointer<Scalar>, into channel: UnsafeMutablePointer<Scalar>, tap: Int,
                            length: Int, positions: Int, stride: Int, padding: Int) {
        let valid = validPositions(tap: tap, length: length, positions: positions, stride: stride, padding: padding)
        guard !valid.isEmpty else { return }
        let target = channel + (valid.lowerBound * stride + tap - padding)
        if stride == 1 {
            Scalar.accumulate(run + valid.lowerBound, into: target, scale: 1, count: valid.count)
        } else {
            Scalar.copyColumns(from: run + valid.lowerBound, stride: 1, offset: 0, to: target, stride: stride, offset: 0,
                               rows: valid.count, width: 1, accumulate: true)
        }
    }

    /// The backward step of ``conv1d(_:weight:bias:channels:length:kernelSize:stride:padding:)`` for node `i`.
    func convolutionBackward(node i: Int, start: Int) {
        func field(_ f: Int) -> Int { indices[start + f] }
        let x = field(ConvolutionField.input), weight = field(ConvolutionField.weight), bias = field(ConvolutionField.bias)
        let channels = field(ConvolutionField.channels), length = field(ConvolutionField.length)
        let kernelSize = field(ConvolutionField.kernel), stride = field(ConvolutionField.stride)
        let padding = field(ConvolutionField.padding)
        let batch = nodes[i].rows, filters = nodes[weight].rows, taps = channels * kernelSize
        let positions = nodes[i].columns / Swift.max(filters, 1), columns = batch * positions
        guard nodes[i].rows * nodes[i].columns > 0 else { return }
        let gy = UnsafePointer(pointer(nodes[i].gradient))
        let productGradient = pointer(field(ConvolutionField.product))
        let windows = UnsafePointer(pointer(field(ConvolutionField.windows)))
        let outputColumns = nodes[i].columns
        Parallel.split(batch, minimumChunk: Scalar.rowGrain(outputColumns)) { records in
            for n in records {
                Scalar.copyColumns(from: gy + n * outputColumns, stride: positions, offset: 0, to: productGradient,
                                   stride: columns, offset: n * positions, rows: filters, width: positions, accumulate: false)
            }
        }
        if let gw = gradientTarget(weight) {  // dW = dY · windowsᵀ
            Scalar.gemm(transposeA: false, transposeB: true, m: filters, n: taps, k: columns, alpha: 1,
                        a: productGradient, lda: columns, b: windows, ldb: columns, beta: 1, c: gw, ldc: taps)
        }
        if bias >= 0, let gb = gradientTarget(bias) {
            Scalar.reduceSum(productGradient, rows: filters, columns: columns, axis: .columns, scale: 1, into: gb, accumulate: true)
        }
        if let gx = gradientTarget(x) {  // d(windows) = Wᵀ · dY, then each run is added back (col2im)
            let windowsGradient = pointer(field(ConvolutionField.windowsGradient))
            Scalar.gemm(transposeA: true, transposeB: false, m: taps, n: columns, k: filters, alpha: 1,
                        a: valuePointer(weight), lda: taps, b: productGradient, ldb: columns, beta: 0,
                        c: windowsGradient, ldc: columns)
            // Split by record (each writes only its own row of gx); per element the taps still add
            // in order k = 0, 1, …, so the sums do not depend on the split.
            let inputColumns = nodes[x].columns
            Parallel.split(batch, minimumChunk: Scalar.rowGrain(taps * positions)) { records in
                for c in 0..<channels {
                    for k in 0..<kernelSize {
                        let row = UnsafePointer(windowsGradient + (c * kernelSize + k) * columns)
                        for n in records {
                            scatterRun(row + n * positions, into: gx + n * inputColumns + c * length, tap: k,
                                       length: length, positions: positions, stride: stride, padding: padding)
                        }
                    }
                }
            }
        }
    }
}
