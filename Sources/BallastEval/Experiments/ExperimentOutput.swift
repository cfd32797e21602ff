import BallastData
import Foundation

/// Writes an experiment's output files into its directory, each atomically (temporary file, then
/// rename): `results.json` (every number), `results.csv`, `summary.md` and `report.html`.
public enum ExperimentOutput {
    /// The files written, in order.
    public static let fileNames = ["results.json", "results.csv", "summary.md", "report.html"]

    /// Writes every output file.
    /// - Throws: ``DataError`` when a file cannot be written.
    public static func write(_ results: ExperimentResults, to directory: String) throws {
        try writeReadable(results, to: directory)
        try writeJSON(results, to: directory)
    }

    /// Writes `results.csv`, `summary.md` and `report.html` (everything but `results.json`, which
    /// the runner writes last so that its total time includes writing these).
    /// - Throws: ``DataError`` when a file cannot be written.
    public static func writeReadable(_ results: ExperimentResults, to directory: String) throws {
        try AtomicFile.write(Data(results.csv().utf8), to: path(directory, "results.csv"))
        try AtomicFile.write(Data(results.markdownSummary().utf8), to: path(directory, "summary.md"))
        try AtomicFile.write(Data(ExperimentReport(results: results).html().utf8), to: path(directory, "report.html"))
    }

    /// Writes `results.json` (pretty-printed, keys sorted).
    /// - Throws: ``DataError`` when the file cannot be written.
    public static func writeJSON(_ results: ExperimentResults, to directory: String) throws {
        try AtomicFile.write(Data(json(results).utf8), to: path(directory, "results.json"))
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
