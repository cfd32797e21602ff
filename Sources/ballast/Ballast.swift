import ArgumentParser
import BallastCore
import BallastEval

/// The `ballast` command: rebalancing and intrusion detection on imbalanced traffic data.
@main
struct Ballast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ballast",
        abstract: "Intrusion detection on imbalanced network-traffic data.",
        discussion: """
            Ballast loads labelled flow records (NSL-KDD or any labelled CSV), preprocesses them \
            (fitted on training data only), and measures per class whether rare attacks are caught.

            Examples:
              ballast demo --quick                           # balancings × detectors, simulated traffic
              ballast demo --data ../shared/datasets/nsl-kdd # KDDTrain+ → KDDTest+
              ballast experiment --data ../shared/datasets/nsl-kdd --balance ros,smote --models dt --seeds 3 -o exp
              ballast inspect KDDTrain+.txt --format nsl-kdd
              ballast inspect flows.csv --label Label --json
              ballast balance KDDTrain+.txt -o balanced.csv --method smote
              ballast train KDDTrain+.txt --model gbdt --balance smote -o model.bundle
              ballast evaluate model.bundle KDDTest+.txt
              ballast predict model.bundle new.csv -o predictions.csv
              ballast balance KDDTrain+.txt -o b.csv --method smote --mark-synthetic
              ballast validate KDDTrain+.txt b.csv --classes R2L,U2R -o fidelity

            Outputs (-o) are written atomically: a temporary file beside the target, then a rename. A \
            character device or FIFO (-o /dev/stdout) is written through instead; a symbolic link is \
            followed (the file it names is replaced, the link stays); an output that is the same file \
            as an input is refused.

            Exit status: 0 success, 64 bad usage, 65 bad data, 74 file not readable or writable, 75 \
            experiment stopped by --max-cells (run the same command again to continue), 130/143 \
            interrupted by SIGINT/SIGTERM (temporary files are deleted; an experiment resumes from its \
            journal).
            """,
        version: BallastVersion.current,
        subcommands: [InspectCommand.self, BalanceCommand.self, TrainCommand.self, PredictCommand.self,
                      EvaluateCommand.self, DemoCommand.self, ExperimentCommand.self, ValidateCommand.self, ServeCommand.self]
    )

    /// Runs the command line, with temporary files deleted on SIGINT/SIGTERM (exit 130/143).
    ///
    /// Asynchronous, because `serve` is: the synchronous entry point of ArgumentParser never calls
    /// an `AsyncParsableCommand`'s `run()` and prints its help instead.
    static func main() async {
        TemporaryFiles.removeOnTermination()
        ThreadPriority.captureProcessNice()  // on the main thread, before the command runs elsewhere
        await main(nil)
    }
}
