import BallastCore

/// A table of named, typed columns, as read from a CSV file or produced by the traffic simulator.
///
/// Numeric values are kept in `Double` so that large integer counters (byte counts above 2²⁴) survive
/// exactly; conversion to the `Float` feature matrix happens in preprocessing.
public struct Table: Sendable, Equatable, Codable {
    /// The columns, in file order.
    public var columns: [TableColumn]

    /// Creates a table.
    /// - Precondition: every column has the same number of rows.
    public init(columns: [TableColumn]) {
        let n = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == n }, "Table: columns have different lengths")
        self.columns = columns
    }

    /// Number of rows (0 for a table without columns).
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// Column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The index of the column called `name`, or `nil`.
    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// The column called `name`; or, in a table read without a header (columns `column_1`,
    /// `column_2`, …), the column at the 1-based position `name`, so that `--label 42` names the
    /// 42nd field; or `nil`.
    public func columnIndex(namedOrNumbered name: String) -> Int? {
        if let i = columnIndex(named: name) { return i }
        guard let n = Int(name), n >= 1, n <= columns.count, columns[n - 1].name == "column_\(n)" else { return nil }
        return n - 1
    }

    /// The column called `name`, or `nil`.
    public func column(named name: String) -> TableColumn? {
        columnIndex(named: name).map { columns[$0] }
    }

    /// The rows at `indices`, in that order.
    public func gatherRows<C: Collection>(_ indices: C) -> Table where C.Element == Int {
        Table(columns: columns.map { $0.gatherRows(indices) })
    }

    /// The table without the columns at `indices`.
    public func removingColumns(at indices: Set<Int>) -> Table {
        Table(columns: columns.enumerated().filter { !indices.contains($0.offset) }.map(\.element))
    }
}

/// One named column of a ``Table``.
public struct TableColumn: Sendable, Equatable, Codable {
    /// The column name (from the header, or `column_N` without one).
    public var name: String
    /// The values.
    public var values: ColumnValues
    /// How the file wrote this column's missing values (`-`, `NA`, `?`), so that rows written back
    /// are written as they were read; `nil` for an empty field. When a column mixed several
    /// markers, the most frequent one.
    public var missingText: String?

    /// Creates a column.
    public init(name: String, values: ColumnValues, missingText: String? = nil) {
        self.name = name
        self.values = values
        self.missingText = missingText
    }

    /// Number of rows.
    public var count: Int {
        switch values {
        case .numeric(let v): return v.count
        case .categorical(let codes, _): return codes.count
        }
    }

    /// Whether the value at `row` is missing (NaN for numeric, code -1 for categorical).
    public func isMissing(_ row: Int) -> Bool {
        switch values {
        case .numeric(let v): return v[row].isNaN
        case .categorical(let codes, _): return codes[row] < 0
        }
    }

    /// Number of missing values.
    public var missingCount: Int {
        switch values {
        case .numeric(let v): return v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .categorical(let codes, _): return codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        }
    }

    /// The rows at `indices`, in that order.
    public func gatherRows<C: Collection>(_ indices: C) -> TableColumn where C.Element == Int {
        switch values {
        case .numeric(let v): return TableColumn(name: name, values: .numeric(indices.map { v[$0] }), missingText: missingText)
        case .categorical(let codes, let categories):
            return TableColumn(name: name, values: .categorical(codes: indices.map { codes[$0] }, categories: categories),
                               missingText: missingText)
        }
    }
}

/// The typed values of a column.
public enum ColumnValues: Sendable, Equatable, Codable {
    /// Numbers; a missing value is NaN. (Literal NaN/Inf in a file are reported by the reader, never
    /// stored silently.)
    case numeric([Double])
    /// Category codes indexing `categories`; a missing value is code -1. Categories are in order of
    /// first appearance.
    case categorical(codes: [Int32], categories: [String])
}

/// A feature table with one class label per row: the result of loading a labelled dataset.
public struct LabeledTable: Sendable, Equatable, Codable {
    /// Feature columns only (label, identifiers and metadata removed).
    public var features: Table
    /// Class index per row.
    public var labels: [Int]
    /// Class names, indexed by label.
    public var classNames: [String]
    /// Non-feature columns kept beside the features (e.g. NSL-KDD's attack name and difficulty).
    public var metadata: Table
    /// Where the data came from: a file path, or `"simulated"` for the traffic simulator.
    public var source: String

    /// Creates a labelled table.
    public init(features: Table, labels: [Int], classNames: [String], metadata: Table = Table(columns: []), source: String) {
        self.features = features
        self.labels = labels
        self.classNames = classNames
        self.metadata = metadata
        self.source = source
    }

    /// Number of rows.
    public var rowCount: Int { labels.count }

    /// Rows per class, indexed by label.
    public var classCounts: [Int] { LabeledMatrix.classCounts(of: labels, classCount: classNames.count) }

    /// The rows at `indices`, with their labels and metadata.
    public func gatherRows<C: Collection>(_ indices: C) -> LabeledTable where C.Element == Int {
        LabeledTable(features: features.gatherRows(indices), labels: indices.map { labels[$0] },
                     classNames: classNames, metadata: metadata.gatherRows(indices), source: source)
    }
}

extension Table {
    /// This table's rows followed by `other`'s. Columns are matched by position and must have the same
    /// names and kinds; categorical columns are merged by category text (new categories are appended).
    /// - Throws: ``DataError`` (`missingColumn`) when the columns differ.
    public func appendingRows(of other: Table) throws -> Table {
        guard columns.count == other.columns.count else {
            throw DataError(.missingColumn, "cannot stack tables of \(columns.count) and \(other.columns.count) columns")
        }
        return Table(columns: try zip(columns, other.columns).map { a, b in
            guard a.name == b.name else { throw DataError(.missingColumn, "cannot stack column '\(a.name)' onto '\(b.name)'") }
            switch (a.values, b.values) {
            case let (.numeric(x), .numeric(y)): return TableColumn(name: a.name, values: .numeric(x + y), missingText: a.missingText ?? b.missingText)
            case let (.categorical(codesA, catsA), .categorical(codesB, catsB)):
                let (categories, mapped) = ColumnValues.mergedCategories(catsA, catsB)
                return TableColumn(name: a.name, values: .categorical(codes: codesA + codesB.map { $0 < 0 ? -1 : mapped[Int($0)] },
                                                                      categories: categories),
                                   missingText: a.missingText ?? b.missingText)
            default:
                throw DataError(.missingColumn, "column '\(a.name)' is numeric in one table and categorical in the other")
            }
        })
    }
}

extension ColumnValues {
    /// The categories of `first`, then those of `second` that `first` lacks (in `second`'s order),
    /// and the position of each of `second`'s categories in that list — how codes of a second
    /// column are re-expressed in the first column's terms.
    public static func mergedCategories(_ first: [String], _ second: [String]) -> (categories: [String], positions: [Int32]) {
        var categories = first
        var index = Dictionary(first.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        let positions = second.map { name -> Int32 in
            if let i = index[name] { return i }
            categories.append(name)
            index[name] = Int32(categories.count - 1)
            return Int32(categories.count - 1)
        }
        return (categories, positions)
    }
}
