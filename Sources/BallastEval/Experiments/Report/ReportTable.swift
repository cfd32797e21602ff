/// A table of an experiment report before it is rendered: cells of text, some marked best; the
/// same value becomes a plain-text table (best marked `*`), a Markdown table (best in bold) or an
/// HTML table (best in bold, with a class for styling).
struct ReportTable: Sendable, Equatable {
    /// One cell.
    struct Cell: Sendable, Equatable {
        /// The text shown.
        var text: String
        /// Whether it holds the best value of its column (within its group).
        var best = false
        /// Whether it reports a failure (styled in red in HTML).
        var failed = false
        /// A longer text shown on hover in HTML (the full error of a failed cell).
        var hint: String? = nil

        init(_ text: String, best: Bool = false, failed: Bool = false, hint: String? = nil) {
            self.text = text
            self.best = best
            self.failed = failed
            self.hint = hint
        }
    }

    /// The heading above the table.
    var title: String
    /// The columns (heading with unit, alignment).
    var columns: [TextTable.Column]
    /// The rows; `nil` is a separator between groups.
    var rows: [[Cell]?] = []
    /// Lines shown under the table (legend, footnotes).
    var notes: [String] = []

    /// Appends a row.
    mutating func append(_ cells: [Cell]) { rows.append(cells) }

    /// Appends a separator unless the table is empty or already ends with one.
    mutating func appendSeparator() {
        if let last = rows.last, last != nil { rows.append(nil) }
    }

    /// The table as a ``TextTable``: best cells get `*` (plain) or `**bold**` (Markdown); other
    /// numeric cells get a trailing space in plain text so that the numbers stay aligned.
    /// - Parameter markdown: bold instead of `*`.
    func textTable(markdown: Bool) -> TextTable {
        var table = TextTable(columns: markdown ? columns.map { .init(Self.markdownInline($0.title), $0.alignment) } : columns)
        let marked = Set(rows.flatMap { row in (row ?? []).indices.filter { row?[$0].best == true } })
        for row in rows {
            guard let row else { table.appendSeparator(); continue }
            table.append(row.enumerated().map { index, cell in
                if markdown {
                    let text = Self.markdownInline(cell.text)
                    return cell.best ? "**\(text)**" : text
                }
                if cell.best { return cell.text + "*" }
                return marked.contains(index) ? cell.text + " " : cell.text
            })
        }
        return table
    }

    /// Text safe on one Markdown line: line breaks become spaces; `*`, `_`, backquotes, `<`, `>`
    /// and `&` are escaped so that method names and errors show literally.
    static func markdownInline(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\n", "\r": out.append(" ")
            case "*", "_", "`", "<", ">", "&": out.append("\\"); out.append(ch)
            default: out.append(ch)
            }
        }
        return out
    }

    /// The table as HTML: a `<table>` with a caption; best cells in `<strong class="best">`, failed
    /// cells with class `failed` and the full error as a `title`. All text is escaped.
    func html() -> String {
        var out = "<table>\n<caption>\(title.htmlEscaped)</caption>\n<thead><tr>"
        for column in columns {
            out += "<th class=\"\(column.alignment == .left ? "l" : "r")\" scope=\"col\">\(column.title.htmlEscaped)</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        var groupStart = false
        for row in rows {
            guard let row else { groupStart = true; continue }
            out += groupStart ? "<tr class=\"group\">" : "<tr>"
            groupStart = false
            for (index, cell) in row.enumerated() {
                let alignment = index < columns.count && columns[index].alignment == .left ? "l" : "r"
                var classes = [alignment]
                if cell.failed { classes.append("failed") }
                let hint = cell.hint.map { " title=\"\($0.htmlEscaped)\"" } ?? ""
                let text = cell.best ? "<strong class=\"best\">\(cell.text.htmlEscaped)</strong>" : cell.text.htmlEscaped
                out += "<td class=\"\(classes.joined(separator: " "))\"\(hint)>\(text)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        for note in notes { out += "<p class=\"note\">\(note.htmlEscaped)</p>\n" }
        return out
    }
}
