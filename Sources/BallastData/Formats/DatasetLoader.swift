import Foundation

/// The dataset formats Ballast reads.
public enum DatasetFormat: String, Sendable, CaseIterable, Codable {
    /// NSL-KDD: 43 fields, no header (see ``NSLKDD``).
    case nslKDD = "nsl-kdd"
    /// Any labelled CSV (see ``FlowCSV``).
    case csv

    /// Guesses the format from the first line: 43 comma-separated fields whose 42nd is a known
    /// NSL-KDD attack name means NSL-KDD; anything else is CSV.
    /// - Throws: ``DataError`` when the file cannot be read.
    public static func detect(path: String) throws -> DatasetFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DataError(exists ? .unreadable : .fileNotFound, "\(path): \(exists ? "cannot be opened" : "no such file")")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        let firstLine = head.split(separator: UInt8(ascii: "\n"), maxSplits: 1).first ?? Data()
        let fields = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ",", omittingEmptySubsequences: false)
        if fields.count == NSLKDDSchema.fieldCount, NSLKDDSchema.categoryOfAttack[String(fields[41])] != nil {
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
    }

    /// Loads `path`.
    /// - Throws: ``DataError``; for CSV without a label column, `.invalidOption` asking for `--label`.
    public func load(path: String) throws -> Loaded {
        let chosen = try format ?? DatasetFormat.detect(path: path)
        switch chosen {
        case .nslKDD:
            return Loaded(data: try NSLKDD.load(path: path, labelMode: labelMode), format: .nslKDD, dropped: [], nonFiniteCounts: [:])
        case .csv:
            guard let label else {
                throw DataError(.invalidOption, "\(path): a CSV file needs --label COLUMN to name its class column")
            }
            let r = try FlowCSV.load(path: path, label: label, drop: drop, options: csvOptions)
            return Loaded(data: r.data, format: .csv, dropped: r.dropped, nonFiniteCounts: r.nonFiniteCounts)
        }
    }
}
