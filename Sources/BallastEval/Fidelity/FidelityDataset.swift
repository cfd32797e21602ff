import BallastData

/// A real and a synthetic labelled table aligned for comparison: the same feature columns in the
/// real file's order, categorical codes in one shared category list per column, labels in the real
/// file's class order, and only the synthetic rows.
///
/// The synthetic file may be a generator's output (every row synthetic) or the output of
/// `ballast balance --mark-synthetic`, whose marker column (``defaultMarkerColumn``: 1 for a
/// synthetic row, 0 for a kept real row) selects the synthetic rows and is then removed.
public struct FidelityDataset: Sendable {
    /// The marker column `ballast balance --mark-synthetic` writes.
    public static let defaultMarkerColumn = "is_synthetic"

    /// The feature columns, in the real file's order.
    public var columns: [FidelityColumn]
    /// The real rows' features (columns as ``columns``).
    public var real: Table
    /// Class index of each real row.
    public var realLabels: [Int]
    /// The synthetic rows' features (columns as ``columns``, categorical codes into the shared lists).
    public var synthetic: Table
    /// Class index (into ``classNames``) of each synthetic row.
    public var syntheticLabels: [Int]
    /// The real file's class names.
    public var classNames: [String]
    /// The real file's name, for messages and reports.
    public var realName: String
    /// The synthetic file's name.
    public var syntheticName: String
    /// Rows of the synthetic file that its marker column says are real (left out).
    public var markedRealRows: Int

    /// Aligns a synthetic table with a real one.
    /// - Parameters:
    ///   - real: the real rows (e.g. a training file).
    ///   - synthetic: the synthetic rows, possibly with real ones marked by `markerColumn`.
    ///   - realName: the real file's name, for messages.
    ///   - syntheticName: the synthetic file's name, for messages.
    ///   - markerColumn: the marker column's name; when the synthetic table has no such column, every
    ///     row is synthetic.
    ///   - syntheticFirstLine: the file line of the synthetic table's first row (2 after a header), so
    ///     that messages name lines.
    /// - Throws: ``FidelityError`` for a column present in one file only, a numeric column holding
    ///   text, an unknown class, a bad marker value, no real rows or no synthetic rows.
    public init(real: LabeledTable, synthetic: LabeledTable, realName: String, syntheticName: String,
                markerColumn: String = FidelityDataset.defaultMarkerColumn, syntheticFirstLine: Int = 2) throws {
        guard real.rowCount > 0 else { throw FidelityError.emptyReal(file: realName) }
        var synthFeatures = synthetic.features
        var keep = Array(0..<synthetic.rowCount)
        var markedReal = 0
        if let m = synthFeatures.columnIndex(named: markerColumn) {
            let flags = try Self.markerFlags(synthFeatures.columns[m], file: syntheticName, firstLine: syntheticFirstLine)
            keep = flags.indices.filter { flags[$0] }
            markedReal = flags.count - keep.count
            synthFeatures = synthFeatures.removingColumns(at: [m])
        }
        guard !keep.isEmpty else {
            throw FidelityError.noSyntheticRows(file: syntheticName, detail: "every row is marked real in column '\(markerColumn)'")
        }
        let realNames = Set(real.features.columnNames)
        if let extra = synthFeatures.columns.first(where: { !realNames.contains($0.name) }) {
            throw FidelityError.extraColumn(file: syntheticName, column: extra.name, realFile: realName)
        }
        var columns: [FidelityColumn] = []
        var synthColumns: [TableColumn] = []
        for realColumn in real.features.columns {
            guard let found = synthFeatures.column(named: realColumn.name) else {
                throw FidelityError.missingColumn(file: syntheticName, column: realColumn.name, realFile: realName)
            }
            let (description, aligned) = try Self.align(realColumn, found, rows: keep, file: syntheticName, firstLine: syntheticFirstLine)
            columns.append(description)
            synthColumns.append(aligned)
        }
        var labels: [Int] = []
        labels.reserveCapacity(keep.count)
        let classIndex = Dictionary(real.classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let mapped = synthetic.classNames.map { classIndex[$0] }
        for row in keep {
            let label = synthetic.labels[row]
            guard let index = mapped[label] else {
                throw FidelityError.unknownClass(file: syntheticName, className: synthetic.classNames[label], known: real.classNames)
            }
            labels.append(index)
        }
        self.columns = columns
        self.real = real.features
        self.realLabels = real.labels
        self.synthetic = Table(columns: synthColumns)
        self.syntheticLabels = labels
        self.classNames = real.classNames
        self.realName = realName
        self.syntheticName = syntheticName
        self.markedRealRows = markedReal
    }

    /// The marker column as booleans (`true`: synthetic).
    private static func markerFlags(_ column: TableColumn, file: String, firstLine: Int) throws -> [Bool] {
        switch column.values {
        case .numeric(let values):
            return try values.enumerated().map { row, v in
                guard v == 0 || v == 1 else {
                    throw FidelityError.badMarker(file: file, column: column.name, line: row + firstLine, value: CSVWriter.number(v))
                }
                return v == 1
            }
        case let .categorical(codes, categories):
            let meaning = categories.map { text -> Bool? in
                switch text.lowercased() {
                case "1", "true", "yes": return true
                case "0", "false", "no": return false
                default: return nil
                }
            }
            return try codes.enumerated().map { row, code in
                guard code >= 0, let flag = meaning[Int(code)] else {
                    throw FidelityError.badMarker(file: file, column: column.name, line: row + firstLine,
                                                  value: code >= 0 ? categories[Int(code)] : "")
                }
                return flag
            }
        }
    }

    /// Describes one real column and returns the synthetic column's kept rows in its terms.
    private static func align(_ real: TableColumn, _ synthetic: TableColumn, rows: [Int], file: String,
                              firstLine: Int) throws -> (FidelityColumn, TableColumn) {
        switch real.values {
        case .numeric(let values):
            if case let .categorical(codes, categories) = synthetic.values {
                let row = rows.first { codes[$0] >= 0 && Double(categories[Int(codes[$0])]) == nil } ?? rows.first { codes[$0] >= 0 } ?? 0
                let value = codes.isEmpty || codes[row] < 0 ? "" : categories[Int(codes[row])]
                throw FidelityError.columnKind(file: file, column: real.name, line: row + firstLine, value: value)
            }
            return (numericDescription(real.name, values), rows.count == synthetic.count ? synthetic : synthetic.gatherRows(rows))
        case let .categorical(_, realCategories):
            guard case let .categorical(codes, categories) = synthetic.asCategorical().values else {
                return (FidelityColumn(name: real.name, kind: .categorical), synthetic)
            }
            let (all, map) = ColumnValues.mergedCategories(realCategories, categories)
            let aligned = rows.count == codes.count ? codes.map { $0 < 0 ? Int32(-1) : map[Int($0)] }
                : rows.map { codes[$0] < 0 ? Int32(-1) : map[Int(codes[$0])] }
            return (FidelityColumn(name: real.name, kind: .categorical, categories: all, realCategoryCount: realCategories.count),
                    TableColumn(name: real.name, values: .categorical(codes: aligned, categories: all)))
        }
    }

    /// What the real values of a numeric column say about it (``FidelityColumn/heavyTailed`` is
    /// set by the validator, from the preprocessing's log1p rule).
    private static func numericDescription(_ name: String, _ values: [Double]) -> FidelityColumn {
        var integer = true, binary = true, any = false
        for v in values where !v.isNaN {
            any = true
            if v != 0 && v != 1 { binary = false }
            if v.rounded() != v { integer = false }
        }
        return FidelityColumn(name: name, kind: .numeric, integer: any && integer, binary: any && binary)
    }
}
