import BallastCore
import BallastTestSupport
import Foundation
import Testing

/// `ballast train --model cnn|cnn-lstm` on a labelled CSV as a user runs it, and a bundle whose CNN
/// weights were tampered with (checksum recomputed) refused with a clear message.
@Suite("ballast train --model cnn, cnn-lstm")
struct CNNCommandTests {
    let runner = CommandRunner()

    @Test("train --model cnn-lstm writes a bundle that evaluate and predict read; --help lists both detectors")
    func trainCNN() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let help = try runner.run(["train", "--help"])
        for text in ["cnn, cnn1d", "cnn-lstm", "filters=32x64", "bidirectional=false"] {
            #expect(help.stdout.contains(text), "train --help lacks \(text)")
        }
        let train = try BalanceCommandTests.flows()
        let bundle = train + ".cnn.bundle", predictions = train + ".pred.csv"
        defer { for p in [train, bundle, predictions] { try? FileManager.default.removeItem(atPath: p) } }
        let trained = try runner.run(["train", train, "--label", "label", "--model",
                                      "cnn-lstm:filters=4x8,hidden=4,bidirectional=true,dense=8,epochs=4,batch=16",
                                      "--class-weight", "balanced", "-o", bundle, "--seed", "3", "--json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(!trained.stderr.contains("\u{1B}[") && !trained.stderr.contains("\r"), "piped: no progress bar expected, got \(trained.stderr)")
        let evaluated = try runner.run(["evaluate", bundle, train])
        #expect(evaluated.status == 0 && evaluated.stdout.contains("confusion matrix"), "\(evaluated.stderr)")
        let predicted = try runner.run(["predict", bundle, train, "-o", predictions])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        #expect(try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n").count == 1 + 76)

        // Replace a weight tensor with one of another shape and re-sign the payload.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle))
        let parts = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        var payload = try #require(JSONSerialization.jsonObject(with: Data(parts[2])) as? [String: Any])
        var model = try #require(payload["model"] as? [String: Any])
        var inner = try #require(model["model"] as? [String: Any])
        inner["filters"] = [5, 8]
        model["model"] = inner
        payload["model"] = model
        let altered = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        var file = Data(parts[0]) + Data("\n".utf8) + Data("sha256 \(SHA256.hex(altered))\n".utf8)
        file.append(altered)
        try file.write(to: URL(fileURLWithPath: bundle))
        let refused = try runner.run(["evaluate", bundle, train])
        #expect(refused.status == 65 && refused.stderr.contains("conv.0.weight"), "\(refused.status) \(refused.stderr)")
    }
}
