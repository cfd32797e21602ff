/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable, Hashable {
    /// Use the operand as stored.
    case none
    /// Use the transpose of the stored operand.
    case transposed
}

/// General matrix multiply on row-major `Float` buffers: `C = alpha * op(A) * op(B) + beta * C`.
///
/// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; `lda`, `ldb`, `ldc` are the row strides of
/// the *stored* matrices. When `beta == 0`, `C` is overwritten without being read (NaN in `C` does not
/// propagate), as in BLAS.
public enum GEMM {
    /// Computes `C = alpha * op(A) * op(B) + beta * C`.
    ///
    /// - Precondition: the strides are large enough for the shapes (a programmer error otherwise).
    public static func multiply(
        transposeA: Transpose, transposeB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "GEMM: negative dimension")
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    let av = transposeA == .none ? a[i * lda + p] : a[p * lda + i]
                    let bv = transposeB == .none ? b[p * ldb + j] : b[j * ldb + p]
                    sum += av * bv
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * sum + old
            }
        }
    }
}
