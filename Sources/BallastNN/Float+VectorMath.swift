// SIMD exponential and hyperbolic tangent for the Float tape (Cephes' single-precision
// approximations, about 2 ulp), eight lanes at a time; the scalar tail uses the same formulas.

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

    /// `tanh x` for eight lanes: an odd polynomial below |x| = 0.625, `1 − 2 / (e^{2|x|} + 1)` above.
    @inline(__always)
    static func tanh8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let z = x * x
        var p = SIMD8<Float>(repeating: -5.70498872745e-3)
        p = p * z + 2.06390887954e-2
        p = p * z - 5.37397155531e-2
        p = p * z + 1.33314422036e-1
        p = p * z - 3.33332819422e-1
        let small = p * z * x + x
        let a = x.replacing(with: -x, where: x .< 0)
        let large = 1 - 2 / (exp8(2 * a) + 1)
        let signed = large.replacing(with: -large, where: x .< 0)
        return signed.replacing(with: small, where: a .< 0.625)
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
