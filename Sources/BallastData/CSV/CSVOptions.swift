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
}

/// A table read from CSV, with diagnostics.
public struct CSVReadResult: Sendable {
    /// The typed table.
    public var table: Table
    /// Counts of missing and invalid values.
    public var diagnostics: CSVDiagnostics
}
