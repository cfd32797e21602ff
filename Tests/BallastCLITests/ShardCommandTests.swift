import BallastTestSupport
import Foundation
import Testing

/// Issue 17, part 4, on this machine: shard processes run in parallel, merged by
/// `ballast experiment merge`, give the results of one process, cell by cell.
@Suite("ballast experiment --shard and merge")
struct ShardCommandTests {
    let runner = CommandRunner()

    /// Each cell of a results.json as balancing|detector|seed → its per-test-set confusion matrices.
    static func cells(_ path: String) throws -> [String: String] {
        let object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var out: [String: String] = [:]
        for dataset in object["datasets"] as? [[String: Any]] ?? [] {
            for cell in dataset["cells"] as? [[String: Any]] ?? [] {
                let key = "\(cell["balancing"] ?? "")|\(cell["detector"] ?? "")|\(cell["seed"] ?? "")"
                let evaluations = (cell["evaluations"] as? [[String: Any]] ?? []).map { e -> String in
                    let report = e["report"] as? [String: Any]
                    let confusion = report?["confusion"] as? [String: Any]
                    return "\(e["testSet"] ?? ""):\(confusion?["counts"] ?? "")"
                }
                out[key] = evaluations.joined(separator: ";") + "|\(cell["error"] ?? "")"
            }
        }
        return out
    }

    @Test("3 shard processes in parallel, merged, equal one process; merge refuses an incomplete set")
    func parallelShards() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-shards-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let spec = root + "/spec.toml"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try """
        name = "sharded"
        balancings = ["ros", "rus"]
        detectors = ["dt", "lr"]
        seeds = [1, 2]

        [[dataset]]
        source = "simulator"
        rows = 800
        """.write(toFile: spec, atomically: true, encoding: .utf8)

        let single = try runner.run(["experiment", spec, "-o", root + "/single", "-q"])
        #expect(single.status == 0, "\(single.stderr)")

        // The shards as concurrent processes, as a job array would start them.
        let processes = try (1...3).map { i -> Process in
            let p = Process()
            p.executableURL = runner.executable
            p.arguments = ["experiment", spec, "--shard", "\(i)/3", "-o", "\(root)/shard-\(i)", "-q"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        for p in processes { p.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0])

        let incomplete = try runner.run(["experiment", "merge", root + "/shard-1", root + "/shard-3", "-o", root + "/merged"])
        #expect(incomplete.status == 65, "\(incomplete.stderr)")
        #expect(incomplete.stderr.contains("shard 2/3 of 3 is missing"), "\(incomplete.stderr)")

        let merged = try runner.run(["experiment", "merge", root + "/shard-3", root + "/shard-1", root + "/shard-2", "-o", root + "/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("merged 3 shards: 12 cells"), "\(merged.stdout)")
        for file in ["results.json", "results.csv", "summary.md", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: "\(root)/merged/\(file)"), "\(file) missing")
        }
        let whole = try Self.cells(root + "/single/results.json"), combined = try Self.cells(root + "/merged/results.json")
        #expect(whole.count == 12)
        #expect(combined == whole)
    }

    @Test("--shard is validated, and merge takes no experiment flags")
    func usage() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let bad = try runner.run(["experiment", "--simulator", "500", "--shard", "4/3", "-o", "/tmp/never"])
        #expect(bad.status == 64 && bad.stderr.contains("1 ≤ I ≤ N"), "\(bad.stderr)")
        let flags = try runner.run(["experiment", "merge", "a", "b", "--seeds", "2", "-o", "/tmp/never"])
        #expect(flags.status == 64, "\(flags.stderr)")
    }
}
