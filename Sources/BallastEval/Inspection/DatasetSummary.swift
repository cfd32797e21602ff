import BallastCore
import BallastData
import Foundation

/// What `ballast inspect` reports about a labelled dataset: its size, every column's inferred type
/// and summary, missing and invalid values, and the class distribution with its imbalance ratio.
public struct DatasetSummary: Sendable, Equatable, Codable {
    /// Summary of one feature column.
    public struct ColumnSummary: Sendable, Equatable, Codable {
        /// Column name.
        public var name: String
        /// Inferred type: `real`, `integer`, `binary` or `categorical`.
        public var type: String
        /// Missing values (empty, `-`, `NA`, `?` …).
        public var missing: Int
        /// NaN or infinite values found in the file (counted as missing in the table).
        public var invalid: Int
        /// Smallest non-missing value (numeric columns).
        public var min: Double?
        /// Largest non-missing value (numeric columns).
        public var max: Double?
        /// Mean of non-missing values (numeric columns).
        public var mean: Double?
        /// Sample standard deviation of non-missing values (numeric columns).
        public var standardDeviation: Double?
        /// Number of distinct values (categorical columns: categories seen). Numeric columns are
        /// counted up to ``distinctLimit``; more is reported as `distinctLimit + 1`.
        public var distinct: Int
        /// The most frequent categories with their counts, most frequent first (at most 5).
        public var topCategories: [CategoryCount]
    }

    /// A category and how often it occurs.
    public struct CategoryCount: Sendable, Equatable, Codable {
        /// The category.
        public var value: String
        /// Its count.
        public var count: Int
    }

    /// A class and its share of the rows.
    public struct ClassShare: Sendable, Equatable, Codable {
        /// Class name.
        public var name: String
        /// Rows of this class.
        public var count: Int
        /// `count / rows`.
        public var fraction: Double
    }

    /// Distinct numeric values are counted up to this many.
    public static let distinctLimit = 1000

    /// Where the data came from.
    public var source: String
    /// Number of rows.
    public var rows: Int
    /// The feature columns.
    public var columns: [ColumnSummary]
    /// Columns dropped before analysis (identifiers, addresses, timestamps), with the reason.
    public var droppedColumns: [String]
    /// Numeric columns with a few cells that are not numbers, read as missing (with their rows).
    public var nonNumericCells: [NonNumericCells]
    /// Columns that determine the label on every row (probably other label columns left in).
    public var labelProxies: [LabelProxy]
    /// Class distribution, in label order.
    public var classes: [ClassShare]
    /// Largest class count over smallest non-empty class count (1 for one class, 0 for no rows).
    public var imbalanceRatio: Double

    /// Summarizes a labelled table.
    ///
    /// - Parameters:
    ///   - data: the loaded table.
    ///   - invalidCounts: NaN/Inf values found per column name by the reader.
    ///   - droppedColumns: descriptions of columns the loader dropped.
    ///   - nonNumericCells: numeric columns whose few non-number cells the reader read as missing.
    public init(_ data: LabeledTable, invalidCounts: [String: Int] = [:], droppedColumns: [String] = [],
                nonNumericCells: [NonNumericCells] = []) {
        source = data.source
        self.nonNumericCells = nonNumericCells
        rows = data.rowCount
        self.droppedColumns = droppedColumns
        columns = data.features.columns.map { Self.summarize($0, invalid: invalidCounts[$0.name] ?? 0) }
        labelProxies = LabelProxy.find(in: data)
        let counts = data.classCounts
        classes = zip(data.classNames, counts).map {
            ClassShare(name: $0, count: $1, fraction: data.rowCount > 0 ? Double($1) / Double(data.rowCount) : 0)
        }
        let nonEmpty = counts.filter { $0 > 0 }
        imbalanceRatio = nonEmpty.isEmpty ? 0 : Double(nonEmpty.max() ?? 0) / Double(nonEmpty.min() ?? 1)
    }

    private static func summarize(_ column: TableColumn, invalid: Int) -> ColumnSummary {
        switch column.values {
        case .numeric(let values):
            var stats = RunningStatistics()
            var integral = true, binary = true
            var distinct = Set<Double>()
            for v in values where !v.isNaN {
                stats.add(v)
                if integral && v.rounded() != v { integral = false }
                if binary && v != 0 && v != 1 { binary = false }
                if distinct.count <= Self.distinctLimit { distinct.insert(v) }
            }
            let n = stats.count
            let type = n == 0 ? "real" : binary ? "binary" : integral ? "integer" : "real"
            return ColumnSummary(
                name: column.name, type: type, missing: column.missingCount, invalid: invalid,
                min: n > 0 ? stats.minimum : nil, max: n > 0 ? stats.maximum : nil, mean: n > 0 ? stats.mean : nil,
                standardDeviation: n > 1 ? stats.standardDeviation : nil,
                distinct: distinct.count, topCategories: [])
        case .categorical(let codes, let categories):
            var counts = Array(repeating: 0, count: categories.count)
            for c in codes where c >= 0 { counts[Int(c)] += 1 }
            let top = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
                .prefix(5).map { CategoryCount(value: categories[$0], count: counts[$0]) }
            return ColumnSummary(
                name: column.name, type: "categorical", missing: column.missingCount, invalid: invalid,
                min: nil, max: nil, mean: nil, standardDeviation: nil,
                distinct: counts.filter { $0 > 0 }.count, topCategories: top)
        }
    }
}

extension DatasetSummary {
    /// The class distribution as a table with counts, percentages and a bar.
    public func classTable() -> TextTable {
        var t = TextTable(columns: [.init("class", .left), .init("rows"), .init("share %"), .init("", .left)])
        let largest = classes.map(\.count).max() ?? 0
        for c in classes {
            let width = largest > 0 ? Int((Double(c.count) / Double(largest) * 30).rounded(.up)) : 0
            t.append([c.name, "\(c.count)", String(format: "%.2f", c.fraction * 100), String(repeating: "█", count: width)])
        }
        return t
    }

    /// The per-column table: type, missing, invalid, range, mean ± std or top categories.
    public func columnTable() -> TextTable {
        var t = TextTable(columns: [
            .init("column", .left), .init("type", .left), .init("missing"), .init("invalid"),
            .init("min"), .init("max"), .init("mean"), .init("std"), .init("distinct"), .init("most frequent", .left),
        ])
        for c in columns {
            t.append([
                c.name, c.type, "\(c.missing)", "\(c.invalid)", format(c.min), format(c.max), format(c.mean),
                format(c.standardDeviation), c.distinct > Self.distinctLimit ? ">\(Self.distinctLimit)" : "\(c.distinct)",
                c.topCategories.prefix(3).map { "\(Self.shortened($0.value)) (\($0.count))" }.joined(separator: ", "),
            ])
        }
        return t
    }

    /// Longest category value the text table shows (the JSON has them whole).
    static let displayedValueLength = 40

    /// `value`, cut to ``displayedValueLength`` characters with an ellipsis when longer.
    static func shortened(_ value: String) -> String {
        value.count <= displayedValueLength ? value : value.prefix(displayedValueLength - 1) + "…"
    }

    /// The full plain-text report.
    public func renderPlain() -> String {
        var s = "source: \(source)\nrows: \(rows)   feature columns: \(columns.count)\n"
        if !droppedColumns.isEmpty { s += "dropped: \(droppedColumns.joined(separator: "; "))\n" }
        let missing = columns.reduce(0) { $0 + $1.missing }, invalid = columns.reduce(0) { $0 + $1.invalid }
        s += "missing values: \(missing)   invalid (NaN/Inf) values: \(invalid)\n"
        for cells in nonNumericCells { s += "note: \(cells)\n" }
        for proxy in labelProxies { s += "warning: \(proxy)\n" }
        s += "\n"
        s += "class distribution (imbalance ratio \(String(format: "%.1f", imbalanceRatio)) : 1)\n"
        s += classTable().renderPlain() + "\n" + columnTable().renderPlain()
        return s
    }

    /// JSON with sorted keys.
    /// - Throws: an encoding error (not expected).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

private func format(_ v: Double?) -> String {
    guard let v else { return "" }
    if v == v.rounded() && abs(v) < 1e15 { return String(format: "%.0f", v) }
    let a = abs(v)
    if a >= 1e6 || a < 1e-3 { return String(format: "%.3g", v) }
    return String(format: "%.4g", v)
}
