// Fused kernels of the RealNVP affine coupling (see ``Tape/affineCoupling(_:scaleAndShift:mask:)``).

extension NNScalar {
    /// `y = x ⊙ e^s + t` with `s = tanh(raw) ⊙ (1 − mask)`, `t = shift ⊙ (1 − mask)`; writes
    /// `tanh(raw)` and `e^s` for the backward pass and `Σⱼ s` per row into `logDeterminant`.
    public static func couplingForward(
        _ x: UnsafePointer<Self>, scaleAndShift st: UnsafePointer<Self>, mask: UnsafePointer<Self>,
        output y: UnsafeMutablePointer<Self>, logDeterminant: UnsafeMutablePointer<Self>,
        tanhScale: UnsafeMutablePointer<Self>, expScale: UnsafeMutablePointer<Self>, rows: Int, features f: Int
    ) {
        for r in 0..<rows {
            let raw = st + r * 2 * f, shift = raw + f, xr = x + r * f, yr = y + r * f
            let th = tanhScale + r * f, es = expScale + r * f
            vectorTanh(raw, th, count: f)
            var total: Self = 0
            for j in 0..<f {
                let s = th[j] * (1 - mask[j])
                es[j] = s
                total += s
            }
            vectorExp(es, es, count: f)
            for j in 0..<f { yr[j] = xr[j] * es[j] + shift[j] * (1 - mask[j]) }
            logDeterminant[r] = total
        }
    }

    /// The coupling's inverse: `x = (y − shift ⊙ free) ⊙ e^(−tanh(raw) ⊙ free)`, `free = 1 − mask`.
    public static func couplingInverse(
        _ y: UnsafePointer<Self>, scaleAndShift st: UnsafePointer<Self>, mask: UnsafePointer<Self>,
        input x: UnsafeMutablePointer<Self>, rows: Int, features f: Int
    ) {
        for r in 0..<rows {
            let raw = st + r * 2 * f, shift = raw + f, yr = y + r * f, xr = x + r * f
            vectorTanh(raw, xr, count: f)
            for j in 0..<f { xr[j] = -xr[j] * (1 - mask[j]) }
            vectorExp(xr, xr, count: f)
            for j in 0..<f { xr[j] = (yr[j] - shift[j] * (1 - mask[j])) * xr[j] }
        }
    }

    /// Accumulates the gradients of the coupling output `y` into `x` and `scaleAndShift`.
    public static func couplingBackward(
        _ x: UnsafePointer<Self>, mask: UnsafePointer<Self>, tanhScale: UnsafePointer<Self>, expScale: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>?,
        scaleAndShiftGradient gst: UnsafeMutablePointer<Self>?, rows: Int, features f: Int
    ) {
        for r in 0..<rows {
            let g = gy + r * f, xr = x + r * f, th = tanhScale + r * f, es = expScale + r * f
            if let gx {
                let d = gx + r * f
                for j in 0..<f { d[j] += g[j] * es[j] }
            }
            if let gst {
                let dRaw = gst + r * 2 * f, dShift = dRaw + f
                for j in 0..<f {
                    let free = 1 - mask[j]
                    dRaw[j] += g[j] * xr[j] * es[j] * free * (1 - th[j] * th[j])
                    dShift[j] += g[j] * free
                }
            }
        }
    }

    /// Accumulates the gradient of the per-row log-determinant `Σⱼ s` into `scaleAndShift`.
    public static func couplingLogDeterminantBackward(
        mask: UnsafePointer<Self>, tanhScale: UnsafePointer<Self>, outputGradient gld: UnsafePointer<Self>,
        scaleAndShiftGradient gst: UnsafeMutablePointer<Self>, rows: Int, features f: Int
    ) {
        for r in 0..<rows {
            let th = tanhScale + r * f, dRaw = gst + r * 2 * f, g = gld[r]
            for j in 0..<f { dRaw[j] += g * (1 - mask[j]) * (1 - th[j] * th[j]) }
        }
    }
}
