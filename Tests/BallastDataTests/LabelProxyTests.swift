import BallastData
import Testing

/// A feature column that gives the label away (another label column left in the file) is found,
/// and columns that merely predict it well, or look pure only by chance, are not.
@Suite("label proxies")
struct LabelProxyTests {
    /// 100 rows: classes 0, 1, 2 in turn.
    static let labels = (0..<100).map { $0 % 3 }

    static func table(_ columns: [TableColumn], labels: [Int] = labels) -> LabeledTable {
        LabeledTable(features: Table(columns: columns), labels: labels, classNames: ["normal", "dos", "probe"], source: "test")
    }

    static func categorical(_ name: String, _ values: [String?]) -> TableColumn {
        var categories: [String] = [], index: [String: Int32] = [:]
        let codes = values.map { value -> Int32 in
            guard let value else { return -1 }
            if let code = index[value] { return code }
            index[value] = Int32(categories.count)
            categories.append(value)
            return Int32(categories.count - 1)
        }
        return TableColumn(name: name, values: .categorical(codes: codes, categories: categories))
    }

    @Test("another label column is flagged, categorical or numeric, with missing cells and unlabelled rows ignored")
    func flagged() {
        // subcategory: two values per class (like BoT-IoT's UDP/TCP under DDoS), some cells missing.
        let sub = Self.labels.enumerated().map { i, c -> String? in i % 17 == 0 ? nil : ["n", "d", "p"][c] + String(i % 2) }
        // attack: 0 for normal, 1 for the rest, but as the label of a binary task it is 1:1.
        let attack = Self.labels.map { Double($0 == 0 ? 0 : 1) }
        var labels = Self.labels
        labels[5] = -1  // an unlabelled row whose value would break purity is ignored
        var subWithStray = sub
        subWithStray[5] = "n0"
        let found = LabelProxy.find(in: Self.table([Self.categorical("subcategory", subWithStray),
                                                    TableColumn(name: "attack", values: .numeric(attack))], labels: labels))
        #expect(found == [LabelProxy(column: "subcategory", values: 6, classes: 3)])
        let binary = LabeledTable(features: Table(columns: [TableColumn(name: "attack_cat", values: .numeric(Self.labels.map(Double.init)))]),
                                  labels: Self.labels.map { $0 == 0 ? 0 : 1 }, classNames: ["normal", "attack"], source: "test")
        #expect(LabelProxy.find(in: binary) == [LabelProxy(column: "attack_cat", values: 3, classes: 2)])
        #expect(found.first?.description.contains("--drop subcategory") == true)
    }

    @Test("a good but imperfect feature, a many-valued one, chance purity on few rows, one class: not flagged")
    func notFlagged() {
        var almost = Self.labels.map { Double($0) }
        almost[40] = 2  // one row out of a hundred disagrees
        let manyValues = (0..<100).map { Double($0) }  // an ID-like column: each value pure, but 100 values
        let constant = Self.categorical("flag", Array(repeating: "SF", count: 100))
        #expect(LabelProxy.find(in: Self.table([TableColumn(name: "almost", values: .numeric(almost)),
                                                TableColumn(name: "seq", values: .numeric(manyValues)), constant])).isEmpty)
        // 12 rows, 3 values: fewer than 5 rows per value.
        let few = Array(Self.labels.prefix(12))
        #expect(LabelProxy.find(in: Self.table([TableColumn(name: "x", values: .numeric(few.map(Double.init)))], labels: few)).isEmpty)
        // Values present only on rows of one class (missing elsewhere): nothing to give away.
        let oneClass = Self.labels.map { $0 == 1 ? "v\($0)" : nil }.enumerated().map { i, v in v.map { $0 + String(i % 2) } }
        #expect(LabelProxy.find(in: Self.table([Self.categorical("only-dos", oneClass)])).isEmpty)
        // One class in the data: no column can give it away.
        #expect(LabelProxy.find(in: Self.table([TableColumn(name: "x", values: .numeric(almost))], labels: Array(repeating: 0, count: 100))).isEmpty)
        // Empty data.
        #expect(LabelProxy.find(in: Self.table([TableColumn(name: "x", values: .numeric([]))], labels: [])).isEmpty)
    }
}
