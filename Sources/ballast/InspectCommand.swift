import ArgumentParser
import BallastData
import BallastEval
import Foundation

/// Options that say how to read a labelled dataset, shared by every command that loads one.
struct DatasetOptions: ParsableArguments {
    @Option(help: "Dataset format: nsl-kdd or csv (default: detected from the file).")
    var format: DatasetFormat?

    @Option(help: "The class column of a CSV file.")
    var label: String?

    @Option(name: .customLong("label-mode"), help: "NSL-KDD labels: 5class, binary or attack.")
    var labelMode: NSLKDD.LabelMode = .fiveClass

    @Option(help: "Comma-separated CSV columns to drop (identifiers, addresses and timestamps are dropped anyway).")
    var drop: String?

    @Option(help: "CSV field delimiter (one character).")
    var delimiter: String = ","

    func validate() throws {
        guard delimiter.utf8.count == 1, let d = delimiter.utf8.first, d != UInt8(ascii: "\""), d < 128 else {
            throw ValidationError("--delimiter must be one ASCII character other than a double quote, got '\(delimiter)'")
        }
    }

    /// A loader configured from these options.
    func loader(nonFinite: CSVOptions.NonFinitePolicy) -> DatasetLoader {
        let drops = drop.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
        return DatasetLoader(format: format, label: label, labelMode: labelMode, drop: drops,
                             csvOptions: CSVOptions(delimiter: delimiter.utf8.first ?? UInt8(ascii: ","), nonFinite: nonFinite))
    }
}

extension DatasetFormat: ExpressibleByArgument {}
extension NSLKDD.LabelMode: ExpressibleByArgument {}

/// `ballast inspect`: what is in a dataset before anything is trained on it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarize a labelled dataset: columns and types, class imbalance, missing and invalid values.",
        discussion: """
            Examples:
              ballast inspect ../shared/datasets/nsl-kdd/KDDTrain+.txt
              ballast inspect flows.csv --label Label --drop "Flow ID"
              ballast inspect KDDTest+.txt --format nsl-kdd --label-mode attack --json
            """
    )

    @Argument(help: "The dataset file.")
    var file: String

    @OptionGroup var dataset: DatasetOptions

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        progress.apply()
        try reportingErrors {
            let bar = ProgressBar("inspect", json: json)
            let (loaded, summary) = try bar.showingWork {
                bar.stage("reading \(file)")
                let loaded = try dataset.loader(nonFinite: .treatAsMissing).load(path: file)
                bar.stage("summarizing \(loaded.data.rowCount) rows")
                return (loaded, DatasetSummary(loaded.data, invalidCounts: loaded.nonFiniteCounts,
                                               droppedColumns: loaded.dropped.map(\.description), nonNumericCells: loaded.nonNumericCells))
            }
            bar.finish()
            if json {
                print(String(decoding: try summary.jsonData(), as: UTF8.self))
            } else {
                print("format: \(loaded.format.rawValue)")
                print(summary.renderPlain(), terminator: "")
            }
        }
    }
}
