import BallastCore
import BallastData

/// One side (real or synthetic) of one compared group, gathered column by column once: each
/// numeric column's values and their ascending copy without NaN, each categorical column's codes.
/// Every statistic of the group reads from here; columns are gathered and sorted in parallel.
struct ColumnSample: Sendable {
    /// Rows in the sample.
    let rows: Int
    /// Numeric columns' values in row order (an empty array for a categorical column).
    let values: [[Double]]
    /// Numeric columns' non-missing values, ascending (empty for a categorical column).
    let sorted: [[Double]]
    /// Numeric columns' row positions in ascending order of value, missing last (``RadixSort/order(_:)``).
    let order: [[Int32]]
    /// Categorical columns' codes into ``FidelityColumn/categories`` (−1 missing; empty for numeric).
    let codes: [[Int32]]

    /// Gathers `rows` of `table`.
    init(_ table: Table, rows: [Int], columns: [FidelityColumn]) {
        self.rows = rows.count
        let parts = Parallel.mapChunks(0..<columns.count, minimumChunk: 1, chunksPerThread: 64) { range in
            range.map { j -> (values: [Double], sorted: [Double], order: [Int32], codes: [Int32]) in
                switch table.columns[j].values {
                case .numeric(let all):
                    let gathered = all.withUnsafeBufferPointer { src in rows.map { src[$0] } }
                    let order = gathered.withUnsafeBufferPointer { RadixSort.order($0) }
                    var sorted: [Double] = []
                    sorted.reserveCapacity(order.count)
                    for i in order where !gathered[Int(i)].isNaN { sorted.append(gathered[Int(i)]) }
                    return (gathered, sorted, order, [])
                case .categorical(let all, _):
                    return ([], [], [], all.withUnsafeBufferPointer { src in rows.map { src[$0] } })
                }
            }
        }.flatMap { $0 }
        values = parts.map(\.values)
        sorted = parts.map(\.sorted)
        order = parts.map(\.order)
        codes = parts.map(\.codes)
    }

    /// Rows whose value of numeric column `j` is missing.
    func missing(_ j: Int) -> Int { rows - sorted[j].count }

    /// How many rows of categorical column `j` hold each code (index `categoryCount` counts missing).
    func categoryCounts(_ j: Int, categoryCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: categoryCount + 1)
        for c in codes[j] { counts[c >= 0 && Int(c) < categoryCount ? Int(c) : categoryCount] += 1 }
        return counts
    }
}
