import BallastTestSupport
import Foundation
import Testing

/// Issue 18, defect 8: `train`, `evaluate`, `predict` and `inspect` read a numeric column with a
/// few cells that are not numbers the same way — numeric, those cells missing — and say so with
/// the rows.
@Suite("a numeric column with a few text cells, through the CLI")
struct StrayCellsCommandTests {
    let runner = CommandRunner()

    /// The flows of ``BalanceCommandTests/flows()`` with `abc` in the packets column of data row 5.
    static func flowsWithStrayCell() throws -> String {
        let path = try BalanceCommandTests.flows()
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[5].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[2] = "abc"
        lines[5] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("every command keeps the column numeric, warns with the row, and train/evaluate agree")
    func sameEverywhere() throws {
        let runner = try #require(runner, "the ballast executable was not built")
        let flows = try Self.flowsWithStrayCell(), bundle = flows + ".bundle", predictions = flows + ".pred.csv"
        defer { for p in [flows, bundle, predictions] { try? FileManager.default.removeItem(atPath: p) } }

        let inspect = try runner.run(["inspect", flows, "--label", "label"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("column 'packets' is numeric but 1 of its 76 values are not numbers (row 5: 'abc')"), "\(inspect.stdout)")
        let packets = inspect.stdout.split(separator: "\n").first { $0.hasPrefix("packets ") }.map(String.init) ?? ""
        #expect(packets.contains("integer") && !packets.contains("categorical"), "\(packets)")

        let json = try runner.run(["inspect", flows, "--label", "label", "--json"])
        #expect(json.stdout.contains("\"nonNumericCells\""), "\(json.stdout)")

        let train = try runner.run(["train", flows, "--label", "label", "--model", "dt", "-o", bundle])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("warning: \(flows): column 'packets'") && train.stderr.contains("row 5: 'abc'"), "\(train.stderr)")

        let evaluate = try runner.run(["evaluate", bundle, flows])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        #expect(evaluate.stderr.contains("row 5: 'abc'"), "\(evaluate.stderr)")

        let predict = try runner.run(["predict", bundle, flows, "-o", predictions])
        #expect(predict.status == 0, "\(predict.stderr)")
        #expect(predict.stderr.contains("row 5: 'abc'"), "\(predict.stderr)")
    }
}
