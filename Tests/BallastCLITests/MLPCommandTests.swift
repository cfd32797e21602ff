import BallastTestSupport
import Foundation
import Testing

/// `ballast train --model mlp` as a user runs it.
@Suite("ballast train --model mlp")
struct MLPCommandTests {
    let runner = CommandRunner()

    @Test("train --model mlp writes a bundle that evaluate reads; --help lists mlp with its parameters")
    func trainMLP() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let help = try runner.run(["train", "--help"])
        for text in ["mlp, dnn", "widths=256x128", "batch-norm=false", "patience=5", "--model mlp:widths=256x128"] {
            #expect(help.stdout.contains(text), "train --help lacks \(text)")
        }
        let train = try BalanceCommandTests.flows()
        let bundle = train + ".mlp.bundle"
        defer { for p in [train, bundle] { try? FileManager.default.removeItem(atPath: p) } }
        let trained = try runner.run(["train", train, "--label", "label", "--model", "mlp:widths=16x8,epochs=15,batch=16",
                                      "--class-weight", "balanced", "-o", bundle, "--seed", "3", "--json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any])
        #expect((object["model"] as? String)?.hasPrefix("mlp:") == true)
        #expect(!trained.stderr.contains("\u{1B}[") && !trained.stderr.contains("\r"), "piped: no progress bar expected, got \(trained.stderr)")
        let evaluated = try runner.run(["evaluate", bundle, train])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.contains("confusion matrix"))
        let again = try runner.run(["train", train, "--label", "label", "--model", "mlp:widths=16x8,epochs=15,batch=16",
                                    "--class-weight", "balanced", "-o", bundle + "2", "--seed", "3", "--json"])
        defer { try? FileManager.default.removeItem(atPath: bundle + "2") }
        #expect(again.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: bundle)) == Data(contentsOf: URL(fileURLWithPath: bundle + "2")),
                "the same seed must give the same bundle")
        let bad = try runner.run(["train", train, "--label", "label", "--model", "mlp:widths=16xx8", "-o", bundle])
        #expect(bad.status != 0 && bad.stderr.contains("widths"))
    }
}
