/// Loads any labelled flow CSV: a label column, feature columns typed by inference, and
/// identifier, address and timestamp columns dropped.
///
/// Columns are dropped **by rule** — names such as `id`, `flow_id`, `uid`, `src_ip`, `dst_ip`,
/// `ip.src`, `*addr*`, `timestamp`, `time`, `date` (case and punctuation ignored), and text columns
/// whose values look like IPv4/IPv6 addresses or ISO dates — and **by option** (`drop`). Ports and
/// protocols are features and are kept.
public enum FlowCSV {
    /// A column removed before learning, and why.
    public struct DroppedColumn: Sendable, Equatable, Codable, CustomStringConvertible {
        /// Column name.
        public var name: String
        /// Why it was dropped.
        public var reason: String
        public var description: String { "\(name) (\(reason))" }
    }

    /// A loaded flow file.
    public struct Result: Sendable {
        /// Features and labels.
        public var data: LabeledTable
        /// Columns removed, with reasons.
        public var dropped: [DroppedColumn]
        /// What the reader saw (missing and non-finite counts, per column of ``data``'s features).
        public var missingCounts: [String: Int]
        /// NaN/Inf values stored as missing, per feature column.
        public var nonFiniteCounts: [String: Int]
        /// Numeric feature columns with a few cells that are not numbers (read as missing).
        public var nonNumericCells: [NonNumericCells] = []
        /// The feature columns of the rows whose label cell is empty, when they were asked for
        /// (`unlabelledRows: true`); otherwise `nil`.
        public var unlabelled: Table? = nil
    }

    /// Loads `path` with `label` as the class column.
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - label: the name of the class column.
    ///   - drop: more columns to drop; each must exist.
    ///   - options: CSV reading options. The label column is always read as text (see
    ///     ``CSVOptions/textColumns``).
    ///   - unlabelledRows: keep rows with an empty label cell apart as unlabelled rows
    ///     (``Result/unlabelled``) instead of refusing them.
    /// - Throws: ``DataError`` — I/O, CSV content errors, a label or drop column that does not exist
    ///   (listing the available columns), a missing label value (naming the line).
    public static func load(path: String, label: String, drop: [String] = [], options: CSVOptions = CSVOptions(),
                            unlabelledRows: Bool = false) throws -> Result {
        var options = options
        options.textColumns.append(label)
        let read = try CSVReader.read(contentsOf: path, options: options)
        return try make(read, name: path, label: label, drop: drop, unlabelledRows: unlabelledRows)
    }

    /// Builds the labelled table from an already read CSV (`name` is used in messages).
    /// - Throws: as ``load(path:label:drop:options:)``.
    public static func make(_ read: CSVReadResult, name: String, label: String, drop: [String] = [],
                            unlabelledRows: Bool = false) throws -> Result {
        let table = read.table
        let available = table.columnNames
        guard let labelIndex = table.columnIndex(namedOrNumbered: label) else {
            if available.enumerated().allSatisfy({ $1 == "column_\($0 + 1)" }) {
                throw DataError(.missingColumn, "\(name): there is no label column '\(label)': the file has no header, so name the label by its position, 1...\(available.count)")
            }
            throw DataError(.missingColumn, "\(name): there is no label column '\(label)'; the columns are: \(available.joined(separator: ", "))")
        }
        var dropped: [DroppedColumn] = []
        var removed: Set<Int> = [labelIndex]
        for d in drop {
            guard let i = table.columnIndex(namedOrNumbered: d) else {
                throw DataError(.missingColumn, "\(name): cannot drop '\(d)': no such column; the columns are: \(available.joined(separator: ", "))")
            }
            if removed.insert(i).inserted { dropped.append(DroppedColumn(name: d, reason: "requested")) }
        }
        for (i, column) in table.columns.enumerated() where !removed.contains(i) {
            if let reason = dropReason(column) {
                removed.insert(i)
                dropped.append(DroppedColumn(name: column.name, reason: reason))
            }
        }

        let labelColumn = table.columns[labelIndex].asCategorical()
        guard case .categorical(let codes, let categories) = labelColumn.values else {
            throw DataError(.badLabel, "\(name): the label column '\(label)' could not be read")
        }
        if !unlabelledRows, let row = codes.firstIndex(where: { $0 < 0 }) {
            let line = row + (read.diagnostics.hadHeader ? 2 : 1)
            throw DataError(.badLabel, "\(name), line \(line): the label '\(label)' is missing")
        }
        let labelledRows = codes.indices.filter { codes[$0] >= 0 }
        if unlabelledRows && labelledRows.isEmpty {
            throw DataError(.badLabel, "\(name): every label cell of '\(label)' is empty: at least some rows need labels")
        }
        let classNames = sortedClassNames(categories)
        let labelOfCode = categories.map { classNames.firstIndex(of: $0) ?? 0 }
        let labels = labelledRows.map { labelOfCode[Int(codes[$0])] }

        var missing: [String: Int] = [:], nonFinite: [String: Int] = [:]
        for (i, c) in table.columns.enumerated() where !removed.contains(i) {
            missing[c.name] = read.diagnostics.missingCounts[i]
            nonFinite[c.name] = read.diagnostics.nonFiniteCounts[i]
        }
        let allFeatures = table.removingColumns(at: removed)
        let kept = Set(allFeatures.columnNames)
        let complete = labelledRows.count == codes.count
        let features = complete ? allFeatures : allFeatures.gatherRows(labelledRows)
        let unlabelled = unlabelledRows ? allFeatures.gatherRows(codes.indices.filter { codes[$0] < 0 }) : nil
        return Result(data: LabeledTable(features: features, labels: labels, classNames: classNames, source: name),
                      dropped: dropped, missingCounts: missing, nonFiniteCounts: nonFinite,
                      nonNumericCells: read.diagnostics.nonNumericCells.filter { kept.contains($0.column) }, unlabelled: unlabelled)
    }

    /// Class names sorted numerically when they are all integers, alphabetically otherwise.
    static func sortedClassNames(_ names: [String]) -> [String] {
        let numbers = names.compactMap { Int($0) }
        if numbers.count == names.count { return numbers.sorted().map(String.init) }
        return names.sorted()
    }

    /// Why a column should be dropped by rule, or `nil` to keep it.
    static func dropReason(_ column: TableColumn) -> String? {
        let key = String(column.name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
        let identifiers: Set<String> = ["id", "flowid", "uid", "index", "unnamed0", "rowid", "recordid", "connid", "pkseqid"]
        let addresses: Set<String> = ["srcip", "dstip", "sourceip", "destinationip", "ipsrc", "ipdst", "saddr", "daddr",
                                      "srcaddr", "dstaddr", "ip", "srcipaddr", "dstipaddr", "originh", "resph", "idorigh", "idresph"]
        let times: Set<String> = ["timestamp", "time", "date", "datetime", "ts", "starttime", "stime", "ltime", "flowstart", "flowend"]
        if identifiers.contains(key) { return "identifier" }
        if addresses.contains(key) || key.contains("addr") { return "address" }
        if times.contains(key) || key.hasSuffix("timestamp") { return "timestamp" }
        if case .categorical(_, let categories) = column.values, !categories.isEmpty {
            let sample = categories.prefix(20)
            if sample.allSatisfy(looksLikeAddress) { return "values are IP addresses" }
            if sample.allSatisfy(looksLikeTimestamp) { return "values are timestamps" }
        }
        return nil
    }

    static func looksLikeAddress(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return true }
        let colons = s.filter { $0 == ":" }.count
        return colons >= 2 && s.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }

    static func looksLikeTimestamp(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count >= 10 else { return false }
        func digit(_ i: Int) -> Bool { b[i] >= 48 && b[i] <= 57 }
        let isoDate = digit(0) && digit(1) && digit(2) && digit(3) && (b[4] == 45 || b[4] == 47) && digit(5) && digit(6) && (b[7] == 45 || b[7] == 47) && digit(8) && digit(9)
        let dayFirst = digit(0) && digit(1) && (b[2] == 47 || b[2] == 45) && digit(3) && digit(4) && (b[5] == 47 || b[5] == 45)
        return isoDate || dayFirst
    }
}

import Foundation
