/// A feature column that gives away the label: each of its few values occurs with one class only,
/// on every row that has it. Usually another label column left in the file (BoT-IoT's
/// `category` and `subcategory` beside `attack`, UNSW-NB15's `attack_cat` beside `label`), which
/// makes any detector look perfect; `ballast inspect`, `train`, `balance` and `experiment` warn
/// about it.
///
/// A column is flagged when it has 2 to ``maximumValues`` distinct values, at least
/// ``rowsPerValue`` non-missing rows per value (so that chance purity on a small sample is not
/// flagged), and its values cover at least two classes. Rows of unknown label (negative codes)
/// and missing cells are ignored.
public struct LabelProxy: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The column's name.
    public var column: String
    /// How many distinct values it has.
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
    /// Non-missing rows needed per distinct value.
    public static let rowsPerValue = 5

    public var description: String {
        "column '\(column)' determines the class: each of its \(values) values occurs with one class only; "
            + "if it is another label column, drop it (--drop \(column))"
    }

    /// The columns of `table` that determine its label.
    public static func find(in table: LabeledTable) -> [LabelProxy] {
        guard Set(table.labels.lazy.filter { $0 >= 0 }).count >= 2 else { return [] }
        return table.features.columns.compactMap { column -> LabelProxy? in
            let proxy: LabelProxy?
            switch column.values {
            case .categorical(let codes, let categories):
                proxy = categories.count < 2 ? nil
                    : check(column.name, count: codes.count, key: { codes[$0] >= 0 ? Double(codes[$0]) : nil }, labels: table.labels)
            case .numeric(let values):
                proxy = check(column.name, count: values.count, key: { values[$0].isNaN ? nil : values[$0] }, labels: table.labels)
            }
            return proxy
        }
    }

    /// Whether the column whose row `i` holds `key(i)` (`nil`: missing) determines `labels`.
    private static func check(_ name: String, count: Int, key: (Int) -> Double?, labels: [Int]) -> LabelProxy? {
        var classOf: [Double: Int] = [:]
        var present = 0
        for i in 0..<min(count, labels.count) where labels[i] >= 0 {
            guard let value = key(i) else { continue }
            present += 1
            if let seen = classOf[value] {
                if seen != labels[i] { return nil }
            } else {
                if classOf.count == maximumValues { return nil }
                classOf[value] = labels[i]
            }
        }
        let classes = Set(classOf.values).count
        guard classOf.count >= 2, classes >= 2, present >= rowsPerValue * classOf.count else { return nil }
        return LabelProxy(column: name, values: classOf.count, classes: classes)
    }
}
