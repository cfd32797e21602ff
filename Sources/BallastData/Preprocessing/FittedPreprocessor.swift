import BallastCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A preprocessing fitted on training data: maps tables to `Float` feature matrices and back.
///
/// Columns of a table to transform are matched **by name**. A fitted column that is absent is an
/// error naming it; a column that was not fitted is an error too (so a forgotten label or identifier
/// column cannot silently become a feature) — drop such columns before transforming.
///
/// The output layout is exposed for resamplers and generators: ``outputColumns`` tells for every
/// output column its source column and ``OutputColumn/Role``, and ``oneHotGroups`` lists the output
/// ranges of the one-hot groups.
public struct FittedPreprocessor: Sendable, Equatable {
    /// The hyperparameters this was fitted with.
    public var configuration: Preprocessor
    /// One entry per input column, in the training table's order.
    public var columns: [FittedColumn]
    /// One entry per output column.
    public var outputColumns: [OutputColumn]
    /// The output columns of each one-hot group, in column order.
    public var oneHotGroups: [Range<Int>]

    /// Creates a fitted preprocessing (normally done by ``Preprocessor/fit(_:)``).
    public init(configuration: Preprocessor, columns: [FittedColumn], outputColumns: [OutputColumn], oneHotGroups: [Range<Int>]) {
        self.configuration = configuration
        self.columns = columns
        self.outputColumns = outputColumns
        self.oneHotGroups = oneHotGroups
    }

    /// Number of output columns (122 for NSL-KDD with one-hot encoding).
    public var outputWidth: Int { outputColumns.count }

    /// Output column names; one-hot indicators are named `column=category` (e.g. `service=http`).
    public var featureNames: [String] { outputColumns.map(\.name) }

    /// Per-column counts gathered while transforming.
    public struct TransformReport: Sendable, Equatable {
        /// The fitted column names, in order.
        public var columnNames: [String]
        /// Values of categories not seen in training, per column (mapped to the unknown bucket).
        public var unseenCategoryCounts: [Int]
        /// Missing values replaced by the imputation value, per column.
        public var imputedCounts: [Int]

        /// Total unseen categories over all columns.
        public var totalUnseen: Int { unseenCategoryCounts.reduce(0, +) }
        /// Total imputed values over all columns.
        public var totalImputed: Int { imputedCounts.reduce(0, +) }
    }

    /// Transforms a table into the feature matrix.
    /// - Parameter table: a table with exactly the fitted columns (in any order).
    /// - Returns: a `rows × outputWidth` matrix.
    /// - Throws: ``PreprocessingError`` when a fitted column is missing, an unfitted column is present,
    ///   a column changed between numeric and categorical, a value is infinite, or a log column holds a
    ///   value ≤ -1.
    public func transform(_ table: Table) throws -> Matrix {
        try transformWithReport(table).matrix
    }

    /// Transforms a table and reports unseen categories and imputed values per column.
    /// - Parameter table: a table with exactly the fitted columns (in any order).
    /// - Returns: the feature matrix and the per-column counts.
    /// - Throws: the errors of ``transform(_:)``.
    public func transformWithReport(_ table: Table) throws -> (matrix: Matrix, report: TransformReport) {
        let sources = try matchColumns(table)
        let inputs: [ColumnInput] = columns.indices.map { j in
            switch table.columns[sources[j]].values {
            case let .numeric(values): return .numeric(values)
            case let .categorical(codes, categories):
                return .categorical(codes: codes, map: Self.categoryMap(from: categories, to: columns[j].categories))
            }
        }
        let rows = table.rowCount, width = outputWidth
        var out = Matrix(rows: rows, columns: width)
        let parts = out.withUnsafeMutableBufferPointer { buf in
            let dst = SendableBuffer(buf)
            return Parallel.mapChunks(0..<rows, minimumChunk: 8192) { range in
                self.transformRows(range, inputs, dst.buffer)
            }
        }
        var unseen = [Int](repeating: 0, count: columns.count)
        var imputed = [Int](repeating: 0, count: columns.count)
        for part in parts {
            if let error = part.error { throw error }
            for j in columns.indices {
                unseen[j] += part.unseen[j]
                imputed[j] += part.imputed[j]
            }
        }
        return (out, TransformReport(columnNames: columns.map(\.name), unseenCategoryCounts: unseen, imputedCounts: imputed))
    }

    /// The values of one input column, with categorical codes already mapped to fitted indices.
    private enum ColumnInput: Sendable {
        case numeric([Double])
        case categorical(codes: [Int32], map: [Int])
    }

    /// For each of a table column's categories, its index among the fitted ones (-1 when unseen).
    ///
    /// Tables decoded with the fitted categories first, in order (the web service's records; the
    /// training table itself), map without hashing: one service request would otherwise hash every
    /// category of every categorical column.
    static func categoryMap(from categories: [String], to fitted: [String]) -> [Int] {
        let shared = min(categories.count, fitted.count)
        var prefix = 0
        while prefix < shared, categories[prefix] == fitted[prefix] { prefix += 1 }
        if prefix == categories.count { return Array(0..<prefix) }
        var position: [String: Int] = [:]
        position.reserveCapacity(fitted.count)
        for (i, c) in fitted.enumerated() where position[c] == nil { position[c] = i }
        return Array(0..<prefix) + categories[prefix...].map { position[$0] ?? -1 }
    }

    /// Counts (or the first error) of one chunk of rows.
    private struct ChunkResult: Sendable {
        var unseen: [Int]
        var imputed: [Int]
        var error: PreprocessingError?
    }

    /// Transforms `range` in blocks of rows small enough that the output block stays in cache.
    private func transformRows(_ range: Range<Int>, _ inputs: [ColumnInput], _ dst: UnsafeMutableBufferPointer<Float>) -> ChunkResult {
        var result = ChunkResult(unseen: Array(repeating: 0, count: columns.count),
                                 imputed: Array(repeating: 0, count: columns.count), error: nil)
        let width = outputWidth
        let oneHot = configuration.categoricalEncoding == .oneHot
        var start = range.lowerBound
        while start < range.upperBound {
            let block = start..<min(start + 256, range.upperBound)
            for (j, fitted) in columns.enumerated() {
                let offset = fitted.outputRange.lowerBound
                switch inputs[j] {
                case let .numeric(values):
                    do {
                        result.imputed[j] += try values.withUnsafeBufferPointer { src in
                            try Self.transformNumeric(fitted, src, block, dst, offset: offset, stride: width)
                        }
                    } catch {
                        result.error = error as? PreprocessingError
                        return result
                    }
                case let .categorical(codes, map):
                    let counts = codes.withUnsafeBufferPointer { src in
                        Self.transformCategorical(fitted, src, map: map, block, oneHot: oneHot, dst, offset: offset, stride: width)
                    }
                    result.unseen[j] += counts.unseen
                    result.imputed[j] += counts.imputed
                }
            }
            start = block.upperBound
        }
        return result
    }

    /// The index in `table` of each fitted column, after checking names and kinds.
    private func matchColumns(_ table: Table) throws -> [Int] {
        // Records built from the model's own schema (the web service's) have its columns in order:
        // no name index is needed, and there can be no extra column.
        let inOrder = table.columns.count == columns.count && zip(table.columns, columns).allSatisfy { $0.name == $1.name }
        var index: [String: Int] = [:]
        if !inOrder {
            for (i, c) in table.columns.enumerated() where index[c.name] == nil { index[c.name] = i }
        }
        var sources: [Int] = []
        sources.reserveCapacity(columns.count)
        for (position, fitted) in columns.enumerated() {
            guard let i = inOrder ? position : index[fitted.name] else { throw PreprocessingError.missingColumn(fitted.name) }
            let isCategorical: Bool
            if case .categorical = table.columns[i].values { isCategorical = true } else { isCategorical = false }
            if isCategorical != (fitted.kind == .categorical) {
                throw PreprocessingError.columnKindMismatch(column: fitted.name, fitted: fitted.kind.rawValue,
                                                            found: isCategorical ? "categorical" : "numeric")
            }
            sources.append(i)
        }
        if inOrder { return sources }
        let fittedNames = Set(columns.map(\.name))
        let extra = table.columnNames.filter { !fittedNames.contains($0) }
        if !extra.isEmpty { throw PreprocessingError.unexpectedColumns(extra) }
        return sources
    }

    /// Writes rows `block` of one numeric column; returns the number of imputed values.
    private static func transformNumeric(_ f: FittedColumn, _ src: UnsafeBufferPointer<Double>, _ block: Range<Int>,
                                         _ dst: UnsafeMutableBufferPointer<Float>, offset: Int, stride: Int) throws -> Int {
        var imputed = 0
        let lo = f.observedMin, hi = f.observedMax, clip = f.clipsToTrainingRange, useLog = f.logTransformed
        let shift = f.shift, factor = f.factor, base = f.base, tieBreaks = f.tieBreaks
        for r in block {
            var x = src[r]
            if x.isNaN {
                x = f.imputationValue
                imputed += 1
            } else if !x.isFinite {
                throw PreprocessingError.nonFinite(column: f.name, row: r, value: x)
            }
            if clip { x = min(max(x, lo), hi) }
            if useLog && x <= -1 { throw PreprocessingError.negativeValueForLog(column: f.name, row: r, value: x) }
            dst[r * stride + offset] = FittedColumn.output(raw: x, logTransformed: useLog, shift: shift, factor: factor, base: base,
                                                           tieBreaks: tieBreaks)
        }
        return imputed
    }

    /// Writes rows `block` of one categorical column; returns the unseen and imputed counts.
    private static func transformCategorical(_ f: FittedColumn, _ codes: UnsafeBufferPointer<Int32>, map: [Int], _ block: Range<Int>,
                                             oneHot: Bool, _ dst: UnsafeMutableBufferPointer<Float>, offset: Int, stride: Int)
        -> (unseen: Int, imputed: Int) {
        let unknown = f.categories.count
        let mode = Int(f.imputationValue)
        var unseen = 0, imputed = 0
        for r in block {
            let code = Int(codes[r])
            var k: Int
            if code < 0 || code >= map.count {
                k = mode
                imputed += 1
            } else {
                k = map[code]
                if k < 0 { k = unknown; unseen += 1 }
            }
            let o = r * stride + offset
            if oneHot {
                if k < unknown { dst[o + k] = 1 }
            } else {
                dst[o] = Float(k)
            }
        }
        return (unseen, imputed)
    }
}

extension LabeledTable {
    /// The feature matrix of this table under a fitted preprocessing, with labels and class names.
    /// - Parameter preprocessor: preprocessing fitted on the training features.
    /// - Returns: the labelled matrix ready for resamplers and classifiers.
    /// - Throws: ``PreprocessingError`` from ``FittedPreprocessor/transform(_:)``, or
    ///   `.labelCountMismatch` when labels and rows differ in number.
    public func labeledMatrix(using preprocessor: FittedPreprocessor) throws -> LabeledMatrix {
        if labels.count != features.rowCount {
            throw PreprocessingError.labelCountMismatch(rows: features.rowCount, labels: labels.count)
        }
        return LabeledMatrix(features: try preprocessor.transform(features), labels: labels, classNames: classNames)
    }
}
