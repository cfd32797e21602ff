import BallastTestSupport
import Foundation
import Testing

/// `ballast validate` as a user runs it, on the output of `ballast balance --mark-synthetic`.
@Suite("ballast validate")
struct ValidateCommandTests {
    let runner = CommandRunner()

    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-validate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("balance --mark-synthetic, then validate: one line per raised class, a verdict, report.json and report.html")
    func endToEnd() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = try BalanceCommandTests.flows()
        defer { try? FileManager.default.removeItem(atPath: input) }
        let balanced = dir + "/balanced.csv", only = dir + "/synthetic.csv"
        let balance = try runner.run(["balance", input, "--label", "label", "-o", balanced, "--method", "smote:k=3",
                                      "--mark-synthetic", "--synthetic-only", only])
        #expect(balance.status == 0, "\(balance.stderr)")
        let header = try String(contentsOfFile: balanced, encoding: .utf8).split(separator: "\n").first.map(String.init)
        #expect(header == "proto,packets,bytes,urgent,rate,is_synthetic,label")
        #expect(try String(contentsOfFile: only, encoding: .utf8).split(separator: "\n").count == 1 + 104)

        let out = try runner.run(["validate", input, balanced, "--label", "label", "-o", dir + "/report", "--seed", "3",
                                  "--detectors", "gbdt:rounds=10", "--utility-model", "dt"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("scan ") } && lines.contains { $0.hasPrefix("exfil ") })
        #expect(!lines.contains { $0.hasPrefix("benign ") }, "benign was not raised: no synthetic rows")
        #expect(lines.contains { $0.hasPrefix("all rows") })
        #expect(out.stdout.contains("76 rows marked real left out") && out.stdout.contains("verdict:") && out.stdout.contains("seed: 3"))
        #expect(FileManager.default.fileExists(atPath: dir + "/report/report.html"))
        let report = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report/report.json")))
                                  as? [String: Any])
        #expect(report["classes"] as? [String] == ["exfil", "scan"])
        #expect(!out.stderr.contains("\u{1B}[") && !out.stderr.contains("\r"), "a piped run draws no bar: \(out.stderr)")

        // The synthetic-only file gives the same synthetic rows, without a marker; --json prints report.json.
        let json = try runner.run(["validate", input, only, "--label", "label", "-o", dir + "/report2", "--classes", "exfil",
                                   "--detectors", "none", "--utility-model", "none", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["classes"] as? [String] == ["exfil"] && object["markedRealRows"] as? Int == 0)
    }

    @Test("a synthetic file of another schema exits 65 naming the column; bad usage 64; a missing file 74")
    func errors() throws {
        let runner = try #require(runner)
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = try BalanceCommandTests.flows()
        defer { try? FileManager.default.removeItem(atPath: input) }
        let other = dir + "/other.csv"
        try "proto,packets,rate,label\ntcp,3,0.5,scan\nudp,4,0.1,exfil\n".write(toFile: other, atomically: true, encoding: .utf8)
        let schema = try runner.run(["validate", input, other, "--label", "label", "-o", dir + "/r"])
        #expect(schema.status == 65)
        #expect(schema.stderr.contains("'bytes'") && schema.stderr.contains(other), "\(schema.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/r/report.json"), "nothing is written on error")

        let text = dir + "/text.csv"
        try "proto,packets,bytes,urgent,rate,label\ntcp,3,12,0,0.5,scan\nudp,many,7,1,0.1,exfil\n"
            .write(toFile: text, atomically: true, encoding: .utf8)
        let kind = try runner.run(["validate", input, text, "--label", "label", "-o", dir + "/r"])
        #expect(kind.status == 65 && kind.stderr.contains("line 3") && kind.stderr.contains("'many'") && kind.stderr.contains("packets"),
                "\(kind.stderr)")

        let unknown = try runner.run(["validate", input, input, "--label", "label", "-o", dir + "/r", "--classes", "R2L"])
        #expect(unknown.status == 64 && unknown.stderr.contains("R2L") && unknown.stderr.contains("benign"))
        let usage = try runner.run(["validate", input, input, "--label", "label", "-o", dir + "/r", "--detection-rows", "0"])
        #expect(usage.status == 64)
        let noMarker = try runner.run(["validate", input, input, "--label", "label", "-o", dir + "/r", "--marker", "fake"])
        #expect(noMarker.status == 64 && noMarker.stderr.contains("fake") && noMarker.stderr.contains("packets"))
        let notDirectory = try runner.run(["validate", input, input, "--label", "label", "-o", input])
        #expect(notDirectory.status == 74 && notDirectory.stderr.contains("is not a directory"))
        let missing = try runner.run(["validate", input, dir + "/absent.csv", "--label", "label", "-o", dir + "/r"])
        #expect(missing.status == 74 && missing.stderr.contains("absent.csv"))
    }
}
