import BallastCore
import BallastData
import BallastEval
import BallastTestSupport
import Foundation
import Testing

@Suite("ballast experiment: fidelity of synthetic rows")
struct ExperimentFidelityTests {
    @Test("Over-sampling balancings record fidelity per raised class (random over-sampling as copies); others record none; reports show it")
    func recorded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-fidelity-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = ExperimentSpec(name: "fidelity", datasets: [.simulator(rows: 1_500)], balancings: ["smote", "ros", "rus"],
                                  detectors: ["dt"], seeds: [1])
        let results = try ExperimentRunner(spec: spec, outputDirectory: directory).run()
        let d = try #require(results.datasets.first)
        let smote = try #require(d.balancings.first { $0.method == "smote" })
        let raised = d.classNames.indices.filter { (smote.countsAfter?[$0] ?? 0) > smote.countsBefore[$0] }.map { d.classNames[$0] }
        let summaries = try #require(smote.fidelity)
        #expect(summaries.map(\.group) == raised)
        for s in summaries {
            #expect(s.comparedSyntheticRows <= 2_000 && s.comparedRealRows <= 2_000)
            #expect((s.shapeScore ?? 0) > 0.5 && s.detectionAUC != nil && s.verdict != nil)
        }
        #expect((smote.fidelitySeconds ?? -1) >= 0)
        let ros = try #require(d.balancings.first { $0.method == "ros" }?.fidelity)
        #expect(ros.allSatisfy { $0.exactCopyShare == 1 && $0.newRowSynthesis == 0 && $0.verdict?.contains("copies") == true })
        #expect(d.balancings.first { $0.method == "rus" }?.fidelity == nil)
        #expect(d.balancings.first { $0.method == "none" }?.fidelity == nil)

        let schema = try JSONSchemaValidator(contentsOf: SharedData.packageRoot.appendingPathComponent("Docs/results-schema.json").path)
        let problems = try schema.validate(Data(contentsOf: URL(fileURLWithPath: directory + "/results.json")))
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
        #expect(html.contains("Fidelity of synthetic rows, beside recall") && html.contains("recall % dt"))
        let markdown = try String(contentsOfFile: directory + "/summary.md", encoding: .utf8)
        #expect(markdown.contains("### Fidelity of synthetic rows"))
    }
}
