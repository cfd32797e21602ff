import Foundation

/// A small TOML reader for experiment specifications: the subset such files need.
///
/// Supported: comments, `key = value` with bare or quoted keys, basic strings (`"…"` with `\\`,
/// `\"`, `\n`, `\t`, `\uXXXX` escapes), literal strings (`'…'`), integers (with `_` separators),
/// multi-line strings (`"""…"""`, escapes not interpreted), floats, booleans, arrays (possibly
/// over several lines, trailing comma allowed), `[table]` and `[[array-of-tables]]` headers. Not
/// supported (an error names the line): dotted keys, inline tables, dates. Duplicate keys are an error, as in TOML.
struct TOMLDocument: Sendable, Equatable {
    /// A TOML value.
    indirect enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        case array([Value])
        case table(Table)
        case tables([Table])
    }

    /// A table: keys in file order with their values and the line each was defined on.
    struct Table: Sendable, Equatable {
        /// Keys in the order they appear.
        private(set) var keys: [String] = []
        /// Values by key.
        private(set) var values: [String: Value] = [:]
        /// The line each key was defined on (for messages).
        private(set) var lines: [String: Int] = [:]
        /// The line of the header that opened the table (0 for the root).
        var headerLine: Int = 0

        /// The value of `key`, if present.
        subscript(key: String) -> Value? { values[key] }

        mutating func set(_ key: String, _ value: Value, line: Int) -> Bool {
            guard values[key] == nil else { return false }
            keys.append(key)
            values[key] = value
            lines[key] = line
            return true
        }

        mutating func appendTable(_ key: String, line: Int) -> Bool {
            switch values[key] {
            case nil:
                keys.append(key)
                lines[key] = line
                values[key] = .tables([Table(headerLine: line)])
            case .tables(var list):
                list.append(Table(headerLine: line))
                values[key] = .tables(list)
            default:
                return false
            }
            return true
        }

        mutating func withLastTable(_ key: String, _ body: (inout Table) -> Bool) -> Bool {
            switch values[key] {
            case .table(var table):
                let ok = body(&table)
                values[key] = .table(table)
                return ok
            case .tables(var list):
                guard !list.isEmpty else { return false }
                let ok = body(&list[list.count - 1])
                values[key] = .tables(list)
                return ok
            default:
                return false
            }
        }
    }

    /// The root table.
    var root: Table

    /// Parses TOML text.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the file name used in messages.
    /// - Throws: ``ExperimentError/specSyntax(file:line:message:)`` naming the line and the problem.
    init(parsing text: String, file: String) throws {
        var parser = Parser(scalars: Array(text.unicodeScalars), file: file)
        root = try parser.document()
    }
}

extension TOMLDocument {
    /// A recursive-descent parser over the text's Unicode scalars.
    struct Parser {
        let scalars: [Unicode.Scalar]
        let file: String
        var position = 0
        var line = 1

        init(scalars: [Unicode.Scalar], file: String) {
            self.scalars = scalars
            self.file = file
        }

        func fail(_ message: String) -> ExperimentError { .specSyntax(file: file, line: line, message: message) }

        var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        mutating func advance() {
            if current == "\n" { line += 1 }
            position += 1
        }

        mutating func skipSpaces() {
            while let c = current, c == " " || c == "\t" { advance() }
        }

        /// Skips spaces, comments and line ends (inside arrays).
        mutating func skipBlank() {
            while let c = current {
                if c == " " || c == "\t" || c == "\r" || c == "\n" {
                    advance()
                } else if c == "#" {
                    while let d = current, d != "\n" { advance() }
                } else {
                    return
                }
            }
        }

        /// Expects the end of the line (after optional spaces and a comment).
        mutating func endOfLine() throws {
            skipSpaces()
            if current == "#" { while let d = current, d != "\n" { advance() } }
            if current == "\r" { advance() }
            guard current == nil || current == "\n" else {
                throw fail("unexpected '\(current.map { String($0) } ?? "")' after the value; one key = value per line")
            }
            if current == "\n" { advance() }
        }

        mutating func document() throws -> Table {
            var root = Table()
            // The path of the table that keys currently go into: [] is the root.
            var path: [String] = []
            while true {
                skipBlank()
                guard let c = current else { break }
                let startLine = line
                if c == "[" {
                    advance()
                    let isArray = current == "["
                    if isArray { advance() }
                    skipSpaces()
                    let name = try key()
                    skipSpaces()
                    guard current == "]" else { throw fail("expected ']' to close the table header [\(name)") }
                    advance()
                    if isArray {
                        guard current == "]" else { throw fail("expected ']]' to close [[\(name)]]") }
                        advance()
                        guard root.appendTable(name, line: startLine) else { throw fail("'\(name)' is already defined as a value or a table") }
                    } else {
                        guard root.set(name, .table(Table(headerLine: startLine)), line: startLine) else {
                            throw fail("table [\(name)] is defined twice")
                        }
                    }
                    path = [name]
                    try endOfLine()
                    continue
                }
                let name = try key()
                skipSpaces()
                guard current == "=" else { throw fail("expected '=' after key '\(name)'") }
                advance()
                skipSpaces()
                let v = try value()
                let ok: Bool
                if let table = path.first {
                    ok = root.withLastTable(table) { $0.set(name, v, line: startLine) }
                } else {
                    ok = root.set(name, v, line: startLine)
                }
                guard ok else { throw fail("key '\(name)' is defined twice") }
                try endOfLine()
            }
            return root
        }

        mutating func key() throws -> String {
            if current == "\"" { return try basicString() }
            if current == "'" { return try literalString() }
            var text = ""
            while let c = current, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" {
                text.unicodeScalars.append(c)
                advance()
            }
            if current == "." { throw fail("dotted keys are not supported; use a [table] header") }
            guard !text.isEmpty else { throw fail("expected a key, found '\(current.map { String($0) } ?? "end of file")'") }
            return text
        }

        mutating func value() throws -> Value {
            guard let c = current else { throw fail("expected a value after '='") }
            switch c {
            case "\"":
                if position + 2 < scalars.count, scalars[position + 1] == "\"", scalars[position + 2] == "\"" {
                    return .string(try multiLineString())
                }
                return .string(try basicString())
            case "'": return .string(try literalString())
            case "[": return try array()
            case "{": throw fail("inline tables are not supported; use a [table] header")
            default: return try scalarWord()
            }
        }

        mutating func array() throws -> Value {
            advance()
            var items: [Value] = []
            while true {
                skipBlank()
                if current == "]" { advance(); return .array(items) }
                guard current != nil else { throw fail("array not closed with ']'") }
                items.append(try value())
                skipBlank()
                if current == "," { advance(); continue }
                if current == "]" { advance(); return .array(items) }
                throw fail("expected ',' or ']' in the array, found '\(current.map { String($0) } ?? "end of file")'")
            }
        }

        mutating func scalarWord() throws -> Value {
            var text = ""
            while let c = current, !" \t\r\n,]#".unicodeScalars.contains(c) {
                text.unicodeScalars.append(c)
                advance()
            }
            if text == "true" { return .boolean(true) }
            if text == "false" { return .boolean(false) }
            let digits = text.replacingOccurrences(of: "_", with: "")
            if let int = Int(digits) { return .integer(int) }
            if let double = Double(digits), double.isFinite || ["inf", "+inf", "-inf", "nan"].contains(digits) {
                return .float(double)
            }
            throw fail("'\(text)' is not a value: strings need quotes (\"\(text)\"), numbers and true/false do not")
        }

        /// `"""…"""`, possibly over several lines; a line end right after the opening quotes is
        /// dropped, as in TOML. Escapes are not interpreted.
        mutating func multiLineString() throws -> String {
            let startLine = line
            for _ in 0..<3 { advance() }
            if current == "\r" { advance() }
            if current == "\n" { advance() }
            var text = ""
            while let c = current {
                if c == "\"", position + 2 < scalars.count, scalars[position + 1] == "\"", scalars[position + 2] == "\"" {
                    for _ in 0..<3 { advance() }
                    return text
                }
                text.unicodeScalars.append(c)
                advance()
            }
            throw ExperimentError.specSyntax(file: file, line: startLine, message: "multi-line string not closed with \"\"\"")
        }

        mutating func literalString() throws -> String {
            advance()
            var text = ""
            while let c = current, c != "'" {
                guard c != "\n" else { throw fail("string not closed with ' before the end of the line") }
                text.unicodeScalars.append(c)
                advance()
            }
            guard current == "'" else { throw fail("string not closed with ' before the end of the line") }
            advance()
            return text
        }

        mutating func basicString() throws -> String {
            advance()
            var text = ""
            while let c = current, c != "\"" {
                guard c != "\n" else { throw fail("string not closed with \" before the end of the line") }
                if c == "\\" {
                    advance()
                    guard let e = current else { break }
                    switch e {
                    case "\\": text += "\\"
                    case "\"": text += "\""
                    case "n": text += "\n"
                    case "t": text += "\t"
                    case "r": text += "\r"
                    case "u":
                        var hex = ""
                        for _ in 0..<4 {
                            advance()
                            if let h = current { hex.unicodeScalars.append(h) }
                        }
                        guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                            throw fail("'\\u\(hex)' is not a valid escape")
                        }
                        text.unicodeScalars.append(scalar)
                    default: throw fail("'\\\(e)' is not a valid escape (use \\\\, \\\", \\n, \\t or \\uXXXX)")
                    }
                    advance()
                    continue
                }
                text.unicodeScalars.append(c)
                advance()
            }
            guard current == "\"" else { throw fail("string not closed with \" before the end of the line") }
            advance()
            return text
        }
    }
}
