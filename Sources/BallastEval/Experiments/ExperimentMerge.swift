import BallastData
import Foundation

/// Combines the output directories of an experiment's shards (`ballast experiment --shard I/N`)
/// into the results one process running the whole plan would have written.
///
/// Each shard directory holds its `results.json` (written when the shard finished). The merge
/// checks that every shard ran the same specification on the same data (``DatasetResults/dataFingerprint``),
/// that the shards are 1…N of one N, each once and finished (not the `--report-only` results of an
/// unfinished one), and that together they hold every cell of the plan;
/// then it puts the records in plan order and recomputes the totals. Seeds are derived from each
/// cell's own names, so a merged cell is identical, metric for metric, to the same cell of a single run.
///
/// ```swift
/// let merged = try ExperimentMerge.merge(directories: ["shard-1", "shard-2"])
/// try ExperimentOutput.write(merged, to: "merged")
/// ```
public enum ExperimentMerge {
    /// Reads and merges shard directories.
    /// - Parameter directories: one output directory per shard, in any order.
    /// - Returns: the merged results (``ExperimentResults/shard`` is `nil`).
    /// - Throws: ``ExperimentError/cannotMerge(_:)`` naming the directory and the problem (no
    ///   results.json, another spec or data, a shard missing or given twice, a cell missing);
    ///   ``DataError`` when a file cannot be read.
    public static func merge(directories: [String]) throws -> ExperimentResults {
        guard !directories.isEmpty else { throw ExperimentError.cannotMerge("no shard directory given") }
        let shards = try directories.map { ($0, try read($0)) }
        return try merge(shards)
    }

    /// Merges results already read, each with the directory it came from (named in errors).
    /// - Throws: as ``merge(directories:)``.
    public static func merge(_ shards: [(directory: String, results: ExperimentResults)]) throws -> ExperimentResults {
        guard let (firstDirectory, first) = shards.first else { throw ExperimentError.cannotMerge("no shard directory given") }
        let hash = ExperimentJournal.hash(first.spec)
        var seen: [Int: String] = [:]
        var count: Int?
        for (directory, results) in shards {
            guard ExperimentJournal.hash(results.spec) == hash else {
                throw ExperimentError.cannotMerge("\(directory) ran a different specification than \(firstDirectory)")
            }
            guard let shard = results.shard else {
                throw ExperimentError.cannotMerge("\(directory) holds a whole run (or merged results), not a shard")
            }
            if let unfinished = results.unfinished {
                throw ExperimentError.cannotMerge("\(directory) holds the report of an unfinished shard (\(unfinished.phrase)); "
                    + "run it again to finish it (it resumes from its journal)")
            }
            if let count, count != shard.count {
                throw ExperimentError.cannotMerge("\(directory) is shard \(shard) but \(firstDirectory) is one of \(count) shards")
            }
            count = shard.count
            if let other = seen[shard.index] {
                throw ExperimentError.cannotMerge("\(directory) and \(other) are both shard \(shard)")
            }
            seen[shard.index] = directory
            guard results.datasets.map(\.name) == first.datasets.map(\.name) else {
                throw ExperimentError.cannotMerge("\(directory) has datasets \(results.datasets.map(\.name)), \(firstDirectory) \(first.datasets.map(\.name))")
            }
            for (a, b) in zip(results.datasets, first.datasets) {
                guard a.dataFingerprint != nil, a.dataFingerprint == b.dataFingerprint else {
                    throw ExperimentError.cannotMerge("dataset '\(a.name)': \(directory) read different data than \(firstDirectory) "
                        + "(data fingerprint \(a.dataFingerprint?.prefix(12) ?? "absent") vs \(b.dataFingerprint?.prefix(12) ?? "absent"))")
                }
                guard a.testSets == b.testSets, a.classNames == b.classNames, a.featureColumns == b.featureColumns else {
                    throw ExperimentError.cannotMerge("dataset '\(a.name)': \(directory) describes its test sets differently than \(firstDirectory)")
                }
            }
        }
        let n = count ?? 1
        let missing = (1...n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw ExperimentError.cannotMerge("shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) "
                + "of \(n) \(missing.count > 1 ? "are" : "is") missing")
        }

        guard ExperimentPlan.unitCount(of: first.spec) != nil else {
            throw ExperimentError.cannotMerge("\(firstDirectory) holds a specification of more than \(ExperimentPlan.readLimit) units, "
                + "which no run could have finished")
        }
        let plan = ExperimentPlan(spec: first.spec)
        var datasets: [DatasetResults] = []
        for (index, template) in first.datasets.enumerated() {
            var merged = template
            merged.balancings = shards.flatMap { $0.results.datasets[index].balancings }
            merged.cells = shards.flatMap { $0.results.datasets[index].cells }
            let expected = plan.units(of: template.name).reduce(0) { $0 + $1.detectors.count }
            let keys = Set(merged.cells.map(ExperimentRunner.Key.init))
            guard keys.count == merged.cells.count else {
                throw ExperimentError.cannotMerge("dataset '\(template.name)': a cell occurs in more than one shard")
            }
            guard merged.cells.count == expected else {
                throw ExperimentError.cannotMerge("dataset '\(template.name)': the shards hold \(merged.cells.count) of the plan's "
                    + "\(expected) cells; run the unfinished shard again (it resumes from its journal)")
            }
            ExperimentRunner.sortInPlanOrder(&merged, spec: first.spec)
            datasets.append(merged)
        }
        let all = shards.map(\.results)
        var results = ExperimentResults(
            spec: first.spec, ballastVersion: first.ballastVersion, environment: first.environment,
            startedAt: all.map(\.startedAt).min() ?? first.startedAt, finishedAt: all.map(\.finishedAt).max() ?? first.finishedAt,
            resumedCount: all.reduce(0) { $0 + $1.resumedCount }, totalSeconds: all.map(\.totalSeconds).max() ?? 0,
            workSeconds: 0, datasets: datasets)
        results.workSeconds = ExperimentRunner.workSeconds(of: results)
        return results
    }

    /// Reads `DIR/results.json`.
    static func read(_ directory: String) throws -> ExperimentResults {
        let path = ExperimentOutput.path(directory, "results.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: directory)
            throw ExperimentError.cannotMerge(exists
                ? "\(directory) has no results.json: the shard has not finished (run it again; it resumes from its journal)"
                : "\(directory) does not exist")
        }
        return try decode(data, path: path)
    }

    /// Decodes a shard's `results.json` (its bytes come from a directory the user names: the shard
    /// fuzz target feeds this and ``merge(_:)`` hostile bytes).
    /// - Throws: ``ExperimentError/cannotMerge(_:)`` naming `path` when the bytes are not results.
    static func decode(_ data: Data, path: String) throws -> ExperimentResults {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(ExperimentResults.self, from: data)
        } catch {
            throw ExperimentError.cannotMerge("\(path) is not a results.json Ballast can read (\(error))")
        }
    }
}
