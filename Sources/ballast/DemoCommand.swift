import ArgumentParser
import BallastData
import BallastEval
import Foundation

/// `ballast demo`: the main job, end to end — compare rebalancing methods across detectors on
/// simulated traffic or NSL-KDD.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Compare rebalancing methods across detectors on simulated traffic (default) or NSL-KDD.",
        discussion: """
            Without --data, traffic comes from Ballast's seeded simulator (NSL-KDD's schema and five \
            classes at a similar imbalance; labelled "simulated"), split 70/30 stratified. With --data \
            DIR, trains on DIR/KDDTrain+.txt (--quick: KDDTrain+_20Percent.txt) and tests on \
            DIR/KDDTest+.txt. Preprocessing is fitted on the training rows only; each balancing runs \
            once on them and is shared by every detector; the test rows are never resampled.

            Prints one table: a row per (balancing, detector), with accuracy, macro-F1, weighted-F1 \
            and the recall of each class; the best value of each column is marked. The baseline \
            (none) is always included. A method that fails on the data is reported in its cells. On a \
            terminal, a progress line names the cell running.

            Time on 2 cores: --quick takes seconds on the simulator and about a minute on NSL-KDD; \
            the full NSL-KDD comparison (125,973 training rows, over-sampled to 336,715) takes several minutes.

            Balancings: none, class-weights (class-weight=balanced on the detector), all, or any \
            resampler of `ballast balance --help`, with parameters (smote:k=3). Detectors: dt, rf, \
            lr, gbdt, knn, vote, with parameters (rf:trees=200).

            Examples:
              ballast demo --quick
              ballast demo --balance smote,rus --models dt,rf --seed 7
              ballast demo --data ../shared/datasets/nsl-kdd --quick --markdown
              ballast demo --data ../shared/datasets/nsl-kdd --json > comparison.json
            """
    )

    @Option(help: "Directory holding NSL-KDD (KDDTrain+.txt, KDDTest+.txt). Default: the simulator.")
    var data: String?

    @Flag(help: "A faster run: \(DemoCommand.quickRows) simulated rows or the 20% NSL-KDD training subset, rf:trees=30, gbdt:rounds=50.")
    var quick = false

    @Option(help: "Simulated rows (ignored with --data; default \(DemoCommand.fullRows), --quick \(DemoCommand.quickRows)).")
    var rows: Int?

    @Option(help: "Balancings to compare, comma-separated (default: \(BalancingChoice.defaults.map(\.description).joined(separator: ","))).")
    var balance: String?

    @Option(help: "Detectors to compare, comma-separated (default: \(DetectorChoice.defaults.map(\.description).joined(separator: ","))).")
    var models: String?

    @Option(help: "Random seed (printed with the results).")
    var seed: UInt64 = 42

    @Flag(help: "Print JSON (every number) instead of a table.")
    var json = false

    @Flag(help: "Print the table as Markdown.")
    var markdown = false

    static let quickRows = 10_000
    static let fullRows = 20_000

    func validate() throws {
        if let rows, rows < 50 { throw ValidationError("--rows must be at least 50, got \(rows)") }
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
        try reportingErrors {
            let source: DemoSource = data.map { .nslKDD(directory: $0, quick: quick) }
                ?? .simulator(rows: rows ?? (quick ? Self.quickRows : Self.fullRows))
            let demo = ComparisonDemo(
                source: source,
                balancings: try balance.map(BalancingChoice.parseList) ?? BalancingChoice.defaults,
                detectors: try models.map(DetectorChoice.parseList) ?? DetectorChoice.defaults,
                quick: quick)
            let bar = ProgressBar("demo")
            let report = try demo.run(seed: seed) { step in
                switch step.phase {
                case .preparing: bar.stage(step.stage)
                case .balancing, .detecting: bar.stage("[\(step.completedCells + 1)/\(step.totalCells)] \(step.stage)")
                case .finished: break
                }
            }
            bar.finish()
            if json {
                print(String(decoding: try report.jsonData(), as: UTF8.self))
            } else if markdown {
                print(report.renderMarkdown(), terminator: "")
            } else {
                print(report.renderPlain(), terminator: "")
            }
        }
    }
}
