import BallastData

/// Whether synthetic values are valid values of their columns — SDMetrics' diagnostic report (Data
/// Validity and Data Structure) plus the checks a mapped-back generator output needs.
///
/// - Boundary adherence (numeric): the share of synthetic values inside the real rows' [min, max];
///   a missing value counts as valid only when the real rows have missing values too.
/// - Category adherence (categorical): the share of synthetic values that are real categories.
/// - Integer and flag validity: for columns whose real values are all integers (all 0/1), the
///   share of synthetic values that are integers (0 or 1).
/// - One-hot groups: columns named `PREFIX_x`, `PREFIX=x`, `PREFIX.x` or `PREFIX:x` that are 0/1 and
///   sum to exactly 1 in every real row form a group; the share of synthetic rows where they sum to 1.
/// - Data Structure: SDMetrics' `TableStructure`, the overlap of (column, pandas dtype) pairs of the
///   two files (whole files, as pandas types a column once), where a numeric column is `int64` when
///   every value is an integer and none is missing, `float64` otherwise, a categorical one `object`.
public struct ValidityCheck: Sendable, Equatable, Codable {
    /// One column's adherence.
    public struct Column: Sendable, Equatable, Codable {
        /// The column name.
        public var column: String
        /// `BoundaryAdherence` or `CategoryAdherence`.
        public var metric: String
        /// The share of valid synthetic values (`nil` without synthetic rows).
        public var score: Double?
        /// Integer columns: the share of synthetic values that are integers.
        public var integerShare: Double?
        /// 0/1 columns: the share of synthetic values that are 0 or 1.
        public var flagShare: Double?
    }

    /// A one-hot group found in the raw columns.
    public struct OneHotGroup: Sendable, Equatable, Codable {
        /// The group's columns.
        public var columns: [String]
        /// The share of synthetic rows with exactly one 1 in the group.
        public var validShare: Double
    }

    /// One entry per column.
    public var columns: [Column]
    /// SDMetrics' Data Validity score: the mean column score.
    public var score: Double?
    /// SDMetrics' Data Structure score.
    public var structure: Double
    /// SDMetrics' diagnostic score: the mean of validity and structure.
    public var diagnosticScore: Double?
    /// The lowest integer share over integer columns (`nil`: no integer column).
    public var integerValidity: Double?
    /// The lowest flag share over 0/1 columns.
    public var flagValidity: Double?
    /// One-hot groups of the raw columns (empty when there are none).
    public var oneHotGroups: [OneHotGroup]

    /// Checks the synthetic side of a group against its real side.
    /// - Parameters:
    ///   - columns: the column descriptions.
    ///   - real: the group's real rows.
    ///   - synthetic: the group's synthetic rows.
    ///   - types: the `column:dtype` lists of the whole real and synthetic files (``pandasTypes(_:_:)``).
    init(columns: [FidelityColumn], real: ColumnSample, synthetic: ColumnSample, types: (real: [String], synthetic: [String])) {
        var results: [Column] = []
        for (j, c) in columns.enumerated() {
            switch c.kind {
            case .numeric:
                var column = Column(column: c.name, metric: "BoundaryAdherence")
                let values = synthetic.values[j]
                if !values.isEmpty, let lo = real.sorted[j].first, let hi = real.sorted[j].last {
                    let nullable = real.missing(j) > 0
                    var valid = 0, counted = 0
                    for v in values {
                        if v.isNaN {
                            if !nullable { counted += 1 }
                            continue
                        }
                        counted += 1
                        if v >= lo && v <= hi { valid += 1 }
                    }
                    column.score = counted > 0 ? Double(valid) / Double(counted) : nil
                }
                let present = synthetic.sorted[j]
                if c.integer, !present.isEmpty {
                    column.integerShare = Double(present.filter { $0.rounded() == $0 }.count) / Double(present.count)
                }
                if c.binary, !present.isEmpty {
                    column.flagShare = Double(present.filter { $0 == 0 || $0 == 1 }.count) / Double(present.count)
                }
                results.append(column)
            case .categorical:
                var column = Column(column: c.name, metric: "CategoryAdherence")
                let realCounts = real.categoryCounts(j, categoryCount: c.categories.count)
                let synthCounts = synthetic.categoryCounts(j, categoryCount: c.categories.count)
                let nullable = realCounts.last ?? 0 > 0
                let total = synthCounts.reduce(0, +)
                if total > 0 {
                    var valid = nullable ? synthCounts.last ?? 0 : 0
                    for k in 0..<c.categories.count where realCounts[k] > 0 { valid += synthCounts[k] }
                    column.score = Double(valid) / Double(total)
                }
                results.append(column)
            }
        }
        self.columns = results
        let validity = ColumnShapes.mean(results.compactMap(\.score))
        let union = Set(types.real).union(types.synthetic).count
        let structure = union == 0 ? 1 : Double(Set(types.real).intersection(types.synthetic).count) / Double(union)
        score = validity
        self.structure = structure
        diagnosticScore = validity.map { ($0 + structure) / 2 }
        integerValidity = results.compactMap(\.integerShare).min()
        flagValidity = results.compactMap(\.flagShare).min()
        oneHotGroups = Self.oneHotGroups(columns, real: real).map { group in
            let rows = synthetic.rows
            var valid = 0
            for r in 0..<rows where group.reduce(0.0, { $0 + synthetic.values[$1][r] }) == 1
                && group.allSatisfy({ synthetic.values[$0][r] == 0 || synthetic.values[$0][r] == 1 }) {
                valid += 1
            }
            return OneHotGroup(columns: group.map { columns[$0].name }, validShare: rows > 0 ? Double(valid) / Double(rows) : 1)
        }
    }

    /// `column:dtype` as pandas would read each column of a table.
    static func pandasTypes(_ columns: [FidelityColumn], _ table: Table) -> [String] {
        zip(columns, table.columns).map { c, column in
            guard case .numeric(let values) = column.values else { return c.name + ":object" }
            return c.name + (values.allSatisfy { $0.rounded() == $0 } ? ":int64" : ":float64")
        }
    }

    /// Groups of 0/1 columns sharing a name prefix that sum to 1 in every real row.
    private static func oneHotGroups(_ columns: [FidelityColumn], real: ColumnSample) -> [[Int]] {
        var byPrefix: [String: [Int]] = [:]
        for (j, c) in columns.enumerated() where c.kind == .numeric && c.binary {
            guard let cut = c.name.lastIndex(where: { "_=.:".contains($0) }), cut > c.name.startIndex else { continue }
            byPrefix[String(c.name[..<cut]), default: []].append(j)
        }
        return byPrefix.keys.sorted().compactMap { prefix in
            guard let group = byPrefix[prefix], group.count >= 2 else { return nil }
            for r in 0..<real.rows where group.reduce(0.0, { $0 + real.values[$1][r] }) != 1 { return nil }
            return group
        }
    }
}
