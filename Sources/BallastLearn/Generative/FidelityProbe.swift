import BallastCore

/// A quick fidelity score for early stopping and mode-collapse checks: the mean over columns of the
/// two-sample Kolmogorov–Smirnov statistic between generated rows and real rows of a class, averaged
/// over the classes with equal weight (so a rare class counts as much as the majority).
///
/// The reference rows of a class are its held-out validation rows; a class with fewer than
/// ``minimumReference`` of them is compared with all of its rows in the data instead (a KS on three
/// rows says nothing). At most ``rowCap`` rows per class are used on either side (an even stride
/// through the rows), so a probe costs a few milliseconds. Generated rows are snapped to the schema
/// before scoring: the score is about the rows a user gets.
public struct FidelityProbe: Sendable {
    /// Most rows per class compared on each side.
    public static let rowCap = 2000
    /// Fewest generated rows per class.
    public static let minimumSample = 500
    /// Fewest validation rows of a class before its training rows are used as the reference.
    public static let minimumReference = 20

    /// The classes scored, with their sorted reference columns (column-major).
    let references: [(classIndex: Int, rows: Int, sortedColumns: [Float])]
    let schema: FeatureSchema
    let width: Int

    /// A probe of the classes present among `rows`.
    /// - Parameters:
    ///   - data: every row the generator was given.
    ///   - rows: the held-out rows (indices into `data`).
    ///   - schema: snaps generated rows before scoring.
    public init(data: LabeledMatrix, rows: [Int], schema: FeatureSchema) {
        var byClass: [Int: [Int]] = [:]
        for r in rows { byClass[data.labels[r], default: []].append(r) }
        var all: [Int: [Int]] = [:]
        for (r, label) in data.labels.enumerated() where byClass[label] != nil { all[label, default: []].append(r) }
        references = byClass.keys.sorted().map { c in
            let held = byClass[c] ?? []
            let chosen = Self.stride(held.count >= Self.minimumReference ? held : (all[c] ?? held), cap: Self.rowCap)
            return (c, chosen.count, Self.sortedColumns(data.features.gatherRows(chosen)))
        }
        self.schema = schema
        width = data.features.columns
    }

    /// The classes the probe scores, ascending.
    public var classes: [Int] { references.map(\.classIndex) }

    /// The mean over classes of the mean per-column KS statistic (0: indistinguishable marginals,
    /// 1: disjoint).
    /// - Parameter sample: generates `count` rows of class `classIndex`.
    /// - Throws: what `sample` throws.
    public func score(sample: (_ classIndex: Int, _ count: Int) throws -> Matrix) rethrows -> Double {
        guard !references.isEmpty else { return 0 }
        var total = 0.0
        for reference in references {
            var generated = try sample(reference.classIndex, min(max(reference.rows, Self.minimumSample), Self.rowCap))
            schema.snap(&generated)
            let ks = Self.columnKS(sortedReference: reference.sortedColumns, referenceRows: reference.rows, generated)
            total += ks.reduce(0, +) / Double(max(ks.count, 1))
        }
        return total / Double(references.count)
    }

    /// The KS statistic of every column between two matrices of the same width.
    /// - Precondition: equal column counts.
    public static func columnKS(_ a: Matrix, _ b: Matrix) -> [Double] {
        precondition(a.columns == b.columns, "FidelityProbe.columnKS: \(a.columns) vs \(b.columns) columns")
        return columnKS(sortedReference: sortedColumns(a), referenceRows: a.rows, b)
    }

    static func columnKS(sortedReference: [Float], referenceRows n: Int, _ generated: Matrix) -> [Double] {
        let m = generated.rows
        let other = sortedColumns(generated)
        return sortedReference.withUnsafeBufferPointer { ref in
            other.withUnsafeBufferPointer { gen in
                (0..<generated.columns).map { c in
                    Distribution.kolmogorovSmirnovStatistic(sorted: UnsafeBufferPointer(rebasing: ref[(c * n)..<(c * n + n)]),
                                                            UnsafeBufferPointer(rebasing: gen[(c * m)..<(c * m + m)])) ?? 0
                }
            }
        }
    }

    /// The columns of `matrix`, each sorted ascending, one after another.
    static func sortedColumns(_ matrix: Matrix) -> [Float] {
        let rows = matrix.rows, cols = matrix.columns
        var out = [Float](repeating: 0, count: rows * cols)
        matrix.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for c in 0..<cols {
                    for r in 0..<rows { o[c * rows + r] = x[r * cols + c] }
                    o[(c * rows)..<(c * rows + rows)].sort()
                }
            }
        }
        return out
    }

    /// At most `cap` of `rows`, evenly spaced.
    static func stride(_ rows: [Int], cap: Int) -> [Int] {
        guard rows.count > cap else { return rows }
        return (0..<cap).map { rows[$0 * rows.count / cap] }
    }
}
