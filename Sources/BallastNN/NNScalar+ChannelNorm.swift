// Batch normalization of channel-major rows (`rows × (channels·length)`): statistics per channel
// over the batch and the positions, PyTorch's `BatchNorm1d` on `(N, C, L)`. With `length == 1`
// these are ``NNScalar/batchNormForward(_:_:rows:columns:statistics:runningMean:runningVariance:momentum:epsilon:training:)``
// and its backward, which the tape calls instead. Channels are independent, so they are split over
// the awake workers (each channel's sums run in the same order wherever it runs).

import BallastCore

extension NNScalar {
    /// Normalizes each channel of channel-major rows: element `(r, c, t)` at `r·channels·length +
    /// c·length + t`, statistics per `c` over `rows·length` values; otherwise as `batchNormForward`.
    /// `statistics` receives `channels` values of `1/√(var + ε)`.
    public static func channelBatchNormForward(
        _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, channels: Int, length: Int,
        statistics invStd: UnsafeMutablePointer<Self>, runningMean: UnsafeMutablePointer<Float>,
        runningVariance: UnsafeMutablePointer<Float>, momentum: Double, epsilon: Double, training: Bool
    ) {
        let width = channels * length
        Parallel.split(channels, minimumChunk: rowGrain(rows * length)) { part in
            let c = part.lowerBound
            channelBatchNormForwardPart(x + c * length, y + c * length, rows: rows, channels: part.count, length: length, width: width,
                                        statistics: invStd + c, runningMean: runningMean + c, runningVariance: runningVariance + c,
                                        momentum: momentum, epsilon: epsilon, training: training)
        }
    }

    /// Accumulates the input gradient of ``channelBatchNormForward(_:_:rows:channels:length:statistics:runningMean:runningVariance:momentum:epsilon:training:)``
    /// from its output `y` (the normalized values): per channel, `gx += invStd · (g − mean(g) − ŷ·mean(g·ŷ))`
    /// in training, `gx += invStd · g` in inference.
    /// With `accumulate: false` it writes `gx` instead of adding to it (`gx` need not be initialized).
    public static func channelBatchNormBackward(
        y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>,
        rows: Int, channels: Int, length: Int, statistics invStd: UnsafePointer<Self>, training: Bool, accumulate: Bool
    ) {
        let width = channels * length
        Parallel.split(channels, minimumChunk: rowGrain(rows * length)) { part in
            let o = part.lowerBound * length
            channelBatchNormBackwardPart(y: y + o, outputGradient: gy + o, inputGradient: gx + o, rows: rows, channels: part.count,
                                         length: length, width: width, statistics: invStd + part.lowerBound, training: training,
                                         accumulate: accumulate)
        }
    }

    /// One piece of ``channelBatchNormForward``, in the calling thread.
    static func channelBatchNormForwardPart(
        _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, channels: Int, length: Int, width: Int,
        statistics invStd: UnsafeMutablePointer<Self>, runningMean: UnsafeMutablePointer<Float>,
        runningVariance: UnsafeMutablePointer<Float>, momentum: Double, epsilon: Double, training: Bool
    ) {
        let eps = Self(epsilon)
        if training {
            let count = rows * length
            let m = Float(momentum), unbiased = count > 1 ? Float(count) / Float(count - 1) : 1
            // Eight channels at a time: each channel's sums still add its values in order (rows,
            // then positions), but the eight dependency chains run side by side instead of one
            // after another. The results are those of one channel at a time.
            var c = 0
            while c < channels {
                let n = Swift.min(8, channels - c)
                var sum = SIMD8<Self>()
                for r in 0..<rows {
                    let run = x + r * width + c * length
                    forEachPosition(run, stride: length, length: length, n) { sum += $0 }
                }
                let mean = sum / SIMD8(repeating: Self(count))
                // The squares of `x − mean`, computed again from `x` rather than read back from `y`.
                var squares = SIMD8<Self>()
                for r in 0..<rows {
                    forEachPosition(x + r * width + c * length, stride: length, length: length, n) {
                        let centred = $0 - mean
                        squares += centred * centred
                    }
                }
                let variance = squares / SIMD8(repeating: Self(count))
                for k in 0..<n {
                    let channel = c + k, channelMean = mean[k]
                    runningMean[channel] = (1 - m) * runningMean[channel] + m * Float(channelMean)
                    runningVariance[channel] = (1 - m) * runningVariance[channel] + m * Float(variance[k]) * unbiased
                    let scale = 1 / (variance[k] + eps).squareRoot()
                    invStd[channel] = scale
                    for r in 0..<rows {
                        let run = x + r * width + channel * length, out = y + r * width + channel * length
                        for t in 0..<length { out[t] = (run[t] - channelMean) * scale }
                    }
                }
                c += 8
            }
        } else {
            for c in 0..<channels {
                let scale = 1 / (Self(runningVariance[c]) + eps).squareRoot(), mean = Self(runningMean[c])
                invStd[c] = scale
                for r in 0..<rows {
                    let run = x + r * width + c * length, out = y + r * width + c * length
                    for t in 0..<length { out[t] = (run[t] - mean) * scale }
                }
            }
        }
    }

    /// One piece of ``channelBatchNormBackward``, in the calling thread.
    static func channelBatchNormBackwardPart(
        y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>,
        rows: Int, channels: Int, length: Int, width: Int, statistics invStd: UnsafePointer<Self>, training: Bool,
        accumulate: Bool
    ) {
        let inverseCount = 1 / Self(Swift.max(rows * length, 1))
        var c = 0
        while c < channels {  // eight channels' sums side by side, as in the forward pass
            let n = Swift.min(8, channels - c)
            var meanG = SIMD8<Self>(), meanGY = SIMD8<Self>()
            if training {
                for r in 0..<rows {
                    let o = r * width + c * length
                    forEachPosition(gy + o, y + o, stride: length, length: length, n) { gv, yv in
                        meanG += gv
                        meanGY += gv * yv
                    }
                }
                meanG *= inverseCount
                meanGY *= inverseCount
            }
            for k in 0..<n {
                let channel = c + k, scale = invStd[channel], channelMeanG = meanG[k], channelMeanGY = meanGY[k]
                for r in 0..<rows {
                    let o = r * width + channel * length
                    let g = gy + o, yr = y + o, d = gx + o
                    if accumulate {
                        for t in 0..<length { d[t] += scale * (g[t] - channelMeanG - yr[t] * channelMeanGY) }
                    } else {
                        for t in 0..<length { d[t] = scale * (g[t] - channelMeanG - yr[t] * channelMeanGY) }
                    }
                }
            }
            c += 8
        }
    }

    /// Calls `body` with the values of `n ≤ 8` strided runs (channels here, rows in `reduceSum`) at
    /// each position `t` in `0..<length`, in order: lane `k` holds `p[k·stride + t]` (zeros in lanes
    /// `n…7`). Whole groups of eight runs read eight positions of each at once and transpose them
    /// in registers (``SIMD8/transposed(_:stride:)``), instead of eight strided loads per position.
    @inline(__always)
    static func forEachPosition(_ p: UnsafePointer<Self>, stride: Int, length: Int, _ n: Int,
                                _ body: (SIMD8<Self>) -> Void) {
        var t = 0
        if n == 8 {
            while t + 8 <= length {
                let w = SIMD8<Self>.transposed(p + t, stride: stride)
                body(w.0); body(w.1); body(w.2); body(w.3); body(w.4); body(w.5); body(w.6); body(w.7)
                t += 8
            }
        }
        while t < length {
            body(lanes(p + t, stride: stride, n))
            t += 1
        }
    }

    /// ``forEachPosition(_:stride:length:_:_:)`` over two buffers of the same layout at once.
    @inline(__always)
    static func forEachPosition(_ p: UnsafePointer<Self>, _ q: UnsafePointer<Self>, stride: Int, length: Int, _ n: Int,
                                _ body: (SIMD8<Self>, SIMD8<Self>) -> Void) {
        var t = 0
        if n == 8 {
            while t + 8 <= length {
                let a = SIMD8<Self>.transposed(p + t, stride: stride), b = SIMD8<Self>.transposed(q + t, stride: stride)
                body(a.0, b.0); body(a.1, b.1); body(a.2, b.2); body(a.3, b.3)
                body(a.4, b.4); body(a.5, b.5); body(a.6, b.6); body(a.7, b.7)
                t += 8
            }
        }
        while t < length {
            body(lanes(p + t, stride: stride, n), lanes(q + t, stride: stride, n))
            t += 1
        }
    }

    /// `n ≤ 8` values `p[0], p[stride], …`, zeros after them.
    @inline(__always)
    static func lanes(_ p: UnsafePointer<Self>, stride: Int, _ n: Int) -> SIMD8<Self> {
        var v = SIMD8<Self>()
        if n == 8 {
            for k in 0..<8 { v[k] = p[k * stride] }
        } else {
            for k in 0..<n { v[k] = p[k * stride] }
        }
        return v
    }
}
