import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The dataset formats Ballast reads.
public enum DatasetFormat: String, Sendable, CaseIterable, Codable {
    /// NSL-KDD: 43 fields, no header (see ``NSLKDD``).
    case nslKDD = "nsl-kdd"
    /// Any labelled CSV (see ``FlowCSV``).
    case csv

    /// Guesses the format from the first line: 43 comma-separated fields whose 42nd is a known
    /// NSL-KDD attack name means NSL-KDD, and so do KDD Cup 99's 42 fields ending in a known attack
    /// name and a dot (`smurf.`); anything else is CSV.
    /// - Throws: ``DataError`` when the file cannot be read.
    public static func detect(path: String) throws -> DatasetFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DataError(exists ? .unreadable : .fileNotFound, "\(path): \(exists ? "cannot be opened" : "no such file")")
        }
        defer { try? handle.close() }
        return detect(head: (try? handle.read(upToCount: sniffLength)) ?? Data())
    }

    /// The bytes ``detect(path:)`` reads.
    public static let sniffLength = 4096

    /// Guesses the format from the first bytes of a file (see ``detect(path:)``).
    public static func detect<Bytes: Collection<UInt8>>(head: Bytes) -> DatasetFormat {
        let firstLine = head.split(separator: UInt8(ascii: "\n"), maxSplits: 1).first.map(Array.init) ?? []
        let fields = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ",", omittingEmptySubsequences: false)
        if fields.count == NSLKDDSchema.fieldCount, NSLKDDSchema.categoryOfAttack[String(fields[41])] != nil {
            return .nslKDD
        }
        // KDD Cup 99 (read by the NSL-KDD reader): 42 fields, the last an attack name ending in '.'.
        if fields.count == NSLKDDSchema.kdd99FieldCount, fields[41].hasSuffix("."),
           NSLKDDSchema.categoryOfAttack[String(fields[41].dropLast())] != nil {
            return .nslKDD
        }
        return .csv
    }
}

/// Loads a labelled dataset in any supported format, as the CLI's `--format/--label/--drop`
/// options describe it.
public struct DatasetLoader: Sendable {
    /// The format, or `nil` to detect it.
    public var format: DatasetFormat?
    /// The label column (required for CSV, ignored for NSL-KDD).
    public var label: String?
    /// NSL-KDD label mode.
    public var labelMode: NSLKDD.LabelMode
    /// Extra CSV columns to drop.
    public var drop: [String]
    /// CSV reading options.
    public var csvOptions: CSVOptions
    /// Keep CSV rows with an empty label cell as unlabelled rows (``Loaded/unlabelled``) instead of
    /// refusing them.
    public var unlabelledRows = false

    /// Creates a loader.
    public init(format: DatasetFormat? = nil, label: String? = nil, labelMode: NSLKDD.LabelMode = .fiveClass,
                drop: [String] = [], csvOptions: CSVOptions = CSVOptions()) {
        self.format = format
        self.label = label
        self.labelMode = labelMode
        self.drop = drop
        self.csvOptions = csvOptions
    }

    /// What was loaded.
    public struct Loaded: Sendable {
        /// Features and labels.
        public var data: LabeledTable
        /// The format used.
        public var format: DatasetFormat
        /// Columns dropped, with reasons.
        public var dropped: [FlowCSV.DroppedColumn]
        /// NaN/Inf values read as missing, per feature column.
        public var nonFiniteCounts: [String: Int]
        /// Numeric feature columns with a few cells that are not numbers, read as missing (see
        /// ``CSVReader/numericShare``); callers report them as warnings.
        public var nonNumericCells: [NonNumericCells] = []
        /// Feature columns of the CSV rows with an empty label cell (with ``DatasetLoader/unlabelledRows``).
        public var unlabelled: Table? = nil
    }

    /// Loads `path`.
    /// - Throws: ``DataError``; for CSV without a label column, `.invalidOption` asking for `--label`.
    ///
    /// A regular file is sniffed for its format, then read; anything else (a pipe, `/dev/stdin`, a
    /// FIFO, `<(command)`) can be read only once, so it is read whole first and sniffed in memory.
    public func load(path: String) throws -> Loaded {
        if format == nil, !Self.isRegularFile(path) {
            let bytes = try CSVReader.readBytes(path)
            return try load(bytes: bytes, name: path, format: DatasetFormat.detect(head: bytes.prefix(DatasetFormat.sniffLength)))
        }
        let chosen = try format ?? DatasetFormat.detect(path: path)
        try requireLabel(for: chosen, path: path)
        switch chosen {
        case .nslKDD:
            return Loaded(data: try NSLKDD.load(path: path, labelMode: labelMode), format: .nslKDD, dropped: [], nonFiniteCounts: [:])
        case .csv:
            let r = try FlowCSV.load(path: path, label: label ?? "", drop: drop, options: csvOptions, unlabelledRows: unlabelledRows)
            return Loaded(data: r.data, format: .csv, dropped: r.dropped, nonFiniteCounts: r.nonFiniteCounts, nonNumericCells: r.nonNumericCells,
                          unlabelled: r.unlabelled)
        }
    }

    /// Loads records already in memory; `name` is used in messages.
    /// - Throws: as ``load(path:)``.
    public func load(bytes: [UInt8], name: String, format chosen: DatasetFormat) throws -> Loaded {
        try requireLabel(for: chosen, path: name)
        switch chosen {
        case .nslKDD:
            return Loaded(data: try NSLKDD.load(bytes: bytes, name: name, labelMode: labelMode), format: .nslKDD, dropped: [],
                          nonFiniteCounts: [:])
        case .csv:
            var options = csvOptions
            options.textColumns.append(label ?? "")
            let r = try FlowCSV.make(CSVReader.read(bytes: bytes, name: name, options: options), name: name, label: label ?? "",
                                     drop: drop, unlabelledRows: unlabelledRows)
            return Loaded(data: r.data, format: .csv, dropped: r.dropped, nonFiniteCounts: r.nonFiniteCounts, nonNumericCells: r.nonNumericCells,
                          unlabelled: r.unlabelled)
        }
    }

    private func requireLabel(for format: DatasetFormat, path: String) throws {
        if format == .csv && label == nil {
            throw DataError(.invalidOption, "\(path): a CSV file needs --label COLUMN to name its class column")
        }
    }

    /// Whether `path` is a regular file (links followed), which can be opened more than once.
    static func isRegularFile(_ path: String) -> Bool {
        var s = stat()
        return stat(path, &s) == 0 && s.st_mode & S_IFMT == S_IFREG
    }
}
