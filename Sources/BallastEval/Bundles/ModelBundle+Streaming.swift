import BallastCore
import BallastData
import BallastLearn
import Foundation

extension ModelBundle {
    /// Predicts every record of `path` and writes the predictions to `output`, reading, scoring and
    /// writing `chunkRows` records at a time, so that a file of any size needs bounded memory.
    ///
    /// The output is the file ``BundlePrediction/table(truth:)`` of the whole input would give, row
    /// for row: records are read as ``readRecords(path:)`` reads them, except that a column the
    /// model knows as numeric is numeric in every chunk, and a file in which more than
    /// 1 − ``CSVReader/numericShare`` of such a column's values are not numbers is refused at the
    /// end, as a whole read refuses it (its column would be text). Errors name the file, its line or
    /// row, and the column, counted from the start of the file. `output` is written through a
    /// temporary file renamed at the end (``AtomicFileWriter``): after an error it is untouched.
    /// - Parameters:
    ///   - path: the records (NSL-KDD or CSV, as the model was trained).
    ///   - output: the CSV file to write.
    ///   - chunkRows: records per chunk (default ``CSVChunkReader/defaultChunkRows``).
    ///   - progress: called after each chunk with the share of the file read (`nil` for a pipe) and
    ///     the records predicted so far.
    /// - Returns: the counts of the predictions.
    /// - Throws: ``DataError`` and ``PreprocessingError`` naming the file's row or line; ``LearnError``.
    public func predictStreaming(path: String, to output: String, chunkRows: Int = CSVChunkReader.defaultChunkRows,
                                 progress: (_ fraction: Double?, _ rows: Int) -> Void = { _, _ in }) throws -> StreamedPrediction {
        let nslKDD = options.format == DatasetFormat.nslKDD.rawValue
        var csv = nslKDD ? NSLKDD.readOptions : csvOptions
        if !nslKDD { csv.numericColumns = preprocessor.columns.filter { $0.kind != .categorical }.map(\.name) }
        let reader = try CSVChunkReader(path: path, options: csv, chunkRows: chunkRows)
        let writer = try AtomicFileWriter(path: output)
        var summary = StreamedPrediction(classNames: classNames)
        var stray = StrayCells()
        while let chunk = try reader.next() {
            let rowOffset = reader.rowsRead - chunk.table.rowCount
            let records: BundleRecords
            if nslKDD {
                let mode = NSLKDD.LabelMode(rawValue: options.labelMode) ?? .fiveClass
                let data = try NSLKDD.load(chunk: chunk, name: path, labelMode: mode, rowOffset: rowOffset)
                records = BundleRecords(features: data.features, labels: data.labels.map { data.classNames[$0] }, nonNumericCells: [])
            } else {
                records = try self.records(of: chunk)
                for (c, name) in chunk.table.columnNames.enumerated() {
                    stray.numbers[name, default: 0] += chunk.table.rowCount - chunk.diagnostics.missingCounts[c]
                }
            }
            stray.add(records.nonNumericCells)
            let prediction: BundlePrediction
            do {
                prediction = try predict(records.features)
            } catch let error as PreprocessingError {
                throw error.offsettingRows(by: rowOffset)
            }
            try writer.write(CSVWriter.render(prediction.table(truth: records.labels), header: summary.rows == 0))
            summary.add(prediction)
            progress(reader.fileSize.map { $0 > 0 ? Double(reader.bytesRead) / Double($0) : 1 }, summary.rows)
        }
        // A whole read would have made such a column text, which the model refuses.
        for i in stray.cells.indices {
            let numbers = stray.numbers[stray.cells[i].column] ?? 0
            stray.cells[i].present = numbers + stray.cells[i].count
            if Double(numbers) < CSVReader.numericShare * Double(stray.cells[i].present) {
                let name = stray.cells[i].column
                let fitted = preprocessor.columns.first { $0.name == name }?.kind.rawValue ?? FittedColumn.Kind.real.rawValue
                throw PreprocessingError.columnKindMismatch(column: name, fitted: fitted, found: "categorical")
            }
        }
        try writer.commit()
        summary.nonNumericCells = stray.cells
        return summary
    }
}

/// What ``ModelBundle/predictStreaming(path:to:chunkRows:progress:)`` predicted.
public struct StreamedPrediction: Sendable, Equatable {
    /// Class names, indexed by label.
    public var classNames: [String]
    /// Records predicted.
    public var rows = 0
    /// Records predicted per class.
    public var counts: [Int]
    /// Per column, how many values were categories unseen in training (mapped to the unknown bucket).
    public var unseenCategories: [String: Int] = [:]
    /// Numeric columns with a few cells that are not numbers (read as missing), over the whole file.
    public var nonNumericCells: [NonNumericCells] = []

    init(classNames: [String]) {
        self.classNames = classNames
        counts = Array(repeating: 0, count: classNames.count)
    }

    mutating func add(_ prediction: BundlePrediction) {
        rows += prediction.labels.count
        for (c, n) in prediction.counts.enumerated() where c < counts.count { counts[c] += n }
        for (column, n) in prediction.unseenCategories { unseenCategories[column, default: 0] += n }
    }
}

/// Non-numeric cells of numeric columns, merged over chunks (rows are already the file's).
private struct StrayCells {
    var cells: [NonNumericCells] = []
    /// Per column, the cells that are numbers (finite or not), over every chunk.
    var numbers: [String: Int] = [:]

    mutating func add(_ found: [NonNumericCells]) {
        for f in found {
            guard let i = cells.firstIndex(where: { $0.column == f.column }) else {
                cells.append(f)
                continue
            }
            cells[i].count += f.count
            cells[i].examples += f.examples.prefix(NonNumericCells.listedRows - cells[i].examples.count)
        }
    }
}

extension PreprocessingError {
    /// The error with its row counted `offset` rows later (a chunk's row as the file's row).
    func offsettingRows(by offset: Int) -> PreprocessingError {
        switch self {
        case let .nonFinite(column, row, value): return .nonFinite(column: column, row: row + offset, value: value)
        case let .negativeValueForLog(column, row, value): return .negativeValueForLog(column: column, row: row + offset, value: value)
        case let .nonFiniteOutput(row, column, value): return .nonFiniteOutput(row: row + offset, column: column, value: value)
        default: return self
        }
    }
}
