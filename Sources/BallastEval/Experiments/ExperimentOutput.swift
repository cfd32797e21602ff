import BallastData
import Foundation

/// Writes an experiment's output files into its directory, each atomically (temporary file, then
/// rename): `results.json` (every number), `results.csv`, `summary.md` and `report.html`.
///
/// The report of an unfinished run (`--report-only`) goes to the same names with
/// ``partialPrefix`` (`partial-report.html`, …), so that it never replaces, or races with, the
/// outputs the run writes when it finishes; the finished run removes them.
public enum ExperimentOutput {
    /// The files written, in order.
    public static let fileNames = ["results.json", "results.csv", "summary.md", "report.html"]
    /// What the names of an unfinished run's report start with.
    public static let partialPrefix = "partial-"

    /// Writes every output file, each name preceded by `prefix`.
    /// - Throws: ``DataError`` when a file cannot be written.
    public static func write(_ results: ExperimentResults, to directory: String, prefix: String = "") throws {
        try writeReadable(results, to: directory, prefix: prefix)
        try writeJSON(results, to: directory, prefix: prefix)
    }

    /// Writes `results.csv`, `summary.md` and `report.html` (everything but `results.json`, which
    /// the runner writes last so that its total time includes writing these).
    /// - Throws: ``DataError`` when a file cannot be written.
    public static func writeReadable(_ results: ExperimentResults, to directory: String, prefix: String = "") throws {
        try AtomicFile.write(Data(results.csv().utf8), to: path(directory, prefix + "results.csv"))
        try AtomicFile.write(Data(results.markdownSummary().utf8), to: path(directory, prefix + "summary.md"))
        try AtomicFile.write(Data(ExperimentReport(results: results).html().utf8), to: path(directory, prefix + "report.html"))
    }

    /// Writes `results.json` (pretty-printed, keys sorted).
    /// - Throws: ``DataError`` when the file cannot be written.
    public static func writeJSON(_ results: ExperimentResults, to directory: String, prefix: String = "") throws {
        try AtomicFile.write(Data(json(results).utf8), to: path(directory, prefix + "results.json"))
    }

    /// Removes the report of the run while it was unfinished (regular files only), once the run
    /// has written its own outputs.
    static func removePartial(in directory: String) {
        for name in fileNames {
            let file = path(directory, partialPrefix + name)
            let type = (try? FileManager.default.attributesOfItem(atPath: file))?[.type] as? FileAttributeType
            if type == .typeRegular { try? FileManager.default.removeItem(atPath: file) }
        }
    }

    /// `results.json`'s text.
    public static func json(_ results: ExperimentResults) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(results)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func path(_ directory: String, _ name: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }
}
