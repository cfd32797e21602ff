import BallastEval
import Foundation

// Helpers shared by the experiment tests (runner, shards).

/// A fresh path under the system's temporary directory, not yet created.
func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("ballast-experiment-\(UUID().uuidString)").path
}

/// Appends the start of a cell line without its end to `directory`'s journal, as a kill in the
/// middle of a write (or a run still writing) leaves it.
func appendPartialJournalLine(in directory: String) throws {
    guard let handle = FileHandle(forWritingAtPath: directory + "/journal.jsonl") else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: directory + "/journal.jsonl"])
    }
    handle.seekToEndOfFile()
    handle.write(Data("{\"kind\":\"cell\",\"partSe".utf8))
    try handle.close()
}

/// The metrics of every cell (dataset, balancing, detector, seed, fold, training rows, error and the
/// confusion matrix per test set), in order and without timings, which differ from run to run.
func metrics(_ results: ExperimentResults) -> [String] {
    results.datasets.flatMap { d in
        d.cells.map { c in
            "\(d.name)|\(c.balancing)|\(c.detector)|\(c.seed)|\(c.fold ?? 0)|\(c.trainRows ?? -1)|\(c.error ?? "")|"
                + c.evaluations.map { "\($0.testSet):\($0.report.confusion.counts)" }.joined(separator: ";")
        }
    }
}
