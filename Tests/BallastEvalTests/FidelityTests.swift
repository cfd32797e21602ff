import BallastCore
import BallastData
import BallastEval
import BallastLearn
import BallastTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("Fidelity validation")
struct FidelityTests {
    /// Seeded simulated traffic (NSL-KDD schema).
    static func simulated(rows: Int, seed: UInt64) -> LabeledTable {
        var rng = Xoshiro256StarStar(seed: seed)
        // Test sizes fit any machine, so the memory check cannot refuse them.
        return try! TrafficSimulator(rowCount: rows).generate(using: &rng)
    }

    /// A validator without the slow parts, for property tests.
    static let light = FidelityValidator(detectors: [], utilityModel: nil, privacy: false, charts: false)

    static func validate(_ real: LabeledTable, _ synthetic: LabeledTable, _ validator: FidelityValidator = light,
                         seed: UInt64 = 1) throws -> FidelityReport {
        let data = try FidelityDataset(real: real, synthetic: synthetic, realName: "real", syntheticName: "synthetic")
        var rng = Xoshiro256StarStar(seed: seed)
        return try validator.validate(data, using: &rng).report
    }

    /// Two hand-sized tables (one class `k`): numeric a and b, categorical c.
    static func tiny() -> (LabeledTable, LabeledTable) {
        func table(_ a: [Double], _ b: [Double], _ c: [Int32], _ categories: [String]) -> LabeledTable {
            LabeledTable(features: Table(columns: [TableColumn(name: "a", values: .numeric(a)), TableColumn(name: "b", values: .numeric(b)),
                                                   TableColumn(name: "c", values: .categorical(codes: c, categories: categories))]),
                         labels: [0, 0, 0, 0], classNames: ["k"], source: "hand")
        }
        return (table([1, 2, 3, 4], [1, 2, 3, 4], [0, 0, 1, 2], ["x", "y", "z"]),
                table([2, 3, 4, 5], [2, 3, 5, 4], [0, 1, 1, 2], ["x", "y", "w"]))
    }

    @Test("Golden values worked by hand (and confirmed with SDMetrics 0.32): KS, TV, correlation and contingency similarity, property scores")
    func golden() throws {
        let (real, synthetic) = Self.tiny()
        let report = try Self.validate(real, synthetic, FidelityValidator(includeAllRows: false, detectors: [], utilityModel: nil,
                                                                          privacy: false, charts: false))
        let g = try #require(report.groups.first)
        let shapes = Dictionary(uniqueKeysWithValues: g.shapes.columns.map { ($0.column, $0) })
        // a: real ECDF leads the synthetic one by 1/4 everywhere; KSComplement = 0.75.
        #expect(shapes["a"]?.ks == 0.25 && shapes["a"]?.score == 0.75)
        #expect(shapes["b"]?.score == 0.75)
        // c: shares x .5/.25, y .25/.5, z .25/0, w 0/.25: TV = 0.5; SDMetrics gives w a real count of 1e-6.
        #expect(shapes["c"]?.totalVariation == 0.5)
        #expect(abs((shapes["c"]?.score ?? 0) - 0.5000001875) < 1e-12)
        let pairs = Dictionary(uniqueKeysWithValues: g.pairs.pairs.map { ("\($0.column1)\($0.column2)", $0) })
        // r_real = 1, r_synthetic = 4/5 → 1 − 0.2/2.
        #expect(abs((pairs["ab"]?.score ?? 0) - 0.9) < 1e-12)
        // Each side cut into its own 10 equal-width bins: (x,1)(x,4)(y,7)(z,11) vs (x,1)(y,4)(y,7)(w,11).
        #expect(abs((pairs["ac"]?.score ?? 0) - 0.5) < 1e-12)
        #expect(abs((pairs["bc"]?.score ?? 0) - 0.25) < 1e-12)
        #expect(abs((pairs["ac"]?.realAssociation ?? 0) - 1) < 1e-12)
        #expect(pairs.values.allSatisfy { $0.meetsThreshold })
        #expect(abs((g.shapes.score ?? 0) - (0.75 + 0.75 + 0.5000001875) / 3) < 1e-12)
        #expect(abs((g.pairs.score ?? 0) - 0.55) < 1e-12)
        #expect(abs((g.validity.score ?? 0) - 0.75) < 1e-12)  // 5 ∉ [1, 4] twice; w not a real category
        #expect(g.validity.structure == 1)
    }

    @Test("Identical files: perfect shapes and trends, AUC ≈ 0.5 — and every row flagged as a copy by DCR and NewRowSynthesis")
    func identical() throws {
        let real = Self.simulated(rows: 1_500, seed: 3)
        let validator = FidelityValidator(detectors: [try DetectorChoice(parsing: "gbdt:rounds=10")], utilityModel: nil, charts: false)
        let report = try Self.validate(real, real, validator)
        for g in report.groups {
            #expect(g.shapes.columns.allSatisfy { $0.score == 1 }, "\(g.name)")
            #expect(g.pairs.pairs.allSatisfy { $0.score == nil || $0.score == 1 }, "\(g.name)")
            #expect(g.shapes.score == 1 && g.pairs.scoreAllPairs == 1)
            #expect(g.validity.score == 1 && g.validity.structure == 1)
        }
        for g in report.groups where g.className != nil {
            let auc = try #require(g.detection?.auc)
            #expect(abs(auc - 0.5) < 0.05, "\(g.name): AUC \(auc)")
            let privacy = try #require(g.privacy)
            #expect(privacy.exactCopyShare == 1 && privacy.newRowSynthesis == 0)
            #expect(privacy.dcrRatio == 0 && privacy.syntheticMedianDCR == 0)
            #expect(g.verdict?.failures.contains { $0.key == "copies" } == true)
        }
    }

    @Test("A shifted column lowers exactly that column's shape score")
    func shiftedColumn() throws {
        let real = Self.simulated(rows: 1_200, seed: 5)
        var synthetic = real
        let j = try #require(synthetic.features.columnIndex(named: "count"))
        guard case .numeric(let values) = synthetic.features.columns[j].values else { Issue.record("count is numeric"); return }
        synthetic.features.columns[j].values = .numeric(values.map { $0 + 50 })
        let report = try Self.validate(real, synthetic)
        for g in report.groups {
            for c in g.shapes.columns {
                if c.column == "count" {
                    #expect((c.score ?? 1) < 0.8, "\(g.name): count score \(c.score ?? -1)")
                } else {
                    #expect(c.score == 1, "\(g.name): \(c.column) changed")
                }
            }
            #expect(g.shapes.worstKSColumn == "count")
        }
    }

    @Test("Independent draws of the same simulator: close shapes, and new rows")
    func sameDistribution() throws {
        let validator = FidelityValidator(classes: ["Normal"], includeAllRows: false, detectors: [try DetectorChoice(parsing: "lr")],
                                          utilityModel: nil, charts: false)
        let report = try Self.validate(Self.simulated(rows: 3_000, seed: 11), Self.simulated(rows: 3_000, seed: 12), validator)
        let g = try #require(report.groups.first)
        #expect((g.shapes.medianKS ?? 1) < 0.05)
        #expect((g.detection?.auc ?? 1) < 0.65)
        #expect((g.privacy?.exactCopyShare ?? 1) < 0.05)
    }

    @Test("A synthetic file of another schema is refused naming the column; marker and classes are checked")
    func schema() throws {
        let (real, synthetic) = Self.tiny()
        var missing = synthetic
        missing.features = missing.features.removingColumns(at: [1])
        #expect(throws: FidelityError.missingColumn(file: "synthetic", column: "b", realFile: "real")) {
            try FidelityDataset(real: real, synthetic: missing, realName: "real", syntheticName: "synthetic")
        }
        var extra = synthetic
        extra.features.columns.append(TableColumn(name: "flow_bytes", values: .numeric([1, 2, 3, 4])))
        #expect(throws: FidelityError.extraColumn(file: "synthetic", column: "flow_bytes", realFile: "real")) {
            try FidelityDataset(real: real, synthetic: extra, realName: "real", syntheticName: "synthetic")
        }
        var text = synthetic
        text.features.columns[0].values = .categorical(codes: [0, 0, 1, 0], categories: ["2", "oops"])
        #expect(throws: FidelityError.columnKind(file: "synthetic", column: "a", line: 4, value: "oops")) {
            try FidelityDataset(real: real, synthetic: text, realName: "real", syntheticName: "synthetic")
        }
        var marked = synthetic
        marked.features.columns.append(TableColumn(name: FidelityDataset.defaultMarkerColumn, values: .numeric([1, 0, 2, 1])))
        #expect(throws: FidelityError.badMarker(file: "synthetic", column: FidelityDataset.defaultMarkerColumn, line: 4, value: "2")) {
            try FidelityDataset(real: real, synthetic: marked, realName: "real", syntheticName: "synthetic")
        }
        marked.features.columns[3].values = .numeric([1, 0, 0, 1])
        let data = try FidelityDataset(real: real, synthetic: marked, realName: "real", syntheticName: "synthetic")
        #expect(data.syntheticLabels.count == 2 && data.markedRealRows == 2)
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: FidelityError.unknownRequestedClass("R2L", known: ["k"])) {
            try FidelityValidator(classes: ["R2L"]).validate(data, using: &rng)
        }
        #expect(FidelityError.unknownRequestedClass("R2L", known: ["k"]).isUsageError)
    }

    @Test("Same seed, same report; report.json has no NaN and decodes; the HTML page is self-contained and escapes names")
    func deterministicOutputs() throws {
        var real = Self.simulated(rows: 800, seed: 21)
        real.features.columns[0].name = "dur<ation>"
        var synthetic = Self.simulated(rows: 800, seed: 22)
        synthetic.features.columns[0].name = "dur<ation>"
        let validator = FidelityValidator(classes: ["Probe"], detectors: [try DetectorChoice(parsing: "lr")],
                                          utilityModel: try DetectorChoice(parsing: "dt"))
        let data = try FidelityDataset(real: real, synthetic: synthetic, realName: "real.csv", syntheticName: "synth.csv")
        var a = Xoshiro256StarStar(seed: 9), b = Xoshiro256StarStar(seed: 9)
        var first = try validator.validate(data, using: &a), second = try validator.validate(data, using: &b)
        first.report.seconds = 0; second.report.seconds = 0
        first.report.partSeconds = [:]; second.report.partSeconds = [:]
        #expect(first.report == second.report)
        #expect(first.charts == second.charts)
        let decoded = try JSONDecoder().decode(FidelityReport.self, from: first.report.jsonData())
        #expect(decoded == first.report)
        #expect(first.report.utility?.tstr.recall.count == 5)
        let html = FidelityHTML(outcome: first).html()
        #expect(html.contains("dur&lt;ation&gt;") && !html.contains("dur<ation>"))
        #expect(!html.contains("<script") && !html.contains("http://") && html.contains("<svg"))
        #expect(html.contains("Class Probe") && html.contains("All rows") && html.contains("Utility"))
        let charts = html.components(separatedBy: "<svg").dropFirst().map { "<svg" + ($0.components(separatedBy: "</svg>").first ?? "") + "</svg>" }
        #expect(charts.count > 40)
        for svg in charts {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "not well-formed: \(svg.prefix(160))")
            #expect(!svg.contains("NaN"))
        }
        #expect(first.report.renderPlain().contains("Probe"))
    }

    @Test("Tiny inputs run every part without crashing; what cannot be measured is absent or a warning")
    func tiny() throws {
        let (real, synthetic) = Self.tiny()
        let report = try Self.validate(real, synthetic, FidelityValidator())
        #expect(report.groups.count == 2)
        #expect(report.utility == nil && report.warnings.contains { $0.hasPrefix("utility test skipped") })
        _ = try report.jsonData()
        // Denormal ranges, missing values, negative numbers and one row: absent or finite numbers, no trap.
        var odd = real
        odd.features.columns[0].values = .numeric([0, 1e-310, .nan, -5e-324])
        odd.features.columns[1].values = .numeric([-1e300, 1e300, 0, .nan])
        let oddReport = try Self.validate(odd, synthetic, FidelityValidator())
        _ = try oddReport.jsonData()
        let one = LabeledTable(features: real.features.gatherRows([0]), labels: [0], classNames: ["k"], source: "one")
        let single = try Self.validate(one, synthetic, FidelityValidator())
        #expect(single.groups.first?.detection == nil && single.groups.first?.privacy?.dcrRatio == nil)
    }

    @Test("ROC-AUC golden values")
    func metrics() throws {
        // sklearn.metrics.roc_auc_score([1, 1, 0, 0], [0.9, 0.4, 0.4, 0.1]) = 0.875 (the tie counts one half).
        #expect(ROCAUC.score(positive: [true, true, false, false], scores: [0.9, 0.4, 0.4, 0.1]) == 0.875)
        #expect(ROCAUC.score(positive: [true, true], scores: [0.1, 0.2]) == nil)
    }
}
