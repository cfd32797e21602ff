import BallastCore
import Foundation

/// The append-only record of a run in its output directory (`journal.jsonl`), which is what makes
/// an interrupted experiment resumable.
///
/// The first line holds the specification and its SHA-256; then one line per finished balancing and
/// per finished cell, each written and flushed as soon as the step ends, and one line each time the
/// run is resumed. A run killed mid-write leaves at most a partial last line, which is dropped on
/// resume (the step it described runs again). A directory whose journal holds a different
/// specification is refused rather than mixed.
struct ExperimentJournal {
    /// One line of the journal.
    struct Entry: Codable {
        enum Kind: String, Codable { case start, resume, balancing, cell }
        var kind: Kind
        /// Seconds since the start of the part of the run that wrote this line.
        var partSeconds: Double
        var spec: ExperimentSpec?
        var specHash: String?
        var at: String?
        var ballastVersion: String?
        /// The start line of a shard's journal: which shard (absent for a whole run).
        var shard: ExperimentShard?
        var dataset: String?
        var balancing: BalancingRecord?
        var cell: CellRecord?
    }

    /// What an existing journal says.
    struct State {
        /// The shard the journal belongs to, `nil` for a whole run.
        var shard: ExperimentShard?
        var startedAt: String
        /// The Ballast that started the run (absent from journals of before 0.2.0's release).
        var ballastVersion: String?
        var resumedCount: Int
        /// Wall time of the earlier parts of the run.
        var earlierSeconds: Double
        var balancings: [String: [BalancingRecord]] = [:]
        var cells: [String: [CellRecord]] = [:]
    }

    let url: URL
    private let handle: FileHandle
    /// Seconds already spent in earlier parts of the run.
    let state: State

    /// Opens the journal in `directory`, resuming it when it holds the same specification.
    /// - Parameters:
    ///   - directory: the output directory (created when missing).
    ///   - spec: the specification about to run.
    ///   - shard: the shard about to run, `nil` for the whole plan.
    ///   - fresh: discard an existing journal instead of resuming it.
    /// - Throws: ``ExperimentError/specChanged(directory:)`` when the journal holds another
    ///   specification, ``ExperimentError/shardChanged(directory:found:requested:)`` when it holds
    ///   another shard; ``ExperimentError/corruptJournal(file:line:message:)`` when a complete line
    ///   cannot be read; ``DataError`` when the directory cannot be written.
    init(directory: URL, spec: ExperimentSpec, shard: ExperimentShard? = nil, fresh: Bool) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ExperimentError.invalidSpec("cannot create the output directory \(directory.path): \(error.localizedDescription)")
        }
        url = directory.appendingPathComponent("journal.jsonl")
        let hash = Self.hash(spec)
        let now = Self.timestamp()
        var state = State(shard: shard, startedAt: now, resumedCount: 0, earlierSeconds: 0)
        var lines: [Entry] = []
        if !fresh, let found = try Self.existing(in: directory, spec: spec, shard: shard) {
            (lines, state) = (found.entries, found.state)
            state.resumedCount += 1  // this run
            // Drop a partial last line left by a kill mid-write.
            let data = found.data
            let complete = data.lastIndex(of: UInt8(ascii: "\n")).map { data.prefix(through: $0) } ?? Data()
            try Data(complete).write(to: url)
        } else {
            _ = manager.createFile(atPath: url.path, contents: nil)  // a failure is caught by the handle below
        }
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw ExperimentError.invalidSpec("cannot write \(url.path)")
        }
        handle.seekToEndOfFile()
        self.handle = handle
        self.state = state
        if lines.isEmpty {
            try append(Entry(kind: .start, partSeconds: 0, spec: spec, specHash: hash, at: now, ballastVersion: BallastVersion.current,
                             shard: shard))
        } else {
            try append(Entry(kind: .resume, partSeconds: 0, at: now))
        }
    }

    /// A journal found in a directory: its bytes, its entries and what they say.
    struct Existing {
        var data: Data
        var entries: [Entry]
        var state: State
    }

    /// Reads the journal in `directory` without changing it.
    /// - Returns: the journal, or `nil` when there is none (or an empty one).
    /// - Throws: ``ExperimentError/specChanged(directory:)`` when it holds another specification,
    ///   ``ExperimentError/shardChanged(directory:found:requested:)`` when it holds another shard,
    ///   ``ExperimentError/corruptJournal(file:line:message:)`` when a complete line cannot be read.
    static func existing(in directory: URL, spec: ExperimentSpec, shard: ExperimentShard?) throws -> Existing? {
        let url = directory.appendingPathComponent("journal.jsonl")
        guard let data = FileManager.default.contents(atPath: url.path), !data.isEmpty else { return nil }
        let (entries, state) = try read(data, file: url.path, expectedHash: hash(spec), legacyHashes: [legacyHash(spec)],
                                        directory: directory.path)
        if state.shard != shard {
            func name(_ s: ExperimentShard?) -> String { s.map { "shard \($0)" } ?? "the whole run" }
            throw ExperimentError.shardChanged(directory: directory.path, found: name(state.shard), requested: name(shard))
        }
        return Existing(data: data, entries: entries, state: state)
    }

    /// Appends one entry as one line and flushes it to disk.
    func append(_ entry: Entry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(entry)
        data.append(UInt8(ascii: "\n"))
        handle.write(data)
        try handle.synchronize()
    }

    /// Closes the file.
    func close() { try? handle.close() }

    /// Reads a journal.
    /// - Parameters:
    ///   - expectedHash: the ``hash(_:)`` of the specification about to run.
    ///   - legacyHashes: hashes an older Ballast wrote for the same specification (accepted too).
    static func read(_ data: Data, file: String, expectedHash: String, legacyHashes: Set<String> = [],
                     directory: String) throws -> ([Entry], State) {
        let decoder = JSONDecoder()
        var entries: [Entry] = []
        let text = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsWithNewline = data.last == UInt8(ascii: "\n")
        for (index, line) in text.enumerated() where !line.isEmpty {
            let isLast = index == text.count - 1
            do {
                entries.append(try decoder.decode(Entry.self, from: Data(line)))
            } catch {
                if isLast && !endsWithNewline { break }  // partial line from an interrupted write
                throw ExperimentError.corruptJournal(file: file, line: index + 1, message: "not a journal entry (\(error))")
            }
        }
        guard let first = entries.first, first.kind == .start, let hash = first.specHash else {
            throw ExperimentError.corruptJournal(file: file, line: 1, message: "the first line is not the start of a run")
        }
        guard hash == expectedHash || legacyHashes.contains(hash) else { throw ExperimentError.specChanged(directory: directory) }
        var state = State(shard: first.shard, startedAt: first.at ?? timestamp(), ballastVersion: first.ballastVersion, resumedCount: 0,
                          earlierSeconds: 0)
        var partSeconds = 0.0
        for entry in entries {
            switch entry.kind {
            case .start: break
            case .resume:
                state.resumedCount += 1
                state.earlierSeconds += partSeconds
                partSeconds = 0
            case .balancing:
                if let record = entry.balancing, let dataset = entry.dataset { state.balancings[dataset, default: []].append(record) }
            case .cell:
                if let record = entry.cell, let dataset = entry.dataset { state.cells[dataset, default: []].append(record) }
            }
            partSeconds = max(partSeconds, entry.partSeconds)
        }
        state.earlierSeconds += partSeconds
        return (entries, state)
    }

    /// The SHA-256 of the specification's canonical JSON, without its name: the name only labels
    /// the outputs (and defaults to the output directory's name), so a renamed directory still
    /// resumes its run.
    static func hash(_ spec: ExperimentSpec) -> String {
        var unnamed = spec
        unnamed.name = ""
        return legacyHash(unnamed)
    }

    /// The hash journals of Ballast 0.2.0 hold: the whole specification, name included.
    static func legacyHash(_ spec: ExperimentSpec) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hex((try? encoder.encode(spec)).map { Array($0) } ?? [])
    }

    /// Now, ISO 8601 in UTC.
    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
