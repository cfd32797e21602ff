import BallastCore
import BallastData
import BallastLearn
import Foundation

extension ModelBundle {
    /// Reads the records of `path` the way the model was trained: NSL-KDD files with the NSL-KDD
    /// reader; CSV files with the training delimiter, keeping the columns the preprocessing knows
    /// (identifiers and other extra columns are ignored) and the label column if present. NaN and
    /// infinite values are missing values, as in training.
    /// - Returns: the feature table and, when the file has labels, the label text of each row.
    /// - Throws: ``DataError`` for unreadable files, ``PreprocessingError/missingColumn(_:)`` naming a
    ///   feature column the file lacks.
    public func loadRecords(path: String) throws -> (features: Table, labels: [String]?) {
        let records = try readRecords(path: path)
        return (records.features, records.labels)
    }

    /// Reads the records of `path` as ``loadRecords(path:)`` does, with what the reader noticed.
    ///
    /// The columns are typed as in training: columns the model knows as categorical, and the label
    /// column, are read as text; a numeric column with a few cells that are not numbers keeps being
    /// numeric, with those cells missing and listed in ``BundleRecords/nonNumericCells`` (the rule
    /// of ``CSVReader/numericShare``, as `ballast train` reads).
    /// - Throws: as ``loadRecords(path:)``.
    public func readRecords(path: String) throws -> BundleRecords {
        if options.format == DatasetFormat.nslKDD.rawValue {
            let mode = NSLKDD.LabelMode(rawValue: options.labelMode) ?? .fiveClass
            let data = try NSLKDD.load(path: path, labelMode: mode)
            return BundleRecords(features: data.features, labels: data.labels.map { data.classNames[$0] }, nonNumericCells: [])
        }
        return try records(of: CSVReader.read(contentsOf: path, options: csvOptions))
    }

    /// How CSV records are read for the model: the training delimiter; categorical columns and the
    /// label column as text; NaN and infinity as missing values, imputed by the preprocessing, as
    /// `ballast train` reads them.
    var csvOptions: CSVOptions {
        var csv = CSVOptions(delimiter: options.delimiter?.utf8.first ?? UInt8(ascii: ","), nonFinite: .treatAsMissing)
        csv.textColumns = preprocessor.columns.filter { $0.kind == .categorical }.map(\.name) + [options.labelColumn].compactMap { $0 }
        return csv
    }

    /// The model's feature columns and the labels of a CSV read.
    /// - Throws: ``PreprocessingError/missingColumn(_:)`` naming a feature column the file lacks.
    func records(of read: CSVReadResult) throws -> BundleRecords {
        let table = read.table
        var columns: [TableColumn] = []
        for fitted in preprocessor.columns {
            guard let column = table.column(named: fitted.name) else { throw PreprocessingError.missingColumn(fitted.name) }
            columns.append(column)
        }
        let labels = options.labelColumn.flatMap { table.columnIndex(namedOrNumbered: $0) }.map { Self.labelText(table.columns[$0]) }
        let known = Set(preprocessor.columns.map(\.name))
        return BundleRecords(features: Table(columns: columns), labels: labels,
                             nonNumericCells: read.diagnostics.nonNumericCells.filter { known.contains($0.column) })
    }

    /// The text of each value of a label column.
    static func labelText(_ column: TableColumn) -> [String] {
        switch column.values {
        case let .categorical(codes, categories): return codes.map { $0 < 0 ? "" : categories[Int($0)] }
        case .numeric(let v): return v.map(CSVWriter.number)
        }
    }

    /// Class probabilities and predicted classes of raw records.
    /// - Throws: ``PreprocessingError`` for missing, extra or mistyped columns; ``LearnError``.
    public func predict(_ features: Table) throws -> BundlePrediction {
        let (matrix, report) = try preprocessor.transformWithReport(features)
        let probabilities = try model.predictProbabilities(matrix)
        return BundlePrediction(classNames: classNames, probabilities: probabilities, labels: probabilities.mostProbableClasses(),
                                unseenCategories: Dictionary(uniqueKeysWithValues: zip(report.columnNames, report.unseenCategoryCounts).filter { $0.1 > 0 }))
    }

    /// Records ``evaluate(_:labels:)`` scores at a time.
    public static let evaluationBlockRows = 65_536

    /// Scores the model on labelled records: per-class metrics over the rows whose label the model
    /// knows; rows with other labels are counted and left out (a model cannot predict a class it never saw).
    ///
    /// The records are scored `blockRows` at a time (memory for one block's matrix, and
    /// ``WorkProgress`` reports of records scored), with the same result as one whole prediction.
    /// - Parameters:
    ///   - features: the records' feature columns.
    ///   - labels: their class names.
    ///   - blockRows: records scored at a time (at least 1; default ``evaluationBlockRows``).
    /// - Throws: as ``predict(_:)``; ``DataError`` (`badLabel`) when no record has a label the model knows.
    public func evaluate(_ features: Table, labels: [String], blockRows: Int = evaluationBlockRows) throws -> BundleEvaluation {
        let n = features.rowCount, blockRows = max(1, blockRows)
        var predictedLabels: [Int] = []
        predictedLabels.reserveCapacity(n)
        var unseenCategories: [String: Int] = [:]
        var start = 0
        repeat {
            let end = min(n, start + blockRows)
            let block: BundlePrediction
            do {
                block = try predict(start == 0 && end == n ? features : features.gatherRows(start..<end))
            } catch let error as PreprocessingError {
                throw error.offsettingRows(by: start)
            }
            predictedLabels.append(contentsOf: block.labels)
            unseenCategories.merge(block.unseenCategories, uniquingKeysWith: +)
            WorkProgress.report("records scored", done: end, of: n)
            start = end
        } while start < n
        var index: [String: Int] = [:]
        for (i, name) in classNames.enumerated() { index[name] = i }
        var truth: [Int] = [], predicted: [Int] = [], unknown: [String: Int] = [:]
        for (r, label) in labels.enumerated() {
            if let c = index[label] {
                truth.append(c)
                predicted.append(predictedLabels[r])
            } else {
                unknown[label.isEmpty ? "(missing)" : label, default: 0] += 1
            }
        }
        guard !truth.isEmpty else {
            let found = unknown.keys.sorted()
            throw DataError(.badLabel, "none of the \(labels.count) records has a label the model knows: the model's classes are "
                + "\(classNames.joined(separator: ", ")); the records' labels are \(found.prefix(10).joined(separator: ", "))"
                + (found.count > 10 ? ", … (\(found.count) in all)" : ""))
        }
        let report = try ClassificationReport(truth: truth, predicted: predicted, classNames: classNames)
        return BundleEvaluation(report: report, rows: labels.count, unknownLabels: unknown, unseenCategories: unseenCategories)
    }
}

/// Records read for a ``ModelBundle`` (see ``ModelBundle/readRecords(path:)``).
public struct BundleRecords: Sendable {
    /// The feature columns the model knows, in its order.
    public var features: Table
    /// The label text of each row, when the file has the label column.
    public var labels: [String]?
    /// Numeric feature columns with a few cells that are not numbers (read as missing).
    public var nonNumericCells: [NonNumericCells]
}

/// Predictions of a ``ModelBundle`` for a table of records.
public struct BundlePrediction: Sendable {
    /// Class names, indexed by label.
    public var classNames: [String]
    /// One row per record, one column per class.
    public var probabilities: Matrix
    /// The most probable class per record.
    public var labels: [Int]
    /// Per column, how many values were categories unseen in training (mapped to the unknown bucket).
    public var unseenCategories: [String: Int]

    /// A table: predicted class, then one probability column per class (`p_<class>`, 6 decimals), then
    /// the true label when given.
    public func table(truth: [String]? = nil) -> Table {
        var columns = [TableColumn(name: "predicted", values: .categorical(codes: labels.map(Int32.init), categories: classNames))]
        for (c, name) in classNames.enumerated() {
            columns.append(TableColumn(name: "p_\(name)", values: .numeric((0..<probabilities.rows).map {
                (Double(probabilities[$0, c]) * 1e6).rounded() / 1e6
            })))
        }
        if let truth {
            var categories: [String] = [], codes: [Int32] = [], seen: [String: Int32] = [:]
            for t in truth {
                if let code = seen[t] { codes.append(code); continue }
                seen[t] = Int32(categories.count)
                codes.append(Int32(categories.count))
                categories.append(t)
            }
            columns.append(TableColumn(name: "label", values: .categorical(codes: codes, categories: categories)))
        }
        return Table(columns: columns)
    }

    /// Records predicted per class.
    public var counts: [Int] { LabeledMatrix.classCounts(of: labels, classCount: classNames.count) }
}

/// Scores of a ``ModelBundle`` on labelled records.
public struct BundleEvaluation: Sendable {
    /// Per-class and averaged metrics over the rows with known labels.
    public var report: ClassificationReport
    /// Rows read.
    public var rows: Int
    /// Labels the model was not trained on, with their row counts (left out of the metrics).
    public var unknownLabels: [String: Int]
    /// Per column, values that were categories unseen in training.
    public var unseenCategories: [String: Int]

    /// The report with notes about left-out rows and unseen categories.
    public func renderPlain() -> String {
        var text = report.renderPlain()
        if !unknownLabels.isEmpty {
            let list = unknownLabels.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            text += "left out, labels unknown to the model: \(list)\n"
        }
        if !unseenCategories.isEmpty {
            let list = unseenCategories.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            text += "categories unseen in training (treated as unknown): \(list)\n"
        }
        return text
    }

    /// Every number as JSON.
    /// - Throws: encoding errors (not expected).
    public func jsonData() throws -> Data {
        let reportObject = try JSONSerialization.jsonObject(with: report.jsonData())
        let object: [String: Any] = ["report": reportObject, "rows": rows, "unknown_labels": unknownLabels,
                                     "unseen_categories": unseenCategories]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}
