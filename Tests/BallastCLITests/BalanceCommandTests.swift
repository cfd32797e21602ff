import BallastTestSupport
import Foundation
import Testing

/// `ballast balance` as a user runs it: counts before and after, valid raw records, atomic output.
@Suite("ballast balance")
struct BalanceCommandTests {
    let runner = CommandRunner()

    /// A mixed-type flow CSV: 60 benign, 12 scan, 4 exfil rows.
    static func flows() throws -> String {
        var text = "flow_id,proto,packets,bytes,urgent,rate,label\n"
        var state: UInt64 = 12345
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        for (label, n, scale) in [("benign", 60, 1.0), ("scan", 12, 3.0), ("exfil", 4, 9.0)] {
            for i in 0..<n {
                let proto = ["tcp", "udp", "icmp"][Int(next() * 3)]
                text += "\(label)-\(i),\(proto),\(Int(next() * 10 * scale)),\(Int(next() * 1000 * scale)),\(next() < 0.3 ? 1 : 0),"
                text += "\(String(format: "%.3f", next())),\(label)\n"
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-balance-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("SMOTE raises every class to the majority and writes valid raw records with the original rows first")
    func smote() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let input = try Self.flows()
        let output = input + ".out.csv"
        defer { for p in [input, output] { try? FileManager.default.removeItem(atPath: p) } }
        let out = try runner.run(["balance", input, "--label", "label", "-o", output, "--method", "smote:k=3", "--seed", "4"])
        #expect(out.status == 0, "\(out.stderr)")
        for line in ["benign", "scan", "exfil", "+48", "+56", "seed: 4"] { #expect(out.stdout.contains(line), "missing \(line)") }
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "proto,packets,bytes,urgent,rate,label")
        #expect(lines.count == 1 + 180)
        let original = try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n")
        // Kept rows are written exactly as read (minus the dropped identifier column).
        #expect(lines[1] == original[1].split(separator: ",", maxSplits: 1)[1])
        for line in lines.dropFirst(77) {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(["tcp", "udp", "icmp"].contains(f[0]), "\(line)")
            #expect(Int(f[1]) != nil && Int(f[2]) != nil, "integer columns must stay integers: \(line)")
            #expect(f[3] == "0" || f[3] == "1", "a flag must stay 0/1: \(line)")
            #expect(Double(f[4]).map { $0 >= 0 && $0 <= 1 } == true, "a rate must stay in its observed range: \(line)")
        }
        let again = try runner.run(["balance", input, "--label", "label", "-o", output + "2", "--method", "smote:k=3", "--seed", "4"])
        defer { try? FileManager.default.removeItem(atPath: output + "2") }
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: output + "2", encoding: .utf8) == String(contentsOfFile: output, encoding: .utf8))
    }

    @Test("a pipeline with *=N and --json; exact strategies and errors exit 64 naming the numbers")
    func strategiesAndErrors() throws {
        let runner = try #require(runner)
        let input = try Self.flows()
        let output = input + ".out.csv"
        defer { for p in [input, output] { try? FileManager.default.removeItem(atPath: p) } }
        let json = try runner.run(["balance", input, "--label", "label", "-o", output, "--method", "smote+random-under",
                                   "--strategy", "*=20", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let classes = try #require(object["classes"] as? [[String: Any]])
        #expect(classes.map { $0["after"] as? Int } == [20, 20, 20])
        let below = try runner.run(["balance", input, "--label", "label", "-o", output, "--method", "smote", "--strategy", "benign=10"])
        #expect(below.status == 64)
        #expect(below.stderr.contains("60") && below.stderr.contains("10") && below.stderr.contains("benign"))
        let unknown = try runner.run(["balance", input, "--label", "label", "-o", output, "--method", "smoot"])
        #expect(unknown.status == 64 && unknown.stderr.contains("smote"))
        let badParameter = try runner.run(["balance", input, "--label", "label", "-o", output, "--method", "smote:k=zero"])
        #expect(badParameter.status == 64 && badParameter.stderr.contains("k=zero"))
        let unwritable = try runner.run(["balance", input, "--label", "label", "-o", "/nonexistent-dir/out.csv", "--method", "smote"])
        #expect(unwritable.status == 74 && unwritable.stderr.contains("/nonexistent-dir"))
        let help = try runner.run(["balance", "--help"])
        for name in ["smote", "kmeans-under", "svm-smote", "Examples:"] { #expect(help.stdout.contains(name)) }
    }
}
