import BallastCore
import BallastTestSupport
import Foundation
import Testing

/// `ballast train --model ssflow` with the three ways of giving unlabelled rows, and a supervised
/// detector given a labelled fraction.
@Suite("ballast train: unlabelled rows")
struct SemiSupervisedCommandTests {
    let runner = CommandRunner()
    static let model = "ssflow:epochs=2,rounds=1,widths=8,couplings=2"

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("--labelled-fraction keeps a stratified fraction of the labels; ssflow uses the rest, dt ignores it")
    func labelledFraction() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let train = try BalanceCommandTests.flows()
        let bundle = train + ".bundle"
        defer { for p in [train, bundle] { try? FileManager.default.removeItem(atPath: p) } }
        // 60 benign, 12 scan, 4 exfil: 12 + 2 + 1 keep their labels.
        let semi = try runner.run(["train", train, "--label", "label", "--model", Self.model, "--labelled-fraction", "0.2",
                                   "-o", bundle, "--json"])
        #expect(semi.status == 0, "\(semi.stderr)")
        let s = try json(semi.stdout)
        #expect(s["unlabelled_rows"] as? Int == 61 && s["used_unlabelled"] as? Bool == true, "\(s)")
        #expect(s["training_rows"] as? [Int] == [12, 1, 2], "\(s)")
        let evaluated = try runner.run(["evaluate", bundle, train])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")

        let tree = try runner.run(["train", train, "--label", "label", "--model", "dt", "--labelled-fraction", "0.2", "-o", bundle])
        #expect(tree.status == 0 && tree.stdout.contains("learned from the labelled rows only (61 unlabelled rows unused)"), "\(tree.stdout)")

        let bad = try runner.run(["train", train, "--label", "label", "--model", "dt", "--labelled-fraction", "1.5", "-o", bundle])
        #expect(bad.status == 64 && bad.stderr.contains("--labelled-fraction 1.5"), "\(bad.stderr)")
    }

    @Test("CSV rows with an empty label cell and an --unlabelled file are unlabelled rows")
    func emptyCellsAndFile() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let train = try BalanceCommandTests.flows()
        let extra = train + ".unlabelled.csv", bundle = train + ".bundle"
        defer { for p in [train, extra, bundle] { try? FileManager.default.removeItem(atPath: p) } }
        var lines = try String(contentsOfFile: train, encoding: .utf8).split(separator: "\n").map(String.init)
        // Blank the label of 30 benign rows (lines 1...30) and write 10 of them, without labels, to a file.
        var unlabelled = ["flow_id,proto,packets,bytes,urgent,rate"]
        for i in 1...30 {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[fields.count - 1] = ""
            lines[i] = fields.joined(separator: ",")
            if i <= 10 { unlabelled.append(fields.dropLast().joined(separator: ",")) }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: train, atomically: true, encoding: .utf8)
        try (unlabelled.joined(separator: "\n") + "\n").write(toFile: extra, atomically: true, encoding: .utf8)
        let out = try runner.run(["train", train, "--label", "label", "--model", Self.model, "--unlabelled", extra, "-o", bundle, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        let o = try json(out.stdout)
        #expect(o["unlabelled_rows"] as? Int == 40 && o["used_unlabelled"] as? Bool == true, "\(o)")
        #expect(o["training_rows"] as? [Int] == [30, 4, 12], "\(o)")

        // A supervised detector still refuses an empty label cell, naming the line.
        let tree = try runner.run(["train", train, "--label", "label", "--model", "dt", "-o", bundle])
        #expect(tree.status != 0 && tree.stderr.contains("line 2"), "\(tree.stderr)")
    }
}
