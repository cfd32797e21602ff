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

    static func numeric(_ name: String, _ values: [Double]) -> TableColumn { TableColumn(name: name, values: .numeric(values)) }

    @Test("another label column is flagged, categorical or numeric; unlabelled rows are ignored")
    func flagged() {
        // subcategory: two values per class (like BoT-IoT's UDP/TCP under DDoS).
        var sub = Self.labels.enumerated().map { i, c -> String? in ["n", "d", "p"][c] + String(i % 2) }
        // attack: 0 for normal, 1 for the rest: not a proxy of the 3-class label.
        let attack = Self.labels.map { Double($0 == 0 ? 0 : 1) }
        var labels = Self.labels
        labels[5] = -1  // an unlabelled row whose value would break purity is ignored
        sub[5] = "n0"
        let found = LabelProxy.find(in: Self.table([Self.categorical("subcategory", sub), Self.numeric("attack", attack)], labels: labels))
        #expect(found == [LabelProxy(column: "subcategory", values: 6, classes: 3)])
        #expect(found.first?.description.contains("--drop subcategory") == true)
        let binary = LabeledTable(features: Table(columns: [Self.numeric("attack_cat", Self.labels.map(Double.init))]),
                                  labels: Self.labels.map { $0 == 0 ? 0 : 1 }, classNames: ["normal", "attack"], source: "test")
        #expect(LabelProxy.find(in: binary) == [LabelProxy(column: "attack_cat", values: 3, classes: 2)])
    }

    @Test("a missing cell is a value: a label column left empty on normal rows (raw UNSW-NB15) is flagged")
    func missingIsAValue() {
        let binary = Self.labels.map { $0 == 0 ? 0 : 1 }
        let attackCat = Self.labels.map { $0 == 0 ? nil : ["", "Exploits", "DoS"][$0] }
        let table = LabeledTable(features: Table(columns: [Self.categorical("attack_cat", attackCat),
                                                           Self.numeric("code", Self.labels.map { $0 == 0 ? .nan : Double($0) })]),
                                 labels: binary, classNames: ["normal", "attack"], source: "test")
        #expect(LabelProxy.find(in: table) == [LabelProxy(column: "attack_cat", values: 3, classes: 2),
                                               LabelProxy(column: "code", values: 3, classes: 2)])
        // One category and missing cells elsewhere: two values.
        let single = Self.categorical("flag", binary.map { $0 == 1 ? "yes" : nil })
        #expect(LabelProxy.find(in: LabeledTable(features: Table(columns: [single]), labels: binary, classNames: ["normal", "attack"],
                                                 source: "test")) == [LabelProxy(column: "flag", values: 2, classes: 2)])
        // Missing cells spread over the classes are a value shared by classes: not a proxy.
        var spread = Self.labels.map { Optional(String($0)) }
        for i in stride(from: 0, to: 100, by: 10) { spread[i] = nil }
        #expect(LabelProxy.find(in: Self.table([Self.categorical("spread", spread)])).isEmpty)
    }

    @Test("64 values are flagged, 65 are not; every value needs 5 rows")
    func boundaries() {
        func proxy(values: Int, rowsEach: Int) -> [LabelProxy] {
            let labels = (0..<values * rowsEach).map { ($0 / rowsEach) % 2 }
            let column = Self.numeric("v", (0..<values * rowsEach).map { Double($0 / rowsEach) })
            return LabelProxy.find(in: LabeledTable(features: Table(columns: [column]), labels: labels, classNames: ["a", "b"], source: "t"))
        }
        #expect(proxy(values: 64, rowsEach: 5) == [LabelProxy(column: "v", values: 64, classes: 2)])
        #expect(proxy(values: 65, rowsEach: 5).isEmpty)
        #expect(proxy(values: 3, rowsEach: 4).isEmpty, "4 rows a value: chance purity on a small sample")
        // A feature that is 0 on 95 normal rows and takes a different value on each of 5 attacks:
        // pure, but the attacks' values are seen once each; it is a feature, not a label.
        let labels = (0..<100).map { $0 < 95 ? 0 : 1 }
        let scattered = (0..<100).map { $0 < 95 ? 0 : Double($0) }
        #expect(LabelProxy.find(in: LabeledTable(features: Table(columns: [Self.numeric("failed_logins", scattered)]), labels: labels,
                                                 classNames: ["normal", "attack"], source: "t")).isEmpty)
    }

    @Test("a good but imperfect feature, a many-valued one, a constant, one class, no rows: not flagged")
    func notFlagged() {
        var almost = Self.labels.map { Double($0) }
        almost[40] = 2  // one row out of a hundred disagrees
        let manyValues = (0..<100).map { Double($0) }  // an ID-like column: each value pure, but 100 values
        let constant = Self.categorical("flag", Array(repeating: "SF", count: 100))
        #expect(LabelProxy.find(in: Self.table([Self.numeric("almost", almost), Self.numeric("seq", manyValues), constant,
                                                Self.numeric("zero", Array(repeating: -0.0, count: 50) + Array(repeating: 0, count: 50))])).isEmpty)
        #expect(LabelProxy.find(in: Self.table([Self.numeric("x", almost)], labels: Array(repeating: 0, count: 100))).isEmpty)
        #expect(LabelProxy.find(in: Self.table([Self.numeric("x", [])], labels: [])).isEmpty)
    }
}
