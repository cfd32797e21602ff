// Row- and column-wise kernels of ``NNScalar``: reductions, copies, gathers, softmax, batch norm.
// Row-wise kernels split their rows over the awake workers (see `NNScalar+Elementwise.swift`);
// reductions across rows run in one piece.

import BallastCore

extension NNScalar {
    /// `gx += scale · g` broadcast back over `axis`.
    public static func broadcastAccumulate(
        _ g: UnsafePointer<Self>, rows: Int, columns: Int, axis: Axis?, scale: Self, into gx: UnsafeMutablePointer<Self>
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(columns)) { part in
            broadcastAccumulatePart(axis == .columns ? g + part.lowerBound : g, rows: part.count, columns: columns, axis: axis,
                                    scale: scale, into: gx + part.lowerBound * columns)
        }
    }

    /// Copies or adds a `rows × width` block.
    public static func copyColumns(
        from source: UnsafePointer<Self>, stride sourceStride: Int, offset sourceOffset: Int,
        to destination: UnsafeMutablePointer<Self>, stride destinationStride: Int, offset destinationOffset: Int,
        rows: Int, width: Int, accumulate: Bool
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(width)) { part in
            copyColumnsPart(from: source + part.lowerBound * sourceStride, stride: sourceStride, offset: sourceOffset,
                            to: destination + part.lowerBound * destinationStride, stride: destinationStride,
                            offset: destinationOffset, rows: part.count, width: width, accumulate: accumulate)
        }
    }

    /// `destination[r] = source[indices[r]]`.
    public static func gatherRows(
        _ source: UnsafePointer<Self>, columns: Int, indices: UnsafePointer<Int>, count: Int,
        into destination: UnsafeMutablePointer<Self>
    ) {
        Parallel.split(count, minimumChunk: rowGrain(columns)) { part in
            gatherRowsPart(source, columns: columns, indices: indices + part.lowerBound, count: part.count,
                           into: destination + part.lowerBound * columns)
        }
    }

    /// Row-wise log-softmax.
    public static func logSoftmaxForward(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        Parallel.split(rows, minimumChunk: rowGrain(columns)) { part in
            logSoftmaxForwardPart(x + part.lowerBound * columns, y + part.lowerBound * columns, rows: part.count, columns: columns)
        }
    }

    /// `gx += gy − softmax · Σ gy`.
    public static func logSoftmaxBackward(
        y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(columns)) { part in
            let o = part.lowerBound * columns
            logSoftmaxBackwardPart(y: y + o, outputGradient: gy + o, inputGradient: gx + o, rows: part.count, columns: columns)
        }
    }

    /// `y[r] = max_c x[r, c]`.
    public static func rowMaxForward(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        Parallel.split(rows, minimumChunk: rowGrain(columns)) { part in
            rowMaxForwardPart(x + part.lowerBound * columns, y + part.lowerBound, rows: part.count, columns: columns)
        }
    }

    /// Routes `gy[r]` to the first maximal column of row `r` (added to `gx`; with `accumulate: false`
    /// the rest of `gx` is zeroed, piece by piece, instead of being read).
    public static func rowMaxBackward(
        x: UnsafePointer<Self>, y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>,
        inputGradient gx: UnsafeMutablePointer<Self>, rows: Int, columns: Int, accumulate: Bool
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(columns)) { part in
            let o = part.lowerBound * columns
            if !accumulate && columns == 2 {  // pooling windows of two: write both columns, no zeroing pass
                let xp = x + o, g = gy + part.lowerBound, m = y + part.lowerBound, d = gx + o
                for r in 0..<part.count {
                    let first = xp[2 * r] == m[r]
                    d[2 * r] = first ? 0 + g[r] : 0  // `0 +`: what zeroing and then adding gave
                    d[2 * r + 1] = !first && xp[2 * r + 1] == m[r] ? 0 + g[r] : 0
                }
                return
            }
            if !accumulate { (gx + o).update(repeating: 0, count: part.count * columns) }
            rowMaxBackwardPart(x: x + o, y: y + part.lowerBound, outputGradient: gy + part.lowerBound, inputGradient: gx + o,
                               rows: part.count, columns: columns)
        }
    }

    /// `out = scale · Σ x` over `axis`.
    public static func reduceSum(
        _ x: UnsafePointer<Self>, rows: Int, columns: Int, axis: Axis?, scale: Self,
        into out: UnsafeMutablePointer<Self>, accumulate: Bool
    ) {
        switch axis {
        case .rows?:
            if !accumulate { fill(out, with: 0, count: columns) }
            if scale == 1 {
                for r in 0..<rows {
                    let xr = x + r * columns
                    for c in 0..<columns { out[c] += xr[c] }
                }
            } else {
                for r in 0..<rows {
                    let xr = x + r * columns
                    for c in 0..<columns { out[c] += scale * xr[c] }
                }
            }
        case .columns?:
            // Each row's sum adds its values in order, but eight rows' chains run side by side
            // (``forEachPosition(_:stride:length:_:_:)``), and groups of eight rows are split over the
            // awake workers: the convolutions' bias gradients sum rows of 8–16 thousand values.
            Parallel.split((rows + 7) / 8, minimumChunk: rowGrain(8 * columns)) { groups in
                for group in groups {
                    let r0 = 8 * group, n = Swift.min(8, rows - r0)
                    var s = SIMD8<Self>()
                    forEachPosition(x + r0 * columns, stride: columns, length: columns, n) { s += $0 }
                    for k in 0..<n { out[r0 + k] = (accumulate ? out[r0 + k] : 0) + scale * s[k] }
                }
            }
        case nil:
            var s: Self = 0
            for i in 0..<(rows * columns) { s += x[i] }
            out[0] = (accumulate ? out[0] : 0) + scale * s
        }
    }

    /// One piece of ``broadcastAccumulate``, in the calling thread.
    static func broadcastAccumulatePart(
        _ g: UnsafePointer<Self>, rows: Int, columns: Int, axis: Axis?, scale: Self, into gx: UnsafeMutablePointer<Self>
    ) {
        for r in 0..<rows {
            let d = gx + r * columns
            switch axis {
            case .rows?: for c in 0..<columns { d[c] += scale * g[c] }
            case .columns?:
                let v = scale * g[r]
                for c in 0..<columns { d[c] += v }
            case nil:
                let v = scale * g[0]
                for c in 0..<columns { d[c] += v }
            }
        }
    }

    /// One piece of ``copyColumns``, in the calling thread.
    static func copyColumnsPart(
        from source: UnsafePointer<Self>, stride sourceStride: Int, offset sourceOffset: Int,
        to destination: UnsafeMutablePointer<Self>, stride destinationStride: Int, offset destinationOffset: Int,
        rows: Int, width: Int, accumulate: Bool
    ) {
        for r in 0..<rows {
            let s = source + r * sourceStride + sourceOffset
            let d = destination + r * destinationStride + destinationOffset
            if accumulate {
                for c in 0..<width { d[c] += s[c] }
            } else {
                for c in 0..<width { d[c] = s[c] }
            }
        }
    }

    /// One piece of ``gatherRows``, in the calling thread.
    static func gatherRowsPart(
        _ source: UnsafePointer<Self>, columns: Int, indices: UnsafePointer<Int>, count: Int,
        into destination: UnsafeMutablePointer<Self>
    ) {
        for r in 0..<count {
            let s = source + indices[r] * columns, d = destination + r * columns
            for c in 0..<columns { d[c] = s[c] }
        }
    }

    /// `destination[indices[r]] += source[r]`.
    public static func scatterAddRows(
        _ source: UnsafePointer<Self>, columns: Int, indices: UnsafePointer<Int>, count: Int,
        into destination: UnsafeMutablePointer<Self>
    ) {
        for r in 0..<count {
            let s = source + r * columns, d = destination + indices[r] * columns
            for c in 0..<columns { d[c] += s[c] }
        }
    }

    /// One piece of ``logSoftmaxForward``, in the calling thread.
    static func logSoftmaxForwardPart(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let xr = x + r * columns, yr = y + r * columns
            var m = -Self.infinity
            for c in 0..<columns { m = Swift.max(m, xr[c]) }
            var s: Self = 0
            for c in 0..<columns { s += nnExp(xr[c] - m) }
            let shift = m + nnLog(s)
            for c in 0..<columns { yr[c] = xr[c] - shift }
        }
    }

    /// One piece of ``logSoftmaxBackward``, in the calling thread.
    static func logSoftmaxBackwardPart(
        y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int
    ) {
        for r in 0..<rows {
            let yr = y + r * columns, g = gy + r * columns, d = gx + r * columns
            var s: Self = 0
            for c in 0..<columns { s += g[c] }
            for c in 0..<columns { d[c] += g[c] - nnExp(yr[c]) * s }
        }
    }

    /// One piece of ``rowMaxForward``, in the calling thread.
    static func rowMaxForwardPart(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        if columns == 2 {  // pooling windows of two: the loop below unrolled, so that it vectorises
            for r in 0..<rows { y[r] = Swift.max(Swift.max(-Self.infinity, x[2 * r]), x[2 * r + 1]) }
            return
        }
        for r in 0..<rows {
            let xr = x + r * columns
            var m = -Self.infinity
            for c in 0..<columns { m = Swift.max(m, xr[c]) }
            y[r] = m
        }
    }

    /// One piece of ``rowMaxBackward``, in the calling thread.
    static func rowMaxBackwardPart(
        x: UnsafePointer<Self>, y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>,
        inputGradient gx: UnsafeMutablePointer<Self>, rows: Int, columns: Int
    ) {
        if columns == 2 {  // pooling windows of two, without the inner loop
            for r in 0..<rows {
                if x[2 * r] == y[r] {
                    gx[2 * r] += gy[r]
                } else if x[2 * r + 1] == y[r] {
                    gx[2 * r + 1] += gy[r]
                }
            }
            return
        }
        for r in 0..<rows {
            let xr = x + r * columns
            for c in 0..<columns where xr[c] == y[r] {
                gx[r * columns + c] += gy[r]
                break
            }
        }
    }

    /// Column normalization with batch or running statistics.
    public static func batchNormForward(
        _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int,
        statistics invStd: UnsafeMutablePointer<Self>, runningMean: UnsafeMutablePointer<Float>,
        runningVariance: UnsafeMutablePointer<Float>, momentum: Double, epsilon: Double, training: Bool
    ) {
        let eps = Self(epsilon)
        if training {
            // invStd first holds the column means, y the centred values.
            reduceSum(x, rows: rows, columns: columns, axis: .rows, scale: 1 / Self(rows), into: invStd, accumulate: false)
            let mean = invStd
            for r in 0..<rows {
                let xr = x + r * columns, yr = y + r * columns
                for c in 0..<columns { yr[c] = xr[c] - mean[c] }
            }
            let m = Float(momentum)
            let unbiased = rows > 1 ? Float(rows) / Float(rows - 1) : 1
            for c in 0..<columns { runningMean[c] = (1 - m) * runningMean[c] + m * Float(mean[c]) }
            // Reuse invStd for the biased variance, column by column through a row pass.
            fill(invStd, with: 0, count: columns)
            for r in 0..<rows {
                let yr = y + r * columns
                for c in 0..<columns { invStd[c] += yr[c] * yr[c] }
            }
            let n = Self(rows)
            for c in 0..<columns {
                let variance = invStd[c] / n
                runningVariance[c] = (1 - m) * runningVariance[c] + m * Float(variance) * unbiased
                invStd[c] = 1 / (variance + eps).squareRoot()
            }
            for r in 0..<rows {
                let yr = y + r * columns
                for c in 0..<columns { yr[c] *= invStd[c] }
            }
        } else {
            for c in 0..<columns { invStd[c] = 1 / (Self(runningVariance[c]) + eps).squareRoot() }
            for r in 0..<rows {
                let xr = x + r * columns, yr = y + r * columns
                for c in 0..<columns { yr[c] = (xr[c] - Self(runningMean[c])) * invStd[c] }
            }
        }
    }

    /// Input gradient of the column normalization.
    public static func batchNormBackward(
        y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int, statistics invStd: UnsafePointer<Self>, training: Bool
    ) {
        guard training else {
            for r in 0..<rows {
                let g = gy + r * columns, d = gx + r * columns
                for c in 0..<columns { d[c] += g[c] * invStd[c] }
            }
            return
        }
        // gx = invStd / N · (N·g − Σg − ŷ·Σ(g·ŷ)), per column. Scratch for the two sums comes from
        // the stack for narrow layers and the heap otherwise.
        withUnsafeTemporaryAllocation(of: Self.self, capacity: 2 * columns) { scratch in
            let sumG = scratch.baseAddress!, sumGY = sumG + columns
            fill(sumG, with: 0, count: 2 * columns)
            for r in 0..<rows {
                let g = gy + r * columns, yr = y + r * columns
                for c in 0..<columns {
                    sumG[c] += g[c]
                    sumGY[c] += g[c] * yr[c]
                }
            }
            let inverseN = 1 / Self(rows)
            for c in 0..<columns {
                sumG[c] *= inverseN
                sumGY[c] *= inverseN
            }
            for r in 0..<rows {
                let g = gy + r * columns, yr = y + r * columns, d = gx + r * columns
                for c in 0..<columns { d[c] += invStd[c] * (g[c] - sumG[c] - yr[c] * sumGY[c]) }
            }
        }
    }
}
