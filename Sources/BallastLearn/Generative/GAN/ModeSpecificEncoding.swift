import BallastCore
import Foundation

/// CTGAN's representation of a row (Xu et al., 2019, §4.2; the `ctgan` package's
/// `DataTransformer`), over rows already min-max scaled to [−1, 1]: each continuous column becomes
/// one scalar and a one-hot mode indicator (``ModeNormalizer``); each one-hot group of the schema
/// and each binary flag becomes a one-hot span of its categories.
///
/// Layout of an encoded row: the continuous columns' scalars first (in column order, for the
/// generator's `tanh`), then every span (mode indicators and categories) ordered by width, so the
/// generator's softmax can normalise runs of equal-width spans together. ``inverse(_:)`` takes the
/// arg-max of each span, so it maps any generator output back to a valid scaled row.
struct ModeSpecificEncoding: Sendable, Codable, Equatable {
    /// One source column or one-hot group of the scaled rows.
    enum Column: Sendable, Codable, Equatable {
        /// A continuous column and its modes.
        case continuous(source: Int, normalizer: ModeNormalizer)
        /// A one-hot group: the category is the largest column of the range.
        case categorical(sources: Range<Int>)
        /// A two-valued column: −1 or 1 in the scaled space.
        case binary(source: Int)

        /// Categories of a discrete column, modes of a continuous one.
        var spanWidth: Int {
            switch self {
            case .continuous(_, let normalizer): normalizer.modes
            case .categorical(let sources): sources.count
            case .binary: 2
            }
        }

        /// Whether the column is discrete (a condition of training-by-sampling).
        var isDiscrete: Bool {
            if case .continuous = self { return false }
            return true
        }
    }

    /// The most modes a continuous column may have (the `modes` parameter's limit).
    static let maximumModes = 50

    /// Columns of a scaled row.
    let width: Int
    /// The columns, in source order.
    let columns: [Column]
    /// Which column each span encodes, in output order (stable by width).
    let spanColumns: [Int]

    /// Fits the encoding of `scaled` rows.
    /// - Parameters:
    ///   - scaled: rows in [−1, 1] (``ColumnScaler``), at least one.
    ///   - schema: one-hot groups of two or more columns and binary columns become categories;
    ///     every other column is continuous.
    ///   - maxModes: the most modes per continuous column.
    ///   - weightThreshold: modes of at most this weight are dropped.
    ///   - rng: seeds each column's mixture (drawn before the columns are fitted in parallel).
    init(fitting scaled: Matrix, schema: FeatureSchema, maxModes: Int, weightThreshold: Double,
         using rng: inout some RandomNumberGenerator) {
        let minimums = scaled.columnMinimums(), maximums = scaled.columnMaximums()
        var plan: [Column?] = [], continuous: [Int] = []
        var c = 0
        while c < scaled.columns {
            if case .categorical(let g) = schema.kinds[c], schema.categoricalGroups[g].count >= 2, schema.categoricalGroups[g].lowerBound == c {
                plan.append(.categorical(sources: schema.categoricalGroups[g]))
                c = schema.categoricalGroups[g].upperBound
                continue
            }
            if schema.kinds[c] == .binary, minimums[c] < maximums[c] {
                plan.append(.binary(source: c))
            } else {
                plan.append(nil)
                continuous.append(c)
            }
            c += 1
        }
        let seeds = rng.childSeeds(continuous.count), sources = continuous
        let fitted = Parallel.mapChunks(0..<sources.count, chunksPerThread: 8) { range in
            range.map { i -> ModeNormalizer in
                var child = Xoshiro256StarStar(seed: seeds[i])
                let column = (0..<scaled.rows).map { scaled[$0, sources[i]] }
                return ModeNormalizer(fitting: column, maxModes: maxModes, weightThreshold: weightThreshold, using: &child)
            }
        }.flatMap { $0 }
        var next = 0
        let all = plan.map { column -> Column in
            if let column { return column }
            defer { next += 1 }
            return .continuous(source: sources[next], normalizer: fitted[next])
        }
        columns = all
        width = scaled.columns
        spanColumns = all.indices.sorted { (all[$0].spanWidth, $0) < (all[$1].spanWidth, $1) }
    }

    /// Number of continuous columns (the leading `tanh` scalars).
    var scalarCount: Int { columns.filter { !$0.isDiscrete }.count }

    /// The widths of the spans, in output order.
    var spanWidths: [Int] { spanColumns.map { columns[$0].spanWidth } }

    /// Width of an encoded row.
    var encodedWidth: Int { spanWidths.reduce(scalarCount, +) }

    /// Where each column's span starts in an encoded row, and where its scalar is (continuous only).
    var offsets: (span: [Int], scalar: [Int?]) {
        var span = [Int](repeating: 0, count: columns.count), scalar = [Int?](repeating: nil, count: columns.count)
        var start = scalarCount, s = 0
        for j in spanColumns {
            span[j] = start
            start += columns[j].spanWidth
        }
        for (j, column) in columns.enumerated() where !column.isDiscrete {
            scalar[j] = s
            s += 1
        }
        return (span, scalar)
    }

    /// The discrete columns, in span order: the conditions of training-by-sampling.
    var discreteColumns: [Int] { spanColumns.filter { columns[$0].isDiscrete } }

    /// The category of a discrete column in one scaled row.
    func category(of column: Int, in row: UnsafeBufferPointer<Float>) -> Int {
        switch columns[column] {
        case .categorical(let sources): return (sources.max { row[$0] < row[$1] } ?? sources.lowerBound) - sources.lowerBound
        case .binary(let source): return row[source] > 0 ? 1 : 0
        case .continuous: return 0
        }
    }

    /// Encodes scaled rows; each continuous value's mode is drawn from its posterior.
    /// - Parameters:
    ///   - scaled: `rows × width`.
    ///   - rng: draws the modes.
    func transform(_ scaled: Matrix, using rng: inout some RandomNumberGenerator) -> Matrix {
        precondition(scaled.columns == width, "ModeSpecificEncoding: \(scaled.columns) columns, expected \(width)")
        let (spanStart, scalarIndex) = offsets
        let out = encodedWidth
        var encoded = Matrix(rows: scaled.rows, columns: out)
        var scratch = [Double](repeating: 0, count: columns.map(\.spanWidth).max() ?? 1)
        scaled.withUnsafeBufferPointer { x in
            encoded.withUnsafeMutableBufferPointer { e in
                for r in 0..<scaled.rows {
                    let row = UnsafeBufferPointer(rebasing: x[(r * width)..<(r * width + width)])
                    for (j, column) in columns.enumerated() {
                        let k: Int
                        if case let .continuous(source, normalizer) = column, let s = scalarIndex[j] {
                            k = normalizer.mode(of: row[source], scratch: &scratch, using: &rng)
                            e[r * out + s] = normalizer.normalize(row[source], mode: k)
                        } else {
                            k = category(of: j, in: row)
                        }
                        e[r * out + spanStart[j] + k] = 1
                    }
                }
            }
        }
        return encoded
    }

    /// Decodes rows (a generator's output or an encoding): the arg-max of every span picks the mode
    /// or category; a continuous value is its scalar de-normalised in that mode.
    /// - Parameter encoded: `rows × encodedWidth`.
    /// - Returns: `rows × width` scaled rows.
    func inverse(_ encoded: Matrix) -> Matrix {
        let out = encodedWidth
        precondition(encoded.columns == out, "ModeSpecificEncoding: \(encoded.columns) columns, expected \(out)")
        let (spanStart, scalarIndex) = offsets
        var scaled = Matrix(rows: encoded.rows, columns: width)
        encoded.withUnsafeBufferPointer { e in
            scaled.withUnsafeMutableBufferPointer { x in
                for r in 0..<encoded.rows {
                    for (j, column) in columns.enumerated() {
                        let start = r * out + spanStart[j]
                        var k = 0
                        for i in 1..<max(column.spanWidth, 1) where e[start + i] > e[start + k] { k = i }
                        switch column {
                        case let .continuous(source, normalizer):
                            x[r * width + source] = normalizer.denormalize(e[r * out + (scalarIndex[j] ?? 0)], mode: k)
                        case .categorical(let sources):
                            for (i, c) in sources.enumerated() { x[r * width + c] = i == k ? 1 : -1 }
                        case .binary(let source):
                            x[r * width + source] = k == 1 ? 1 : -1
                        }
                    }
                }
            }
        }
        return scaled
    }

    /// Checks a decoded encoding: every source column covered once, sizes and modes in range.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)``.
    func validate(width expected: Int) throws {
        var covered = [Bool](repeating: false, count: max(expected, 0))
        func cover(_ c: Int) -> Bool {
            guard covered.indices.contains(c), !covered[c] else { return false }
            covered[c] = true
            return true
        }
        var ok = width == expected && spanColumns.sorted() == Array(columns.indices)
        for column in columns where ok {
            switch column {
            case let .continuous(source, normalizer):
                ok = cover(source)
                try normalizer.validate(maxModes: Self.maximumModes)
            case .categorical(let sources): ok = sources.count >= 2 && sources.allSatisfy(cover)
            case .binary(let source): ok = cover(source)
            }
        }
        guard ok, covered.allSatisfy({ $0 }) else {
            throw LearnError.invalidParameter(name: "encoding", value: "\(columns.count) columns over \(width)",
                                              expected: "every one of \(expected) columns encoded exactly once")
        }
    }
}
