/// Maps byte strings to dense codes in order of first appearance without building a `String` for
/// values already seen (open addressing; texts kept in one byte arena).
///
/// Category values are mostly short (`tcp`, `http`, `SF`): a text's first 8 bytes are kept packed
/// in one `UInt64`, which both hashes it and, for texts of at most 8 bytes, compares it in one step.
struct ByteInterner {
    private var slots = [Int32](repeating: -1, count: 64)
    private var hashes: [UInt64] = []
    /// Per code: the text's first 8 bytes, packed little-endian and zero-padded.
    private var prefixes: [UInt64] = []
    private var starts: [Int] = []
    private var arena: [UInt8] = []
    /// The distinct texts, indexed by code.
    private(set) var strings: [String] = []

    /// Number of distinct texts.
    var count: Int { strings.count }

    /// The code of the text at `p[0..<n]`, adding it when new; `nil` when a new text is not UTF-8.
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        let prefix = Self.prefix(p, n)
        let h = Self.hash(prefix, p, n)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] >= 0 {
            let code = Int(slots[s])
            if hashes[code] == h && prefixes[code] == prefix && equals(code, p, n) { return Int32(code) }
            s = (s + 1) & mask
        }
        guard let text = String(validating: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) else { return nil }
        let code = Int32(strings.count)
        strings.append(text)
        hashes.append(h)
        prefixes.append(prefix)
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
            let prefix = Self.prefix(p, buf.count)
            let h = Self.hash(prefix, p, buf.count)
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 {
                let code = Int(slots[s])
                if hashes[code] == h && prefixes[code] == prefix && equals(code, p, buf.count) { return Int32(code) }
                s = (s + 1) & mask
            }
            return nil
        }
    }

    /// Whether code `code`'s text, whose first 8 bytes are known to match, is `p[0..<n]`.
    @inline(__always)
    private func equals(_ code: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let start = starts[code]
        let end = code + 1 < starts.count ? starts[code + 1] : arena.count
        guard end - start == n else { return false }
        if n <= 8 { return true }
        for i in 8..<n where arena[start + i] != p[i] { return false }
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

    /// The first `min(n, 8)` bytes packed little-endian, zero-padded.
    @inline(__always)
    private static func prefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        if n >= 8 { return UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)) }
        var word: UInt64 = 0
        for i in 0..<n { word |= UInt64(p[i]) << UInt64(8 * i) }
        return word
    }

    /// Mixes the length, the packed prefix and the bytes after it (8 at a time).
    @inline(__always)
    private static func hash(_ prefix: UInt64, _ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        @inline(__always) func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
            let m = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
            return m ^ (m >> 32)
        }
        var h = mix(UInt64(truncatingIfNeeded: n) &* 0xBF58_476D_1CE4_E5B9, prefix)
        var i = 8
        while i + 8 <= n {
            h = mix(h, UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)))
            i += 8
        }
        if i < n {
            var word: UInt64 = 0
            for j in i..<n { word |= UInt64(p[j]) << UInt64(8 * (j - i)) }
            h = mix(h, word)
        }
        return h
    }
}
