import BallastTestSupport
import Foundation
import Testing

/// The README's BoT-IoT commands run on a file shaped like BoT-IoT's 5% CSV (its 46 quoted
/// columns, hexadecimal and `-` ports, the three label columns), and a label column left in that
/// gives the label away is warned about.
@Suite("BoT-IoT-shaped CSV")
struct BotIoTCommandTests {
    let runner = CommandRunner()

    static let header = ["pkSeqID", "stime", "flgs", "flgs_number", "proto", "proto_number", "saddr", "sport", "daddr", "dport",
                         "pkts", "bytes", "state", "state_number", "ltime", "seq", "dur", "mean", "stddev", "sum", "min", "max",
                         "spkts", "dpkts", "sbytes", "dbytes", "rate", "srate", "drate", "TnBPSrcIP", "TnBPDstIP", "TnP_PSrcIP",
                         "TnP_PDstIP", "TnP_PerProto", "TnP_Per_Dport", "AR_P_Proto_P_SrcIP", "AR_P_Proto_P_DstIP",
                         "N_IN_Conn_P_DstIP", "N_IN_Conn_P_SrcIP", "AR_P_Proto_P_Sport", "AR_P_Proto_P_Dport",
                         "Pkts_P_State_P_Protocol_P_DestIP", "Pkts_P_State_P_Protocol_P_SrcIP", "attack", "category", "subcategory"]

    /// 402 rows of five categories (Theft the rare one), text fields quoted as in the UNSW files.
    static func file() throws -> String {
        var state: UInt64 = 99
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        func quoted(_ s: String) -> String { "\"\(s)\"" }
        var text = header.map(quoted).joined(separator: ",") + "\n"
        var id = 0
        // The subcategories as BoT-IoT has them: UDP, TCP and HTTP occur under both DDoS and DoS.
        for (category, n, sub, scale) in [("Normal", 40, ["Normal"], 1.0), ("DDoS", 150, ["UDP", "TCP", "HTTP"], 5.0),
                                          ("DoS", 130, ["UDP", "TCP", "HTTP"], 3.0), ("Reconnaissance", 70, ["Service_Scan", "OS_Fingerprint"], 0.5),
                                          ("Theft", 12, ["Keylogging", "Data_Exfiltration"], 2.0)] {
            for i in 0..<n {
                id += 1
                let start = 1_528_000_000 + next() * 100_000
                var fields = [String(id), String(format: "%.6f", start), quoted("e"), "1", quoted(["udp", "tcp", "icmp"][Int(next() * 3)]), "3",
                              quoted("192.168.100.\(1 + Int(next() * 200))"), quoted(["0x0303", "80", "-", String(Int(next() * 65535))][Int(next() * 4)]),
                              quoted("192.168.100.3"), quoted(["80", "-", "0x0303"][Int(next() * 3)]), String(1 + Int(next() * 50)),
                              String(60 + Int(next() * 9000)), quoted(["INT", "CON", "REQ", "RST"][Int(next() * 4)]), String(1 + Int(next() * 5)),
                              String(format: "%.6f", start + next() * 10), String(Int(next() * 260_000))]
                fields += (0..<27).map { _ in String(format: "%.6f", scale * next() * 3) }
                fields += [category == "Normal" ? "0" : "1", quoted(category), quoted(sub[i % sub.count])]
                text += fields.joined(separator: ",") + "\n"
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-bot-iot-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the README's 5-class command runs with cnn on a BoT-IoT-shaped file; label columns that give the binary label away are warned about")
    func readmeCommand() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let csv = try Self.file(), out = csv + ".out"
        defer { for p in [csv, out] { try? FileManager.default.removeItem(atPath: p) } }
        // The README's command with one balancing, one detector, one epoch.
        let run = try runner.run(["experiment", "--train", csv, "--label", "category",
                                  "--drop", "pkSeqID,stime,ltime,saddr,daddr,sport,dport,attack,subcategory",
                                  "--split", "holdout", "--test-fraction", "0.3", "--balance", "ros", "--models", "cnn:epochs=1",
                                  "--seeds", "1", "-o", out, "--json", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let dataset = try #require((results["datasets"] as? [[String: Any]])?.first)
        #expect(dataset["classNames"] as? [String] == ["DDoS", "DoS", "Normal", "Reconnaissance", "Theft"])
        let cells = try #require(dataset["cells"] as? [[String: Any]])
        #expect(cells.count == 2 && cells.allSatisfy { $0["error"] == nil }, "\(cells.map { $0["error"] ?? "" })")
        #expect(!run.stderr.contains("determines the class"), "\(run.stderr)")

        // For the 5-class label neither other label column determines it (UDP is DDoS or DoS; attack
        // is 1 for four categories), so inspect warns about none; for the binary label (`attack`)
        // both do, and inspect and train name them.
        let inspect = try runner.run(["inspect", csv, "--label", "category"])
        #expect(inspect.status == 0 && !inspect.stdout.contains("determines the class"), "\(inspect.stdout.prefix(800))")
        #expect(inspect.stdout.contains("dropped: pkSeqID (identifier); stime (timestamp); saddr (address)"), "\(inspect.stdout.prefix(400))")
        let inspectBinary = try runner.run(["inspect", csv, "--label", "attack"])
        #expect(inspectBinary.stdout.contains("warning: column 'category' determines the class: each of its 5 values occurs with one class only"),
                "\(inspectBinary.stdout.prefix(800))")
        let experiment = try runner.run(["experiment", "--train", csv, "--label", "attack", "--balance", "none", "--models", "dt",
                                         "--seeds", "1", "-o", out + "-binary", "-q"])
        defer { try? FileManager.default.removeItem(atPath: out + "-binary") }
        #expect(experiment.status == 0 && experiment.stdout.contains("\nwarning: column 'category' determines the class"),
                "the experiment's summary says it too: \(experiment.stdout.prefix(600))")
        #expect(experiment.stderr.contains("warning: dataset '") && experiment.stderr.contains("column 'subcategory' determines the class"),
                "and standard error, as the data is loaded: \(experiment.stderr)")
        let markdown = try String(contentsOfFile: out + "-binary/summary.md", encoding: .utf8)
        #expect(markdown.contains("- warning: column 'category' determines the class"))
        let balance = try runner.run(["balance", csv, "--label", "attack", "--method", "ros", "-o", out + "-balanced.csv", "-q"])
        defer { try? FileManager.default.removeItem(atPath: out + "-balanced.csv") }
        #expect(balance.status == 0 && balance.stderr.contains("column 'category' determines the class"), "\(balance.stderr)")
        let json = try runner.run(["inspect", csv, "--label", "attack", "--json", "-q"])
        let summary = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let proxies = try #require(summary["labelProxies"] as? [[String: Any]])
        #expect(proxies.compactMap { $0["column"] as? String } == ["category", "subcategory"])
        let binary = try runner.run(["train", csv, "--label", "attack", "--model", "dt", "-o", out + ".bundle", "-q"])
        #expect(binary.status == 0, "\(binary.stderr)")
        #expect(binary.stderr.contains("column 'subcategory' determines the class: each of its 8 values") && binary.stderr.contains("--drop category"),
                "\(binary.stderr)")
        try? FileManager.default.removeItem(atPath: out + ".bundle")
    }
}
