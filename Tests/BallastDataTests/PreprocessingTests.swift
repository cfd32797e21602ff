import BallastCore
@testable import BallastData
import BallastTestSupport
import Foundation
import Testing

@Suite("Preprocessing")
struct PreprocessingTests {
    /// Eight rows: a real, an integer (one missing), a binary, a heavy-tailed, a rate and a
    /// categorical column (with an unused category that must be dropped).
    static func trainingTable(missing: Bool = true) -> Table {
        Table(columns: [
            TableColumn(name: "a", values: .numeric([1.5, 2.5, 3.5, 4.5, 1.5, 2.5, 3.5, 4.5])),
            TableColumn(name: "n", values: .numeric([1, 2, 3, missing ? .nan : 4, 5, 6, 7, 8])),
            TableColumn(name: "b", values: .numeric([0, 1, 1, 0, 0, 1, 1, 0])),
            TableColumn(name: "bytes", values: .numeric([0, 0, 0, 0, 0, 0, 1, 5000])),
            TableColumn(name: "rate", values: .numeric([0, 0.5, 1, 0.25, 0, 0, 1, 1])),
            TableColumn(name: "proto", values: .categorical(codes: [0, 1, 0, 2, 0, 1, 0, 0],
                                                            categories: ["tcp", "udp", "icmp", "unused"])),
        ])
    }

    @Test("Kinds, layout and one-hot names are learned from the training table")
    func layout() throws {
        let fitted = try Preprocessor().fit(Self.trainingTable())
        #expect(fitted.columns.map(\.kind) == [.real, .integer, .binary, .integer, .real, .categorical])
        #expect(fitted.outputWidth == 8)
        #expect(fitted.featureNames == ["a", "n", "b", "bytes", "rate", "proto=tcp", "proto=udp", "proto=icmp"])
        #expect(fitted.oneHotGroups == [5..<8])
        #expect(fitted.outputColumns.map(\.role) == [.real, .integer, .binary, .integer, .real,
                                                     .oneHot(group: 0), .oneHot(group: 0), .oneHot(group: 0)])
        #expect(fitted.outputColumns[6].sourceColumn == 5)
        #expect(fitted.columns[5].categories == ["tcp", "udp", "icmp"])
        #expect(fitted.columns.map(\.logTransformed) == [false, false, false, true, false, false])
        #expect(fitted.columns[1].imputationValue == 5)  // median of 1,2,3,5,6,7,8
        #expect(fitted.columns[3].observedMax == 5000)
    }

    @Test("Z-score golden values, median imputation and one-hot rows")
    func zScoreGolden() throws {
        let fitted = try Preprocessor().fit(Self.trainingTable())
        let (m, report) = try fitted.transformWithReport(Self.trainingTable())
        let std = 1.25.squareRoot()
        #expect(abs(Double(m[0, 0]) - (-1.5 / std)) < 1e-6)
        #expect(abs(Double(m[3, 0]) - (1.5 / std)) < 1e-6)
        // n: the scaler is fitted on the 7 present values; the missing row gets the median 5
        let nValues = [1.0, 2, 3, 5, 6, 7, 8]
        let nMean = nValues.reduce(0, +) / 7
        let nStd = (nValues.map { ($0 - nMean) * ($0 - nMean) }.reduce(0, +) / 7).squareRoot()
        #expect(abs(Double(m[3, 1]) - (5 - nMean) / nStd) < 1e-5)
        #expect(report.imputedCounts == [0, 1, 0, 0, 0, 0])
        #expect(report.totalUnseen == 0)
        #expect(m.row(3)[5...] == [0, 0, 1])
        #expect(m.row(1)[5...] == [0, 1, 0])
    }

    @Test("Min-max to [0, 1] and [-1, 1]: golden values, log1p column, clipping of unseen data")
    func minMaxGolden() throws {
        let fitted = try Preprocessor(scaling: .minMax(lower: 0, upper: 1)).fit(Self.trainingTable())
        let m = try fitted.transform(Self.trainingTable())
        #expect(abs(m[1, 0] - 1.0 / 3) < 1e-6)
        #expect(m[3, 0] == 1 && m[0, 0] == 0)
        #expect(abs(Double(m[6, 3]) - log1p(1.0) / log1p(5000.0)) < 1e-6)
        #expect(m[7, 3] == 1)
        var unseen = Self.trainingTable()
        unseen.columns[0].values = .numeric([100, -100, 2, 2, 2, 2, 2, 2])
        let clipped = try fitted.transform(unseen)
        #expect(clipped[0, 0] == 1 && clipped[1, 0] == 0)

        let symmetric = try Preprocessor(scaling: .minMax(lower: -1, upper: 1)).fit(Self.trainingTable())
        let s = try symmetric.transform(Self.trainingTable())
        #expect(s[0, 0] == -1 && s[3, 0] == 1)
        #expect(abs(s[1, 0] - (-1.0 / 3)) < 1e-6)
        #expect(s.storage.allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    @Test("A category unseen in training maps to the all-zeros pattern and is counted; ordinal gets its own code")
    func unseenCategory() throws {
        var test = Self.trainingTable()
        test.columns[5].values = .categorical(codes: [2, 1, -1, 0, 1, 1, 1, 1], categories: ["icmp", "tcp", "sctp"])
        let fitted = try Preprocessor().fit(Self.trainingTable())
        let (m, report) = try fitted.transformWithReport(test)
        #expect(m.row(0)[5...] == [0, 0, 0])  // sctp
        #expect(m.row(1)[5...] == [1, 0, 0])  // tcp
        #expect(m.row(2)[5...] == [1, 0, 0])  // missing → most frequent (tcp)
        #expect(m.row(3)[5...] == [0, 0, 1])  // icmp
        #expect(report.unseenCategoryCounts[5] == 1)
        #expect(report.imputedCounts[5] == 1)

        let ordinal = try Preprocessor(categoricalEncoding: .ordinal).fit(Self.trainingTable())
        #expect(ordinal.outputWidth == 6)
        let o = try ordinal.transform(test)
        #expect(o[0, 5] == 3 && o[1, 5] == 0 && o[3, 5] == 2)
    }

    @Test("The log1p rule picks duration and byte counts of NSL-KDD-like data, never the rates")
    func autoLogOnSimulatedData() throws {
        var rng = Xoshiro256StarStar(seed: 21)
        let data = try TrafficSimulator(rowCount: 3000).generate(using: &rng)
        let fitted = try Preprocessor().fit(data.features)
        let logged = Set(fitted.columns.filter(\.logTransformed).map(\.name))
        #expect(logged.isSuperset(of: ["duration", "src_bytes", "dst_bytes"]))
        for name in NSLKDDSchema.featureNames where name.hasSuffix("_rate") { #expect(!logged.contains(name)) }
        #expect(!logged.contains("count") && !logged.contains("dst_host_count"))
        let excluded = try Preprocessor(logTransform: .auto(excluding: ["duration"])).fit(data.features)
        #expect(excluded.columns.first { $0.name == "duration" }?.logTransformed == false)
        let explicit = try Preprocessor(logTransform: .columns(["count"])).fit(data.features)
        #expect(explicit.columns.filter(\.logTransformed).map(\.name) == ["count"])
    }

    @Test("Inverse transform of random matrices gives valid raw records", arguments: [false, true])
    func inverseIsValid(ordinal: Bool) throws {
        let config = Preprocessor(categoricalEncoding: ordinal ? .ordinal : .oneHot)
        let fitted = try config.fit(Self.trainingTable())
        var m = TestData.normalMatrix(rows: 200, columns: fitted.outputWidth, seed: 5)
        m.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] *= 3 } }
        let table = try fitted.inverseTransform(m)
        #expect(table.columnNames == ["a", "n", "b", "bytes", "rate", "proto"])
        for (column, f) in zip(table.columns, fitted.columns) {
            switch column.values {
            case let .numeric(v):
                #expect(v.allSatisfy { $0 >= f.observedMin && $0 <= f.observedMax })
                if f.kind == .integer { #expect(v.allSatisfy { $0 == $0.rounded() }) }
                if f.kind == .binary { #expect(v.allSatisfy { $0 == 0 || $0 == 1 }) }
            case let .categorical(codes, categories):
                #expect(categories == ["tcp", "udp", "icmp"])
                #expect(codes.allSatisfy { $0 >= 0 && $0 < 3 })
                #expect(Set(codes).count == 3)
            }
        }
        var snapped = m
        fitted.snap(&snapped)
        let reference = try fitted.transform(table)
        for i in 0..<snapped.count { #expect(abs(snapped.storage[i] - reference.storage[i]) < 1e-5) }
    }

    @Test("One-hot inverse takes the argmax, ties going to the first category")
    func argmaxTies() throws {
        let fitted = try Preprocessor().fit(Self.trainingTable())
        var m = Matrix(rows: 2, columns: 8)
        m[0, 6] = 0.4; m[0, 7] = 0.9
        m[1, 6] = 0.5; m[1, 7] = 0.5
        let t = try fitted.inverseTransform(m)
        guard case let .categorical(codes, _) = t.columns[5].values else { Issue.record("not categorical"); return }
        #expect(codes == [2, 1])
    }

    @Test("transform then inverse transform recovers the training table")
    func roundTrip() throws {
        let train = Self.trainingTable(missing: false)
        for config in [Preprocessor(), Preprocessor(scaling: .minMax(lower: -1, upper: 1)), Preprocessor(categoricalEncoding: .ordinal, scaling: .none)] {
            let fitted = try config.fit(train)
            let back = try fitted.inverseTransform(try fitted.transform(train))
            for (a, b) in zip(train.columns, back.columns) {
                #expect(a.name == b.name)
                switch (a.values, b.values) {
                case let (.numeric(x), .numeric(y)):
                    for (u, v) in zip(x, y) { #expect(abs(u - v) <= 1e-5 * max(1, abs(u)), "\(a.name): \(u) vs \(v)") }
                case let (.categorical(c1, k1), .categorical(c2, k2)):
                    #expect(c1.map { k1[Int($0)] } == c2.map { k2[Int($0)] })
                default: Issue.record("column \(a.name) changed kind")
                }
            }
        }
    }

    @Test("A Codable round trip gives the identical transform")
    func codable() throws {
        let fitted = try Preprocessor(scaling: .minMax(lower: 0, upper: 1)).fit(Self.trainingTable())
        let data = try JSONEncoder().encode(fitted)
        let decoded = try JSONDecoder().decode(FittedPreprocessor.self, from: data)
        #expect(decoded == fitted)
        #expect(try decoded.transform(Self.trainingTable()) == fitted.transform(Self.trainingTable()))
    }

    @Test("Columns are matched by name; missing and extra columns are errors naming them")
    func columnMatching() throws {
        let train = Self.trainingTable()
        let fitted = try Preprocessor().fit(train)
        let reversed = Table(columns: train.columns.reversed())
        #expect(try fitted.transform(reversed) == fitted.transform(train))
        #expect(throws: PreprocessingError.missingColumn("rate")) {
            try fitted.transform(train.removingColumns(at: [4]))
        }
        var extra = train
        extra.columns.append(TableColumn(name: "label", values: .numeric(Array(repeating: 0, count: 8))))
        #expect(throws: PreprocessingError.unexpectedColumns(["label"])) { try fitted.transform(extra) }
        var changed = train
        changed.columns[5] = TableColumn(name: "proto", values: .numeric(Array(repeating: 0, count: 8)))
        #expect(throws: PreprocessingError.columnKindMismatch(column: "proto", fitted: "categorical", found: "numeric")) {
            try fitted.transform(changed)
        }
        #expect(throws: PreprocessingError.widthMismatch(expected: 8, found: 3)) {
            try fitted.inverseTransform(Matrix(rows: 1, columns: 3))
        }
        #expect(PreprocessingError.missingColumn("rate").description.contains("'rate'"))
    }

    @Test("Fitting refuses bad tables and parameters with named errors")
    func fitErrors() throws {
        #expect(throws: PreprocessingError.noColumns) { try Preprocessor().fit(Table(columns: [])) }
        #expect(throws: PreprocessingError.emptyTable) {
            try Preprocessor().fit(Table(columns: [TableColumn(name: "x", values: .numeric([]))]))
        }
        #expect(throws: PreprocessingError.invalidMinMaxRange(lower: 1, upper: 1)) {
            try Preprocessor(scaling: .minMax(lower: 1, upper: 1)).fit(Self.trainingTable())
        }
        var allMissing = Self.trainingTable()
        allMissing.columns[0].values = .numeric(Array(repeating: .nan, count: 8))
        #expect(throws: PreprocessingError.allMissing(column: "a")) { try Preprocessor().fit(allMissing) }
        var infinite = Self.trainingTable()
        infinite.columns[4].values = .numeric([0, 0, .infinity, 0, 0, 0, 0, 0])
        #expect(throws: PreprocessingError.nonFinite(column: "rate", row: 2, value: .infinity)) { try Preprocessor().fit(infinite) }
        #expect(throws: PreprocessingError.unknownLogColumn("nope")) {
            try Preprocessor(logTransform: .columns(["nope"])).fit(Self.trainingTable())
        }
        let message = PreprocessingError.nonFinite(column: "rate", row: 2, value: .infinity).description
        #expect(message.contains("rate") && message.contains("row 2") && message.contains("inf"))
    }

    @Test("LabeledTable converts to a LabeledMatrix with the same labels")
    func labeledMatrix() throws {
        let table = LabeledTable(features: Self.trainingTable(), labels: [0, 1, 0, 1, 0, 1, 0, 1],
                                 classNames: ["x", "y"], source: "test")
        let fitted = try Preprocessor().fit(table.features)
        let lm = try table.labeledMatrix(using: fitted)
        #expect(lm.features.rows == 8 && lm.features.columns == 8)
        #expect(lm.labels == table.labels && lm.classNames == ["x", "y"])
        try lm.validate()
    }

    @Test("Category maps: fitted categories first in order map without a lookup; others by name, unseen to -1")
    func categoryMap() {
        let fitted = ["tcp", "udp", "icmp"]
        #expect(FittedPreprocessor.categoryMap(from: fitted, to: fitted) == [0, 1, 2])
        #expect(FittedPreprocessor.categoryMap(from: ["tcp", "udp"], to: fitted) == [0, 1])
        #expect(FittedPreprocessor.categoryMap(from: fitted + ["gre"], to: fitted) == [0, 1, 2, -1])
        #expect(FittedPreprocessor.categoryMap(from: ["icmp", "gre", "tcp"], to: fitted) == [2, -1, 0])
        #expect(FittedPreprocessor.categoryMap(from: ["tcp", "icmp", "udp"], to: fitted) == [0, 2, 1])
        #expect(FittedPreprocessor.categoryMap(from: [], to: fitted) == [])
        #expect(FittedPreprocessor.categoryMap(from: ["x"], to: []) == [-1])
    }
}
