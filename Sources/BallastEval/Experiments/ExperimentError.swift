/// Errors that stop an experiment before or between cells (a failing cell is recorded instead).
public enum ExperimentError: Error, Equatable, CustomStringConvertible {
    /// The specification is invalid; the message names the field and value.
    case invalidSpec(String)
    /// A line of the TOML specification cannot be read.
    case specSyntax(file: String, line: Int, message: String)
    /// The output directory holds a run of a different specification.
    case specChanged(directory: String)
    /// The output directory's journal cannot be read.
    case corruptJournal(file: String, line: Int, message: String)
    /// Training and test files disagree on class names.
    case classMismatch(dataset: String, train: [String], test: [String], file: String)
    /// The run stopped after the number of new cells it was allowed; running again continues.
    case stopped(cellsDone: Int, cellsTotal: Int)
    /// The output directory holds another shard of the experiment (or the whole of it).
    case shardChanged(directory: String, found: String, requested: String)
    /// Shard directories cannot be merged; the message says which and why.
    case cannotMerge(String)
    /// A report of finished cells was asked for a directory that holds no run.
    case nothingToReport(directory: String)
    /// A report of finished cells cannot be written; the message says why.
    case cannotReport(String)

    /// A readable message naming what is wrong and what to do.
    public var description: String {
        switch self {
        case .invalidSpec(let message): return "invalid experiment: \(message)"
        case .specSyntax(let file, let line, let message): return "\(file), line \(line): \(message)"
        case .specChanged(let directory):
            return "\(directory) holds results of a different experiment; use a new output directory, or --fresh to discard them"
        case .corruptJournal(let file, let line, let message):
            return "\(file), line \(line): \(message); delete the file or use --fresh to start over"
        case .classMismatch(let dataset, let train, let test, let file):
            return "dataset '\(dataset)': \(file) has classes \(test), training has \(train)"
        case .stopped(let done, let total):
            return "stopped after \(done) of \(total) cells as asked; run the same command again to continue"
        case .shardChanged(let directory, let found, let requested):
            return "\(directory) holds \(found) of this experiment, not \(requested); give each shard its own output directory, or --fresh to discard it"
        case .cannotMerge(let message):
            return "cannot merge: \(message)"
        case .cannotReport(let message):
            return "cannot report the finished cells: \(message)"
        case .nothingToReport(let directory):
            return "\(directory) holds no journal.jsonl of a run, so there are no finished cells to report; run the experiment with -o \(directory) first"
        }
    }
}
