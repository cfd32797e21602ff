import ArgumentParser
import BallastData
import BallastEval
import BallastLearn
import Foundation

/// `ballast train`: fit preprocessing, optional rebalancing and a detector; save a model bundle.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a detector (optionally on rebalanced data) and save it as a model bundle.",
        discussion: """
            The bundle holds the fitted preprocessing, the model, the class names, a fingerprint of \
            the training data and these options, with a checksum. Use it with `ballast predict` and \
            `ballast evaluate`.

            Models (NAME:key=value,...):
            \(TrainCommand.modelList)

            Examples:
              ballast train KDDTrain+.txt --model gbdt -o gbdt.bundle
              ballast train KDDTrain+.txt --model dt --balance smote -o dt-smote.bundle
              ballast train KDDTrain+.txt --model rf:trees=200 --class-weight balanced -o rf.bundle
              ballast train KDDTrain+.txt --model mlp:widths=256x128,epochs=20,dropout=0.2 -o mlp.bundle
              ballast train flows.csv --label Label --model vote --balance 'smote+kmeans-under' --strategy '*=20000' -o v.bundle
              ballast train KDDTrain+.txt --model ssflow --labelled-fraction 0.05 -o ssflow.bundle
              ballast train flows.csv --label Label --model ssflow --unlabelled capture.csv -o ssflow.bundle

            Semi-supervised detectors (ssflow) also learn from unlabelled rows: the rows hidden by \
            --labelled-fraction, an --unlabelled file (its label column, if any, is ignored), and CSV \
            rows whose label cell is empty. Supervised detectors see only the labelled rows.
            """
    )

    static var modelList: String { catalogListing(Catalog.classifiers) }

    /// The feature columns of an `--unlabelled` file: NSL-KDD records (labels ignored), or a CSV
    /// whose columns include the training features (a label column and any other column are ignored).
    /// - Throws: ``DataError`` naming the file and a missing column.
    static func unlabelledTable(path: String, loader: DatasetLoader, columns: [String]) throws -> Table {
        let format = try loader.format ?? DatasetFormat.detect(path: path)
        if format == .nslKDD {
            var plain = loader
            plain.format = .nslKDD
            return try plain.load(path: path).data.features
        }
        let table = try CSVReader.read(contentsOf: path, options: loader.csvOptions).table
        return Table(columns: try columns.map { name in
            guard let column = table.column(named: name) else {
                throw DataError(.missingColumn, "\(path): the unlabelled rows have no column '\(name)' (a feature of the training data)")
            }
            return column
        })
    }


    @Argument(help: "The labelled training dataset (NSL-KDD or CSV).")
    var train: String

    @OptionGroup var dataset: DatasetOptions

    @Option(help: "The detector, e.g. dt, rf:trees=200, gbdt:rounds=200, lr, knn, vote, mlp:widths=256x128 (see above).")
    var model: String

    @Option(help: "Rebalance the training data first, e.g. smote or smote+kmeans-under (see `ballast balance --help`).")
    var balance: String?

    @Option(help: "The rebalancing strategy (see `ballast balance --help`).")
    var strategy: String?

    @Option(name: .customLong("class-weight"), help: "Class weights: balanced, or explicit CLASS_INDEX:WEIGHT;...")
    var classWeight: String?

    @Option(name: .customLong("labelled-fraction"),
            help: "Keep the labels of this stratified fraction of the training rows (at least one per class), in (0, 1]; the rest are unlabelled.")
    var labelledFraction: Double?

    @Option(help: "Unlabelled rows (same columns as the training data; a label column is ignored) for semi-supervised detectors.")
    var unlabelled: String?

    @Option(help: "Random seed (printed with the results).")
    var seed: UInt64 = 42

    @Option(name: .shortAndLong, help: "The model bundle to write.")
    var output: String

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if strategy != nil && balance == nil { throw ValidationError("--strategy needs --balance") }
        if let f = labelledFraction, !(f > 0 && f <= 1) {
            throw ValidationError("--labelled-fraction \(f): expected a fraction in (0, 1]")
        }
        try refuseOverwritingInputs(outputs: [("-o", output)], inputs: [("<train>", train)] + (unlabelled.map { [("--unlabelled", $0)] } ?? []))
    }

    func run() throws {
        progressOptions.apply()
        try reportingErrors {
            var loader = dataset.loader(nonFinite: .treatAsMissing)
            loader.unlabelledRows = try Catalog.classifier(model) is any SemiSupervisedClassifier
            let bar = ProgressBar("train", json: json)
            let outcome = try bar.showingWork { () throws -> TrainOutcome in
                bar.stage("reading \(train)")
                let loaded = try loader.load(path: train)
                Terminal.warnNonNumeric(loaded.nonNumericCells, in: train)
                Terminal.warnLabelProxies(loaded.data, in: train)
                var unlabelledRows = loaded.unlabelled
                if let unlabelled {
                    let table = try Self.unlabelledTable(path: unlabelled, loader: loader, columns: loaded.data.features.columnNames)
                    unlabelledRows = try unlabelledRows.map { try $0.appendingRows(of: table) } ?? table
                }
                let strategy = try self.strategy.map { try BalanceCommand.parseStrategy($0, classNames: loaded.data.classNames) }
                let format = loaded.format
                let job = TrainJob(model: model, balance: balance, strategy: strategy, classWeight: classWeight,
                                       labelledFraction: labelledFraction)
                // The job releases the typed table once it is preprocessed: the fit runs without it.
                let table = (consume loaded).data
                var outcome = try job.run(consume table, format: format.rawValue, labelColumn: dataset.label,
                                          labelMode: dataset.labelMode.rawValue, seed: seed, unlabelled: unlabelledRows) { bar.stage($0) }
                if format == .csv { outcome.bundle.options.delimiter = dataset.delimiter }
                return outcome
            }
            bar.stage("writing \(output)")
            try outcome.bundle.write(to: output)
            bar.finish()
            if json {
                let object: [String: Any] = [
                    "model": outcome.bundle.options.model, "balance": balance as Any, "seed": seed, "output": output,
                    "classes": outcome.bundle.classNames, "training_rows": outcome.before, "fitted_rows": outcome.after,
                    "fit_seconds": outcome.fitSeconds, "fit_cpu_seconds": outcome.fitCPUSeconds, "balance_seconds": outcome.balanceSeconds,
                    "training_accuracy": outcome.trainingReport.accuracy,
                    "warnings": outcome.warnings.map(\.description), "training_sha256": outcome.bundle.training.sha256,
                    "unlabelled_rows": outcome.unlabelledRows, "used_unlabelled": outcome.usedUnlabelled,
                    "labelled_fraction": labelledFraction as Any,
                ]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
            } else {
                print(outcome.renderPlain(), terminator: "")
                print("seed: \(seed); wrote \(output)")
            }
        }
    }
}
