import ArgumentParser
import BallastData
import BallastEval
import Foundation

/// `ballast demo`: the main job, end to end, on simulated traffic or NSL-KDD.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train and evaluate a baseline detector on simulated traffic (default) or NSL-KDD.",
        discussion: """
            Without --data, traffic comes from Ballast's seeded simulator (NSL-KDD's schema and five \
            classes at a similar imbalance; labelled "simulated"). With --data DIR, trains on \
            DIR/KDDTrain+.txt and tests on DIR/KDDTest+.txt. Preprocessing is fitted on training data only.

            Examples:
              ballast demo
              ballast demo --quick --seed 7
              ballast demo --data ../shared/datasets/nsl-kdd --json
            """
    )

    @Option(help: "Directory holding NSL-KDD (KDDTrain+.txt, KDDTest+.txt). Default: the simulator.")
    var data: String?

    @Flag(help: "A smaller run: 6,000 simulated rows, or the 20% NSL-KDD training subset.")
    var quick = false

    @Option(help: "Simulated rows (ignored with --data).")
    var rows: Int?

    @Option(help: "Random seed (printed with the results).")
    var seed: UInt64 = 42

    @Option(help: "Neighbours of the k-NN baseline.")
    var k: Int = 5

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        if let rows, rows < 50 { throw ValidationError("--rows must be at least 50, got \(rows)") }
        if k < 1 { throw ValidationError("--k must be at least 1, got \(k)") }
        if let data, !FileManager.default.fileExists(atPath: data) {
            throw ValidationError("--data \(data): no such directory")
        }
    }

    func run() throws {
        try reportingErrors {
            let source: BaselineDemo.Source = data.map { .nslKDD(directory: $0, quick: quick) }
                ?? .simulator(rows: rows ?? (quick ? 6_000 : 20_000))
            let bar = ProgressBar("demo")
            let result = try BaselineDemo(source: source, k: k).run(seed: seed) { bar.stage($0) }
            bar.finish()
            if json {
                print(String(decoding: try result.jsonData(), as: UTF8.self))
            } else {
                print(result.renderPlain(), terminator: "")
            }
        }
    }
}
