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

    /// Packs rows `i0..<i0+rows`, columns `p0..<p0+kb` of `op(A)`, for an A stored transposed (an
    /// A used as stored is read in place, never packed), into slivers of 6 rows stored column by
    /// column (`out[s][p][r]`), zero-padding the last sliver.
    static func packTransposedA(_ a: UnsafePointer<Float>, _ lda: Int, _ i0: Int, _ rows: Int,
                                _ p0: Int, _ kb: Int, _ out: UnsafeMutablePointer<Float>) {
        let slivers = (rows + mr - 1) / mr
        for s in 0..<slivers {
            let dst = out + s * mr * kb
            let live = min(mr, rows - s * mr)
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
        }
    }

    /// Packs `width` (a panel's ``nr``, a multiple of 8) stored lines of `kb` values (line `r` starts
    /// at `src + r * ld`) interleaved, `dst[p * width + r]` = line `r`'s value `p`, with lines
    /// `live..<width` as zeros (the edge panel). Lines go in groups of eight: a group of eight live
    /// lines moves in 8×8 blocks transposed in registers (``transpose8(_:_:_:_:)``), 2.7× faster
    /// than storing each value on its own, which cost a fifth of a `Linear` forward's product (its
    /// weights are `op(B)` transposed); a group with dead lines, or the last `kb % 8` values, moves
    /// value by value.
    @inline(never)
    private static func interleave(_ src: UnsafePointer<Float>, _ ld: Int, width: Int, live: Int, _ kb: Int,
                                   _ dst: UnsafeMutablePointer<Float>) {
        for r0 in stride(from: 0, to: width, by: 8) {
            if r0 + 8 <= live {
                var p = 0
                while p + 8 <= kb {
                    transpose8(src + r0 * ld + p, ld, dst + p * width + r0, width)
                    p += 8
                }
                for p in p..<kb {
                    for r in r0..<r0 + 8 { dst[p * width + r] = src[r * ld + p] }
                }
            } else {
                for r in r0..<r0 + 8 {
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

    /// Writes the transpose of the 8×8 block at `src` (row stride `ld`) to `dst` (row stride
    /// `ldd`), through ``SIMD8/transposed(_:stride:)``.
    @inline(__always)
    private static func transpose8(_ src: UnsafePointer<Float>, _ ld: Int, _ dst: UnsafeMutablePointer<Float>, _ ldd: Int) {
        let v = SIMD8<Float>.transposed(src, stride: ld)
        @inline(__always) func store(_ q: Int, _ v: SIMD8<Float>) { UnsafeMutableRawPointer(dst + q * ldd).storeBytes(of: v, as: SIMD8<Float>.self) }
        store(0, v.0); store(1, v.1); store(2, v.2); store(3, v.3)
        store(4, v.4); store(5, v.5); store(6, v.6); store(7, v.7)
    }
}
