import ArgumentParser
import BallastCore
import BallastData
import BallastEval
import Foundation

/// `ballast validate`: how faithful synthetic records are to real ones, per class.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Compare synthetic records with real ones per class: statistics, KS, correlations, detection, copying, utility.",
        discussion: """
            REAL and SYNTH are raw-record files with the same feature columns (NSL-KDD or labelled CSV), \
            e.g. a training file and the output of `ballast balance --mark-synthetic`, whose column \
            \(FidelityDataset.defaultMarkerColumn) tells synthetic rows (1) from kept real rows (0). \
            Without a marker column every SYNTH row counts as synthetic (e.g. `balance --synthetic-only`).

            Per class (default: every class with synthetic rows) and for all rows together: the HIKARI \
            statistics table; column shapes (KS statistic and p-value, Wasserstein on the scaled column, \
            total variation; SDMetrics' KSComplement/TVComplement); pair trends (Pearson and Spearman \
            correlation differences, SDMetrics' CorrelationSimilarity and ContingencySimilarity with \
            equal-width and quantile bins); validity (SDMetrics' diagnostic; integer, flag and one-hot \
            checks); detection (gbdt and lr telling real from synthetic, 3-fold ROC-AUC); copying (DCR \
            against a real holdout, exact copies, NewRowSynthesis). Then TSTR, TRTR and real+synthetic \
            detectors tested on held-out real rows (--test FILE for a file the generator never saw).

            DIR receives report.json (every number) and report.html (self-contained, with charts), \
            written atomically. The terminal shows one line per class and a verdict against the targets: \
            median KS ≤ 0.05, worst KS ≤ 0.15, detection AUC ≤ 0.7, ≤ 1% exact copies, NewRowSynthesis ≥ 0.9.

            Examples:
              ballast balance KDDTrain+.txt -o b.csv --method smote --strategy R2L=67343,U2R=67343 --mark-synthetic
              ballast validate KDDTrain+.txt b.csv --classes R2L,U2R -o fidelity
              ballast validate KDDTrain+.txt b.csv --test KDDTest+.txt -o fidelity --json
              ballast validate flows.csv synthetic.csv --label Label -o fidelity
            """
    )

    @Argument(help: "The real records (e.g. the training file the synthetic rows were made from).")
    var real: String

    @Argument(help: "The synthetic records (same feature columns).")
    var synthetic: String

    @Option(name: .shortAndLong, help: "Output directory for report.json and report.html.")
    var output: String

    @OptionGroup var dataset: DatasetOptions

    @Option(help: "The class column of SYNTH when it differs from --label (default: --label, or 'label').")
    var syntheticLabel: String?

    @Option(help: "The column of SYNTH that marks synthetic rows (1) and kept real rows (0) (default: \(FidelityDataset.defaultMarkerColumn), when present).")
    var marker: String?

    @Option(help: "Comma-separated classes to validate (default: every class with synthetic rows).")
    var classes: String?

    @Option(help: "Real test records for the utility test (default: 20% of REAL held out).")
    var test: String?

    @Option(help: "Detectors telling real from synthetic, comma-separated ('none' to skip).")
    var detectors: String = FidelityValidator.defaultDetectors.map(\.description).joined(separator: ",")

    @Option(help: "The detector of the utility test ('none' to skip).")
    var utilityModel: String = FidelityValidator.defaultUtilityModel.description

    @Option(help: "Rows of each side a detector sees at most.")
    var detectionRows: Int = 3_000

    @Option(help: "Real rows, and synthetic rows, per class in the utility test at most.")
    var utilityRows: Int = 1_000

    @Option(help: "Synthetic rows whose distance to the closest real record is measured at most.")
    var privacyRows: Int = 5_000

    @Option(help: "Compare at most this many rows of each side per class (default: all).")
    var maxRows: Int?

    @Option(help: "Random seed (printed with the results).")
    var seed: UInt64 = 42

    @Flag(help: "Print report.json to standard output instead of the summary.")
    var json = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        for (name, value) in [("--detection-rows", detectionRows), ("--utility-rows", utilityRows), ("--privacy-rows", privacyRows),
                              ("--max-rows", maxRows ?? 10)] where value < 10 {
            throw ValidationError("\(name) must be at least 10, got \(value)")
        }
    }

    func run() throws {
        progressOptions.apply()
        try reportingErrors {
            let validator = try configuredValidator()
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw DataError(.unwritable, "\(output): exists and is not a directory (-o names the directory for report.json and report.html)")
            }
            let bar = ProgressBar("validate")
            bar.stage("reading \(real)")
            let realData = try dataset.loader(nonFinite: .treatAsMissing).load(path: real)
            Terminal.warnNonNumeric(realData.nonNumericCells, in: real)
            bar.stage("reading \(synthetic)")
            var synthOptions = dataset
            synthOptions.format = nil
            synthOptions.label = syntheticLabel ?? dataset.label ?? "label"
            let synthData = try synthOptions.loader(nonFinite: .treatAsMissing).load(path: synthetic)
            Terminal.warnNonNumeric(synthData.nonNumericCells, in: synthetic)
            let testSet = try test.map { path in
                FidelityValidator.TestSet(table: try dataset.loader(nonFinite: .treatAsMissing).load(path: path).data,
                                          name: URL(fileURLWithPath: path).lastPathComponent)
            }
            if let marker, synthData.data.features.columnIndex(named: marker) == nil {
                throw ValidationFailure("--marker \(marker): \(synthetic) has no such column; its columns are: "
                    + synthData.data.features.columnNames.joined(separator: ", "))
            }
            let aligned = try FidelityDataset(real: realData.data, synthetic: synthData.data, realName: real, syntheticName: synthetic,
                                              markerColumn: marker ?? FidelityDataset.defaultMarkerColumn,
                                              syntheticFirstLine: synthData.format == .csv ? 2 : 1)
            bar.stage("validating \(aligned.syntheticLabels.count) synthetic rows against \(aligned.realLabels.count) real rows")
            var rng = Xoshiro256StarStar(seed: seed)
            var outcome = try validator.validate(aligned, test: testSet, using: &rng)
            outcome.report.seed = seed
            bar.stage("writing \(output)")
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                throw DataError(.unwritable, "\(output): cannot create the output directory: \(error.localizedDescription)")
            }
            let json = try outcome.report.jsonData()
            try AtomicFile.write(json, to: output + "/report.json")
            try AtomicFile.write(Data(FidelityHTML(outcome: outcome).html().utf8), to: output + "/report.html")
            bar.finish()
            if self.json {
                print(String(decoding: json, as: UTF8.self))
            } else {
                print(outcome.report.renderPlain(), terminator: "")
                print("seed: \(seed); time: \(String(format: "%.1f", outcome.report.seconds)) s; wrote \(output)/report.json, \(output)/report.html")
            }
        }
    }

    /// The validator the options describe.
    private func configuredValidator() throws -> FidelityValidator {
        func list(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let detectorList = detectors.lowercased() == "none" ? [] : try DetectorChoice.parseList(detectors)
        let utility = utilityModel.lowercased() == "none" ? nil : try DetectorChoice(parsing: utilityModel)
        return FidelityValidator(classes: classes.map(list), maxRowsPerGroup: maxRows, detectors: detectorList,
                                 detectionRows: detectionRows, utilityModel: utility, utilityRowsPerClass: utilityRows,
                                 privacyRows: privacyRows)
    }
}
