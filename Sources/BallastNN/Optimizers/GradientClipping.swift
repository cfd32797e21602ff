/// Scales all gradients together so that their global L2 norm is at most `maxNorm`, like PyTorch's
/// `torch.nn.utils.clip_grad_norm_`, and returns the norm measured before clipping.
///
/// The norm is taken over every element of every gradient as one vector (accumulated in `Double`).
/// When it exceeds `maxNorm`, every gradient is multiplied by `maxNorm / (norm + 1e-6)`; otherwise
/// the gradients are left as they are. When the norm is not finite (a diverged step), the gradients
/// are left unchanged and the NaN or infinite norm is returned so the caller can stop or skip the
/// step.
///
/// - Parameters:
///   - parameters: the parameters whose gradients are clipped together.
///   - maxNorm: the largest allowed global norm.
/// - Returns: the global gradient norm before clipping.
/// - Precondition: `maxNorm >= 0` (trainers validate their configuration before calling).
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    precondition(maxNorm >= 0, "clipGradientNorm: maxNorm \(maxNorm) < 0")
    var squares = 0.0
    for p in parameters {
        squares += p.gradient.withUnsafeBufferPointer(sumOfSquares)
    }
    let norm = squares.squareRoot()
    guard norm.isFinite else { return Float(norm) }
    let coefficient = Double(maxNorm) / (norm + 1e-6)
    if coefficient < 1 {
        let scale = Float(coefficient)
        for p in parameters {
            p.gradient.withUnsafeMutableBufferPointer { buffer in
                guard let g = buffer.baseAddress else { return }
                let n = buffer.count
                var i = 0
                while i + 8 <= n {
                    storeVector(loadVector(g, i) * scale, g, i)
                    i += 8
                }
                while i < n {
                    g[i] *= scale
                    i += 1
                }
            }
        }
    }
    return Float(norm)
}

/// Σ xᵢ² of a buffer, summed in eight `Double` lanes and then across them.
private func sumOfSquares(_ buffer: UnsafeBufferPointer<Float>) -> Double {
    guard let x = buffer.baseAddress else { return 0 }
    let n = buffer.count
    var lanes = SIMD8<Double>()
    var i = 0
    while i + 8 <= n {
        let v = SIMD8<Double>(loadVector(x, i))
        lanes += v * v
        i += 8
    }
    var total = lanes.sum()
    while i < n {
        let v = Double(x[i])
        total += v * v
        i += 1
    }
    return total
}
