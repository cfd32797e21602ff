import ArgumentParser
import BallastData
import BallastEval
import Foundation

/// `ballast evaluate`: score a saved model bundle on labelled records.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model bundle on a labelled test set: per-class recall first, averages, confusion matrix.",
        discussion: """
            Rows whose label the model never saw are left out of the metrics and listed.

            Examples:
              ballast evaluate gbdt.bundle ../shared/datasets/nsl-kdd/KDDTest+.txt
              ballast evaluate v.bundle test.csv --json
            """
    )

    @Argument(help: "The model bundle (from `ballast train`).")
    var model: String

    @Argument(help: "The labelled test records.")
    var test: String

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        progress.apply()
        try reportingErrors {
            let bundle = try ModelBundle.read(from: model)
            let bar = ProgressBar("evaluate", json: json)
            let evaluation = try bar.showingWork { () throws -> BundleEvaluation in
                bar.stage("reading \(test)")
                let records = try ErrorInFile.naming(test) { try bundle.readRecords(path: test) }
                Terminal.warnNonNumeric(records.nonNumericCells, in: test)
                guard let labels = records.labels else {
                    let column = bundle.options.labelColumn ?? "label"
                    throw ValidationFailure("\(test) has no label column '\(column)': evaluation needs labelled records (use `ballast predict` for unlabelled ones)")
                }
                return try ErrorInFile.naming(test) { try bundle.evaluate(records.features, labels: labels) }
            }
            bar.finish()
            if json {
                print(String(decoding: try evaluation.jsonData(), as: UTF8.self))
            } else {
                print("model: \(bundle.options.model)" + (bundle.options.balance.map { "  balance: \($0)" } ?? "")
                      + "  trained on: \(bundle.training.source)")
                print(evaluation.renderPlain(), terminator: "")
            }
        }
    }
}
