import BallastCore
import BallastEval
import BallastLearn
import Foundation
import Testing

/// Issue 18, "the house": balancings and detectors are parsed once, when a specification is read,
/// into typed values; quick profiles and ensemble members belong to the catalogue entry; the
/// on-disk format is what it was.
@Suite("typed balancing and detector choices")
struct TypedChoiceTests {
    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ballast-typed-\(UUID().uuidString)").path
    }

    @Test("A bad balancing or detector is refused when the TOML file is read, naming the entry and its line")
    func refusedAtLoad() throws {
        let cases: [(String, String, Int)] = [
            ("balancings = [\"smote\", \"nosuch\"]\ndetectors = [\"dt\"]\n", "balancing 'nosuch'", 1),
            ("balancings = [\"smote:k=0\"]\ndetectors = [\"dt\"]\n", "balancing 'smote:k=0'", 1),
            ("balancings = []\ndetectors = [\"dt\", \"rf:trees=0\"]\n", "detector 'rf:trees=0'", 2),
            ("balancings = []\ndetectors = [\"dt\", \"forest\"]\n", "detector 'forest'", 2),
            ("balancings = []\ndetectors = [\"vote:members=gbdt+nosuch\"]\n", "detector 'vote:members=gbdt+nosuch'", 2),
        ]
        for (toml, named, line) in cases {
            #expect {
                try ExperimentSpec(toml: toml, file: "spec.toml", baseDirectory: "")
            } throws: { error in
                guard case ExperimentError.specSyntax(let file, let at, let message) = error else { return false }
                return file == "spec.toml" && at == line && message.contains(named)
            }
        }
        // results.json or a journal naming a method this build does not know is refused by name too.
        let json = Data("""
        {"balancings":["smote","nosuch"],"datasets":[],"detectors":["dt"],"name":"x","preprocessing":{"categorical":"onehot","log":"auto","scaling":"zscore"},"quick":false,"references":[],"seeds":[1]}
        """.utf8)
        #expect {
            try JSONDecoder().decode(ExperimentSpec.self, from: json)
        } throws: { error in
            "\(error)".contains("balancing 'nosuch'")
        }
    }

    @Test("Choices keep the text as written and compare by what they name")
    func choices() throws {
        let weights = try BalancingChoice(parsing: "weights")
        #expect(weights == .classWeights && weights.text == "weights" && weights.name == "class-weights" && weights.isClassWeights)
        #expect(try BalancingChoice(parsing: " baseline") == .none)
        let ros = try BalancingChoice(parsing: " ROS ")
        #expect(ros.name == "ROS" && ros.text == " ROS ")
        guard case .resampler(let resampler) = ros.method else { Issue.record("ROS is a resampler"); return }
        #expect(resampler is RandomOverSampler)
        let spec = ExperimentSpec(name: "x", datasets: [.simulator(rows: 300)], balancings: [weights, "none", ros], detectors: ["dt"])
        #expect(spec.plannedBalancings.map(\.name) == ["none", "class-weights", "ROS"])
        let detector = try DetectorChoice(parsing: "RF:trees=5")
        #expect(detector.text == "RF:trees=5" && detector.entry.name == "rf" && detector.effectiveDescription(quick: false) == "rf:trees=5")
    }

    @Test("Quick profiles and vote members come from the catalogue entries")
    func quickProfiles() throws {
        #expect(try Catalog.classifierEntry("random-forest").quickParameters == ["trees": "30"])
        #expect(try Catalog.classifierEntry("gbdt").quickParameters == ["rounds": "50"])
        #expect(try Catalog.classifierEntry("dt").quickParameters.isEmpty)
        #expect(try Catalog.classifierEntry("vote").membersParameter == "members")
        let rf = try #require(try DetectorChoice(parsing: "rf").classifier(classWeights: false, quick: true) as? RandomForestClassifier)
        #expect(rf.trees == 30)
        let set = try #require(try DetectorChoice(parsing: "rf:trees=7").classifier(classWeights: false, quick: true) as? RandomForestClassifier)
        #expect(set.trees == 7, "a value the specification sets wins over the quick profile")
        let vote: DetectorChoice = "vote"
        #expect(vote.effectiveDescription(quick: true) == "vote(gbdt:rounds=50+lr)")
        #expect(try DetectorChoice(parsing: "vote:members=rf+dt").effectiveDescription(quick: true) == "vote(rf:trees=30+dt)")
        let ensemble = try #require(try vote.classifier(classWeights: true, quick: true) as? VotingClassifier)
        let gbdt = try #require(ensemble.members.first as? GradientBoostingClassifier)
        #expect(gbdt.rounds == 50 && gbdt.classWeights == .balanced, "quick mode and class weights reach every member")
        let full = try #require(try vote.classifier(classWeights: false, quick: false) as? VotingClassifier)
        #expect((full.members.first as? GradientBoostingClassifier)?.rounds == 100)
    }

    @Test("A journal written by the string-typed runner (0.2 format) resumes: same spec hash, its records are kept")
    func oldJournalResumes() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The specification exactly as the string-typed ExperimentSpec encoded it (sorted keys),
        // with entries not in canonical form, and its hash (of the encoding without the name).
        func specJSON(name: String) -> String {
            #"{"balancings":["weights"," ROS"],"datasets":[{"name":"simulated","rows":300,"source":"simulator","split":"holdout"}],"#
                + #""detectors":["DT:depth=3"],"name":"\#(name)","preprocessing":{"categorical":"onehot","log":"auto","scaling":"zscore"},"#
                + #""quick":false,"references":[],"seeds":[1]}"#
        }
        let hash = SHA256.hex(Array(specJSON(name: "").utf8))
        let lines = [
            #"{"at":"2026-12-01T00:00:00Z","ballastVersion":"0.2.0","kind":"start","partSeconds":0,"spec":\#(specJSON(name: "old")),"specHash":"\#(hash)"}"#,
            #"{"balancing":{"countsBefore":[1,2,3,4,5],"countsAfter":[1,2,3,4,5],"method":"none","peakMemoryBytes":1,"seconds":0,"seed":1,"warnings":[]},"dataset":"simulated","kind":"balancing","partSeconds":1}"#,
            #"{"cell":{"balancing":"none","detector":"DT:depth=3","error":"recorded by the old run","evaluations":[],"fitSeconds":0,"peakMemoryBytes":1,"predictSeconds":0,"seed":1,"trainedDetector":"dt:depth=3"},"dataset":"simulated","kind":"cell","partSeconds":2}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/journal.jsonl", atomically: true, encoding: .utf8)

        let spec = try JSONDecoder().decode(ExperimentSpec.self, from: Data(specJSON(name: "old").utf8))
        #expect(spec.balancings.map(\.text) == ["weights", " ROS"] && spec.detectors.map(\.text) == ["DT:depth=3"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(spec), as: UTF8.self) == specJSON(name: "old"), "encoded as before")

        let results = try ExperimentRunner(spec: spec, outputDirectory: directory).run()
        #expect(results.resumedCount == 1)
        let d = try #require(results.datasets.first)
        #expect(d.balancings.map(\.method) == ["none", "class-weights", "ROS"])
        #expect(d.balancings[0].countsBefore == [1, 2, 3, 4, 5], "the old run's balancing record is kept, not rerun")
        #expect(d.cells.map(\.detector) == ["DT:depth=3", "DT:depth=3", "DT:depth=3"])
        #expect(d.cells[0].error == "recorded by the old run", "the old run's cell is kept, not rerun")
        #expect(d.cells[1].error == nil && d.cells[2].error == nil && d.cells[2].trainedDetector == "dt:depth=3")
    }
}
