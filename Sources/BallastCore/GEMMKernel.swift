/// The packed, register-blocked Swift GEMM kernel behind ``GEMM``.
///
/// Blocking: `k` in blocks of ``kc``; for each block, `op(B)` is packed into panels of ``nr`` = 16
/// columns (contiguous `kc × 16`), then row blocks of about ``mc`` rows (equal blocks, as many as a
/// multiple of `threads`) are distributed over that many threads; each
/// thread packs its `op(A)` rows into slivers of ``mr`` = 6 rows (`kc × 6`, column-interleaved) and
/// runs the 6×16 micro-kernel over every panel. Edge slivers and panels are zero-padded and written
/// back through a bounds-checked copy.
enum GEMMKernel {
    static let mr = 6
    static let nr = 16
    static let kc = 256
    static let mc = 72

    static func packedProduct(
        _ ta: Transpose, _ tb: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, threads: Int
    ) {
        let panels = (n + nr - 1) / nr
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: panels * nr * kc)
        defer { packedB.deallocate() }
        // Row blocks of at most `mc` rows, as many as a multiple of the thread count and of equal
        // size in whole slivers: 128 rows on 2 threads are 66 + 62, not 72 + 56.
        let wanted = max(1, (m + mc - 1) / mc)
        let rowBlocks = min((wanted + threads - 1) / threads * threads, (m + mr - 1) / mr)
        let blockRows = ((m + rowBlocks - 1) / rowBlocks + mr - 1) / mr * mr
        let aIn = SendableReadBuffer(UnsafeBufferPointer(start: a, count: 1))
        let bPacked = SendableReadBuffer(UnsafeBufferPointer(start: UnsafePointer(packedB), count: 1))
        let cOut = SendableBuffer(UnsafeMutableBufferPointer(start: c, count: 1))

        var p0 = 0
        while p0 < k {
            let kb = min(kc, k - p0)
            packB(tb, b, ldb, p0, kb, n, packedB)
            let start = p0
            let body: @Sendable (Range<Int>) -> Void = { blocks in
                let packedA = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * kc)
                defer { packedA.deallocate() }
                let a = aIn.baseAddress!, pb = bPacked.baseAddress!, c = cOut.baseAddress!
                for block in blocks {
                    let i0 = block * blockRows
                    guard i0 < m else { continue }
                    let rows = min(blockRows, m - i0)
                    packA(ta, a, lda, i0, rows, start, kb, packedA)
                    let slivers = (rows + mr - 1) / mr
                    for panel in 0..<panels {
                        let j0 = panel * nr
                        let cols = min(nr, n - j0)
                        for s in 0..<slivers {
                            microKernel(kb, alpha, packedA + s * mr * kb, pb + panel * nr * kb,
                                        c + (i0 + s * mr) * ldc + j0, ldc,
                                        min(mr, rows - s * mr), cols)
                        }
                    }
                }
            }
            if threads > 1 {
                Parallel.forEachChunk(0..<rowBlocks, chunksPerThread: 2, body)
            } else {
                body(0..<rowBlocks)
            }
            p0 += kb
        }
    }

    /// Packs rows `p0..<p0+kb` of `op(B)` into panels of 16 columns, zero-padding the last panel.
    private static func packB(_ tb: Transpose, _ b: UnsafePointer<Float>, _ ldb: Int, _ p0: Int, _ kb: Int,
                              _ n: Int, _ out: UnsafeMutablePointer<Float>) {
        let panels = (n + nr - 1) / nr
        for panel in 0..<panels {
            let j0 = panel * nr
            let cols = min(nr, n - j0)
            let dst = out + panel * nr * kb
            if tb == .none && cols == nr {
                // Two vector moves per row: `update(from:count:)` calls memmove for 64 bytes.
                for p in 0..<kb {
                    let src = UnsafeRawPointer(b + (p0 + p) * ldb + j0), d = UnsafeMutableRawPointer(dst + p * nr)
                    d.storeBytes(of: src.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                    d.storeBytes(of: src.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), toByteOffset: 32, as: SIMD8<Float>.self)
                }
            } else if tb == .none {
                for p in 0..<kb {
                    let src = b + (p0 + p) * ldb + j0
                    let d = dst + p * nr
                    for j in 0..<nr { d[j] = j < cols ? src[j] : 0 }
                }
            } else {
                for j in 0..<nr {
                    if j < cols {
                        let src = b + (j0 + j) * ldb + p0
                        for p in 0..<kb { dst[p * nr + j] = src[p] }
                    } else {
                        for p in 0..<kb { dst[p * nr + j] = 0 }
                    }
                }
            }
        }
    }

    /// Packs rows `i0..<i0+rows`, columns `p0..<p0+kb` of `op(A)` into slivers of 6 rows stored
    /// column by column (`out[s][p][r]`), zero-padding the last sliver.
    private static func packA(_ ta: Transpose, _ a: UnsafePointer<Float>, _ lda: Int, _ i0: Int, _ rows: Int,
                              _ p0: Int, _ kb: Int, _ out: UnsafeMutablePointer<Float>) {
        let slivers = (rows + mr - 1) / mr
        for s in 0..<slivers {
            let dst = out + s * mr * kb
            for r in 0..<mr {
                let i = s * mr + r
                if i < rows {
                    if ta == .none {
                        let src = a + (i0 + i) * lda + p0
                        for p in 0..<kb { dst[p * mr + r] = src[p] }
                    } else {
                        let src = a + p0 * lda + i0 + i
                        for p in 0..<kb { dst[p * mr + r] = src[p * lda] }
                    }
                } else {
                    for p in 0..<kb { dst[p * mr + r] = 0 }
                }
            }
        }
    }

    @inline(__always)
    private static func fma(_ acc: inout SIMD8<Float>, _ a: Float, _ b: SIMD8<Float>) {
        #if BALLAST_NATIVE
        acc.addProduct(SIMD8(repeating: a), b)
        #else
        acc += SIMD8(repeating: a) * b
        #endif
    }

    /// `C[0..<rows, 0..<cols] += alpha * A_sliver · B_panel` over `kb` steps.
    @inline(__always)
    private static func microKernel(_ kb: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ rows: Int, _ cols: Int) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        let braw = UnsafeRawPointer(b)
        for p in 0..<kb {
            let b0 = braw.loadUnaligned(fromByteOffset: p * 64, as: SIMD8<Float>.self)
            let b1 = braw.loadUnaligned(fromByteOffset: p * 64 + 32, as: SIMD8<Float>.self)
            let ap = a + p * 6
            fma(&c00, ap[0], b0); fma(&c01, ap[0], b1)
            fma(&c10, ap[1], b0); fma(&c11, ap[1], b1)
            fma(&c20, ap[2], b0); fma(&c21, ap[2], b1)
            fma(&c30, ap[3], b0); fma(&c31, ap[3], b1)
            fma(&c40, ap[4], b0); fma(&c41, ap[4], b1)
            fma(&c50, ap[5], b0); fma(&c51, ap[5], b1)
        }
        writeRow(c, alpha, c00, c01, cols)
        if rows > 1 { writeRow(c + ldc, alpha, c10, c11, cols) }
        if rows > 2 { writeRow(c + 2 * ldc, alpha, c20, c21, cols) }
        if rows > 3 { writeRow(c + 3 * ldc, alpha, c30, c31, cols) }
        if rows > 4 { writeRow(c + 4 * ldc, alpha, c40, c41, cols) }
        if rows > 5 { writeRow(c + 5 * ldc, alpha, c50, c51, cols) }
    }

    /// `row[0..<cols] += alpha * (lo ++ hi)`.
    @inline(__always)
    private static func writeRow(_ row: UnsafeMutablePointer<Float>, _ alpha: Float,
                                 _ lo: SIMD8<Float>, _ hi: SIMD8<Float>, _ cols: Int) {
        if cols == nr {
            let raw = UnsafeMutableRawPointer(row)
            let scale = SIMD8<Float>(repeating: alpha)
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self) + scale * lo, as: SIMD8<Float>.self)
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + scale * hi,
                           toByteOffset: 32, as: SIMD8<Float>.self)
        } else {
            for j in 0..<cols { row[j] += alpha * (j < 8 ? lo[j] : hi[j - 8]) }
        }
    }
}
