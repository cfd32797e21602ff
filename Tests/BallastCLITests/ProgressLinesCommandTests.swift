import BallastTestSupport
import Foundation
import Testing

/// Issue 18, defect 15: a long job whose standard error is a file or a pipe writes plain progress
/// lines (not a redrawn bar), and `--quiet` silences them.
@Suite("progress when standard error is not a terminal")
struct ProgressLinesCommandTests {
    let runner = CommandRunner()

    @Test("experiment: plain lines with the share done; --quiet prints nothing")
    func experiment() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-progress-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = ["experiment", "--simulator", "600", "--balance", "ros", "--models", "dt", "--seeds", "2", "-o", directory, "--fresh"]
        // BALLAST_PROGRESS=lines starts the lines at once (chosen automatically they wait a few seconds).
        let lines = try runner.run(arguments, environment: ["BALLAST_PROGRESS": "lines"])
        #expect(lines.status == 0, "\(lines.stderr)")
        let written = lines.stderr.split(separator: "\n").filter { $0.hasPrefix("experiment: ") }
        #expect(written.count >= 2 && written.count <= 11, "\(lines.stderr)")
        #expect(written.last?.contains("100%") == true, "\(lines.stderr)")
        #expect(!lines.stderr.contains("\u{1B}[") && !lines.stderr.contains("\r"), "no bar drawing in a log: \(lines.stderr)")

        let quiet = try runner.run(arguments + ["--quiet"], environment: ["BALLAST_PROGRESS": "lines"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stderr.isEmpty, "--quiet: \(quiet.stderr)")
    }

    @Test("train: the network's epochs as plain lines; -q prints nothing")
    func train() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows(), bundle = flows + ".bundle"
        defer { for p in [flows, bundle] { try? FileManager.default.removeItem(atPath: p) } }
        let arguments = ["train", flows, "--label", "label", "--model", "mlp:widths=8,epochs=20,batch=16", "-o", bundle]
        let lines = try runner.run(arguments, environment: ["BALLAST_PROGRESS": "lines"])
        #expect(lines.status == 0, "\(lines.stderr)")
        let epochs = lines.stderr.split(separator: "\n").filter { $0.contains("epoch ") }
        #expect(epochs.count >= 2 && epochs.count <= 12, "\(lines.stderr)")
        let quiet = try runner.run(arguments + ["-q"], environment: ["BALLAST_PROGRESS": "lines"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stderr.isEmpty, "-q: \(quiet.stderr)")
    }

    @Test("inspect, train and evaluate: the share of the file read and of the records scored or rounds boosted; -q prints nothing")
    func readingAndScoring() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows(), bundle = flows + ".bundle"
        defer { for p in [flows, bundle] { try? FileManager.default.removeItem(atPath: p) } }
        let environment = ["BALLAST_PROGRESS": "lines"]
        let inspect = try runner.run(["inspect", flows, "--label", "label", "--json"], environment: environment)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stderr.contains("inspect: 100% bytes read"), "\(inspect.stderr)")
        let train = try runner.run(["train", flows, "--label", "label", "--model", "gbdt:rounds=4", "-o", bundle], environment: environment)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("train: 100% boosting rounds 4/4"), "\(train.stderr)")
        let evaluate = try runner.run(["evaluate", bundle, flows], environment: environment)
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        #expect(evaluate.stderr.contains("evaluate: 100% records scored"), "\(evaluate.stderr)")
        #expect(!evaluate.stderr.contains("\u{1B}[") && !evaluate.stderr.contains("\r"), "no bar drawing in a log: \(evaluate.stderr)")
        for arguments in [["inspect", flows, "--label", "label", "-q"], ["evaluate", bundle, flows, "--quiet"]] {
            let quiet = try runner.run(arguments, environment: environment)
            #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(arguments): \(quiet.stderr)")
        }
    }
}
