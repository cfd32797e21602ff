import Foundation

/// Writes a labelled table as CSV (RFC 4180: a header row, fields quoted only when they contain the
/// delimiter, a quote or a line break), atomically.
public enum CSVWriter {
    /// The CSV text of `table`: a header, then one line per row.
    ///
    /// Integral numbers are written without a fractional part (`80`, not `80.0`); other numbers use
    /// the shortest text that reads back to the same `Double`. Missing values are written as the
    /// column's ``TableColumn/missingText`` (as the file that was read wrote them), else empty.
    /// - Parameters:
    ///   - table: the rows to write.
    ///   - delimiter: the field separator.
    ///   - header: whether to write the header line (a streamed file writes it with its first part only).
    public static func render(_ table: Table, delimiter: Character = ",", header: Bool = true) -> String {
        render(table, rows: 0..<table.rowCount, delimiter: delimiter, header: header)
    }

    /// The CSV text of the rows `rows` of `table`, after the header when `header` is true.
    static func render(_ table: Table, rows: Range<Int>, delimiter: Character, header: Bool) -> String {
        var out = ""
        out.reserveCapacity(rows.count * table.columns.count * 6)
        let d = String(delimiter)
        if header { out += table.columnNames.map { quoted($0, delimiter) }.joined(separator: d) + "\n" }
        let missing = table.columns.map { quoted($0.missingText ?? "", delimiter) }
        for r in rows {
            for (j, column) in table.columns.enumerated() {
                if j > 0 { out += d }
                switch column.values {
                case .numeric(let v): out += v[r].isNaN ? missing[j] : number(v[r])
                case let .categorical(codes, categories):
                    out += codes[r] < 0 || Int(codes[r]) >= categories.count ? missing[j] : quoted(categories[Int(codes[r])], delimiter)
                }
            }
            out += "\n"
        }
        return out
    }

    /// The CSV text of `table` with a final label column holding the class names of `labels`.
    /// - Parameters:
    ///   - table: the feature columns.
    ///   - labels: class index per row.
    ///   - classNames: names written for the labels.
    ///   - labelColumn: the header of the label column.
    ///   - delimiter: the field separator.
    public static func render(_ table: Table, labels: [Int], classNames: [String], labelColumn: String = "label",
                              delimiter: Character = ",") -> String {
        render(labeled(table, labels: labels, classNames: classNames, labelColumn: labelColumn), delimiter: delimiter)
    }

    /// Writes ``render(_:labels:classNames:labelColumn:delimiter:)`` to `path` through a temporary
    /// file in the same directory and a rename, so `path` is never left half-written.
    /// - Throws: ``DataError`` (`unwritable`) naming the path and the reason.
    public static func write(_ table: Table, labels: [Int], classNames: [String], labelColumn: String = "label",
                             delimiter: Character = ",", to path: String) throws {
        try write(labeled(table, labels: labels, classNames: classNames, labelColumn: labelColumn), delimiter: delimiter, to: path)
    }

    /// Writes ``render(_:delimiter:header:)`` to `path` atomically (``AtomicFileWriter``), rendering
    /// ``blockRows`` rows at a time so that the text of a large table is never held whole.
    /// - Throws: ``DataError`` (`unwritable`) naming the path and the reason.
    public static func write(_ table: Table, delimiter: Character = ",", to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        var start = 0
        repeat {
            let end = min(start + blockRows, table.rowCount)
            try writer.write(render(table, rows: start..<end, delimiter: delimiter, header: start == 0))
            start = end
        } while start < table.rowCount
        try writer.commit()
    }

    /// Rows rendered at a time by ``write(_:delimiter:to:)``.
    static let blockRows = 65_536

    static func labeled(_ table: Table, labels: [Int], classNames: [String], labelColumn: String) -> Table {
        precondition(labels.count == table.rowCount, "CSVWriter: \(labels.count) labels for \(table.rowCount) rows")
        var out = table
        out.columns.append(TableColumn(name: labelColumn, values: .categorical(
            codes: labels.map { $0 >= 0 && $0 < classNames.count ? Int32($0) : -1 }, categories: classNames)))
        return out
    }

    /// How a number is written: integral values without a fractional part, others in the shortest
    /// text that reads back to the same `Double`, NaN (missing) as an empty field.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// A field as written in a CSV record: quoted (with inner quotes doubled) only when it holds
    /// the delimiter, a quote or a line break, as RFC 4180 allows.
    /// - Parameters:
    ///   - field: the field's text.
    ///   - delimiter: the field separator (default `,`).
    public static func quoted(_ field: String, _ delimiter: Character = ",") -> String {
        guard field.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
