/// Maps byte strings to dense codes in order of first appearance without building a `String` for
/// values already seen (open addressing on an FNV-1a hash; texts kept in one byte arena).
struct ByteInterner {
    private var slots = [Int32](repeating: -1, count: 64)
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var arena: [UInt8] = []
    /// The distinct texts, indexed by code.
    private(set) var strings: [String] = []

    /// Number of distinct texts.
    var count: Int { strings.count }

    /// The code of the text at `p[0..<n]`, adding it when new; `nil` when a new text is not UTF-8.
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        let h = Self.hash(p, n)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] >= 0 {
            let code = Int(slots[s])
            if hashes[code] == h && equals(code, p, n) { return Int32(code) }
            s = (s + 1) & mask
        }
        guard let text = String(validating: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) else { return nil }
        let code = Int32(strings.count)
        strings.append(text)
        hashes.append(h)
        starts.append(arena.count)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        slots[s] = code
        if strings.count * 2 > slots.count { grow() }
        return code
    }

    /// The code of `text`, or `nil` when it was never interned.
    func find(_ text: String) -> Int32? {
        var copy = text
        return copy.withUTF8 { buf -> Int32? in
            guard let p = buf.baseAddress else { return strings.firstIndex(of: "").map(Int32.init) }
            let h = Self.hash(p, buf.count)
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 {
                let code = Int(slots[s])
                if hashes[code] == h && equals(code, p, buf.count) { return Int32(code) }
                s = (s + 1) & mask
            }
            return nil
        }
    }

    private func equals(_ code: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let start = starts[code]
        let end = code + 1 < starts.count ? starts[code + 1] : arena.count
        guard end - start == n else { return false }
        for i in 0..<n where arena[start + i] != p[i] { return false }
        return true
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for code in hashes.indices {
            var s = Int(truncatingIfNeeded: hashes[code]) & mask
            while bigger[s] >= 0 { s = (s + 1) & mask }
            bigger[s] = Int32(code)
        }
        slots = bigger
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }
}
