import Foundation

/// The result of `ballast validate`: per class (and for the whole files) the statistics table,
/// column shapes, pair trends, validity, detection and privacy; the utility test; the verdicts.
/// This is `report.json`; ``renderPlain()`` is the terminal summary and ``FidelityHTML`` the page.
public struct FidelityReport: Sendable, Equatable, Codable {
    /// The name of the group that compares every real row with every synthetic row.
    public static let allRowsGroup = "all rows"

    /// Ballast's version.
    public var ballastVersion: String
    /// The real file.
    public var realFile: String
    /// The synthetic file.
    public var syntheticFile: String
    /// Rows of the real file.
    public var realRows: Int
    /// Synthetic rows of the synthetic file (rows marked real excluded).
    public var syntheticRows: Int
    /// Rows of the synthetic file its marker column says are real (left out).
    public var markedRealRows: Int
    /// The real file's classes.
    public var classNames: [String]
    /// The classes validated.
    public var classes: [String]
    /// The feature columns.
    public var columns: [FidelityColumn]
    /// One entry per validated class, then the whole files.
    public var groups: [GroupFidelity]
    /// The utility test, when run.
    public var utility: UtilityTest?
    /// The targets the verdicts use.
    public var targets: FidelityTargets
    /// How the validation was configured.
    public var settings: FidelityValidator
    /// Things a reader should know (leaking test rows, skipped parts, caps applied).
    public var warnings: [String]
    /// Wall time of the validation, seconds.
    public var seconds: Double
    /// Wall time per part (preprocessing, column shapes, pair trends, detection, …), seconds, summed
    /// over the groups; the groups and the utility test run side by side, so parts overlap.
    public var partSeconds: [String: Double]
    /// The seed the caller drew the random stream from, when it says.
    public var seed: UInt64?

    /// Whether every validated class passes.
    public var passed: Bool {
        let verdicts = groups.compactMap(\.verdict)
        return !verdicts.isEmpty && verdicts.allSatisfy(\.passed)
    }

    /// A number in at most 3 decimals (`0.912`, `12.5`, `1.2e-05`), for tables and messages.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        if x != 0 && abs(x) < 0.001 { return String(format: "%.1e", x) }
        if abs(x) >= 1000 { return String(format: "%.0f", x) }
        var text = String(format: "%.3f", x)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// An optional number, `–` when absent.
    static func number(_ x: Double?) -> String { x.map { number($0) } ?? "–" }

    /// The terminal summary: one line per class (shape and pair scores, KS, detection AUC, DCR
    /// ratio, new rows, verdict), the whole files, the utility test and the overall verdict.
    public func renderPlain() -> String {
        var text = "real: \(realFile) (\(realRows) rows) · synthetic: \(syntheticFile) (\(syntheticRows) synthetic rows"
        text += markedRealRows > 0 ? "; \(markedRealRows) rows marked real left out)\n" : ")\n"
        let detector = groups.lazy.compactMap { $0.detection?.models.first?.model }.first ?? "detector"
        var table = TextTable(columns: [
            .init("group", .left), .init("real"), .init("synthetic"), .init("shapes"), .init("pairs"), .init("median KS"),
            .init("worst KS", .left), .init("AUC \(detector)"), .init("DCR ratio"), .init("new rows"), .init("verdict", .left),
        ])
        for group in groups {
            let s = group.summary
            if group.className == nil { table.appendSeparator() }
            table.append([s.group, "\(s.realRows)", "\(s.syntheticRows)", Self.number(s.shapeScore), Self.number(s.pairScore),
                          Self.number(s.medianKS), s.worstKS.map { Self.number($0) + " (\(s.worstKSColumn ?? "?"))" } ?? "–",
                          Self.number(s.detectionAUC), Self.number(s.dcrRatio), Self.number(s.newRowSynthesis), s.verdict ?? ""])
        }
        text += table.renderPlain()
        text += "shapes, pairs: SDMetrics' Column Shapes and Column Pair Trends scores (1 = same); AUC ≈ 0.5: "
            + "indistinguishable; DCR ratio ≈ 1: as far from real rows as unseen real rows are, ≪ 1: near-copies; "
            + "new rows: SDMetrics' NewRowSynthesis\n"
        if let u = utility {
            text += "utility (\(u.model), test: \(u.testSet)): macro-F1 TRTR \(Self.number(u.trtr.macroF1)) · "
                + "TSTR \(Self.number(u.tstr.macroF1)) · real+synthetic \(Self.number(u.augmented.macroF1))\n"
            for name in u.syntheticClasses {
                guard let c = u.classNames.firstIndex(of: name) else { continue }
                text += "  recall \(name): TRTR \(Self.number(u.trtr.recall[c])) · TSTR \(Self.number(u.tstr.recall[c]))"
                    + " · real+synthetic \(Self.number(u.augmented.recall[c]))\n"
            }
        }
        for warning in warnings { text += "warning: \(warning)\n" }
        let failing = groups.filter { $0.verdict?.passed == false }
        if failing.isEmpty {
            text += passed ? "verdict: pass (every class meets the targets)\n" : ""
        } else {
            text += "verdict: fail — " + failing.map { g in
                g.name + ": " + (g.verdict?.failures.map(\.reason).joined(separator: ", ") ?? "")
            }.joined(separator: "; ") + "\n"
        }
        return text
    }

    /// The report as JSON (sorted keys, pretty-printed).
    /// - Throws: encoding errors (not expected: every number is finite or absent).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
