#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The result of parsing one field as a number.
enum ParsedNumber: Equatable {
    /// A finite number.
    case finite(Double)
    /// NaN or ±infinity spelled out in the file.
    case nonFinite(Double)
    /// Not a number.
    case text
}

/// Parses decimal numbers from bytes without building strings.
///
/// The common form `[+-]digits[.digits][(e|E)[+-]digits]` with at most 19 significant digits and a
/// small decimal exponent is computed exactly (`mantissa × 10^e` with both exactly representable,
/// Clinger's fast path, correctly rounded); anything else that looks numeric goes to `strtod`.
enum NumberParser {
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int) -> ParsedNumber {
        guard count > 0 else { return .text }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < count else { return .text }
        let first = p[i]
        if first != UInt8(ascii: ".") && (first < 48 || first > 57) {
            return parseSpecial(p + i, count - i, negative: negative)
        }
        var mantissa: UInt64 = 0
        var digits = 0, exponent = 0, sawDigit = false
        while i < count, p[i] >= 48, p[i] <= 57 {
            sawDigit = true
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); digits += 1 } else { exponent += 1 }
            i += 1
        }
        if i < count, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < count, p[i] >= 48, p[i] <= 57 {
                sawDigit = true
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); digits += 1; exponent -= 1 }
                i += 1
            }
        }
        guard sawDigit else { return .text }
        if i < count, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < count, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { expNegative = p[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0, expDigits = 0
            while i < count, p[i] >= 48, p[i] <= 57 { if e < 100_000 { e = e * 10 + Int(p[i] - 48) }; expDigits += 1; i += 1 }
            guard expDigits > 0 else { return .text }
            exponent += expNegative ? -e : e
        }
        guard i == count else { return .text }
        if digits >= 19 || mantissa >= (1 << 53) || exponent < -22 || exponent > 22 {
            return viaStrtod(p, count)
        }
        // 10^|e| for |e| <= 22 is exact in Double, and so is every partial product below.
        var scale = 1.0
        for _ in 0..<abs(exponent) { scale *= 10 }
        var v = Double(mantissa)
        if exponent < 0 { v /= scale } else if exponent > 0 { v *= scale }
        return .finite(negative ? -v : v)
    }

    /// Parses a plain decimal number — `[+-]digits[.digits]` with 1 to 15 digits in all (at least
    /// one) — that starts at `p` and ends at `delimiter`, a line end (LF or CR) or `limit` bytes;
    /// returns the number's length in bytes, or -1 (leaving `value` alone) for anything else, which
    /// the caller then reads with ``parse(_:_:)``.
    ///
    /// The field is scanned once: the CSV chunk parser calls this before it looks for the field's
    /// end. Whatever it accepts, ``parse(_:_:)`` accepts too, with the same value bit for bit: at
    /// most 15 digits make a mantissa below 2^53 and at most 15 fraction digits a power of ten
    /// below 10^22, both exact in a `Double`, so the one division is correctly rounded (Clinger's
    /// fast path, as in ``parse(_:_:)``).
    @inline(__always)
    static func parsePlain(_ p: UnsafePointer<UInt8>, limit: Int, delimiter: UInt8, into value: inout Double) -> Int {
        var i = 0
        var negative = false
        if limit > 0, p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        let integerStart = i
        while i < limit, p[i] &- 48 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
            i += 1
        }
        var digits = i - integerStart, fraction = 0
        if i < limit, p[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < limit, p[i] &- 48 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
                i += 1
            }
            fraction = i - fractionStart
            digits += fraction
        }
        guard digits > 0, digits <= 15 else { return -1 }
        if i < limit {
            let b = p[i]
            guard b == delimiter || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") else { return -1 }
        }
        var v = Double(mantissa)
        if fraction > 0 {
            var scale = 10.0
            for _ in 1..<fraction { scale *= 10 }
            v /= scale
        }
        value = negative ? -v : v
        return i
    }

    private static func parseSpecial(_ p: UnsafePointer<UInt8>, _ count: Int, negative: Bool) -> ParsedNumber {
        guard count == 3 || count == 8 else { return .text }
        @inline(__always) func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == count else { return false }
            let w = word.utf8Start
            for i in 0..<count where p[i] | 0x20 != w[i] { return false }
            return true
        }
        if matches("nan") { return .nonFinite(.nan) }
        if matches("inf") || matches("infinity") { return .nonFinite(negative ? -.infinity : .infinity) }
        return .text
    }

    private static func viaStrtod(_ p: UnsafePointer<UInt8>, _ count: Int) -> ParsedNumber {
        var buffer = [CChar](repeating: 0, count: count + 1)
        for i in 0..<count { buffer[i] = CChar(bitPattern: p[i]) }
        let value = buffer.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
        return value.isFinite ? .finite(value) : .nonFinite(value)
    }
}
