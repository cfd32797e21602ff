import BallastCore
import BallastData
import BallastLearn
import Foundation

/// Rebalances a labelled table with any resampler and returns raw records: the job behind
/// `ballast balance`.
///
/// The preprocessing is fitted on the input, the resampler runs in the preprocessed space with the
/// fitted schema (so synthetic rows respect integer, binary and one-hot columns and observed ranges),
/// and synthetic rows are mapped back with the inverse transform. Rows the resampler kept are
/// written exactly as they were read (never round-tripped through `Float`).
public struct BalanceJob: Sendable {
    /// The rebalancing method.
    public var resampler: any Resampler
    /// The catalogue text of the method, for reports.
    public var method: String
    /// How features are prepared for the resampler.
    public var preprocessing: Preprocessor

    /// Creates a job.
    public init(resampler: any Resampler, method: String, preprocessing: Preprocessor = Preprocessor()) {
        self.resampler = resampler
        self.method = method
        self.preprocessing = preprocessing
    }

    /// Runs the job.
    /// - Parameters:
    ///   - input: the labelled table.
    ///   - rng: the only source of randomness.
    /// - Returns: the rebalanced raw table and what happened.
    /// - Throws: ``PreprocessingError``, ``LearnError`` or ``ResamplingError`` (`noRowsLeft` for an
    ///   empty result).
    public func run(_ input: LabeledTable, using rng: inout some RandomNumberGenerator) throws -> BalanceOutcome {
        let start = Date()
        let fitted = try preprocessing.fit(input.features)
        let (sources, labels, syntheticMatrix, warnings, generators) = try resample(input, fitted: fitted, using: &rng)
        let syntheticCount = syntheticMatrix.rows
        let synthetic = try fitted.inverseTransform(syntheticMatrix)
        let stacked = try input.features.appendingRows(of: synthetic)
        var syntheticSlot = input.rowCount
        let order = sources.map { source -> Int in
            if let source { return source }
            defer { syntheticSlot += 1 }
            return syntheticSlot
        }
        // Over-samplers keep every input row in place and append the new ones: no reordering copy.
        let isIdentity = order.count == stacked.rowCount && order.enumerated().allSatisfy { $0.offset == $0.element }
        let output = LabeledTable(features: isIdentity ? stacked : stacked.gatherRows(order), labels: labels,
                                  classNames: input.classNames, source: input.source)
        return BalanceOutcome(method: method, classNames: input.classNames, before: input.classCounts,
                              after: output.classCounts, syntheticRows: syntheticCount, warnings: warnings,
                              generators: generators, seconds: Date().timeIntervalSince(start), output: output,
                              featureNames: fitted.featureNames, isSynthetic: sources.map { $0 == nil })
    }

    /// Resamples the preprocessed input. The preprocessed matrix and the resampled one are released
    /// when this returns (only the synthetic rows are kept), before the raw records are rebuilt.
    /// - Returns: each output row's input row (`nil`: synthetic), the output labels, the synthetic
    ///   rows in output order, warnings and generator reports.
    private func resample(_ input: LabeledTable, fitted: FittedPreprocessor, using rng: inout some RandomNumberGenerator) throws
        -> (sources: [Int?], labels: [Int], synthetic: Matrix, warnings: [ResamplingWarning], generators: [GeneratorReport]) {
        let matrix = try input.labeledMatrix(using: fitted)
        let result = try resampler.fitResample(matrix, schema: FeatureSchema(preprocessor: fitted), using: &rng)
        guard result.data.count > 0 else { throw ResamplingError.noRowsLeft(method: method) }
        let sources = Self.provenance(of: result.data, in: matrix)
        let syntheticRows = sources.indices.filter { sources[$0] == nil }
        return (sources, result.data.labels, result.data.features.gatherRows(syntheticRows), result.warnings, result.generators)
    }

    /// For each output row, the input row it is (the earliest unused identical row with the same label
    /// at or after the previous match), or `nil` for a synthetic row.
    static func provenance(of output: LabeledMatrix, in input: LabeledMatrix) -> [Int?] {
        // Fast path (every over-sampler): the output starts with the input rows in order. The general
        // search below gives the same answer then (each of those rows matches itself, and no later
        // row can match an input row before the last one), without hashing every row.
        if output.count >= input.count, (0..<input.count).allSatisfy({ same(output, $0, input, $0) }) {
            return (0..<output.count).map { $0 < input.count ? $0 : nil }
        }
        var byHash: [Int: [Int]] = [:]
        for i in 0..<input.count { byHash[rowHash(input, i), default: []].append(i) }
        var cursor: [Int: Int] = [:]
        var next = 0
        return (0..<output.count).map { r -> Int? in
            let h = rowHash(output, r)
            guard let candidates = byHash[h] else { return nil }
            var p = cursor[h] ?? 0
            while p < candidates.count && candidates[p] < next { p += 1 }
            cursor[h] = p
            while p < candidates.count && !same(output, r, input, candidates[p]) { p += 1 }
            guard p < candidates.count else { return nil }
            next = candidates[p] + 1
            return candidates[p]
        }
    }

    static func rowHash(_ m: LabeledMatrix, _ r: Int) -> Int {
        var h = Hasher()
        h.combine(m.labels[r])
        let cols = m.features.columns
        m.features.withUnsafeBufferPointer { for c in 0..<cols { h.combine($0[r * cols + c].bitPattern) } }
        return h.finalize()
    }

    static func same(_ a: LabeledMatrix, _ i: Int, _ b: LabeledMatrix, _ j: Int) -> Bool {
        guard a.labels[i] == b.labels[j] else { return false }
        let cols = a.features.columns
        return a.features.withUnsafeBufferPointer { x in
            b.features.withUnsafeBufferPointer { y in
                (0..<cols).allSatisfy { x[i * cols + $0] == y[j * cols + $0] }
            }
        }
    }
}

/// What a ``BalanceJob`` did: counts per class before and after, warnings, time, and the output.
public struct BalanceOutcome: Sendable {
    /// The method's catalogue text.
    public var method: String
    /// Class names, indexed by label.
    public var classNames: [String]
    /// Rows per class in the input.
    public var before: [Int]
    /// Rows per class in the output.
    public var after: [Int]
    /// Output rows that are synthetic (not input rows).
    public var syntheticRows: Int
    /// Adjustments the resampler made.
    public var warnings: [ResamplingWarning]
    /// What each deep generator of the method did: size, training curves, per-class fidelity of
    /// its rows (mean column KS, distinct share, range coverage) and fit time; empty otherwise.
    public var generators: [GeneratorReport] = []
    /// Wall time of preprocessing, resampling and inverse transform.
    public var seconds: Double
    /// The rebalanced raw records.
    public var output: LabeledTable
    /// Names of the preprocessed columns the generators worked on (to name a worst column).
    public var featureNames: [String] = []
    /// Whether each output row is synthetic (`false`: an input row kept as it was).
    public var isSynthetic: [Bool]

    /// The output with a last feature column `column` holding 1 for a synthetic row and 0 for a
    /// kept input row (what `ballast validate` reads to tell them apart).
    /// - Parameter column: the marker column's name.
    /// - Throws: ``DataError`` (`invalidOption`) when the data already has a column of that name.
    public func outputMarkingSynthetic(column: String = FidelityDataset.defaultMarkerColumn) throws -> LabeledTable {
        guard output.features.columnIndex(named: column) == nil else {
            throw DataError(.invalidOption, "the data already has a column '\(column)'; cannot add the synthetic-row marker")
        }
        var marked = output
        marked.features.columns.append(TableColumn(name: column, values: .numeric(isSynthetic.map { $0 ? 1 : 0 })))
        return marked
    }

    /// Only the synthetic output rows.
    public var syntheticOutput: LabeledTable {
        output.gatherRows(isSynthetic.indices.filter { isSynthetic[$0] })
    }

    /// A table of counts per class, before and after, with the change.
    public func renderPlain() -> String {
        var table = TextTable(columns: [.init("class", .left), .init("before"), .init("after"), .init("change")])
        for (c, name) in classNames.enumerated() {
            let delta = after[c] - before[c]
            table.append([name, "\(before[c])", "\(after[c])", delta == 0 ? "0" : (delta > 0 ? "+\(delta)" : "\(delta)")])
        }
        table.appendSeparator()
        let total = (before.reduce(0, +), after.reduce(0, +))
        table.append(["total", "\(total.0)", "\(total.1)", total.1 >= total.0 ? "+\(total.1 - total.0)" : "\(total.1 - total.0)"])
        var text = "method: \(method)\n" + table.renderPlain()
        text += "synthetic rows: \(syntheticRows); time: \(String(format: "%.2f", seconds)) s\n"
        for report in generators { text += report.renderPlain(featureNames: featureNames) }
        for w in warnings { text += "warning: \(w)\n" }
        return text
    }

    /// The counts, warnings and timing as JSON (no records).
    /// - Throws: encoding errors (not expected).
    public func jsonData(seed: UInt64, output path: String) throws -> Data {
        struct Row: Encodable { let name: String; let before: Int; let after: Int }
        struct Payload: Encodable {
            let method: String; let seed: UInt64; let output: String; let classes: [Row]
            let syntheticRows: Int; let warnings: [String]; let seconds: Double; let generators: [GeneratorReport]
        }
        let payload = Payload(method: method, seed: seed, output: path,
                              classes: classNames.indices.map { Row(name: classNames[$0], before: before[$0], after: after[$0]) },
                              syntheticRows: syntheticRows, warnings: warnings.map(\.description), seconds: seconds,
                              generators: generators)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(payload)
    }
}
