import ArgumentParser
import BallastData
import BallastEval
import Foundation

/// `ballast predict`: classify records with a saved model bundle.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict the class of each record with a model bundle; write class and probabilities as CSV.",
        discussion: """
            The records are read like the training data (NSL-KDD, or CSV with the same feature \
            columns in any order; extra columns are ignored; the label column is optional and copied \
            to the output). Categories unseen in training are mapped to the unknown bucket and counted.

            The file is read, scored and written in chunks of --chunk-rows records, so a file of any \
            size needs bounded memory; the output is the same whatever the chunk size, and it appears \
            only once every record is predicted (after an error, -o is untouched).

            Examples:
              ballast predict gbdt.bundle KDDTest+.txt -o predictions.csv
              ballast predict v.bundle new-flows.csv -o out.csv --json
            """
    )

    @Argument(help: "The model bundle (from `ballast train`).")
    var model: String

    @Argument(help: "The records to classify.")
    var file: String

    @Option(name: .shortAndLong, help: "The CSV file to write: predicted, p_<class>..., label (if known).")
    var output: String

    @Option(help: "Records read, scored and written at a time (memory grows with it).")
    var chunkRows = CSVChunkReader.defaultChunkRows

    @Flag(help: "Print a JSON summary instead of a table.")
    var json = false

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        guard (1...CSVChunkReader.maximumChunkRows).contains(chunkRows) else {
            throw ValidationError("--chunk-rows=\(chunkRows) is invalid: expected a whole number of records in 1...\(CSVChunkReader.maximumChunkRows)")
        }
        try refuseOverwritingInputs(outputs: [("-o", output)], inputs: [("<model>", model), ("<file>", file)])
    }

    func run() throws {
        progress.apply()
        try reportingErrors {
            let bundle = try ModelBundle.read(from: model)
            let bar = ProgressBar("predict")
            defer { bar.finish() }
            let prediction = try ErrorInFile.naming(file) {
                try bundle.predictStreaming(path: file, to: output, chunkRows: chunkRows) { fraction, rows in
                    if let fraction { bar.update(fraction, detail: "\(rows) records", eta: true) } else { bar.stage("\(rows) records") }
                }
            }
            bar.finish()
            Terminal.warnNonNumeric(prediction.nonNumericCells, in: file)
            if json {
                let object: [String: Any] = ["rows": prediction.rows, "output": output,
                                             "predicted": Dictionary(uniqueKeysWithValues: zip(bundle.classNames, prediction.counts)),
                                             "unseen_categories": prediction.unseenCategories]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
            } else {
                var table = TextTable(columns: [.init("predicted class", .left), .init("records")])
                for (name, n) in zip(bundle.classNames, prediction.counts) { table.append([name, "\(n)"]) }
                print(table.renderPlain(), terminator: "")
                for (column, n) in prediction.unseenCategories.sorted(by: { $0.key < $1.key }) {
                    print("note: \(n) values of '\(column)' were categories unseen in training")
                }
                print("wrote \(prediction.rows) predictions to \(output)")
            }
        }
    }
}
