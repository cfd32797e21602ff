// SIMD exponential (Cephes' single-precision approximation, about 2 ulp) and hyperbolic tangent (a
// rational minimax fit) for the Float tape, eight lanes at a time; the scalar tail uses the same formulas.

extension Float {
    /// `eˣ` for eight lanes: `x = n·ln 2 + r`, a degree-6 polynomial for `eʳ`, `2ⁿ` from the exponent
    /// bits. Inputs are clamped to `[−87.3, 88.7]` (results 1e−38 … 3e38), NaN stays NaN.
    @inline(__always)
    static func exp8(_ v: SIMD8<Float>) -> SIMD8<Float> {
        let low = SIMD8<Float>(repeating: -87.3), high = SIMD8<Float>(repeating: 88.7)
        var x = v.replacing(with: low, where: v .< low)
        x = x.replacing(with: high, where: x .> high)
        // Round x·log₂e to an integer n with the 1.5·2²³ trick: the sum's low mantissa bits are n.
        let magic = SIMD8<Float>(repeating: 12582912)
        let shifted = x * 1.44269504088896341 + magic
        let n = shifted - magic
        let r = x - n * 0.693359375 + n * 2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: SIMD8<Float>.self)
        return (p * scale).replacing(with: v, where: v .!= v)
    }

    /// `tanh x` for eight lanes: an odd rational function of degrees 13 / 6 on `x` clamped to
    /// ±7.9053 (beyond it `tanh` rounds to ±1 in Float), the minimax fit Eigen, XLA and ONNX Runtime
    /// use. Eleven FMAs and one division, no exponential; within 3e-7 of `tanh` everywhere
    /// (`VectorMathTests`), and odd, so small arguments keep their relative accuracy. NaN stays NaN.
    @inline(__always)
    static func tanh8(_ v: SIMD8<Float>) -> SIMD8<Float> {
        let limit = SIMD8<Float>(repeating: 7.90531110763549805)
        var x = v.replacing(with: limit, where: v .> limit)
        x = x.replacing(with: -limit, where: x .< -limit)
        let z = x * x
        var p = SIMD8<Float>(repeating: -2.76076847742355e-16)
        p = p * z + 2.00018790482477e-13
        p = p * z - 8.60467152213735e-11
        p = p * z + 5.12229709037114e-08
        p = p * z + 1.48572235717979e-05
        p = p * z + 6.37261928875436e-04
        p = p * z + 4.89352455891786e-03
        var q = SIMD8<Float>(repeating: 1.19825839466702e-06)
        q = q * z + 1.18534705686654e-04
        q = q * z + 2.26843463243900e-03
        q = q * z + 4.89352518554385e-03
        return x * p / q
    }

    /// Vectorized `eˣ`.
    public static func vectorExp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        apply8(x, y, count: count, exp8)
    }

    /// Vectorized `tanh`.
    public static func vectorTanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        apply8(x, y, count: count, tanh8)
    }

    /// Applies an eight-lane function over a buffer, padding the tail.
    @inline(__always)
    static func apply8(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                       _ f: (SIMD8<Float>) -> SIMD8<Float>) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: f(v), as: SIMD8<Float>.self)
            i += 8
        }
        if i < count {
            var tail = SIMD8<Float>(repeating: 0)
            for j in 0..<(count - i) { tail[j] = x[i + j] }
            let out = f(tail)
            for j in 0..<(count - i) { y[i + j] = out[j] }
        }
    }
}
