extension SIMD8 {
    /// The 8×8 block `p[k·stride + j]` (`k`, `j` in `0..<8`) transposed: vector `j` holds
    /// `p[j], p[stride + j], …, p[7·stride + j]`. Eight contiguous loads, then three rounds of
    /// even/odd unzips over the eight vectors: each round moves bit 0 of an element's index (row · 8
    /// + column, six bits) to the top, so three rounds swap the row and column bits; LLVM lowers each
    /// unzip to one two-source permute. Used by the GEMM's packing and by kernels that sum eight
    /// strided rows side by side.
    @inlinable @inline(__always)
    public static func transposed(_ p: UnsafePointer<Scalar>, stride: Int) -> (Self, Self, Self, Self, Self, Self, Self, Self) {
        @inline(__always) func load(_ k: Int) -> Self { UnsafeRawPointer(p + k * stride).loadUnaligned(as: Self.self) }
        @inline(__always) func unzip(_ a: Self, _ b: Self) -> (Self, Self) {
            let both = SIMD16(lowHalf: a, highHalf: b)
            return (both.evenHalf, both.oddHalf)
        }
        var v0 = load(0), v1 = load(1), v2 = load(2), v3 = load(3)
        var v4 = load(4), v5 = load(5), v6 = load(6), v7 = load(7)
        for _ in 0..<3 {
            let (e0, o0) = unzip(v0, v1), (e1, o1) = unzip(v2, v3)
            let (e2, o2) = unzip(v4, v5), (e3, o3) = unzip(v6, v7)
            (v0, v1, v2, v3, v4, v5, v6, v7) = (e0, e1, e2, e3, o0, o1, o2, o3)
        }
        return (v0, v1, v2, v3, v4, v5, v6, v7)
    }
}
