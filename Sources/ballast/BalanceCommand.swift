import ArgumentParser
import BallastCore
import BallastData
import BallastEval
import BallastLearn
import Foundation

/// `ballast balance`: rebalance a labelled dataset and write raw records.
struct BalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Rebalance a labelled dataset with a resampler and write the records as CSV.",
        discussion: """
            The preprocessing (one-hot, log1p, scaling) is fitted on the input; the method works on the \
            preprocessed rows, and synthetic rows are mapped back to valid raw records (integers \
            rounded, flags 0/1, one category per symbolic column, values in the observed range). Input \
            rows that are kept are written unchanged. The output is written atomically.

            Methods (parameters as NAME:key=value,...; join steps with + for a pipeline):
            \(BalanceCommand.methodList)

            Strategy: auto (over-samplers: every class but the majority, up to the majority's count; \
            under-samplers: every class but the minority, down to the minority's count), minority, \
            not-majority, not-minority, all, ratio=R (two classes), or CLASS=N,... exact totals \
            (*=N for every class; a pipeline raises or lowers each class towards N).

            Examples:
              ballast balance KDDTrain+.txt -o balanced.csv --method smote
              ballast balance KDDTrain+.txt -o b.csv --method borderline-smote:kind=2 --strategy U2R=5000,R2L=5000
              ballast balance KDDTrain+.txt -o b.csv --method smote+kmeans-under+oss --strategy '*=20000'
              ballast balance flows.csv --label Label -o b.csv --method adasyn --seed 3 --json
              ballast balance KDDTrain+.txt -o b.csv --method smote --mark-synthetic   # then: ballast validate KDDTrain+.txt b.csv
            """
    )

    static var methodList: String { catalogListing(Catalog.resamplers) }


    @Argument(help: "The labelled dataset (NSL-KDD or CSV).")
    var input: String

    @Option(name: .shortAndLong, help: "The CSV file to write.")
    var output: String

    @OptionGroup var dataset: DatasetOptions

    @Option(help: "The method, e.g. smote or smote:k=3 (see the list above).")
    var method: String

    @Option(help: "Which classes to change and to how many rows (see above).")
    var strategy: String?

    @Option(help: "Random seed (printed with the results).")
    var seed: UInt64 = 42

    @Flag(help: "Add a column '\(FidelityDataset.defaultMarkerColumn)': 1 for a synthetic row, 0 for a kept input row (read by ballast validate).")
    var markSynthetic = false

    @Option(help: "Also write only the synthetic rows to this CSV file.")
    var syntheticOnly: String?

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        try refuseOverwritingInputs(outputs: [("-o", output)] + (syntheticOnly.map { [("--synthetic-only", $0)] } ?? []),
                                    inputs: [("<input>", input)])
    }

    func run() throws {
        progressOptions.apply()
        try reportingErrors {
            var resampler = try Catalog.resampler(method)
            let bar = ProgressBar("balance", json: json)
            let outcome = try bar.showingWork { () throws -> BalanceOutcome in
                bar.stage("reading \(input)")
                let loaded = try dataset.loader(nonFinite: .treatAsMissing).load(path: input)
                Terminal.warnNonNumeric(loaded.nonNumericCells, in: input)
                Terminal.warnLabelProxies(loaded.data, in: input)
                if let strategy {
                    resampler.strategy = try Self.parseStrategy(strategy, classNames: loaded.data.classNames)
                }
                bar.stage("\(method) on \(loaded.data.rowCount) rows")
                var rng = Xoshiro256StarStar(seed: seed)
                return try BalanceJob(resampler: resampler, method: method).run(loaded.data, using: &rng)
            }
            bar.stage("writing \(outcome.output.rowCount) rows")
            let written = markSynthetic ? try outcome.outputMarkingSynthetic() : outcome.output
            let labelColumn = dataset.label ?? "label"
            try CSVWriter.write(written.features, labels: written.labels, classNames: written.classNames,
                                labelColumn: labelColumn, to: output)
            if let syntheticOnly {
                let rows = outcome.syntheticOutput
                try CSVWriter.write(rows.features, labels: rows.labels, classNames: rows.classNames, labelColumn: labelColumn,
                                    to: syntheticOnly)
            }
            bar.finish()
            if json {
                print(String(decoding: try outcome.jsonData(seed: seed, output: output), as: UTF8.self))
            } else {
                print(outcome.renderPlain(), terminator: "")
                print("seed: \(seed); wrote \(outcome.output.rowCount) rows to \(output)"
                      + (markSynthetic ? " (column \(FidelityDataset.defaultMarkerColumn) marks the synthetic ones)" : ""))
                if let syntheticOnly { print("wrote \(outcome.syntheticRows) synthetic rows to \(syntheticOnly)") }
            }
        }
    }

    /// Parses `--strategy`, expanding `*=N` to every class.
    static func parseStrategy(_ text: String, classNames: [String]) throws -> SamplingStrategy {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("*=") {
            guard let n = Int(trimmed.dropFirst(2)), n >= 0 else {
                throw ResamplingError.invalidStrategy(text: text, reason: "*=N needs a non-negative integer N")
            }
            return .counts(Dictionary(uniqueKeysWithValues: classNames.indices.map { ($0, n) }))
        }
        return try SamplingStrategy(parsing: trimmed, classNames: classNames)
    }
}
