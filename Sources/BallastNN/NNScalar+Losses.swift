// Fused loss kernels of ``NNScalar`` (numerically stable forms).

extension NNScalar {
    /// Mean of `max(x, 0) − x·t + log(1 + e^−|x|)`.
    public static func bceWithLogitsForward(_ x: UnsafePointer<Self>, targets t: UnsafePointer<Self>, count: Int) -> Self {
        var s: Self = 0
        for i in 0..<count {
            let v = x[i]
            s += (v > 0 ? v : 0) - v * t[i] + nnLog1p(nnExp(-abs(v)))
        }
        return count > 0 ? s / Self(count) : 0
    }

    /// `gx += scale · (σ(x) − t)`.
    public static func bceWithLogitsBackward(
        _ x: UnsafePointer<Self>, targets t: UnsafePointer<Self>, scale: Self,
        inputGradient gx: UnsafeMutablePointer<Self>, count: Int
    ) {
        for i in 0..<count { gx[i] += scale * (sigmoidValue(x[i]) - t[i]) }
    }

    /// `log Σ eˣ` of one row.
    @inline(__always)
    static func logSumExp(_ row: UnsafePointer<Self>, columns: Int) -> Self {
        var m = -Self.infinity
        for c in 0..<columns { m = Swift.max(m, row[c]) }
        var s: Self = 0
        for c in 0..<columns { s += nnExp(row[c] - m) }
        return m + nnLog(s)
    }

    /// Weighted mean over rows of `−log softmax(x)[label]`.
    public static func softmaxCrossEntropyForward(
        _ x: UnsafePointer<Self>, rows: Int, columns: Int, labels: UnsafePointer<Int>,
        weights: UnsafePointer<Self>?
    ) -> Self {
        var total: Self = 0, weightSum: Self = 0
        for r in 0..<rows {
            let xr = x + r * columns
            let w = weights.map { $0[labels[r]] } ?? 1
            total += w * (logSumExp(xr, columns: columns) - xr[labels[r]])
            weightSum += w
        }
        return weightSum > 0 ? total / weightSum : 0
    }

    /// `gx += scale · w[y] / Σ w · (softmax(x) − onehot(y))`.
    public static func softmaxCrossEntropyBackward(
        _ x: UnsafePointer<Self>, rows: Int, columns: Int, labels: UnsafePointer<Int>,
        weights: UnsafePointer<Self>?, scale: Self, inputGradient gx: UnsafeMutablePointer<Self>
    ) {
        var weightSum: Self = 0
        for r in 0..<rows { weightSum += weights.map { $0[labels[r]] } ?? 1 }
        guard weightSum > 0 else { return }
        for r in 0..<rows {
            let xr = x + r * columns, d = gx + r * columns
            let w = scale * (weights.map { $0[labels[r]] } ?? 1) / weightSum
            let lse = logSumExp(xr, columns: columns)
            for c in 0..<columns { d[c] += w * nnExp(xr[c] - lse) }
            d[labels[r]] -= w
        }
    }
}
