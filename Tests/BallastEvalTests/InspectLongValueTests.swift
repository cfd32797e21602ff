import BallastData
import BallastEval
import Testing

/// `inspect` on a categorical value of hundreds of kilobytes (issue 18, defect 6): the text table
/// shows it shortened, so every line stays readable (and rendering no longer pads every row to it).
@Suite("Inspect with long values")
struct InspectLongValueTests {
    @Test("a 200 KB category is shown shortened; the JSON keeps it whole")
    func longCategory() throws {
        let long = String(repeating: "x", count: 200_000)
        let features = Table(columns: [
            TableColumn(name: "payload", values: .categorical(codes: [0, 0, 1], categories: [long, "short"])),
            TableColumn(name: "bytes", values: .numeric([1, 2, 3])),
        ])
        let summary = DatasetSummary(LabeledTable(features: features, labels: [0, 1, 0], classNames: ["a", "b"], source: "t"))
        let text = summary.renderPlain()
        #expect(text.split(separator: "\n").allSatisfy { $0.count < 200 }, "a line of \(text.split(separator: "\n").map(\.count).max() ?? 0) characters")
        #expect(text.contains(String(repeating: "x", count: 39) + "… (2)"))
        #expect(String(decoding: try summary.jsonData(), as: UTF8.self).contains(long))
    }
}
