import BallastCore

/// The bin codes of ``FeatureBins`` laid out row by row, each column in the fewest bytes its bin
/// count needs (1, 2 or 4), for reading one feature of a few scattered rows.
///
/// A deep tree node holds a few rows spread over the whole training set. Reading one column of
/// them from column-major codes costs a cache miss per row for every candidate feature; here the
/// first feature read brings each row's codes of all features into cache, so the node's other
/// candidates (and constant features it has to rule out) are read from cache. Near the root, where
/// a node holds most rows, column-major codes are cheaper: one cache line holds several of its rows.
///
/// Columns are ordered by width (4-byte codes first) so that every code is aligned, and the row
/// stride is a multiple of 4 bytes.
struct RowMajorCodes: Sendable {
    /// Number of rows.
    let rows: Int
    /// Bytes per row.
    let stride: Int
    /// Per column, the byte offset of its code inside a row.
    let offsets: [Int]
    /// Per column, the bytes of its code: 1, 2 or 4.
    let widths: [Int]
    /// `rows × stride` bytes.
    let bytes: [UInt8]

    /// Copies the codes of `bins` row by row.
    init<Code>(_ bins: FeatureBins<Code>) {
        let n = bins.rows, m = bins.columns
        var widths = [Int](repeating: 1, count: m)
        for f in 0..<m {
            let count = bins.binCount(f)
            widths[f] = count <= 1 << 8 ? 1 : count <= 1 << 16 ? 2 : 4
        }
        var offsets = [Int](repeating: 0, count: m)
        var offset = 0
        for width in [4, 2, 1] {
            for f in 0..<m where widths[f] == width {
                offsets[f] = offset
                offset += width
            }
        }
        let stride = max(4, (offset + 3) & ~3)
        var bytes = [UInt8](repeating: 0, count: n * stride)
        bins.codes.withUnsafeBufferPointer { codes in
            bytes.withUnsafeMutableBufferPointer { out in
                let src = SendableReadBuffer(codes), dst = SendableBuffer(out)
                let offsets = offsets, widths = widths
                Parallel.forEachChunk(0..<n, minimumChunk: 4096) { range in
                    let base = UnsafeMutableRawPointer(dst.baseAddress!)
                    for f in 0..<m {
                        let column = src.buffer.baseAddress! + f * n, at = offsets[f]
                        switch widths[f] {
                        case 1: for r in range { base.storeBytes(of: UInt8(truncatingIfNeeded: column[r]), toByteOffset: r * stride + at, as: UInt8.self) }
                        case 2: for r in range { base.storeBytes(of: UInt16(truncatingIfNeeded: column[r]), toByteOffset: r * stride + at, as: UInt16.self) }
                        default: for r in range { base.storeBytes(of: UInt32(truncatingIfNeeded: column[r]), toByteOffset: r * stride + at, as: UInt32.self) }
                        }
                    }
                }
            }
        }
        self.rows = n
        self.stride = stride
        self.offsets = offsets
        self.widths = widths
        self.bytes = bytes
    }

    /// Writes the code of `feature` for each of `rows` to `out` and returns the smallest and largest.
    @inline(__always)
    func gather(_ rows: UnsafeBufferPointer<Int32>, feature: Int, into out: UnsafeMutablePointer<UInt32>) -> (UInt32, UInt32) {
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + offsets[feature], stride = self.stride
            switch widths[feature] {
            case 1: return Self.gather(rows, out) { UInt32(base.load(fromByteOffset: $0 * stride, as: UInt8.self)) }
            case 2: return Self.gather(rows, out) { UInt32(base.load(fromByteOffset: $0 * stride, as: UInt16.self)) }
            default: return Self.gather(rows, out) { base.load(fromByteOffset: $0 * stride, as: UInt32.self) }
            }
        }
    }

    @inline(__always)
    private static func gather(_ rows: UnsafeBufferPointer<Int32>, _ out: UnsafeMutablePointer<UInt32>,
                               _ code: (Int) -> UInt32) -> (UInt32, UInt32) {
        var lo = UInt32.max, hi = UInt32.min
        for i in 0..<rows.count {
            let c = code(Int(rows[i]))
            out[i] = c
            lo = min(lo, c)
            hi = max(hi, c)
        }
        return (lo, hi)
    }
}
