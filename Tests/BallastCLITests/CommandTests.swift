import BallastTestSupport
import Foundation
import Testing

/// Runs the real `ballast` binary and checks what a user sees: output and exit status.
@Suite("ballast command line")
struct CommandTests {
    let runner = CommandRunner()

    private func tempFile(_ text: String, ext: String = "csv") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-cli-\(UUID().uuidString).\(ext)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func tempDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ballast-cli-\(UUID().uuidString)").path
    }

    @Test("demo prints one comparison table (baseline first, a row per cell, best values marked, quick settings said) and writes the report")
    func demoTable() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let output = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let out = try runner.run(["demo", "--quick", "--rows", "1500", "--balance", "smote,class-weights",
                                  "--models", "dt,rf", "--seed", "3", "-o", output])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("simulated"))
        #expect(out.stdout.contains("seed: 3"))
        #expect(out.stdout.contains("quick mode:") && out.stdout.contains("rf:trees=30"))
        for name in ["accuracy", "macro-F1", "weighted-F1", "Normal", "DoS", "Probe", "R2L", "U2R"] {
            #expect(out.stdout.contains(name), "missing \(name)")
        }
        let rows = out.stdout.split(separator: "\n").filter { line in
            ["none ", "smote ", "class-weights "].contains { line.hasPrefix($0) }
        }
        #expect(rows.count == 6, "3 balancings × 2 detectors:\n\(out.stdout)")
        #expect(rows.first?.hasPrefix("none") == true)
        #expect(rows.contains { $0.contains("*") }, "best values are marked")
        #expect(out.stdout.contains("report: \(output)/report.html"))
        #expect(FileManager.default.fileExists(atPath: output + "/report.html"))
        #expect(!out.stderr.contains("\u{1B}[") && !out.stderr.contains("\r"), "a piped run must not draw a bar: \(out.stderr)")
    }

    @Test("demo is deterministic for a seed, --json prints results.json, --markdown bolds the best values")
    func demoJSON() throws {
        let runner = try #require(runner)
        let output = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let arguments = ["demo", "--rows", "1500", "--balance", "ros", "--models", "dt", "--seed", "5", "-o", output]
        let a = try runner.run(arguments + ["--json"])
        let b = try runner.run(arguments + ["--json"])
        #expect(a.status == 0, "\(a.stderr)")
        func cells(_ text: String) throws -> [[String: Any]] {
            let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let dataset = try #require((object["datasets"] as? [[String: Any]])?.first)
            #expect(dataset["simulated"] as? Bool == true)
            return try #require(dataset["cells"] as? [[String: Any]])
        }
        let ca = try cells(a.stdout), cb = try cells(b.stdout)
        #expect(ca.count == 2)
        #expect(ca.map { NSArray(array: $0["evaluations"] as? [Any] ?? []) } == cb.map { NSArray(array: $0["evaluations"] as? [Any] ?? []) })
        let md = try runner.run(arguments + ["--markdown"])
        #expect(md.status == 0)
        #expect(md.stdout.contains("| balancing") && md.stdout.contains("**"))
    }

    @Test("experiment: a run killed mid-way resumes where it stopped and ends with the results of an uninterrupted run")
    func experimentKillAndResume() throws {
        let runner = try #require(runner)
        let killed = tempDirectory(), whole = tempDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: killed)
            try? FileManager.default.removeItem(atPath: whole)
        }
        let arguments = ["experiment", "--simulator", "4000", "--balance", "smote,rus,ros", "--models", "dt,gbdt:rounds=30",
                         "--seeds", "2"]
        // Start a run and kill it (SIGKILL: no chance to clean up) once a few cells are journaled.
        let process = Process()
        process.executableURL = runner.executable
        process.arguments = arguments + ["-o", killed]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let journal = killed + "/journal.jsonl"
        var cellsBeforeKill = 0
        for _ in 0..<600 where process.isRunning {
            let text = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
            cellsBeforeKill = text.components(separatedBy: "\"kind\":\"cell\"").count - 1
            if cellsBeforeKill >= 3 { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: killed + "/results.json") || cellsBeforeKill >= 16,
                "a killed run writes no final results")
        let resumed = try runner.run(arguments + ["-o", killed, "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let uninterrupted = try runner.run(arguments + ["-o", whole, "--json"])
        func evaluations(_ text: String) throws -> [NSArray] {
            let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let cells = try #require(((object["datasets"] as? [[String: Any]])?.first)?["cells"] as? [[String: Any]])
            #expect(cells.count == 16)
            return cells.map { NSArray(array: $0["evaluations"] as? [Any] ?? []) }
        }
        #expect(try evaluations(resumed.stdout) == evaluations(uninterrupted.stdout))
        #expect(resumed.stdout.contains("\"resumedCount\" : 1") || cellsBeforeKill == 0)
    }

    @Test("experiment: bad usage and a changed spec in the same directory exit 64 with a message")
    func experimentUsage() throws {
        let runner = try #require(runner)
        let output = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let none = try runner.run(["experiment", "-o", output])
        #expect(none.status == 64 && none.stderr.contains("--data"))
        let first = try runner.run(["experiment", "--simulator", "500", "--models", "dt", "--seeds", "1", "-o", output])
        #expect(first.status == 0, "\(first.stderr)")
        let changed = try runner.run(["experiment", "--simulator", "500", "--models", "lr", "--seeds", "1", "-o", output])
        #expect(changed.status == 64 && changed.stderr.contains("--fresh"), "\(changed.stderr)")
        let stopped = try runner.run(["experiment", "--simulator", "500", "--models", "lr,dt", "--seeds", "1", "-o", output,
                                      "--fresh", "--max-cells", "1"])
        #expect(stopped.status == 75 && stopped.stderr.contains("run the same command again"), "\(stopped.stderr)")
        let spec = output + "/bad.toml"
        try "detectors = [\"dt\"]\nbalancing = [\"smote\"]\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let bad = try runner.run(["experiment", spec, "-o", output + "/x"])
        #expect(bad.status == 64 && bad.stderr.contains("line 2: unknown key 'balancing'"), "\(bad.stderr)")
    }

    @Test("inspect reports classes, imbalance, types and invalid values of a CSV")
    func inspectCSV() throws {
        let runner = try #require(runner)
        let path = try tempFile("id,proto,bytes,rate,Label\n1,tcp,10,0.5,benign\n2,udp,20,nan,benign\n3,tcp,,0.25,attack\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = try runner.run(["inspect", path, "--label", "Label"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("imbalance ratio 2.0 : 1"))
        #expect(out.stdout.contains("dropped: id (identifier)"))
        #expect(out.stdout.contains("invalid (NaN/Inf) values: 1"))
        #expect(out.stdout.contains("categorical"))
        let json = try runner.run(["inspect", path, "--label", "Label", "--json"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["rows"] as? Int == 3)
    }

    @Test("inspect on KDDTrain+ prints the README's class counts", .enabled(if: SharedData.hasNSLKDD("KDDTrain+.txt"), "NSL-KDD is absent from ../shared/datasets/nsl-kdd (see its README)"))
    func inspectNSLKDD() throws {
        let runner = try #require(runner)
        let path = try #require(SharedData.nslKDD())
        let out = try runner.run(["inspect", path])
        #expect(out.status == 0)
        for count in ["67343", "45927", "11656", "995", "52"] { #expect(out.stdout.contains(count)) }
    }

    @Test("Bad usage exits 64, bad data 65, unreadable files 74, each with a message on stderr")
    func exitStatuses() throws {
        let runner = try #require(runner)
        let usage = try runner.run(["demo", "--rows", "3"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--rows"))
        let method = try runner.run(["demo", "--balance", "smote,nosuch"])
        #expect(method.status == 64)
        #expect(method.stderr.contains("nosuch"))
        let missing = try runner.run(["inspect", "/nonexistent/flows.csv", "--label", "y"])
        #expect(missing.status == 74)
        #expect(missing.stderr.contains("/nonexistent/flows.csv"))
        let ragged = try tempFile("a,b,y\n1,2,x\n3,z\n")
        defer { try? FileManager.default.removeItem(atPath: ragged) }
        let bad = try runner.run(["inspect", ragged, "--label", "y"])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("line 3"))
        let noLabel = try runner.run(["inspect", ragged])
        #expect(noLabel.status == 64)
        #expect(noLabel.stderr.contains("--label"))
    }

    @Test("--help shows examples")
    func help() throws {
        let runner = try #require(runner)
        let out = try runner.run(["--help"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("Examples:"))
        let demo = try runner.run(["demo", "--help"])
        #expect(demo.stdout.contains("--data"))
    }
}
