import ArgumentParser
import BallastData
import BallastEval
import Foundation

/// `ballast experiment`: run a balancing × detector × seed grid and write results and a report.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run balancings × detectors × seeds and write results.json, results.csv, summary.md and report.html.",
        discussion: """
            The experiment comes from a TOML file (see Docs/experiment-spec.md) or from flags. Every \
            cell is fitted on training data only and evaluated on each test set; preprocessing is \
            fitted per training part; each balancing runs once per seed and is shared by the \
            detectors. The baseline (none) always runs. A cell that fails is recorded with its error \
            and the rest go on.

            Finished cells are appended to DIR/journal.jsonl as they end, so an interrupted run \
            continues where it stopped when the same command runs again (--fresh starts over). At \
            the end DIR holds results.json (every number, with the spec, seeds, versions and \
            timings), results.csv, summary.md and report.html (self-contained, with charts). \
            The same command with --report-only runs nothing: it writes partial-report.html, \
            partial-summary.md, partial-results.json and partial-results.csv from the cells \
            finished so far, for a run that was stopped or is still going in another process.

            Data: --data DIR for NSL-KDD (KDDTrain+ → KDDTest+ and KDDTest-21, attacks seen in \
            training vs only in the test set), --train/--test for files (NSL-KDD or labelled CSV), \
            --train with --split holdout|kfold for one CSV, or --simulator ROWS.

            Examples:
              ballast experiment --data ../shared/datasets/nsl-kdd --balance ros,smote,borderline-smote,kmeans-smote,svm-smote --models dt --seeds 3 -o table2
              ballast experiment --train flows.csv --label Label --split kfold --folds 5 --balance smote,rus --models rf -o flows-exp
              ballast experiment --simulator 5000 --balance smote,adasyn --models dt,gbdt --seeds 2 -o sim
              ballast experiment experiments/table2.toml -o table2
              ballast experiment experiments/table2.toml -o table2 --report-only   # while it runs

            Sharded runs (one machine each, e.g. a Kubernetes Indexed Job or a Slurm array; see \
            Deploy/): --shard I/N runs the I-th of N disjoint parts of the plan (a balancing and \
            its detectors stay together) into its own directory, resumable like a whole run; then \
            `ballast experiment merge DIR1 DIR2 … -o OUT` checks that the shards ran the same spec \
            on the same data and writes the results one process would have written:
              ballast experiment spec.toml --shard 1/4 -o shards/1     # … through 4/4
              ballast experiment merge shards/1 shards/2 shards/3 shards/4 -o results
            """
    )

    @Argument(help: ArgumentHelp("An experiment specification (TOML); without it, the flags describe the experiment. Or `merge` and the shard directories to merge.",
                                 valueName: "spec | merge DIR…"))
    var inputs: [String] = []

    /// The specification file, unless this is a merge.
    var spec: String? { isMerge ? nil : inputs.first }

    /// `ballast experiment merge DIR1 DIR2 … -o OUT`.
    var isMerge: Bool { inputs.first == "merge" }

    @Option(help: "Run only the I-th of N disjoint parts of the plan (e.g. 2/8), into its own -o directory; merge the parts with `ballast experiment merge`.")
    var shard: String?

    @Option(name: [.short, .customLong("output")], help: "Output directory (results, report, and the journal that makes runs resumable).")
    var output: String

    @Option(help: "NSL-KDD directory: KDDTrain+.txt → KDDTest+.txt, KDDTest-21.txt.")
    var data: String?

    @Option(help: "Training file (NSL-KDD or labelled CSV).")
    var train: String?

    @Option(help: "Test file; repeat for several. Without it, --split holdout or kfold divides --train.")
    var test: [String] = []

    @Option(help: "The label column of a CSV.")
    var label: String?

    @Option(help: "CSV columns to drop, comma-separated (identifier columns are dropped automatically).")
    var drop: String?

    @Option(help: "Split of a single file: holdout or kfold (default holdout).")
    var split: String?

    @Option(help: "Hold-out test share (default 0.3).")
    var testFraction: Double?

    @Option(help: "K-fold folds (default 5).")
    var folds: Int?

    @Option(help: "Use the traffic simulator with this many rows (labelled simulated).")
    var simulator: Int?

    @Option(help: "NSL-KDD labels: 5class (default) or binary.")
    var labelMode: String?

    @Option(help: "Balancings, comma-separated: none, class-weights, or resamplers of `ballast balance --help`.")
    var balance: String?

    @Option(help: "Detectors, comma-separated: dt, rf, lr, gbdt, knn, vote, mlp (with parameters, e.g. rf:trees=200).")
    var models: String?

    @Option(help: "Seeds: a count (3 → 1,2,3) or a list (1,7,42). Default 3.")
    var seeds: String?

    @Option(name: .customLong("labelled-fractions"),
            help: "Keep only these shares of each class's training labels, comma-separated fractions in (0, 1] (e.g. 0.01,0.05,0.1): a grid axis like the seeds; supervised detectors see only the labelled rows, ssflow also the rest without labels.")
    var labelledFractions: String?

    @Flag(help: "Print the plan (one line per unit: dataset, seed, fold, labelled fraction, balancing × detectors) and exit without running or writing anything.")
    var plan = false

    @Flag(help: "Lighter detector settings (rf:trees=30, gbdt:rounds=50, mlp:epochs=5).")
    var quick = false

    @Flag(help: "Discard a partial run in the output directory instead of resuming it.")
    var fresh = false

    @Option(help: "Run at most this many new cells, then stop (run again to continue).")
    var maxCells: Int?

    @Flag(help: "Run nothing: write partial-report.html, partial-summary.md, partial-results.json and partial-results.csv from the cells the -o directory's journal holds so far. The journal is only read and the run's own outputs are not touched, so this is safe while the run goes on.")
    var reportOnly = false

    @Flag(help: "Print results.json instead of the summary table.")
    var json = false

    @Flag(help: "Print summary.md instead of the summary table.")
    var markdown = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if json && markdown { throw ValidationError("--json and --markdown cannot be used together") }
        if isMerge {
            if inputs.count < 2 { throw ValidationError("merge needs the shard directories: ballast experiment merge DIR1 DIR2 … -o OUT") }
            let flags = [data != nil, train != nil, simulator != nil, shard != nil, balance != nil, models != nil, seeds != nil,
                         maxCells != nil, fresh, quick, labelledFractions != nil, plan, reportOnly]
            if flags.contains(true) {
                throw ValidationError("merge takes only shard directories, -o and --json/--markdown; the spec comes from the shards")
            }
            return
        }
        if inputs.count > 1 { throw ValidationError("one spec file, got \(inputs.count) arguments: \(inputs.joined(separator: " "))") }
        if let shard {
            do { _ = try ExperimentShard(parsing: shard) } catch { throw ValidationError("\(error)") }
        }
        let sources = [spec != nil, data != nil, train != nil, simulator != nil].filter { $0 }.count
        if sources == 0 { throw ValidationError("give a spec file, --data DIR, --train FILE or --simulator ROWS") }
        if sources > 1 && spec == nil { throw ValidationError("give only one of --data, --train and --simulator") }
        if spec != nil && (data != nil || train != nil || simulator != nil) {
            throw ValidationError("the spec file names its datasets; --data, --train and --simulator cannot be added to it")
        }
        if !test.isEmpty && train == nil { throw ValidationError("--test needs --train") }
        if let maxCells, maxCells < 1 { throw ValidationError("--max-cells must be at least 1, got \(maxCells)") }
        if reportOnly && (fresh || maxCells != nil || plan) {
            throw ValidationError("--report-only runs nothing, so --fresh, --max-cells and --plan cannot be added to it")
        }
    }

    func run() throws {
        progressOptions.apply()
        try reportingErrors {
            if isMerge { return try merge() }
            let experiment = try makeSpec()
            if plan { return try printPlan(experiment) }
            var runner = ExperimentRunner(spec: experiment, outputDirectory: output, fresh: fresh, maximumNewCells: maxCells,
                                          shard: try shard.map(ExperimentShard.init(parsing:)), reportOnly: reportOnly)
            runner.warn = { Terminal.writeError("warning: \($0)\n") }
            try Self.run(runner, title: shard.map { "experiment shard \($0)" } ?? "experiment", json: json, markdown: markdown)
        }
    }

    /// `merge DIR1 DIR2 … -o OUT`: checks the shards and writes the merged outputs.
    func merge() throws {
        let directories = Array(inputs.dropFirst())
        for directory in directories where URL(fileURLWithPath: directory).standardizedFileURL == URL(fileURLWithPath: output).standardizedFileURL {
            throw ValidationFailure("-o \(output) is one of the shard directories; merge into a directory of its own")
        }
        let results = try ExperimentMerge.merge(directories: directories)
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw DataError(.unwritable, "\(output): cannot create the directory (\(error.localizedDescription))")
        }
        try ExperimentOutput.write(results, to: output)
        if json {
            print(ExperimentOutput.json(results))
        } else if markdown {
            print(results.markdownSummary(), terminator: "")
        } else {
            print("merged \(directories.count) shards: \(results.datasets.reduce(0) { $0 + $1.cells.count }) cells")
            print(results.renderPlainSummary(), terminator: "")
            print("report: \(URL(fileURLWithPath: output).appendingPathComponent("report.html").path)")
        }
    }

    /// The specification from the file or the flags, with --balance/--models/--seeds/--quick overriding.
    func makeSpec() throws -> ExperimentSpec {
        var experiment: ExperimentSpec
        if let spec {
            experiment = try ExperimentSpec(contentsOf: spec)
        } else {
            experiment = ExperimentSpec(name: URL(fileURLWithPath: output).lastPathComponent, datasets: [try dataset()],
                                        balancings: [], detectors: ["dt"])
        }
        if let balance {
            experiment.balancings = try specificationList(balance).map { text in
                do { return try BalancingChoice(parsing: text) } catch { throw ValidationFailure("--balance: balancing '\(text)': \(error)") }
            }
        }
        if let models {
            experiment.detectors = try specificationList(models).map { text in
                do { return try DetectorChoice(parsing: text) } catch { throw ValidationFailure("--models: detector '\(text)': \(error)") }
            }
        }
        if let seeds { experiment.seeds = try Self.seedList(seeds) }
        if let labelledFractions { experiment.labelledFractions = try Self.fractionList(labelledFractions) }
        if quick { experiment.quick = true }
        return experiment
    }

    /// The dataset the flags describe.
    func dataset() throws -> ExperimentDataset {
        var mode: NSLKDD.LabelMode?
        if let labelMode {
            guard let parsed = NSLKDD.LabelMode(rawValue: labelMode), parsed != .attackName else {
                throw ValidationFailure("--label-mode \(labelMode): expected 5class or binary")
            }
            mode = parsed
        }
        var splitKind: ExperimentDataset.Split?
        if let split {
            guard let parsed = ExperimentDataset.Split(rawValue: split), parsed != .fixed else {
                throw ValidationFailure("--split \(split): expected holdout or kfold")
            }
            splitKind = parsed
        }
        if let data {
            var d = ExperimentDataset.nslKDD(directory: data, labelMode: mode ?? .fiveClass)
            d.split = .fixed
            return d
        }
        if let simulator {
            var d = ExperimentDataset.simulator(rows: simulator)
            d.split = splitKind ?? .holdout
            d.testFraction = testFraction
            d.folds = folds
            return d
        }
        guard let train else { throw ValidationFailure("give --data, --train or --simulator") }
        let trainURL = URL(fileURLWithPath: train)
        if try DatasetFormat.detect(path: train) == .nslKDD, splitKind == nil {
            let directory = trainURL.deletingLastPathComponent().path
            let tests = test.isEmpty ? ["KDDTest+.txt"] : test
            for file in tests where URL(fileURLWithPath: file).deletingLastPathComponent().path != directory {
                throw ValidationFailure("NSL-KDD test file \(file) must be in the same directory as \(train)")
            }
            return ExperimentDataset(name: "nsl-kdd", source: .nslKDD, directory: directory, train: trainURL.lastPathComponent,
                                     tests: tests.map { URL(fileURLWithPath: $0).lastPathComponent }, labelMode: mode ?? .fiveClass,
                                     split: .fixed)
        }
        if test.count > 1 { throw ValidationFailure("a CSV experiment takes one --test file (got \(test.count))") }
        let name = trainURL.deletingPathExtension().lastPathComponent
        return ExperimentDataset(name: name.isEmpty ? "data" : name, source: .csv, path: train, test: test.first, label: label,
                                 drop: drop.map(specificationList), split: test.isEmpty ? (splitKind ?? .holdout) : .fixed,
                                 testFraction: testFraction, folds: folds)
    }

    /// Runs an experiment with a progress bar on a terminal and prints the summary table and the
    /// report's path, results.json (`json`) or summary.md (`markdown`).
    /// - Throws: what ``ExperimentRunner/run(progress:)`` throws.
    static func run(_ runner: ExperimentRunner, title: String, json: Bool, markdown: Bool) throws {
        let bar = ProgressBar(title)
        let results = try runner.run { step in
            let left = step.remainingSeconds.map { ", ~\(duration($0)) left" } ?? ""
            bar.update(step.fraction, detail: "\(step.cellsDone)/\(step.cellsTotal) cells\(left) · \(step.stage)")
        }
        bar.finish()
        if json {
            print(ExperimentOutput.json(results))
        } else if markdown {
            print(results.markdownSummary(), terminator: "")
        } else {
            print(results.renderPlainSummary(), terminator: "")
            let directory = runner.outputDirectory ?? "."
            let name = (runner.reportOnly ? ExperimentOutput.partialPrefix : "") + "report.html"
            print("report: \(URL(fileURLWithPath: directory).appendingPathComponent(name).path)")
        }
    }

    /// `--plan`: validates the specification and prints its units (or those of `--shard`).
    func printPlan(_ experiment: ExperimentSpec) throws {
        try experiment.validate()
        let plan = ExperimentPlan(spec: experiment, shard: try shard.map(ExperimentShard.init(parsing:)))
        print("\(experiment.name)\(plan.shard.map { ", shard \($0)" } ?? ""): \(plan.units.count) units, \(plan.cellCount) cells")
        for (index, unit) in plan.units.enumerated() { print("\(index + 1). \(unit)") }
    }

    /// `0.01,0.05,0.1` → those fractions (their range is checked with the rest of the spec).
    static func fractionList(_ text: String) throws -> [Double] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map {
            let item = $0.trimmingCharacters(in: .whitespaces)
            guard let v = Double(item) else {
                throw ValidationFailure("--labelled-fractions \(text): '\(item)' is not a number (expected fractions such as 0.01,0.05,0.1)")
            }
            return v
        }
    }

    /// `3` → 1, 2, 3; `1,7,42` → those.
    static func seedList(_ text: String) throws -> [UInt64] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 1, let count = Int(parts[0]), !text.contains(",") {
            guard (1...1000).contains(count) else { throw ValidationFailure("--seeds \(text): a count from 1 to 1000, or a list such as 1,7,42") }
            return (1...count).map { UInt64($0) }
        }
        return try parts.map {
            guard let v = UInt64($0) else { throw ValidationFailure("--seeds \(text): '\($0)' is not a non-negative integer") }
            return v
        }
    }

    /// `75` → `1m15s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
