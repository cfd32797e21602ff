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
            for c in 0..<channels {
                var sum: Self = 0
                for r in 0..<rows {
                    let run = x + r * width + c * length
                    for t in 0..<length { sum += run[t] }
                }
                let mean = sum / Self(count)
                var squares: Self = 0
                for r in 0..<rows {
                    let run = x + r * width + c * length, out = y + r * width + c * length
                    for t in 0..<length {
                        let centred = run[t] - mean
                        out[t] = centred
                        squares += centred * centred
                    }
                }
                let variance = squares / Self(count)
                runningMean[c] = (1 - m) * runningMean[c] + m * Float(mean)
                runningVariance[c] = (1 - m) * runningVariance[c] + m * Float(variance) * unbiased
                let scale = 1 / (variance + eps).squareRoot()
                invStd[c] = scale
                for r in 0..<rows {
                    let out = y + r * width + c * length
                    for t in 0..<length { out[t] *= scale }
                }
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
        for c in 0..<channels {
            var meanG: Self = 0, meanGY: Self = 0
            if training {
                for r in 0..<rows {
                    let g = gy + r * width + c * length, yr = y + r * width + c * length
                    for t in 0..<length {
                        meanG += g[t]
                        meanGY += g[t] * yr[t]
                    }
                }
                meanG *= inverseCount
                meanGY *= inverseCount
            }
            let scale = invStd[c]
            for r in 0..<rows {
                let g = gy + r * width + c * length, yr = y + r * width + c * length, d = gx + r * width + c * length
                if accumulate {
                    for t in 0..<length { d[t] += scale * (g[t] - meanG - yr[t] * meanGY) }
                } else {
                    for t in 0..<length { d[t] = scale * (g[t] - meanG - yr[t] * meanGY) }
                }
            }
        }
    }
}
