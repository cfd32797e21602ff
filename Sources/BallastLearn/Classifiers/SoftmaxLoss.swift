import BallastCore

/// The weighted softmax cross-entropy of a linear model and its gradient, in one pass over the rows.
///
/// For row `x` with label `y` and weight `s`: `z = xW + b`, `p = softmax(z)`, loss `s · (log Σ eᶻ − z_y)`,
/// gradient `s · (p − e_y)` times `x` for `W` and alone for `b`. Each row is read once — the products
/// `X·W` and `Xᵀ·G` of a general matrix multiply would read the (tall, narrow) data twice and pack it
/// each time. Rows are split into fixed chunks on all threads and the chunk partial sums are added in
/// chunk order, so results are bit-identical for a thread count.
struct SoftmaxLoss: Sendable {
    let features: Matrix
    let labels: [Int]
    let weights: [Float]
    let classCount: Int

    /// Loss sum and gradient sums (`W` as `classes × features` row-major, then `b`).
    /// - Parameter parameters: `W` (`classes × features`, row-major) followed by `b`.
    func evaluate(_ parameters: [Float]) -> (loss: Double, gradient: [Double]) {
        let n = features.rows, m = features.columns, k = classCount
        let size = k * m + k
        let parts = features.withUnsafeBufferPointer { xb in
            let x = SendableReadBuffer(xb)
            return Parallel.mapChunks(0..<n, minimumChunk: 4096, chunksPerThread: 2) { range -> (Double, [Double]) in
                var loss = 0.0
                var total = [Double](repeating: 0, count: size)
                var block = [Float](repeating: 0, count: size)
                var z = [Float](repeating: 0, count: k)
                parameters.withUnsafeBufferPointer { w in
                    block.withUnsafeMutableBufferPointer { g in
                        var inBlock = 0
                        for r in range {
                            let row = x.baseAddress! + r * m
                            for c in 0..<k { z[c] = dot(row, w.baseAddress! + c * m, m) + w[k * m + c] }
                            var top = -Float.infinity
                            for c in 0..<k { top = max(top, z[c]) }
                            var sum: Float = 0
                            for c in 0..<k { z[c] = expf(z[c] - top); sum += z[c] }
                            let s = weights[r], y = labels[r]
                            loss += Double(s) * (Double(logf(sum)) - Double(logf(max(z[y], .leastNormalMagnitude))))
                            for c in 0..<k {
                                let residual = s * (z[c] / sum - (c == y ? 1 : 0))
                                axpy(residual, row, g.baseAddress! + c * m, m)
                                g[k * m + c] += residual
                            }
                            inBlock += 1
                            if inBlock == 256 || r == range.upperBound - 1 {
                                for i in 0..<size { total[i] += Double(g[i]); g[i] = 0 }
                                inBlock = 0
                            }
                        }
                    }
                }
                return (loss, total)
            }
        }
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: size)
        for (l, g) in parts {
            loss += l
            for i in 0..<size { gradient[i] += g[i] }
        }
        return (loss, gradient)
    }
}

/// Σ a[i]·b[i] over `count` floats, eight lanes at a time.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= count {
        let va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
        let vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
        #if BALLAST_NATIVE
        acc.addProduct(va, vb)
        #else
        acc += va * vb
        #endif
        i += 8
    }
    var s = acc.sum()
    while i < count { s += a[i] * b[i]; i += 1 }
    return s
}

/// y[i] += alpha · x[i] over `count` floats.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    let va = SIMD8<Float>(repeating: alpha)
    var i = 0
    while i + 8 <= count {
        let vx = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        var vy = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
        #if BALLAST_NATIVE
        vy.addProduct(va, vx)
        #else
        vy += va * vx
        #endif
        UnsafeMutableRawPointer(y + i).storeBytes(of: vy, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { y[i] += alpha * x[i]; i += 1 }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
