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

    @Flag(help: "Print a JSON summary instead of a table.")
    var json = false

    func validate() throws {
        try refuseOverwritingInputs(outputs: [("-o", output)], inputs: [("<model>", model), ("<file>", file)])
    }

    func run() throws {
        try reportingErrors {
            let bundle = try ModelBundle.read(from: model)
            let (records, prediction) = try ErrorInFile.naming(file) {
                let records = try bundle.readRecords(path: file)
                Terminal.warnNonNumeric(records.nonNumericCells, in: file)
                return (records, try bundle.predict(records.features))
            }
            try CSVWriter.write(prediction.table(truth: records.labels), to: output)
            if json {
                let object: [String: Any] = ["rows": prediction.labels.count, "output": output,
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
                print("wrote \(prediction.labels.count) predictions to \(output)")
            }
        }
    }
}
