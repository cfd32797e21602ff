/// A feature column that gives away the label: each of its few values (a missing cell counting as
/// one more value) occurs with one class only. Usually another label column left in the file
/// (BoT-IoT's `category` and `subcategory` beside `attack`, UNSW-NB15's `attack_cat` beside
/// `label`, which the raw UNSW-NB15 files leave empty on normal rows), which makes any detector
/// look perfect; `ballast inspect`, `train`, `balance` and `experiment` warn about it.
///
/// A column is flagged when it has 2 to ``maximumValues`` values, each on at least
/// ``rowsPerValue`` rows (so that a feature which is 0 on normal rows and takes a few scattered
/// values on a handful of attacks, or chance purity on a small sample, is not flagged), and its
/// values cover at least two classes. Rows of unknown label (negative codes) are ignored.
public struct LabelProxy: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The column's name.
    public var column: String
    /// How many distinct values it has (a missing cell counted as one).
    public var values: Int
    /// How many classes its values cover.
    public var classes: Int

    /// Creates a record.
    public init(column: String, values: Int, classes: Int) {
        self.column = column
        self.values = values
        self.classes = classes
    }

    /// The most distinct values a flagged column may have (more, and purity is no evidence).
    public static let maximumValues = 64
    /// Rows each value needs.
    public static let rowsPerValue = 5

    public var description: String {
        "column '\(column)' determines the class: each of its \(values) values occurs with one class only; "
            + "if it is another label column, drop it (--drop \(column), or drop = [\"\(column)\"] in a spec)"
    }

    /// The columns of `table` that determine its label.
    public static func find(in table: LabeledTable) -> [LabelProxy] {
        let labels = table.labels
        // The first row of each class: a column whose value there is shared by two classes is
        // rejected at once (constant and mostly-zero columns, whatever the row order).
        var firstRows: [Int] = []
        var seenClass = Set<Int>()
        for (i, label) in labels.enumerated() where label >= 0 && seenClass.insert(label).inserted { firstRows.append(i) }
        guard firstRows.count >= 2 else { return [] }
        return table.features.columns.compactMap { column -> LabelProxy? in
            var tally = Tally()
            switch column.values {
            case .categorical(let codes, let categories):
                guard codes.count == labels.count else { return nil }
                // Slot `code + 1` per category, slot 0 for a missing cell.
                func slot(_ i: Int) -> Int { Int(codes[i]) + 1 }
                if sharesValue(firstRows, labels, slot) { return nil }
                var classOf = [Int](repeating: -1, count: categories.count + 1)
                var rows = [Int](repeating: 0, count: categories.count + 1)
                var distinct = 0
                for i in 0..<labels.count where labels[i] >= 0 {
                    let s = slot(i)
                    guard s >= 0, s < classOf.count else { return nil }
                    if classOf[s] < 0 {
                        // Past the limit purity is no evidence (as for numeric columns): stop scanning.
                        if distinct == maximumValues { return nil }
                        distinct += 1
                        classOf[s] = labels[i]
                    } else if classOf[s] != labels[i] {
                        return nil
                    }
                    rows[s] += 1
                }
                for s in classOf.indices where classOf[s] >= 0 { tally.add(classOf[s], rows: rows[s]) }
            case .numeric(let values):
                guard values.count == labels.count else { return nil }
                // NaN (missing) is one value; -0 and 0 are the same value.
                func key(_ i: Int) -> Double { values[i].isNaN ? .nan : values[i] + 0 }
                if sharesValue(firstRows, labels, { i in key(i).bitPattern }) { return nil }
                var seen: [UInt64: (label: Int, rows: Int)] = [:]
                for i in 0..<labels.count where labels[i] >= 0 {
                    let k = key(i).bitPattern
                    if let entry = seen[k] {
                        if entry.label != labels[i] { return nil }
                        seen[k] = (entry.label, entry.rows + 1)
                    } else {
                        if seen.count == maximumValues { return nil }
                        seen[k] = (labels[i], 1)
                    }
                }
                for entry in seen.values { tally.add(entry.label, rows: entry.rows) }
            }
            return tally.proxy(named: column.name)
        }
    }

    /// Whether two of the classes' first rows hold the same value.
    private static func sharesValue<Key: Hashable>(_ firstRows: [Int], _ labels: [Int], _ key: (Int) -> Key) -> Bool {
        var owner: [Key: Int] = [:]
        for row in firstRows {
            if let other = owner[key(row)], other != labels[row] { return true }
            owner[key(row)] = labels[row]
        }
        return false
    }

    /// The values of a column that passed the purity scan: their classes and row counts.
    private struct Tally {
        var values = 0, fewest = Int.max
        var classes = Set<Int>()

        mutating func add(_ label: Int, rows: Int) {
            values += 1
            fewest = min(fewest, rows)
            classes.insert(label)
        }

        func proxy(named name: String) -> LabelProxy? {
            guard (2...LabelProxy.maximumValues).contains(values), classes.count >= 2, fewest >= LabelProxy.rowsPerValue else { return nil }
            return LabelProxy(column: name, values: values, classes: classes.count)
        }
    }
}
