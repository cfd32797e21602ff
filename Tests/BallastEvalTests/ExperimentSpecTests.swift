import BallastData
import BallastEval
import BallastLearn
import BallastTestSupport
import Foundation
import Testing

@Suite("Experiment specifications in TOML")
struct ExperimentSpecTests {
    @Test("A full specification reads into the same value the flags build; relative paths resolve against the file")
    func full() throws {
        let text = """
            # a comment
            name = "table2"
            balancings = ["ros", "smote:k=3", 'borderline-smote']   # trailing comment
            detectors = [
              "dt",
              "rf:trees=50",
            ]
            seeds = [1, 7, 42]
            quick = true

            [preprocessing]
            scaling = "minmax"

            [[dataset]]
            name = "kdd"
            source = "nsl-kdd"
            directory = "data/nsl-kdd"
            tests = ["KDDTest+.txt"]
            label-mode = "binary"

            [[dataset]]
            name = "flows"
            path = "/abs/flows.csv"
            label = "Label"
            split = "kfold"
            folds = 4
            """
        let spec = try ExperimentSpec(toml: text, file: "spec.toml", baseDirectory: "/base")
        #expect(spec.name == "table2")
        #expect(spec.balancings == ["ros", "smote:k=3", "borderline-smote"])
        #expect(spec.detectors == ["dt", "rf:trees=50"])
        #expect(spec.seeds == [1, 7, 42])
        #expect(spec.quick)
        #expect(spec.preprocessing.scaling == "minmax")
        #expect(spec.datasets.count == 2)
        #expect(spec.datasets[0].directory == "/base/data/nsl-kdd")
        #expect(spec.datasets[0].labelMode == .binary && spec.datasets[0].split == .fixed)
        #expect(spec.datasets[1].source == .csv && spec.datasets[1].path == "/abs/flows.csv")
        #expect(spec.datasets[1].split == .kfold && spec.datasets[1].effectiveFolds == 4)
        #expect(spec.plannedBalancings.first == "none")
        let count = try ExperimentSpec(toml: "seeds = 3", file: "s.toml", baseDirectory: "")
        #expect(count.seeds == [1, 2, 3])
    }

    @Test("The example specification in Experiments/ reads and validates")
    func example() throws {
        let path = SharedData.packageRoot.appendingPathComponent("Experiments/dcbn-vae-table2.toml").path
        let spec = try ExperimentSpec(contentsOf: path)
        #expect(spec.balancings.count == 8 && spec.detectors == ["dt"] && spec.seeds == [1, 2, 3])
        #expect(spec.references.count == 8 && spec.references[0].values == ["accuracy": 75.88, "weighted-f1": 72.74])
        #expect(spec.references.allSatisfy { $0.tolerance == 2 && $0.testSet == "KDDTest+" })
        #expect(spec.notes?.hasPrefix("Reproduction of the classic rows") == true && spec.notes?.contains("\n\nWhy some rows") == true)
        #expect(spec.datasets[0].directory?.hasSuffix("shared/datasets/nsl-kdd") == true)
        try spec.validate()
    }

    @Test("The AE-Flow specifications read: per-class recall references, pipelines with class-named strategies, a validation split of KDDTrain+")
    func aeFlowSpecs() throws {
        let root = SharedData.packageRoot.appendingPathComponent("Experiments")
        let spec = try ExperimentSpec(contentsOf: root.appendingPathComponent("ae-flow-table3.toml").path)
        try spec.validate()
        let reference = try #require(spec.references.first { $0.balancing.hasPrefix("ae-flow") })
        #expect(reference.values["recall-U2R"] == 58.5 && reference.values["recall-R2L"] == 34.5 && reference.values["accuracy"] == 81.66)
        #expect(spec.balancings.allSatisfy { $0.text.contains("+kmeans-under:strategy=Normal=16800;DoS=16800+oss:strategy=Normal;DoS") })
        let validation = try ExperimentSpec(contentsOf: root.appendingPathComponent("ae-flow-table3-validation.toml").path)
        try validation.validate()
        #expect(validation.balancings == spec.balancings && validation.datasets[0].split == .holdout && validation.references.isEmpty)
    }

    @Test("The CNN/LSTM balancing specification reads and validates: two detectors × six balancings, NSL-KDD binary and 5-class")
    func cnnLSTMSpec() throws {
        let path = SharedData.packageRoot.appendingPathComponent("Experiments/cnn-lstm-balancing.toml").path
        let spec = try ExperimentSpec(contentsOf: path)
        try spec.validate()
        #expect(spec.detectors == ["cnn", "cnn-lstm"] && spec.seeds == [1, 2, 3])
        #expect(spec.balancings == ["none", "class-weights", "ros", "smote", "adasyn", "gan"])
        #expect(spec.datasets.map(\.labelMode) == [.fiveClass, .binary])
        #expect(spec.datasets.allSatisfy { $0.effectiveTests == ["KDDTest+.txt", "KDDTest-21.txt"] && $0.directory?.hasSuffix("shared/datasets/nsl-kdd") == true })
        #expect(spec.references.isEmpty && spec.notes?.contains("BoT-IoT") == true)
        for detector in spec.detectors { _ = try Catalog.classifier(detector.text) }
    }

    @Test("Errors name the file and line: syntax, unknown keys, wrong types, duplicates, unsupported TOML")
    func errors() {
        func message(_ text: String) -> String {
            do {
                _ = try ExperimentSpec(toml: text, file: "x.toml", baseDirectory: "")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message("name = \"a\"\nbalancing = [\"smote\"]").hasPrefix("x.toml, line 2: unknown key 'balancing' in the experiment; accepted:"))
        #expect(message("seeds = \"three\"") == "x.toml, line 1: seeds must be a count (3) or a list ([1, 2, 3])")
        #expect(message("name = smote") == "x.toml, line 1: 'smote' is not a value: strings need quotes (\"smote\"), numbers and true/false do not")
        #expect(message("name = \"a\"\nname = \"b\"") == "x.toml, line 2: key 'name' is defined twice")
        #expect(message("[[dataset]]\nsource = \"hdfs\"") == "x.toml, line 2: source 'hdfs': expected nsl-kdd, csv or simulator")
        #expect(message("[[dataset]]\nrows = 1.5") == "x.toml, line 2: 'rows' must be an integer")
        #expect(message("name = \"unclosed") == "x.toml, line 1: string not closed with \" before the end of the line")
        #expect(message("a.b = 1").contains("dotted keys are not supported"))
        #expect(message("p = {x = 1}").contains("inline tables are not supported"))
        #expect(message("detectors = [\"dt\"\nseeds = 3").contains("expected ',' or ']'"))
        #expect(message("notes = \"\"\"\nopen") == "x.toml, line 1: multi-line string not closed with \"\"\"")
        #expect(message("[[reference]]\nbalancing = \"smote\"\nrecall = 3").contains("line 3: unknown key 'recall' in [[reference]]"))
        #expect(message("[[reference]]\nbalancing = \"smote\"").contains("gives no values"))
    }

    @Test("Validation refuses what would fail later: empty lists, wrong split for a source, bad fractions")
    func validation() {
        let sim = ExperimentDataset.simulator(rows: 500)
        func fails(_ spec: ExperimentSpec) -> String {
            do {
                try spec.validate()
                return "valid"
            } catch {
                return "\(error)"
            }
        }
        #expect(fails(ExperimentSpec(name: "x", datasets: [], balancings: [], detectors: ["dt"])).contains("no datasets"))
        #expect(fails(ExperimentSpec(name: "x", datasets: [sim], balancings: [], detectors: ["dt"], seeds: [1, 1])).contains("seeds repeat"))
        var fixedSim = sim
        fixedSim.split = .fixed
        #expect(fails(ExperimentSpec(name: "x", datasets: [fixedSim], balancings: [], detectors: ["dt"])).contains("no fixed files"))
        var badFraction = sim
        badFraction.testFraction = 1.5
        #expect(fails(ExperimentSpec(name: "x", datasets: [badFraction], balancings: [], detectors: ["dt"])).contains("test-fraction 1.5"))
        #expect(fails(ExperimentSpec(name: "x", datasets: [sim, sim], balancings: [], detectors: ["dt"])).contains("used twice"))
        // An invalid detector never reaches a specification: parsing refuses it, naming the parameter.
        #expect(throws: CatalogError.self) { try DetectorChoice(parsing: "dt:depth=0") }
        #expect(fails(ExperimentSpec(name: "x", datasets: [sim], balancings: ["baseline", "weights"], detectors: ["dt"])) == "valid")
        #expect(ExperimentSpec(name: "x", datasets: [sim], balancings: ["baseline", "weights", "smote"], detectors: ["dt"]).plannedBalancings
            == ["none", "class-weights", "smote"])
    }
}
