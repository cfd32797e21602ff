/// Stable least-significant-digit radix sorting of `Double` values, about four times faster than
/// the standard library's comparison sort on the columns Ballast compares (a few hundred thousand
/// values with many repeats).
///
/// Each value is mapped to a 64-bit key whose unsigned order is the numeric order (negative values
/// have all bits flipped, others the sign bit set), NaN to the largest key so that NaN sorts last.
/// The keys are sorted one byte at a time; a byte that is the same in every key (common: integral
/// counters leave the low mantissa bytes zero) is skipped. `-0.0` sorts just before `+0.0`; they
/// compare equal, so runs of equal values stay contiguous.
public enum RadixSort {
    /// The sortable key of `value`.
    @inline(__always)
    static func key(_ value: Double) -> UInt64 {
        if value.isNaN { return .max }
        let bits = value.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The positions of `values` in ascending order (stable: equal values keep their input order;
    /// NaN last).
    public static func order(_ values: UnsafeBufferPointer<Double>) -> [Int32] {
        var keys = values.map(key)
        var index = (0..<Int32(values.count)).map { $0 }
        sort(&keys, carrying: &index)
        return index
    }

    /// Sorts `keys` ascending, stably, moving `payload` (one entry per key) with them.
    private static func sort(_ keys: inout [UInt64], carrying payload: inout [Int32]) {
        let n = keys.count
        guard n > 1 else { return }
        var counts = [Int](repeating: 0, count: 8 * 256)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for key in k { for byte in 0..<8 { c[byte * 256 + Int((key >> UInt64(byte * 8)) & 0xFF)] += 1 } }
            }
        }
        var keysOut = [UInt64](repeating: 0, count: n)
        var payloadOut = [Int32](repeating: 0, count: n)
        for byte in 0..<8 where !counts[(byte * 256)..<(byte * 256 + 256)].contains(n) {
            var offsets = [Int](repeating: 0, count: 256)
            var running = 0
            for d in 0..<256 {
                offsets[d] = running
                running += counts[byte * 256 + d]
            }
            let shift = UInt64(byte * 8)
            keys.withUnsafeBufferPointer { k in
                payload.withUnsafeBufferPointer { p in
                    keysOut.withUnsafeMutableBufferPointer { ko in
                        payloadOut.withUnsafeMutableBufferPointer { po in
                            offsets.withUnsafeMutableBufferPointer { o in
                                for i in 0..<n {
                                    let d = Int((k[i] >> shift) & 0xFF)
                                    let position = o[d]
                                    ko[position] = k[i]
                                    po[position] = p[i]
                                    o[d] = position + 1
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keysOut)
            swap(&payload, &payloadOut)
        }
    }
}
