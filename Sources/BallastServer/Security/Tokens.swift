import BallastCore
import Foundation

/// Random secrets and their comparison.
///
/// Tokens come from the system's cryptographically secure generator (`getrandom` on Linux), not
/// from a seeded generator: these are secrets, not experiment draws. A token has a public id and a
/// secret (`id.secret`); the database stores the id and the SHA-256 of the secret, and a presented
/// token is looked up by id and its secret compared in constant time.
enum Tokens {
    /// `bytes` random bytes as lowercase hex.
    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return hexEncoded((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// A new `id.secret` token with the SHA-256 of its secret.
    static func make(prefix: String = "") -> (token: String, id: String, secretHash: String) {
        let id = prefix + randomHex(bytes: 8)
        let secret = randomHex(bytes: 24)
        return ("\(id).\(secret)", id, sha256(secret))
    }

    /// Splits a presented token into id and secret, refusing anything malformed or oversized.
    static func split(_ token: String) -> (id: String, secret: String)? {
        let bytes = token.utf8
        guard bytes.count <= 128, let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        let secretStart = bytes.index(after: dot)
        guard dot > bytes.startIndex, secretStart < bytes.endIndex, !bytes[secretStart...].contains(UInt8(ascii: ".")) else { return nil }
        return (String(token[..<dot]), String(token[secretStart...]))
    }

    /// SHA-256 of a string's UTF-8 bytes, as hex.
    static func sha256(_ text: String) -> String {
        SHA256.hex(Array(text.utf8))
    }

    /// Compares two strings in time that depends only on their lengths.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
