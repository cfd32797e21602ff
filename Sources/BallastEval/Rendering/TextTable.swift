/// A table of strings rendered with aligned columns, for terminals and Markdown.
///
/// Numbers are right-aligned and text left-aligned, decided per column from ``Column/alignment``.
public struct TextTable: Sendable, Equatable {
    /// How a column's cells are aligned.
    public enum Alignment: Sendable, Equatable {
        /// Pad on the right.
        case left
        /// Pad on the left (numbers).
        case right
    }

    /// A column heading and its alignment.
    public struct Column: Sendable, Equatable {
        /// The heading, including the unit where there is one (`recall %`).
        public var title: String
        /// Cell alignment.
        public var alignment: Alignment
        /// Creates a column.
        public init(_ title: String, _ alignment: Alignment = .right) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// The columns.
    public var columns: [Column]
    /// The rows; `nil` marks a separator line.
    public var rows: [[String]?]

    /// Creates a table with no rows.
    public init(columns: [Column]) {
        self.columns = columns
        self.rows = []
    }

    /// Appends a row (missing cells are empty, extra cells dropped).
    public mutating func append(_ cells: [String]) {
        rows.append((0..<columns.count).map { $0 < cells.count ? cells[$0] : "" })
    }

    /// Appends a separator line.
    public mutating func appendSeparator() { rows.append(nil) }

    private var widths: [Int] {
        columns.indices.map { c in
            rows.reduce(columns[c].title.count) { w, row in max(w, row.map { $0[c].count } ?? 0) }
        }
    }

    private func pad(_ text: String, _ width: Int, _ alignment: Alignment) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return alignment == .left ? text + fill : fill + text
    }

    /// The table as aligned plain text with a rule under the heading.
    public func renderPlain() -> String {
        let w = widths
        let header = columns.indices.map { pad(columns[$0].title, w[$0], columns[$0].alignment) }
        let rule = w.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        var lines = [header.joined(separator: "  ").trailingSpacesTrimmed, rule]
        // A left-aligned last column is not padded: the spaces would only be trimmed again, one
        // by one, on every row as wide as the widest cell.
        let last = columns.count - 1
        for row in rows {
            guard let row else { lines.append(rule); continue }
            lines.append(columns.indices.map { c in
                c == last && columns[c].alignment == .left ? row[c] : pad(row[c], w[c], columns[c].alignment)
            }.joined(separator: "  ").trailingSpacesTrimmed)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table as a GitHub-flavoured Markdown table (separators are dropped).
    public func renderMarkdown() -> String {
        let w = widths.map { max($0, 3) }
        func line(_ cells: [String]) -> String {
            "| " + columns.indices.map { pad(escape(cells[$0]), w[$0], columns[$0].alignment) }.joined(separator: " | ") + " |"
        }
        var lines = [line(columns.map(\.title))]
        lines.append("| " + columns.indices.map { c in
            let dashes = String(repeating: "-", count: w[c] - 1)
            return columns[c].alignment == .right ? dashes + ":" : ":" + dashes
        }.joined(separator: " | ") + " |")
        for case let row? in rows { lines.append(line(row)) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}

extension String {
    fileprivate var trailingSpacesTrimmed: String {
        let bytes = utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: " ") { end = bytes.index(before: end) }
        return String(self[..<end])
    }
}

import Foundation
