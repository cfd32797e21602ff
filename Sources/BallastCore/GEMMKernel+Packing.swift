extension GEMMKernel {
    /// Packs rows `p0..<p0+kb`, columns `first..<first+n` of `op(B)` into panels of ``nr`` columns
    /// (`out[panel][p][j]`), zero-padding the last panel.
    static func packB(_ tb: Transpose, _ b: UnsafePointer<Float>, _ ldb: Int, _ p0: Int, _ kb: Int,
                      _ first: Int, _ n: Int, _ out: UnsafeMutablePointer<Float>) {
        let panels = (n + nr - 1) / nr
        for panel in 0..<panels {
            let j0 = first + panel * nr
            let cols = min(nr, n - panel * nr)
            let dst = out + panel * nr * kb
            if tb == .none && cols == nr {
                // Two vector moves per row: `update(from:count:)` calls memmove for so few bytes.
                let laneBytes = MemoryLayout<Lane>.size
                for p in 0..<kb {
                    let src = UnsafeRawPointer(b + (p0 + p) * ldb + j0), d = UnsafeMutableRawPointer(dst + p * nr)
                    d.storeBytes(of: src.loadUnaligned(as: Lane.self), as: Lane.self)
                    d.storeBytes(of: src.loadUnaligned(fromByteOffset: laneBytes, as: Lane.self), toByteOffset: laneBytes, as: Lane.self)
                }
            } else if tb == .none {
                for p in 0..<kb {
                    let src = b + (p0 + p) * ldb + j0
                    let d = dst + p * nr
                    for j in 0..<nr { d[j] = j < cols ? src[j] : 0 }
                }
            } else {
                // Column j of the panel is row j0 + j of the stored matrix.
                interleave(b + j0 * ldb + p0, ldb, width: nr, live: cols, kb, dst)
            }
        }
    }

    /// Packs rows `i0..<i0+rows`, columns `p0..<p0+kb` of `op(A)` into slivers of 6 rows stored
    /// column by column (`out[s][p][r]`), zero-padding the last sliver.
    static func packA(_ ta: Transpose, _ a: UnsafePointer<Float>, _ lda: Int, _ i0: Int, _ rows: Int,
                      _ p0: Int, _ kb: Int, _ out: UnsafeMutablePointer<Float>) {
        let slivers = (rows + mr - 1) / mr
        for s in 0..<slivers {
            let dst = out + s * mr * kb
            let live = min(mr, rows - s * mr)
            if ta == .transposed {
                // Column p of the sliver is six contiguous values of the stored matrix.
                let src = a + p0 * lda + i0 + s * mr
                if live == mr {
                    for p in 0..<kb {
                        let from = src + p * lda, to = dst + p * mr
                        to[0] = from[0]; to[1] = from[1]; to[2] = from[2]
                        to[3] = from[3]; to[4] = from[4]; to[5] = from[5]
                    }
                } else {
                    for p in 0..<kb {
                        for r in 0..<mr { dst[p * mr + r] = r < live ? src[p * lda + r] : 0 }
                    }
                }
            } else {
                interleave(a + (i0 + s * mr) * lda + p0, lda, width: mr, live: live, kb, dst)
            }
        }
    }

    /// Packs `width` stored lines of `kb` values (line `r` starts at `src + r * ld`) interleaved,
    /// `dst[p * width + r]` = line `r`'s value `p`, with lines `live..<width` as zeros (the edge
    /// sliver or panel). Full strips move eight values of each line per vector load.
    @inline(__always)
    private static func interleave(_ src: UnsafePointer<Float>, _ ld: Int, width: Int, live: Int, _ kb: Int,
                                   _ dst: UnsafeMutablePointer<Float>) {
        if live == width {
            var p = 0
            while p + 8 <= kb {
                for r in 0..<width {
                    let v = UnsafeRawPointer(src + r * ld + p).loadUnaligned(as: SIMD8<Float>.self)
                    for q in 0..<8 { dst[(p + q) * width + r] = v[q] }
                }
                p += 8
            }
            for p in p..<kb {
                for r in 0..<width { dst[p * width + r] = src[r * ld + p] }
            }
        } else {
            for r in 0..<width {
                if r < live {
                    let line = src + r * ld
                    for p in 0..<kb { dst[p * width + r] = line[p] }
                } else {
                    for p in 0..<kb { dst[p * width + r] = 0 }
                }
            }
        }
    }
}
