import Foundation

/// Parsers for the two HTML form encodings. Hand-written (about 80 lines) rather than a dependency:
/// the service needs `application/x-www-form-urlencoded` fields and one file per
/// `multipart/form-data` upload, with bounds checked on every index.
enum FormData {
    /// Fields of a URL-encoded body (`a=1&b=x+y`); the first value of a repeated name wins.
    /// - Returns: nil when a name or value is not valid percent-encoding.
    static func urlEncoded(_ bytes: [UInt8]) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : []) else { return nil }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: bytes.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        return text.removingPercentEncoding
    }

    /// One part of a multipart body.
    struct Part {
        var name: String
        var fileName: String?
        var body: ArraySlice<UInt8>
    }

    /// The boundary of a `multipart/form-data` content type.
    static func boundary(contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let kv = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...200).contains(value.utf8.count) ? value : nil
            }
        }
        return nil
    }

    /// The parts of a multipart body, keyed by field name (first part of a name wins).
    /// - Returns: nil when the body is not well-formed multipart.
    static func multipart(_ body: [UInt8], boundary: String) -> [String: Part]? {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [String: Part] = [:]
        guard var position = find(delimiter, in: body, from: 0) else { return nil }
        while true {
            position += delimiter.count
            guard position + 2 <= body.count else { return nil }
            if body[position] == UInt8(ascii: "-") && body[position + 1] == UInt8(ascii: "-") { return parts }
            guard body[position] == 13, body[position + 1] == 10 else { return nil }
            position += 2
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: position) else { return nil }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            let start = headerEnd + 4
            guard let next = find([13, 10] + delimiter, in: body, from: start) else { return nil }
            if let (name, fileName) = disposition(headers), parts[name] == nil {
                parts[name] = Part(name: name, fileName: fileName, body: body[start..<next])
            }
            position = next + 2
        }
    }

    /// `name` and `filename` of a part's Content-Disposition header. Quoted values may hold `;`
    /// and backslash-escaped quotes.
    private static func disposition(_ headers: String) -> (String, String?)? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            var name: String?, fileName: String?
            for (key, value) in parameters(Array(line.dropFirst("content-disposition:".count))) {
                switch key.lowercased() {
                case "name": name = value
                case "filename": fileName = value
                default: break
                }
            }
            return name.map { ($0, fileName) }
        }
        return nil
    }

    /// The `key=value` parameters after the first `;` of a header value.
    static func parameters(_ chars: [Character]) -> [(String, String)] {
        var out: [(String, String)] = []
        var i = chars.firstIndex(of: ";") ?? chars.count
        while i < chars.count {
            i += 1  // past ';'
            while i < chars.count && chars[i] == " " { i += 1 }
            var key = ""
            while i < chars.count && chars[i] != "=" && chars[i] != ";" { key.append(chars[i]); i += 1 }
            guard i < chars.count, chars[i] == "=" else { continue }
            i += 1
            var value = ""
            if i < chars.count && chars[i] == "\"" {
                i += 1
                while i < chars.count && chars[i] != "\"" {
                    if chars[i] == "\\" && i + 1 < chars.count { i += 1 }
                    value.append(chars[i])
                    i += 1
                }
                i += 1  // past the closing quote
                while i < chars.count && chars[i] != ";" { i += 1 }
            } else {
                while i < chars.count && chars[i] != ";" { value.append(chars[i]); i += 1 }
            }
            out.append((key.trimmingCharacters(in: .whitespaces), value))
        }
        return out
    }

    /// The first index of `needle` in `haystack` at or after `from`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
