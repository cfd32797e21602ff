/// The packed, register-blocked Swift GEMM kernel behind ``GEMM``.
///
/// Blocking (the GotoBLAS/BLIS loop nest): columns of `C` in blocks of ``nc``; `k` in blocks of
/// ``kc``, for each of which the column block of `op(B)` is packed into panels of ``nr`` columns
/// (16, or 32 where the build targets AVX-512; contiguous `kc × nr`; the block is at most 512 KB
/// and stays in the core's L2); rows in blocks of ``mc``, in slivers of ``mr`` = 6 rows; then the
/// 6×``nr`` micro-kernel (twelve vector accumulators) runs every sliver against one panel (which
/// stays in L1) before the next panel. A sliver of an `A` used as stored is read in place, six row
/// pointers whose `k` values are already contiguous (packing it cost 5–40% on the batch-of-128
/// products of a training step, where each packed value served only `n` multiply-adds); a
/// transposed `A` is packed (`kc × 6`, column-interleaved). The micro-kernel prefetches its tile
/// of `C` before the `k` loop, so the tile's cache misses overlap the arithmetic instead of
/// stalling the write-back (worth ~25% at 1024³, where each `k` block sweeps a `C` far larger than
/// L2). `beta` is applied by the first `k` block's write-back, so `C` is read once less and never
/// read at all when `beta == 0`.
///
/// Threads share nothing: `C` is split once into one contiguous part per thread — by columns when
/// `C` is at least as wide as it is tall (each thread packs its own columns of `op(B)`, and all of
/// `op(A)` when that is packed), by rows otherwise — and each thread runs the whole loop nest on its part with its own
/// packing buffers: one dispatch per product, no barrier per `k` block, no thread idle while
/// another packs. Products below ``parallelWork`` multiply-adds stay on the calling thread. Every
/// element of `C` accumulates its `k` blocks in ascending order through the same micro-kernel
/// whatever the split, so results do not depend on the thread count; each lane of a vector sums
/// its `k` products in the same order whatever the vector width or the way A is read, so neither
/// changes a result either. Edge panels and packed slivers are zero-padded (an in-place sliver
/// repeats its last row), and edge tiles are written back through a bounds-checked copy.
enum GEMMKernel {
    /// One vector of a micro-kernel row: 16 floats (a `zmm` register) where the build targets a CPU
    /// with AVX-512 (`BALLAST_AVX512`, set by the package manifest), 8 (`ymm`, or two NEON
    /// registers) otherwise. A tile row is two lanes, so ``nr`` is 32 or 16.
    #if BALLAST_AVX512
    typealias Lane = SIMD16<Float>
    #else
    typealias Lane = SIMD8<Float>
    #endif
    static let mr = 6
    static let nr = 2 * Lane.scalarCount
    static let kc = 256
    static let mc = 72
    static let nc = 512
    /// Products below this many multiply-adds run on the calling thread: a dispatch costs more.
    static let parallelWork = 64 * 64 * 64

    static func packedProduct(
        _ ta: Transpose, _ tb: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, threads: Int
    ) {
        let panels = (n + nr - 1) / nr, slivers = (m + mr - 1) / mr
        let byColumns = n >= m
        let wanted = m * n * k < parallelWork ? 1 : threads
        let parts = max(1, min(wanted, byColumns ? panels : slivers))
        if parts == 1 {
            block(ta, tb, 0..<m, 0..<n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let aIn = SendableReadBuffer(UnsafeBufferPointer(start: a, count: 1))
        let bIn = SendableReadBuffer(UnsafeBufferPointer(start: b, count: 1))
        let cOut = SendableBuffer(UnsafeMutableBufferPointer(start: c, count: 1))
        // Whole panels (or slivers) per part, as equal as they come.
        let units = byColumns ? panels : slivers, width = byColumns ? nr : mr
        let runPart: @Sendable (Int) -> Void = { part in
            let lo = units * part / parts * width, hi = units * (part + 1) / parts * width
            let rows = byColumns ? 0..<m : lo..<min(hi, m)
            let columns = byColumns ? lo..<min(hi, n) : 0..<n
            guard !rows.isEmpty && !columns.isEmpty else { return }
            block(ta, tb, rows, columns, k, alpha, aIn.baseAddress!, lda, bIn.baseAddress!, ldb, beta,
                  cOut.baseAddress!, ldc)
        }
        // The spinning workers first: a dispatch per product costs too much on small products.
        if #available(macOS 15, *), WorkerPool.shared.run(tasks: parts, runPart) { return }
        Parallel.forEachChunk(0..<parts) { chunk in
            for part in chunk { runPart(part) }
        }
    }

    /// `C[rows, columns] = alpha · op(A)[rows, :] · op(B)[:, columns] + beta · C[rows, columns]`
    /// on the calling thread. Not inlined into ``packedProduct``: inlined there, its packing loops
    /// compiled 3–5% slower on the weight-gradient (`TN`) products.
    @inline(never)
    private static func block(
        _ ta: Transpose, _ tb: Transpose, _ rows: Range<Int>, _ columns: Range<Int>, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        let columnBlock = min(nc, (columns.count + nr - 1) / nr * nr)
        let rowBlock = min(mc, (rows.count + mr - 1) / mr * mr)
        let depth = min(kc, k)
        // 64-byte aligned: a packed row of a panel is one cache line, never two.
        let packedB = UnsafeMutableRawPointer.allocate(byteCount: columnBlock * depth * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: columnBlock * depth)
        // Only a transposed A is packed (see the type's comment).
        let packedCount = ta == .transposed ? rowBlock * depth : 1
        let packedA = UnsafeMutableRawPointer.allocate(byteCount: packedCount * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: packedCount)
        defer {
            packedB.deallocate()
            packedA.deallocate()
        }
        for j0 in stride(from: columns.lowerBound, to: columns.upperBound, by: nc) {
            let width = min(nc, columns.upperBound - j0)
            let panels = (width + nr - 1) / nr
            for p0 in stride(from: 0, to: k, by: kc) {
                let kb = min(kc, k - p0)
                let blockBeta = p0 == 0 ? beta : 1
                packB(tb, b, ldb, p0, kb, j0, width, packedB)
                for i0 in stride(from: rows.lowerBound, to: rows.upperBound, by: mc) {
                    let height = min(mc, rows.upperBound - i0)
                    // A stored as used is read in place, six rows at a time (each row's `k` values
                    // are contiguous already); a transposed A is packed into slivers.
                    let direct = ta == .none
                    if !direct { packTransposedA(a, lda, i0, height, p0, kb, packedA) }
                    let slivers = (height + mr - 1) / mr
                    for panel in 0..<panels {
                        let j = j0 + panel * nr
                        let cols = min(nr, width - panel * nr)
                        for s in 0..<slivers {
                            let live = min(mr, height - s * mr), target = c + (i0 + s * mr) * ldc + j
                            if direct {
                                microKernel(kb, alpha, rows: a + (i0 + s * mr) * lda + p0, lda, packedB + panel * nr * kb,
                                            blockBeta, target, ldc, live, cols)
                            } else {
                                microKernel(kb, alpha, packedA + s * mr * kb, packedB + panel * nr * kb, blockBeta,
                                            target, ldc, live, cols)
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func fma(_ acc: inout Lane, _ a: Float, _ b: Lane) {
        #if BALLAST_NATIVE
        acc.addProduct(Lane(repeating: a), b)
        #else
        acc += Lane(repeating: a) * b
        #endif
    }

    /// `C[0..<rows, 0..<cols] = alpha · A_sliver · B_panel + beta · C` over `kb` steps, the sliver
    /// packed (`a[p·6 + r]`).
    @inline(__always)
    private static func microKernel(_ kb: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ rows: Int, _ cols: Int) {
        tile(kb, alpha, a, a + 1, a + 2, a + 3, a + 4, a + 5, step: mr, b, beta, c, ldc, rows, cols)
    }

    /// The same with the sliver read in place: row `r` of A at `a + r·lda`, its `k` values
    /// contiguous. Rows past `rows` repeat the last live row (in bounds; their sums are discarded).
    @inline(__always)
    private static func microKernel(_ kb: Int, _ alpha: Float, rows a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>,
                                    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ rows: Int, _ cols: Int) {
        func row(_ r: Int) -> UnsafePointer<Float> { a + min(r, rows - 1) * lda }
        tile(kb, alpha, row(0), row(1), row(2), row(3), row(4), row(5), step: 1, b, beta, c, ldc, rows, cols)
    }

    /// The 6×``nr`` tile: `A[r][p]` is `a_r[p·step]`, `B[p]` the packed panel's row `p`.
    @inline(__always)
    private static func tile(_ kb: Int, _ alpha: Float,
                             _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
                             _ a3: UnsafePointer<Float>, _ a4: UnsafePointer<Float>, _ a5: UnsafePointer<Float>, step: Int,
                             _ b: UnsafePointer<Float>, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                             _ rows: Int, _ cols: Int) {
        for r in 0..<rows {
            // Every cache line of the row's tile (16 floats each): two, or three when unaligned.
            for j in stride(from: 0, to: cols, by: 16) { prefetchForWriting(c + r * ldc + j) }
            prefetchForWriting(c + r * ldc + cols - 1)
        }
        var c00 = Lane(), c01 = Lane()
        var c10 = Lane(), c11 = Lane()
        var c20 = Lane(), c21 = Lane()
        var c30 = Lane(), c31 = Lane()
        var c40 = Lane(), c41 = Lane()
        var c50 = Lane(), c51 = Lane()
        let braw = UnsafeRawPointer(b), laneBytes = MemoryLayout<Lane>.size
        for p in 0..<kb {
            let b0 = braw.loadUnaligned(fromByteOffset: p * 2 * laneBytes, as: Lane.self)
            let b1 = braw.loadUnaligned(fromByteOffset: p * 2 * laneBytes + laneBytes, as: Lane.self)
            let q = p * step
            fma(&c00, a0[q], b0); fma(&c01, a0[q], b1)
            fma(&c10, a1[q], b0); fma(&c11, a1[q], b1)
            fma(&c20, a2[q], b0); fma(&c21, a2[q], b1)
            fma(&c30, a3[q], b0); fma(&c31, a3[q], b1)
            fma(&c40, a4[q], b0); fma(&c41, a4[q], b1)
            fma(&c50, a5[q], b0); fma(&c51, a5[q], b1)
        }
        writeRow(c, alpha, beta, c00, c01, cols)
        if rows > 1 { writeRow(c + ldc, alpha, beta, c10, c11, cols) }
        if rows > 2 { writeRow(c + 2 * ldc, alpha, beta, c20, c21, cols) }
        if rows > 3 { writeRow(c + 3 * ldc, alpha, beta, c30, c31, cols) }
        if rows > 4 { writeRow(c + 4 * ldc, alpha, beta, c40, c41, cols) }
        if rows > 5 { writeRow(c + 5 * ldc, alpha, beta, c50, c51, cols) }
    }

    /// `row[0..<cols] = alpha · (lo ++ hi) + beta · row`, without reading `row` when `beta == 0`.
    @inline(__always)
    private static func writeRow(_ row: UnsafeMutablePointer<Float>, _ alpha: Float, _ beta: Float,
                                 _ lo: Lane, _ hi: Lane, _ cols: Int) {
        let raw = UnsafeMutableRawPointer(row)
        let scale = Lane(repeating: alpha), width = Lane.scalarCount, laneBytes = MemoryLayout<Lane>.size
        if cols >= width {
            var low = scale * lo
            if beta == 1 {
                low += raw.loadUnaligned(as: Lane.self)
            } else if beta != 0 {
                low += Lane(repeating: beta) * raw.loadUnaligned(as: Lane.self)
            }
            raw.storeBytes(of: low, as: Lane.self)
        }
        if cols == nr {
            var high = scale * hi
            if beta == 1 {
                high += raw.loadUnaligned(fromByteOffset: laneBytes, as: Lane.self)
            } else if beta != 0 {
                high += Lane(repeating: beta) * raw.loadUnaligned(fromByteOffset: laneBytes, as: Lane.self)
            }
            raw.storeBytes(of: high, toByteOffset: laneBytes, as: Lane.self)
        } else {
            for j in (cols >= width ? width : 0)..<cols {
                let value = alpha * (j < width ? lo[j] : hi[j - width])
                row[j] = beta == 0 ? value : (beta == 1 ? row[j] + value : beta * row[j] + value)
            }
        }
    }
}

/// Declares LLVM's prefetch intrinsic (`llvm.prefetch`): a hint that never faults, lowered to
/// `prefetchw`/`prefetcht0` on x86-64 and `prfm` on arm64. The standard library exposes no prefetch.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

/// Asks the CPU to bring the cache line holding `address` into L1 for writing.
@inline(__always)
private func prefetchForWriting(_ address: UnsafeMutablePointer<Float>) {
    llvmPrefetch(UnsafeRawPointer(address), 1, 3, 1)
}
