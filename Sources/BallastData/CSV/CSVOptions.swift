/// How a CSV file is read.
public struct CSVOptions: Sendable, Equatable {
    /// Whether the first row is a header.
    public enum HeaderMode: String, Sendable, Equatable, CaseIterable {
        /// Decide from the content: the first row is a header when one of its fields is text in a
        /// column whose other values are numbers, or when all its fields are distinct text values that
        /// never occur again in their columns.
        case auto
        /// The first row names the columns.
        case present
        /// There is no header; columns are named `column_1`, `column_2`, ….
        case absent
    }

    /// What to do with `NaN`, `inf`, `-inf` (and spellings such as `Infinity`) in the file.
    public enum NonFinitePolicy: String, Sendable, Equatable {
        /// Throw a ``DataError`` naming the file, line, column and value.
        case reject
        /// Store the value as missing and count it in ``CSVDiagnostics``.
        case treatAsMissing
    }

    /// The field separator (one ASCII byte, not a quote or newline).
    public var delimiter: UInt8
    /// Header handling.
    public var header: HeaderMode
    /// Field texts meaning "missing" (compared after unquoting).
    public var missingMarkers: Set<String>
    /// NaN/Inf handling.
    public var nonFinite: NonFinitePolicy
    /// Columns read as text whatever their content (names, or 1-based positions for a file without
    /// a header), such as the label column: they are never made numeric by the
    /// ``CSVReader/numericShare`` rule.
    public var textColumns: [String] = []
    /// Columns read as numbers whatever their content (names, or 1-based positions for a file
    /// without a header): a field that is not a number is read as missing and listed in
    /// ``CSVDiagnostics/nonNumericCells``, however many there are. A column in both lists is text.
    /// A streamed read uses it so that every chunk types a column the same way.
    public var numericColumns: [String] = []
    /// Files larger than this many bytes (and without quote characters) are parsed in parallel
    /// chunks. The result never depends on it; tests and the fuzzer lower it to compare both paths.
    public var parallelThreshold: Int = 1 << 18

    /// Creates options; the defaults read a comma-separated file with automatic header detection and
    /// the missing markers `""`, `-`, `NA` and `?`, rejecting NaN/Inf.
    public init(delimiter: UInt8 = UInt8(ascii: ","), header: HeaderMode = .auto,
                missingMarkers: Set<String> = ["", "-", "NA", "?"], nonFinite: NonFinitePolicy = .reject) {
        self.delimiter = delimiter
        self.header = header
        self.missingMarkers = missingMarkers
        self.nonFinite = nonFinite
    }
}

/// What the reader saw besides the table: per-column counts of missing and non-finite values.
public struct CSVDiagnostics: Sendable, Equatable {
    /// Per column (in table order): missing values (markers and empty fields).
    public var missingCounts: [Int]
    /// Per column: NaN/Inf values stored as missing (with ``CSVOptions/NonFinitePolicy/treatAsMissing``).
    public var nonFiniteCounts: [Int]
    /// Whether the first row was taken as a header.
    public var hadHeader: Bool
    /// Numeric columns holding a few cells that are not numbers (read as missing, and counted in
    /// ``missingCounts``), in column order.
    public var nonNumericCells: [NonNumericCells] = []
}

/// A table read from CSV, with diagnostics.
public struct CSVReadResult: Sendable {
    /// The typed table.
    public var table: Table
    /// Counts of missing and invalid values.
    public var diagnostics: CSVDiagnostics
}

/// The cells of a numeric column that are not numbers: a column whose non-missing cells are at
/// least ``CSVReader/numericShare`` numbers is numeric, and its other cells are read as missing
/// and reported here rather than turning the whole column categorical.
public struct NonNumericCells: Sendable, Equatable, Codable, CustomStringConvertible {
    /// How many rows are listed at most.
    public static let listedRows = 5

    /// The column's name.
    public var column: String
    /// How many cells are not numbers.
    public var count: Int
    /// Non-missing cells of the column (numbers and others).
    public var present: Int
    /// The first of them: data row (1-based, the header not counted) and the cell's text.
    public var examples: [Example]

    /// One cell that is not a number.
    public struct Example: Sendable, Equatable, Codable {
        /// Data row, counting from 1 after the header.
        public var row: Int
        /// The cell as written.
        public var value: String

        /// Creates an example.
        public init(row: Int, value: String) {
            self.row = row
            self.value = value
        }
    }

    public var description: String {
        let listed = examples.map { "row \($0.row): '\($0.value.count > 40 ? $0.value.prefix(39) + "…" : $0.value)'" }.joined(separator: ", ")
        return "column '\(column)' is numeric but \(count) of its \(present) values are not numbers "
            + "(\(listed)\(count > examples.count ? ", …" : "")); they are read as missing values"
    }
}
