import ArgumentParser
import BallastData
import BallastEval
import Foundation

/// `ballast demo`: the main job, end to end — a one-seed preset of `ballast experiment` comparing
/// rebalancing methods across detectors on simulated traffic or NSL-KDD.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Compare rebalancing methods across detectors on simulated traffic (default) or NSL-KDD.",
        discussion: """
            A preset of `ballast experiment` with one seed. Without --data, traffic comes from \
            Ballast's seeded simulator (NSL-KDD's schema and five classes at a similar imbalance; \
            labelled "simulated"), split 70/30 stratified. With --data DIR, trains on \
            DIR/KDDTrain+.txt (--quick: KDDTrain+_20Percent.txt) and tests on DIR/KDDTest+.txt and \
            DIR/KDDTest-21.txt. Preprocessing is fitted on the training rows only; each balancing \
            runs once and is shared by every detector; the test rows are never resampled.

            Prints one table per test set: a row per (balancing, detector), with accuracy, macro-F1, \
            weighted-F1 and the recall of each class; the best value of each column is marked. The \
            baseline (none) is always included. A method that fails on the data is reported in its \
            cells. Writes results.json, results.csv, summary.md and report.html (charts) into \
            --output (default ./ballast-demo) and prints the report's path.

            Time on 2 cores: --quick takes seconds on the simulator and about a minute on NSL-KDD; \
            the full NSL-KDD comparison (125,973 training rows, over-sampled to 336,715) takes several minutes.

            Balancings: none, class-weights (class-weight=balanced on the detector), all, or any \
            resampler of `ballast balance --help`, with parameters (smote:k=3). Detectors: dt, rf, \
            lr, gbdt, knn, vote, with parameters (rf:trees=200).

            Examples:
              ballast demo --quick
              ballast demo --balance smote,rus --models dt,rf --seed 7
              ballast demo --data ../shared/datasets/nsl-kdd --quick --markdown
              ballast demo --data ../shared/datasets/nsl-kdd --json > results.json
            """
    )

    @Option(help: "Directory holding NSL-KDD (KDDTrain+.txt, KDDTest+.txt, KDDTest-21.txt). Default: the simulator.")
    var data: String?

    @Flag(help: "A faster run: \(ExperimentSpec.demoQuickRows) simulated rows or the 20% NSL-KDD training subset, rf:trees=30, gbdt:rounds=50, mlp:epochs=5.")
    var quick = false

    @Option(help: "Simulated rows (ignored with --data; default \(ExperimentSpec.demoRows), --quick \(ExperimentSpec.demoQuickRows)).")
    var rows: Int?

    @Option(help: "Balancings to compare, comma-separated (default: \(BalancingChoice.defaults.map(\.description).joined(separator: ","))).")
    var balance: String?

    @Option(help: "Detectors to compare, comma-separated (default: \(DetectorChoice.defaults.map(\.description).joined(separator: ","))).")
    var models: String?

    @Option(help: "Random seed (printed with the results).")
    var seed: UInt64 = 42

    @Option(name: [.short, .customLong("output")], help: "Directory for results.json, results.csv, summary.md and report.html.")
    var output = "ballast-demo"

    @Flag(help: "Print results.json (every number) instead of a table.")
    var json = false

    @Flag(help: "Print summary.md (Markdown tables) instead of the terminal table.")
    var markdown = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if let rows, rows < 100 { throw ValidationError("--rows must be at least 100, got \(rows)") }
        if json && markdown { throw ValidationError("--json and --markdown cannot be used together") }
        if let data, !FileManager.default.fileExists(atPath: data) {
            throw ValidationError("--data \(data): no such directory")
        }
        do {
            _ = try balance.map(BalancingChoice.parseList)
            _ = try models.map(DetectorChoice.parseList)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        progressOptions.apply()
        try reportingErrors {
            let spec = ExperimentSpec.demo(
                nslKDD: data, rows: rows,
                balancings: try balance.map(BalancingChoice.parseList) ?? BalancingChoice.defaults,
                detectors: try models.map(DetectorChoice.parseList) ?? DetectorChoice.defaults,
                seed: seed, quick: quick)
            try ExperimentCommand.run(ExperimentRunner(spec: spec, outputDirectory: output, fresh: true), title: "demo",
                                      json: json, markdown: markdown)
        }
    }
}
