import BallastTestSupport
import Foundation
import Testing

/// Hostile inputs and outputs from probing the CLI (issue 18): each ends in a message and a
/// documented exit status, never a crash, a hang or a destroyed file.
@Suite("ballast under hostile inputs")
struct HardeningCommandTests {
    let runner = CommandRunner()

    static func temporary(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ballast-hard-\(UUID().uuidString)\(suffix)").path
    }

    /// A bundle of `model` trained on the flows of ``BalanceCommandTests/flows()``.
    func trainedBundle(_ runner: CommandRunner, model: String) throws -> (bundle: String, flows: String) {
        let flows = try BalanceCommandTests.flows(), bundle = Self.temporary(".bundle")
        let out = try runner.run(["train", flows, "--label", "label", "--model", model, "-o", bundle])
        try #require(out.status == 0, "\(out.stderr)")
        return (bundle, flows)
    }

    @Test("a kNN bundle whose row count exceeds its storage, re-signed, exits 65 naming the field")
    func craftedBundle() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let (bundle, flows) = try trainedBundle(runner, model: "knn:k=3")
        defer { for p in [bundle, flows, flows + ".pred.csv"] { try? FileManager.default.removeItem(atPath: p) } }
        let lines = try Data(contentsOf: URL(fileURLWithPath: bundle)).split(separator: UInt8(ascii: "\n"), maxSplits: 2)
        var payload = String(decoding: lines[2], as: UTF8.self)
        let rows = try #require(payload.range(of: #""rows":[0-9]+"#, options: .regularExpression))
        payload.replaceSubrange(rows, with: #""rows":1099511627776"#)
        let digest = try Self.sha256(payload)
        let text = String(decoding: lines[0], as: UTF8.self) + "\nsha256 \(digest)\n" + payload
        try text.write(toFile: bundle, atomically: true, encoding: .utf8)
        let out = try runner.run(["predict", bundle, flows, "-o", flows + ".pred.csv"])
        #expect(out.status == 65, "\(out.stderr)")
        #expect(out.stderr.contains("features.rows"), "\(out.stderr)")
    }

    static func sha256(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try input.fileHandleForWriting.close()
        let digest = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: digest, as: UTF8.self).prefix(64))
    }

    @Test("an output naming an input is refused with exit 64 and the input left as it was")
    func outputOverInput() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let (bundle, flows) = try trainedBundle(runner, model: "dt")
        let link = Self.temporary(".csv")
        defer { for p in [bundle, flows, link] { try? FileManager.default.removeItem(atPath: p) } }
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: flows)
        let flowsBefore = try Data(contentsOf: URL(fileURLWithPath: flows))
        let bundleBefore = try Data(contentsOf: URL(fileURLWithPath: bundle))
        let runs = [
            ["balance", flows, "--label", "label", "--method", "ros", "-o", flows],
            ["balance", flows, "--label", "label", "--method", "ros", "-o", link],
            ["predict", bundle, flows, "-o", bundle],
            ["predict", bundle, flows, "-o", flows],
            ["train", flows, "--label", "label", "--model", "dt", "-o", flows],
        ]
        for arguments in runs {
            let out = try runner.run(arguments)
            #expect(out.status == 64, "\(arguments): \(out.stderr)")
            #expect(out.stderr.contains("same file"), "\(arguments): \(out.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: flows)) == flowsBefore)
        #expect(try Data(contentsOf: URL(fileURLWithPath: bundle)) == bundleBefore)
    }

    @Test("a CSV piped to standard input is read whole: no sniffed bytes are lost")
    func pipedInput() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        var text = "proto,bytes,rate,label\n"
        for i in 0..<600 { text += "\(["tcp", "udp"][i % 2]),\(i * 37 % 1000),0.\(i % 10),\(i % 5 == 0 ? "scan" : "benign")\n" }
        #expect(text.utf8.count > 2 * 4096)
        let out = try runner.run(["inspect", "/dev/stdin", "--label", "label", "--json"], input: Data(text.utf8))
        #expect(out.status == 0, "\(out.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        #expect(object?["rows"] as? Int == 600, "\(out.stdout.prefix(200))")
    }

    @Test("requests too big for memory exit 64 with the number, before allocating")
    func oversizedRequests() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows(), output = Self.temporary(".csv")
        defer { for p in [flows, output] { try? FileManager.default.removeItem(atPath: p) } }
        let runs: [([String], String)] = [
            (["demo", "--rows", "999999999999", "-o", Self.temporary("")], "999999999999"),
            (["balance", flows, "--label", "label", "--method", "smote:k=3", "--strategy", "scan=9000000000000000000", "-o", output],
             "9000000000000000000"),
            (["train", flows, "--label", "label", "--model", "mlp:widths=65536x65536x65536", "-o", output], "65536x65536x65536"),
        ]
        for (arguments, number) in runs {
            let out = try runner.run(arguments)
            #expect(out.status == 64, "\(arguments): \(out.stderr)")
            #expect(out.stderr.contains(number) && out.stderr.contains("memory"), "\(arguments): \(out.stderr)")
        }
    }

    @Test("-o /dev/stdout writes the records to standard output and leaves /dev/stdout alone")
    func devStdout() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows()
        defer { try? FileManager.default.removeItem(atPath: flows) }
        let out = try runner.run(["balance", flows, "--label", "label", "--method", "ros", "-o", "/dev/stdout"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("proto,packets,bytes,urgent,rate,label\n"), "\(out.stdout.prefix(200))")
        #expect(out.stdout.split(separator: "\n").count > 180)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "/dev/stdout")) != nil, "/dev/stdout is no longer a link")
    }

    @Test("--version is the version written into bundles")
    func version() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let (bundle, flows) = try trainedBundle(runner, model: "dt")
        defer { for p in [bundle, flows] { try? FileManager.default.removeItem(atPath: p) } }
        let version = try runner.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = try String(contentsOfFile: bundle, encoding: .utf8)
        #expect(!version.isEmpty && text.contains(#""ballastVersion":"\#(version)""#), "--version says \(version)")
    }

    /// `serve` is the one asynchronous subcommand: through a synchronous entry point ArgumentParser
    /// prints its help and exits 0 instead of running it.
    @Test("serve runs (a missing --model is an error naming it), not its help with exit 0")
    func serveRuns() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let data = Self.temporary("-serve")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let missing = Self.temporary("-missing.bundle")
        let result = try runner.run(["serve", "--model", missing, "--data-dir", data, "--port", "0"])
        #expect(result.status != 0, "exit \(result.status); stdout: \(result.stdout.prefix(200))")
        #expect(!result.stdout.contains("USAGE:"), "printed its help instead of running")
        #expect(result.stderr.contains(missing), "stderr: \(result.stderr)")
    }

    @Test("evaluate with no row of a known label exits 65; rus *=0 exits 65 and writes nothing")
    func emptyOutcomes() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let (bundle, flows) = try trainedBundle(runner, model: "dt")
        let worms = Self.temporary(".csv"), output = Self.temporary(".csv")
        defer { for p in [bundle, flows, worms, output] { try? FileManager.default.removeItem(atPath: p) } }
        let text = try String(contentsOfFile: flows, encoding: .utf8)
        try text.replacingOccurrences(of: #",(benign|scan|exfil)\n"#, with: ",worm\n", options: .regularExpression)
            .write(toFile: worms, atomically: true, encoding: .utf8)
        let evaluated = try runner.run(["evaluate", bundle, worms])
        #expect(evaluated.status == 65 && evaluated.stderr.contains("worm"), "\(evaluated.status): \(evaluated.stderr)")
        let balanced = try runner.run(["balance", flows, "--label", "label", "--method", "rus", "--strategy", "*=0", "-o", output])
        #expect(balanced.status == 65 && balanced.stderr.contains("no rows"), "\(balanced.status): \(balanced.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a model trained with --delimiter ';' reads new records with it; a missing column names the file")
    func delimiterAndSchemaErrors() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows()
        let semicolons = Self.temporary(".csv"), bundle = Self.temporary(".bundle"), output = Self.temporary(".csv")
        let narrow = Self.temporary(".csv")
        defer { for p in [flows, semicolons, bundle, output, narrow] { try? FileManager.default.removeItem(atPath: p) } }
        let text = try String(contentsOfFile: flows, encoding: .utf8)
        try text.replacingOccurrences(of: ",", with: ";").write(toFile: semicolons, atomically: true, encoding: .utf8)
        let trained = try runner.run(["train", semicolons, "--label", "label", "--delimiter", ";", "--model", "dt", "-o", bundle])
        try #require(trained.status == 0, "\(trained.stderr)")
        let predicted = try runner.run(["predict", bundle, semicolons, "-o", output])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(2).joined(separator: ";") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: narrow, atomically: true, encoding: .utf8)
        let evaluated = try runner.run(["evaluate", bundle, narrow])
        #expect(evaluated.status == 65 && evaluated.stderr.contains("error: \(narrow): "), "\(evaluated.status): \(evaluated.stderr)")
    }

    @Test("--label N names the Nth column of a file without a header, for train and evaluate")
    func positionalLabel() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows()
        let headerless = Self.temporary(".csv"), bundle = Self.temporary(".bundle")
        defer { for p in [flows, headerless, bundle] { try? FileManager.default.removeItem(atPath: p) } }
        let text = try String(contentsOfFile: flows, encoding: .utf8)
        try String(text.drop { $0 != "\n" }.dropFirst()).write(toFile: headerless, atomically: true, encoding: .utf8)
        let trained = try runner.run(["train", headerless, "--label", "7", "--model", "dt", "-o", bundle])
        #expect(trained.status == 0, "\(trained.stderr)")
        let evaluated = try runner.run(["evaluate", bundle, headerless])
        #expect(evaluated.status == 0 && evaluated.stdout.contains("exfil"), "\(evaluated.stderr)")
        let wrong = try runner.run(["train", headerless, "--label", "9", "--model", "dt", "-o", bundle])
        #expect(wrong.status == 65 && wrong.stderr.contains("1...7"), "\(wrong.stderr)")
    }

    @Test("records with NaN or infinity that train accepts, evaluate and predict accept too (one policy)")
    func nonFinitePolicy() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try BalanceCommandTests.flows(), bundle = Self.temporary(".bundle"), output = Self.temporary(".csv")
        defer { for p in [flows, bundle, output] { try? FileManager.default.removeItem(atPath: p) } }
        var lines = try String(contentsOfFile: flows, encoding: .utf8).split(separator: "\n").map(String.init)
        for (i, value) in [(3, "nan"), (9, "inf")] {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[5] = value
            lines[i] = fields.joined(separator: ",")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: flows, atomically: true, encoding: .utf8)
        let trained = try runner.run(["train", flows, "--label", "label", "--model", "dt", "-o", bundle])
        try #require(trained.status == 0, "\(trained.stderr)")
        let evaluated = try runner.run(["evaluate", bundle, flows])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let predicted = try runner.run(["predict", bundle, flows, "-o", output])
        #expect(predicted.status == 0, "\(predicted.stderr)")
    }
}
