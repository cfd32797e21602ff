extension GEMMKernel {
    /// Packs rows `p0..<p0+kb`, columns `first..<first+n` of `op(B)` into panels of 16 columns
    /// (`out[panel][p][j]`), zero-padding the last panel.
    static func packB(_ tb: Transpose, _ b: UnsafePointer<Float>, _ ldb: Int, _ p0: Int, _ kb: Int,
                      _ first: Int, _ n: Int, _ out: UnsafeMutablePointer<Float>) {
        let panels = (n + nr - 1) / nr
        for panel in 0..<panels {
            let j0 = first + panel * nr
            let cols = min(nr, n - panel * nr)
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
            } else if cols == nr {
                // Column j of the panel is row j0 + j of the stored matrix: eight of its values per
                // vector load, spread over eight packed rows.
                let src = b + j0 * ldb + p0
                var p = 0
                while p + 8 <= kb {
                    for j in 0..<nr {
                        let v = UnsafeRawPointer(src + j * ldb + p).loadUnaligned(as: SIMD8<Float>.self)
                        for q in 0..<8 { dst[(p + q) * nr + j] = v[q] }
                    }
                    p += 8
                }
                for p in p..<kb {
                    for j in 0..<nr { dst[p * nr + j] = src[j * ldb + p] }
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
            } else if live == mr {
                // Eight values of each row per vector load, spread over eight packed columns.
                let src = a + (i0 + s * mr) * lda + p0
                var p = 0
                while p + 8 <= kb {
                    for r in 0..<mr {
                        let v = UnsafeRawPointer(src + r * lda + p).loadUnaligned(as: SIMD8<Float>.self)
                        for q in 0..<8 { dst[(p + q) * mr + r] = v[q] }
                    }
                    p += 8
                }
                for p in p..<kb {
                    for r in 0..<mr { dst[p * mr + r] = src[r * lda + p] }
                }
            } else {
                for r in 0..<mr {
                    if r < live {
                        let src = a + (i0 + s * mr + r) * lda + p0
                        for p in 0..<kb { dst[p * mr + r] = src[p] }
                    } else {
                        for p in 0..<kb { dst[p * mr + r] = 0 }
                    }
                }
            }
        }
    }
}
