/// The NSL-KDD loader (Tavallaee et al., 2009): 43 comma-separated fields per record, no header —
/// 41 features, the attack name and a difficulty score.
///
/// The attack name and difficulty are kept in ``LabeledTable/metadata`` (columns `attack` and
/// `difficulty`), never as features. Labels follow ``LabelMode``; attack names that occur only in
/// the test sets are mapped through ``NSLKDDSchema/categoryOfAttack``, and a name not in that map
/// is an error naming the file, record and name.
///
/// KDD Cup 99 files, NSL-KDD's parent, are read too: 42 fields (no difficulty) and attack names
/// ending in `.` (`smurf.`), which is dropped; their metadata has the `attack` column only.
public enum NSLKDD {
    /// How records are labelled.
    public enum LabelMode: String, Sendable, CaseIterable, Codable {
        /// Normal, DoS, Probe, R2L, U2R (fixed order, so training and test sets align).
        case fiveClass = "5class"
        /// normal vs attack.
        case binary
        /// The attack name itself (class names sorted alphabetically).
        case attackName = "attack"
    }

    /// Loads an NSL-KDD file.
    /// - Throws: ``DataError`` for I/O problems, a wrong field count, a feature of the wrong type, or
    ///   an unknown attack name.
    public static func load(path: String, labelMode: LabelMode = .fiveClass) throws -> LabeledTable {
        return try make(CSVReader.read(contentsOf: path, options: readOptions), name: path, labelMode: labelMode)
    }

    /// Loads NSL-KDD records from bytes; `name` is used in messages and as the source.
    /// - Throws: as ``load(path:labelMode:)``.
    public static func load(bytes: [UInt8], name: String, labelMode: LabelMode = .fiveClass) throws -> LabeledTable {
        return try make(CSVReader.read(bytes: bytes, name: name, options: readOptions), name: name, labelMode: labelMode)
    }

    /// Builds NSL-KDD records from one chunk of a file read with ``readOptions`` (by
    /// ``CSVChunkReader``): record numbers in errors count `rowOffset` records before the chunk.
    /// - Throws: as ``load(path:labelMode:)``.
    public static func load(chunk: CSVReadResult, name: String, labelMode: LabelMode = .fiveClass, rowOffset: Int) throws -> LabeledTable {
        try make(chunk, name: name, labelMode: labelMode, rowOffset: rowOffset)
    }

    /// How the records are read: no header, no missing markers, NaN/Inf refused; the symbolic
    /// features and the attack name always as text.
    public static var readOptions: CSVOptions {
        var options = CSVOptions(header: .absent, missingMarkers: [], nonFinite: .reject)
        options.textColumns = NSLKDDSchema.featureNames.enumerated().filter { NSLKDDSchema.symbolicFeatures.contains($0.element) }
            .map { String($0.offset + 1) } + ["42"]
        return options
    }

    /// Builds the labelled table from the 43 raw columns.
    private static func make(_ read: CSVReadResult, name: String, labelMode: LabelMode, rowOffset: Int = 0) throws -> LabeledTable {
        let table = read.table
        // A numeric feature with a few cells that are not numbers: the first of them, by record.
        let stray = read.diagnostics.nonNumericCells.compactMap { cells -> (column: Int, example: NonNumericCells.Example)? in
            guard let position = Int(cells.column.dropFirst("column_".count)), let first = cells.examples.first else { return nil }
            return (position, first)
        }.min { $0.example.row < $1.example.row }
        if let stray {
            let field = stray.column <= NSLKDDSchema.featureNames.count ? NSLKDDSchema.featureNames[stray.column - 1] : "difficulty"
            throw DataError(.badLabel, "\(name), record \(stray.example.row), column \(stray.column) (\(field)): "
                + "'\(stray.example.value)' is not a number; this NSL-KDD field is numeric")
        }
        let kdd99 = table.columns.count == NSLKDDSchema.kdd99FieldCount
        guard table.columns.count == NSLKDDSchema.fieldCount || kdd99 else {
            throw DataError(.raggedRow, "\(name): records have \(table.columns.count) fields; NSL-KDD has \(NSLKDDSchema.fieldCount) (41 features, the attack name and the difficulty) and KDD Cup 99 has \(NSLKDDSchema.kdd99FieldCount) (no difficulty)")
        }
        var features: [TableColumn] = []
        for (i, featureName) in NSLKDDSchema.featureNames.enumerated() {
            var column = table.columns[i]
            column.name = featureName
            if NSLKDDSchema.symbolicFeatures.contains(featureName) {
                column = column.asCategorical()
            } else if case .categorical(let codes, let categories) = column.values {
                // The reader made the column text because some value is not a number: name the first.
                let row = codes.firstIndex { $0 >= 0 && Double(categories[Int($0)]) == nil } ?? 0
                let value = codes.indices.contains(row) && codes[row] >= 0 ? categories[Int(codes[row])] : ""
                throw DataError(.badLabel, "\(name), record \(rowOffset + row + 1), column \(i + 1) (\(featureName)): '\(value)' is not a number; this NSL-KDD feature is numeric")
            }
            features.append(column)
        }
        var attack = table.columns[41].asCategorical()
        guard case .categorical(let attackCodes, var attackNames) = attack.values else { return LabeledTable(features: Table(columns: features), labels: [], classNames: [], source: name) }
        if kdd99 {
            // KDD Cup 99 ends each attack name with a dot; every name has it, so names stay distinct.
            attackNames = attackNames.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
            attack.values = .categorical(codes: attackCodes, categories: attackNames)
        }
        var metadata: [TableColumn] = []
        if !kdd99 {
            var difficulty = table.columns[42]
            difficulty.name = "difficulty"
            if case .categorical = difficulty.values {
                throw DataError(.badLabel, "\(name): column 43 (difficulty) must be numeric")
            }
            metadata.append(difficulty)
        }

        // Map each distinct attack name once.
        var categoryOfCode: [String] = []
        for n in attackNames {
            guard let category = NSLKDDSchema.categoryOfAttack[n] else {
                let row = attackCodes.firstIndex { $0 >= 0 && attackNames[Int($0)] == n } ?? 0
                throw DataError(.badLabel, "\(name), record \(rowOffset + row + 1): unknown attack name '\(n)' (expected one of the NSL-KDD attack names, e.g. neptune, smurf, satan, guess_passwd, rootkit)")
            }
            categoryOfCode.append(category)
        }
        if let missing = attackCodes.firstIndex(where: { $0 < 0 }) {
            throw DataError(.badLabel, "\(name), record \(rowOffset + missing + 1): the attack name (field 42) is empty")
        }
        let classNames: [String]
        let labelOfCode: [Int]
        switch labelMode {
        case .fiveClass:
            classNames = NSLKDDSchema.fiveClassNames
            labelOfCode = categoryOfCode.map { classNames.firstIndex(of: $0) ?? 0 }
        case .binary:
            classNames = NSLKDDSchema.binaryClassNames
            labelOfCode = categoryOfCode.map { $0 == "Normal" ? 0 : 1 }
        case .attackName:
            classNames = Array(Set(attackNames)).sorted()
            labelOfCode = attackNames.map { classNames.firstIndex(of: $0) ?? 0 }
        }
        let labels = attackCodes.map { labelOfCode[Int($0)] }
        var attackColumn = attack
        attackColumn.name = "attack"
        return LabeledTable(features: Table(columns: features), labels: labels, classNames: classNames,
                            metadata: Table(columns: [attackColumn] + metadata), source: name)
    }
}

extension TableColumn {
    /// The column as categorical: numbers become their shortest text (`80`, `0.5`), in order of
    /// first appearance; categorical columns are returned unchanged.
    public func asCategorical() -> TableColumn {
        guard case .numeric(let values) = values else { return self }
        var categories: [String] = []
        var lookup: [Double: Int32] = [:]
        let codes: [Int32] = values.map { v in
            if v.isNaN { return -1 }
            if let c = lookup[v] { return c }
            let c = Int32(categories.count)
            lookup[v] = c
            categories.append(v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v))
            return c
        }
        return TableColumn(name: name, values: .categorical(codes: codes, categories: categories))
    }
}
