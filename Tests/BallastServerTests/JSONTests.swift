import BallastCore
import Foundation
import Testing
@testable import BallastServer

@Suite("Server JSON reader and writer")
struct JSONTests {
    @Test("Reads what RFC 8259 allows, keeps booleans apart from numbers")
    func reads() throws {
        let text = #" { "a" : [1, -2.5e3, 0, 0.125, true, false, null], "b": {"c": "d\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}, "": [] } "#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value == .object([
            "a": .array([.number(1), .number(-2500), .number(0), .number(0.125), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d\"\\/\u{08}\u{0C}\n\r\té😀")]),
            "": .array([]),
        ]))
        #expect(try JSONValue.parse(Array("\"ünïcode ok\"".utf8)) == .string("ünïcode ok"))
        #expect(try JSONValue.parse(Array(#"{"k": 1, "k": 2}"#.utf8)) == .object(["k": .number(2)]))
    }

    @Test("Refuses malformed bodies with the byte where reading stopped, never crashes")
    func refuses() {
        let bad: [String: String] = [
            "": "unexpected end", "{": "expected a string key", "[1,]": "expected a value", "{\"a\":1,}": "expected a string key",
            "01": "unexpected text", "1.": "digits after '.'", "-": "needs digits", "1e": "exponent", "NaN": "expected a value",
            "[1e999]": "out of range", "\"\\x\"": "invalid escape", "\"\\ud800\"": "surrogate", "\"\\udc00\"": "surrogate",
            "\"\\u12\"": "four hex digits", "\"abc": "unterminated", "tru": "invalid literal", "[1] 2": "unexpected text",
            "{\"a\" 1}": "expected ':'", "[1 2]": "expected ',' or ']'", "\"a\u{01}b\"": "control character",
            "// c\n1": "expected a value",
        ]
        for (text, reason) in bad {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONValue.parse(Array(text.utf8)) }
            do { _ = try JSONValue.parse(Array(text.utf8)) } catch let e as JSONSyntaxError {
                #expect(e.reason.contains(reason), "\(text): \(e)")
                #expect(e.offset >= 0 && e.offset <= text.utf8.count)
            } catch { Issue.record("\(text): \(error)") }
        }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0xFF, 0xFE, 0x22]) }  // not UTF-8
        let deep = String(repeating: "[", count: JSONValue.maximumDepth + 1) + String(repeating: "]", count: JSONValue.maximumDepth + 1)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(deep.utf8)) }
        let ok = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect((try? JSONValue.parse(Array(ok.utf8))) != nil)
    }

    @Test("Agrees with JSONSerialization on random documents, and reads back what it writes")
    func differential() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let value = Self.random(depth: 0, &rng)
            let written = value.serialized
            #expect(try JSONValue.parse(Array(written.utf8)) == value, "\(written)")
            let foundation = try JSONSerialization.jsonObject(with: Data(written.utf8), options: [.fragmentsAllowed])
            #expect(Self.same(value, foundation), "\(written)")
        }
        // Random bytes and mutations of valid text: either a value or a JSONSyntaxError.
        for _ in 0..<2000 {
            var bytes = Array(Self.random(depth: 0, &rng).serialized.utf8)
            for _ in 0..<3 where !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            do { _ = try JSONValue.parse(bytes) } catch is JSONSyntaxError {} catch { Issue.record("\(error)") }
        }
    }

    @Test("Writes sorted keys, escapes control characters, integral numbers without a fraction, non-finite as null")
    func writes() {
        let value = JSONValue(any: ["b": 2, "a": [1.5, Double.nan, -0.0] as [Double], "s": "x\"\n\u{01}", "n": Optional<Int>.none as Any,
                                    "t": true, "nested": ["k": "v"]] as [String: Any])
        #expect(value.serialized == #"{"a":[1.5,null,0],"b":2,"n":null,"nested":{"k":"v"},"s":"x\"\n\u0001","t":true}"#)
        #expect(JSONValue.number(1e-7).serialized == "1e-07")
        #expect(JSONValue.number(123456789012).serialized == "123456789012")
        #expect(JSONValue.number(1e300).serialized == "1e+300")
    }

    static func random(depth: Int, _ rng: inout SplitMix64) -> JSONValue {
        switch rng.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2:
            let n = Double(Int64(bitPattern: rng.next()) % 1_000_000) / Double(1 + rng.next() % 1000)
            return .number(n)
        case 3:
            let alphabet = Array("ab \"\\/\n\t\u{01}é😀{}[],:0")
            return .string(String((0..<Int(rng.next() % 8)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        case 4: return .array((0..<Int(rng.next() % 4)).map { _ in random(depth: depth + 1, &rng) })
        default:
            var members: [String: JSONValue] = [:]
            for i in 0..<Int(rng.next() % 4) { members["k\(i)\(rng.next() % 3)"] = random(depth: depth + 1, &rng) }
            return .object(members)
        }
    }

    /// Whether a `JSONSerialization` result holds the same value. On Linux, Foundation reads `true`
    /// and `false` as the numbers 1 and 0, and its number reading can be off by an ulp or so (one
    /// reason the service reads JSON itself), so those two are compared leniently.
    static func same(_ value: JSONValue, _ other: Any) -> Bool {
        func number(_ x: Any) -> Double? {
            if let d = x as? Double { return d }
            if let i = x as? Int { return Double(i) }
            return (x as? NSNumber)?.doubleValue
        }
        switch value {
        case .null: return other is NSNull
        case .bool(let b): return (other as? Bool) == b || number(other) == (b ? 1 : 0)
        case .number(let n):
            guard let d = number(other) else { return false }
            return abs(d - n) <= 1e-12 * max(1, abs(n))
        case .string(let s): return (other as? String) == s
        case .array(let items):
            guard let a = other as? [Any], a.count == items.count else { return false }
            return zip(items, a).allSatisfy { same($0, $1) }
        case .object(let members):
            guard let d = other as? [String: Any], d.count == members.count else { return false }
            return members.allSatisfy { k, v in d[k].map { same(v, $0) } ?? false }
        }
    }
}

@Suite("API key cache")
struct APIKeyCacheTests {
    @Test("Remembers a verified key for its lifetime only, and forgets everything on clear")
    func lifetime() {
        let cache = APIKeyCache(lifetime: 10, capacity: 3)
        let user = User(id: 1, name: "u", role: .analyst, disabled: false, passwordHash: "")
        let t0 = Date(timeIntervalSince1970: 1000)
        cache.remember(tokenHash: "h1", user: user, now: t0)
        #expect(cache.user(tokenHash: "h1", now: t0 + 9) == user)
        #expect(cache.user(tokenHash: "h1", now: t0 + 11) == nil)
        cache.remember(tokenHash: "h2", user: user, now: t0)
        cache.clear()
        #expect(cache.user(tokenHash: "h2", now: t0) == nil)
        for i in 0..<5 { cache.remember(tokenHash: "k\(i)", user: user, now: t0) }  // bounded: refills after a flush
        #expect(cache.user(tokenHash: "k4", now: t0) == user)
    }
}
