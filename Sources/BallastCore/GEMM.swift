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
///
/// The Swift path packs `op(B)` into panels of 16 columns and `op(A)` into slivers of 6 rows per
/// block of 256 along `k`, and runs a 6×16 register-blocked micro-kernel of `SIMD8<Float>`
/// accumulators (see `GEMMKernel` for the loop nest); `C` is split into one block of columns (or of
/// rows) per thread of ``Parallel/threadCount`` when the product has at least 64³ multiply-adds. Each element of
/// `C` is computed by one thread in a fixed order, so results are bit-identical run to run (and do not
/// depend on the thread count or on `parallel`). When a BLAS library is loaded (see ``BLAS``) and
/// `backend` is automatic, products of at least 32³ multiply-adds that the Swift kernel would run on
/// one thread (`parallel: false`, one thread in all, or under 64³) go to `cblas_sgemm` instead; with
/// OpenBLAS that is 10–60% faster there, while the threaded Swift kernel beats OpenBLAS's threads.
/// Which path ran can change the last bits of a result.
public enum GEMM {
    /// Which implementation computes a product.
    public enum Backend: Sendable, Hashable {
        /// BLAS for non-tiny products the Swift kernel would run on one thread, when a library was
        /// loaded; the Swift kernel otherwise.
        case automatic
        /// Always the Swift kernel.
        case swift
        /// BLAS; falls back to the Swift kernel when no library is loaded.
        case blas
    }

    /// The name of the BLAS library in use, or `nil` when products run on the Swift kernel only.
    public static var blasLibrary: String? { BLAS.shared?.name }

    /// The code that computes a product; each gives the same bits for an element of `C` whatever
    /// the number of rows or the thread split, but the three differ from one another.
    public enum Algorithm: Sendable, Hashable {
        /// `cblas_sgemm` of the loaded library.
        case blas
        /// Plain loops that add each product term straight into `C` (tiny products).
        case loops
        /// The packed, register-blocked Swift kernel.
        case packed
    }

    /// The algorithm ``multiply(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:backend:parallel:algorithm:)``
    /// chooses for these sizes. A caller that splits one product into parts by rows and runs each
    /// part with `parallel: false` passes the whole product's algorithm to every part, so that the
    /// parts compute exactly what the whole would, however it is split.
    public static func algorithm(m: Int, n: Int, k: Int, backend: Backend = .automatic, parallel: Bool = true) -> Algorithm {
        let work = m * n * k
        let singleThreaded = !parallel || Parallel.threadCount == 1 || work < GEMMKernel.parallelWork
        if backend != .swift, BLAS.shared != nil, backend == .blas || (work >= 32 * 32 * 32 && singleThreaded) { return .blas }
        return work < 24 * 24 * 24 ? .loops : .packed
    }

    /// Computes `C = alpha * op(A) * op(B) + beta * C`.
    ///
    /// `parallel: false` keeps the Swift kernel on the calling thread, for callers that already
    /// split their work across threads (such as one product per chunk of rows in a parallel loop).
    /// `algorithm` forces the code that runs (`nil`: ``algorithm(m:n:k:backend:parallel:)`` of these
    /// sizes); `.blas` runs the packed kernel when no library is loaded.
    ///
    /// - Precondition: the strides are large enough for the shapes (a programmer error otherwise).
    public static func multiply(
        transposeA: Transpose, transposeB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        backend: Backend = .automatic,
        parallel: Bool = true,
        algorithm chosen: Algorithm? = nil
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "GEMM: negative dimension")
        precondition(ldc >= n, "GEMM: ldc \(ldc) < n \(n)")
        precondition(lda >= (transposeA == .none ? k : m), "GEMM: lda too small")
        precondition(ldb >= (transposeB == .none ? n : k), "GEMM: ldb too small")
        guard m > 0 && n > 0 else { return }
        // Automatic: BLAS (one thread of its own) for the products the Swift kernel would run on
        // one thread, where OpenBLAS measured 10–60% faster; the Swift kernel on Ballast's workers
        // for the rest, where it measured 1.06–2.5× OpenBLAS's own threads (Benchmarks/README).
        let algorithm = chosen ?? Self.algorithm(m: m, n: n, k: k, backend: backend, parallel: parallel)
        if algorithm == .blas, let blas = BLAS.shared {
            blas.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                       a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        guard k > 0 && alpha != 0 else {
            scale(c, m: m, n: n, ldc: ldc, by: beta)
            return
        }
        if algorithm == .loops {
            scale(c, m: m, n: n, ldc: ldc, by: beta)
            smallProduct(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
        } else {
            GEMMKernel.packedProduct(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                                     threads: parallel ? Parallel.threadCount : 1)
        }
    }

    /// `C *= beta`, overwriting with zeros when `beta == 0`.
    private static func scale(_ c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int, by beta: Float) {
        if beta == 1 { return }
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else {
                for j in 0..<n { row[j] *= beta }
            }
        }
    }

    /// Straightforward loops for products too small to amortize packing.
    private static func smallProduct(
        _ ta: Transpose, _ tb: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        for i in 0..<m {
            let crow = c + i * ldc
            for p in 0..<k {
                let av = alpha * (ta == .none ? a[i * lda + p] : a[p * lda + i])
                if av == 0 { continue }
                if tb == .none {
                    let brow = b + p * ldb
                    for j in 0..<n { crow[j] += av * brow[j] }
                } else {
                    for j in 0..<n { crow[j] += av * b[j * ldb + p] }
                }
            }
        }
    }
}
