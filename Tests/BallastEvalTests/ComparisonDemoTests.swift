import BallastCore
import BallastEval
import BallastLearn
import Foundation
import Testing

@Suite("ballast demo: the balancing × detector comparison")
struct ComparisonDemoTests {
    /// Two balancings × two detectors on 1,500 simulated rows: a second or two.
    let small = ComparisonDemo(source: .simulator(rows: 1_500), balancings: [.resampler("smote")],
                               detectors: [DetectorChoice(spec: AlgorithmSpec(name: "dt")),
                                           DetectorChoice(spec: AlgorithmSpec(name: "gbdt", parameters: ["rounds": "5"]))])

    @Test("A small simulator comparison runs end to end: baseline first, every cell with finite metrics")
    func endToEnd() throws {
        var stages: [DemoProgress] = []
        let report = try small.run(seed: 11) { stages.append($0) }
        #expect(report.simulated && report.dataset.contains("simulated"))
        #expect(report.seed == 11)
        #expect(report.cells.map(\.balancing) == ["none", "none", "smote", "smote"])
        #expect(report.cells.map(\.detector) == ["dt", "gbdt:rounds=5", "dt", "gbdt:rounds=5"])
        for cell in report.cells {
            #expect(cell.error == nil, "\(cell.balancing) × \(cell.detector): \(cell.error ?? "")")
            let metrics = try #require(cell.report)
            for column in report.columns {
                let v = column.value(in: metrics)
                #expect(v.isFinite && v >= 0 && v <= 1, "\(column) = \(v)")
            }
            #expect(metrics.total == report.testCounts.reduce(0, +), "the test rows are never resampled")
        }
        // SMOTE raises every class to the majority's count; the baseline trains on the rows as they are.
        let smote = try #require(report.balancings.last?.counts)
        #expect(Set(smote).count == 1 && smote[0] == report.trainCounts.max())
        #expect(report.cells[0].trainRows == report.trainCounts.reduce(0, +))
        #expect(report.cells[2].trainRows == smote.reduce(0, +))
        // Progress names each cell and ends with every cell done.
        #expect(stages.contains { $0.stage == "smote × gbdt:rounds=5" })
        #expect(stages.last == DemoProgress(phase: .finished, stage: "done", completedCells: 4, totalCells: 4))
        #expect(stages.first?.phase == .preparing)
    }

    @Test("Same seed, same table; a cell does not depend on the other methods in the table")
    func determinism() throws {
        let a = try small.run(seed: 5), b = try small.run(seed: 5)
        #expect(a.cells.map(\.report) == b.cells.map(\.report))
        var wider = small
        wider.balancings = [.resampler("ros"), .resampler("smote")]
        wider.detectors = [small.detectors[0]]
        let c = try wider.run(seed: 5)
        let smoteDT = { (r: ComparisonReport) in r.cells.first { $0.balancing == "smote" && $0.detector == "dt" }?.report }
        #expect(smoteDT(c) != nil && smoteDT(c) == smoteDT(a))
    }

    @Test("A balancing that throws on the data is reported in its cells; the rest go on")
    func failingCell() throws {
        // A ratio strategy needs two classes; the simulator has five.
        var demo = small
        demo.balancings = [.resampler("ros:strategy=0.5"), .classWeights]
        demo.detectors = [small.detectors[0]]
        let report = try demo.run(seed: 3)
        #expect(report.cells.map(\.balancing) == ["none", "ros:strategy=0.5", "class-weights"])
        let failed = report.cells[1]
        #expect(failed.report == nil)
        #expect(failed.error?.contains("two classes") == true, "\(failed.error ?? "no error")")
        #expect(report.cells[0].report != nil && report.cells[2].report != nil)
        let text = report.renderPlain()
        #expect(text.contains("failed [1]"))
        #expect(text.contains("[1] ros:strategy=0.5 × dt: balancing failed:"))
    }

    @Test("A detector that throws in one cell (k above the rows left by under-sampling) fails only that cell")
    func failingDetector() throws {
        var demo = small
        demo.balancings = [.resampler("rus")]
        demo.detectors = [try DetectorChoice(parsing: "knn:k=100")]
        let report = try demo.run(seed: 3)
        #expect(report.cells.count == 2)
        #expect(report.cells[0].report != nil, "1,050 rows are enough for k = 100")
        #expect(report.cells[1].report == nil)
        #expect(report.cells[1].error?.contains("k = 100") == true, "\(report.cells[1].error ?? "no error")")
        #expect(report.balancings[1].error == nil, "the balancing itself succeeded")
    }

    @Test("The best value of each column is marked on the cell that has it, and only there")
    func bestMarker() throws {
        // Cell 0 is more accurate; cell 1 catches the rare class. The failed cell is never best.
        let names = ["Normal", "U2R"]
        let truth = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
        // accuracy 90%, macro-F1 80.4%, weighted-F1 88.6%, recall 100% / 50%.
        let accurate = try ClassificationReport(truth: truth, predicted: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0], classNames: names)
        // accuracy 80%, macro-F1 76.2%, weighted-F1 81.9%, recall 75% / 100%.
        let rare = try ClassificationReport(truth: truth, predicted: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1], classNames: names)
        func cell(_ balancing: String, _ report: ClassificationReport?) -> ComparisonCell {
            ComparisonCell(balancing: balancing, detector: "dt", trainedDetector: "dt", trainRows: 10, report: report,
                           error: report == nil ? "boom" : nil, fitSeconds: 0, predictSeconds: 0)
        }
        let report = ComparisonReport(
            dataset: "hand-made", simulated: true, seed: 1, quick: false, settingsNote: "", classNames: names,
            trainCounts: [8, 2], testCounts: [8, 2], featureColumns: 3, unseenCategoriesInTest: 0, balancings: [],
            cells: [cell("none", accurate), cell("smote", rare), cell("rus", nil)], preparationSeconds: 0, totalSeconds: 0)
        #expect(report.bestCells(.accuracy) == [0])
        #expect(report.bestCells(.macroF1) == [0])
        #expect(report.bestCells(.weightedF1) == [0])
        #expect(report.bestCells(.recall(classIndex: 0)) == [0])
        #expect(report.bestCells(.recall(classIndex: 1)) == [1])

        let rows = report.table().renderPlain().split(separator: "\n").map(String.init)
        let none = try #require(rows.first { $0.hasPrefix("none") })
        let smote = try #require(rows.first { $0.hasPrefix("smote") })
        let rus = try #require(rows.first { $0.hasPrefix("rus") })
        #expect(none.contains("90.00*") && none.contains("100.00*") && none.contains("50.00 "))
        #expect(none.filter { $0 == "*" }.count == 4)
        #expect(smote.contains("100.00*") && smote.contains("80.00 ") && smote.contains("75.00 "))
        #expect(smote.filter { $0 == "*" }.count == 1)
        #expect(!rus.contains("*") && rus.contains("failed [1]"))
        let markdown = report.table(markdown: true).renderMarkdown()
        #expect(markdown.contains("**90.00**"))
        #expect(!markdown.replacingOccurrences(of: "**", with: "").contains("*"), "Markdown marks with bold only")
    }

    @Test("Cells that tie at the printed precision are all marked")
    func ties() throws {
        let names = ["a", "b"]
        let r = try ClassificationReport(truth: [0, 1], predicted: [0, 1], classNames: names)
        let cells = ["none", "ros"].map {
            ComparisonCell(balancing: $0, detector: "dt", trainedDetector: "dt", trainRows: 2, report: r, error: nil,
                           fitSeconds: 0, predictSeconds: 0)
        }
        let report = ComparisonReport(
            dataset: "hand-made", simulated: true, seed: 1, quick: false, settingsNote: "", classNames: names,
            trainCounts: [1, 1], testCounts: [1, 1], featureColumns: 1, unseenCategoriesInTest: 0, balancings: [],
            cells: cells, preparationSeconds: 0, totalSeconds: 0)
        #expect(report.bestCells(.accuracy) == [0, 1])
    }

    @Test("--json output parses and holds every cell's metrics and the best cells per column")
    func json() throws {
        let report = try small.run(seed: 2)
        let object = try #require(JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        #expect(object["seed"] as? Int == 2)
        #expect(object["simulated"] as? Bool == true)
        let cells = try #require(object["cells"] as? [[String: Any]])
        #expect(cells.count == 4)
        let first = try #require(cells[0]["report"] as? [String: Any])
        let accuracy = try #require(first["accuracy"] as? Double)
        #expect(abs(accuracy - (report.cells[0].report?.accuracy ?? -1)) < 1e-12)
        let best = try #require(object["best"] as? [String: [Int]])
        #expect(best["accuracy"] == report.bestCells(.accuracy))
        #expect(best["recall.U2R"] == report.bestCells(.recall(classIndex: 4)))
        let decoded = try JSONDecoder().decode(ComparisonReport.self, from: report.jsonData())
        #expect(decoded.cells.map(\.report) == report.cells.map(\.report))
    }

    @Test("Balancing and detector lists: parameters, 'all', the baseline always first, unknown names refused")
    func parsing() throws {
        let list = try BalancingChoice.parseList("smote:k=3,typed=false, rus,class-weights,rus")
        #expect(list == [.none, .resampler("smote:k=3,typed=false"), .resampler("rus"), .classWeights])
        let all = try BalancingChoice.parseList("all")
        #expect(all.count == Catalog.resamplers.count + 2)
        #expect(throws: CatalogError.self) { try BalancingChoice.parseList("none,nosuch") }
        #expect(throws: CatalogError.self) { try BalancingChoice.parseList("smote:k=0") }
        #expect(throws: DemoError.self) { try BalancingChoice.parseList(" , ") }

        let detectors = try DetectorChoice.parseList("dt,rf:trees=7,depth=4,vote")
        #expect(detectors.map(\.description) == ["dt", "rf:depth=4,trees=7", "vote"])
        #expect(throws: CatalogError.self) { try DetectorChoice.parseList("dt,nosuch") }
    }

    @Test("Quick mode lightens rf and gbdt (also inside vote) unless set; class weights reach every member")
    func quickSettings() throws {
        let rf = DetectorChoice(spec: AlgorithmSpec(name: "rf"))
        #expect(rf.effectiveDescription(quick: true) == "rf:trees=30")
        #expect(rf.effectiveDescription(quick: false) == "rf")
        #expect(try DetectorChoice(parsing: "rf:trees=5").effectiveDescription(quick: true) == "rf:trees=5")
        let forest = try #require(try rf.classifier(classWeights: false, quick: true) as? RandomForestClassifier)
        #expect(forest.trees == 30)

        let vote = DetectorChoice(spec: AlgorithmSpec(name: "vote"))
        #expect(vote.effectiveDescription(quick: true) == "vote(gbdt:rounds=50+lr)")
        let ensemble = try #require(try vote.classifier(classWeights: true, quick: true) as? VotingClassifier)
        let boosting = try #require(ensemble.members.first as? GradientBoostingClassifier)
        #expect(boosting.rounds == 50)
        #expect(boosting.classWeights == .balanced)
        #expect((ensemble.members.last as? LogisticRegressionClassifier)?.classWeights == .balanced)
        #expect(ComparisonDemo(quick: true).settingsNote.contains("rf:trees=30"))
    }
}
