import BallastTestSupport
import Foundation
import Testing

/// Issue 18, item 14: kept rows are written as read, and a renamed experiment directory resumes.
@Suite("written as read; resumable after a rename")
struct ResumeAndRoundTripCommandTests {
    let runner = CommandRunner()

    static func temporary(_ suffix: String = "") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ballast-rt-\(UUID().uuidString)\(suffix)").path
    }

    @Test("a '-' category in a kept row is written back as '-', not as an empty field")
    func dashKept() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows(), output = flows + ".out.csv"
        defer { for p in [flows, output] { try? FileManager.default.removeItem(atPath: p) } }
        var lines = try String(contentsOfFile: flows, encoding: .utf8).split(separator: "\n").map(String.init)
        for i in [3, 9, 70] {  // the proto column (second field) becomes '-'
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[1] = "-"
            lines[i] = fields.joined(separator: ",")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: flows, atomically: true, encoding: .utf8)
        let out = try runner.run(["balance", flows, "--label", "label", "--method", "rus", "--strategy", "benign=30", "-o", output])
        #expect(out.status == 0, "\(out.stderr)")
        let written = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // Row 70 is a scan flow: rus (benign=30) keeps every scan row as it was read.
        #expect(written.contains { $0.first == "-" && $0.last == "scan" }, "the kept scan row lost its '-'")
        #expect(!written.contains { $0.first == "" }, "a proto field was written empty")
    }

    @Test("an experiment directory renamed mid-run resumes from its journal")
    func renamedDirectory() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let first = Self.temporary(), renamed = Self.temporary()
        defer { for p in [first, renamed] { try? FileManager.default.removeItem(atPath: p) } }
        let arguments = ["experiment", "--simulator", "600", "--balance", "ros", "--models", "dt", "--seeds", "2", "-q"]
        let stopped = try runner.run(arguments + ["-o", first, "--max-cells", "2"])
        #expect(stopped.status == 75, "\(stopped.stderr)")
        try FileManager.default.moveItem(atPath: first, toPath: renamed)
        let resumed = try runner.run(arguments + ["-o", renamed, "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any])
        #expect(object["resumedCount"] as? Int == 1, "\(resumed.stdout.prefix(400))")
    }

    @Test("--report-only reports a stopped run's cells, exits 0, and refuses a directory without a run and flags that run cells")
    func reportOnly() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let directory = Self.temporary(), empty = Self.temporary()
        defer { for p in [directory, empty] { try? FileManager.default.removeItem(atPath: p) } }
        let arguments = ["experiment", "--simulator", "600", "--balance", "ros", "--models", "dt", "--seeds", "2", "-q"]
        #expect(try runner.run(arguments + ["-o", directory, "--max-cells", "1"]).status == 75)
        let report = try runner.run(arguments + ["-o", directory, "--report-only"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("unfinished run: 1 of 4 cells had finished"), "\(report.stdout.prefix(600))")
        #expect(report.stdout.contains("report: \(directory)/partial-report.html"))
        #expect(FileManager.default.fileExists(atPath: directory + "/partial-summary.md"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/report.html"), "the finished run's name is left to it")
        let none = try runner.run(arguments + ["-o", empty, "--report-only"])
        #expect(none.status != 0 && none.stderr.contains("no journal.jsonl"), "\(none.stderr)")
        let mixed = try runner.run(arguments + ["-o", directory, "--report-only", "--max-cells", "1"])
        #expect(mixed.status != 0 && mixed.stderr.contains("--report-only runs nothing"), "\(mixed.stderr)")
        // The help describes it in whole sentences (no gaps left by a lost line continuation).
        let help = try runner.run(["experiment", "--help"])
        let paragraph = help.stdout.components(separatedBy: "Finished cells are appended").last?.components(separatedBy: "Data:").first ?? ""
        #expect(paragraph.contains("--report-only runs nothing") || paragraph.contains("partial-report.html"), "\(help.stdout.prefix(1500))")
        #expect(!paragraph.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).contains("  ") },
                "a line of the paragraph has a run of spaces inside it: \(paragraph)")
    }
}
