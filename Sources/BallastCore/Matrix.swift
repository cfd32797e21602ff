/// A dense row-major matrix of `Float`, with value semantics (copy-on-write storage).
///
/// Element `(r, c)` is at offset `r * columns + c` of the contiguous storage. Shape mismatches in
/// arithmetic are programmer errors (`precondition`); code that takes user data validates shapes
/// first and throws.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// Row-major storage, `rows * columns` elements.
    public private(set) var storage: [Float]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major values.
    /// - Precondition: `values.count == rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                     "Matrix: \(values.count) values cannot fill \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = values
    }

    /// A matrix from equal-length rows (convenient in tests; not for hot paths).
    /// - Precondition: every row has the same length.
    public init(_ rowArrays: [[Float]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "Matrix: ragged rows")
        self.init(rows: rowArrays.count, columns: c, values: rowArrays.flatMap { $0 })
    }

    /// A matrix whose elements are produced by `body(row, column)`, filled in row-major order.
    public init(rows: Int, columns: Int, generator body: (Int, Int) throws -> Float) rethrows {
        self.init(rows: rows, columns: columns)
        for r in 0..<rows {
            for c in 0..<columns { storage[r * columns + c] = try body(r, c) }
        }
    }

    /// Element count.
    @inlinable public var count: Int { rows * columns }

    /// `true` when the matrix has no elements.
    @inlinable public var isEmpty: Bool { rows == 0 || columns == 0 }

    /// The element at `(row, column)`.
    public subscript(row: Int, column: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return storage[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            storage[row * columns + column] = newValue
        }
    }

    /// A copy of row `r`.
    public func row(_ r: Int) -> [Float] {
        precondition(r >= 0 && r < rows, "Matrix row \(r) out of range 0..<\(rows)")
        return Array(storage[r * columns ..< (r + 1) * columns])
    }

    /// Calls `body` with the contiguous row-major storage.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable access to the contiguous row-major storage (copying it first if shared).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }

    /// Reinterprets the storage with a new shape of the same element count.
    public func reshaped(rows newRows: Int, columns newColumns: Int) -> Matrix {
        precondition(newRows * newColumns == count, "Matrix: cannot reshape \(rows)×\(columns) to \(newRows)×\(newColumns)")
        return Matrix(rows: newRows, columns: newColumns, values: storage)
    }
}

extension Matrix {
    /// The rows at `indices`, in that order (indices may repeat).
    /// - Precondition: every index is in `0..<rows`.
    public func gatherRows<C: Collection>(_ indices: C) -> Matrix where C.Element == Int {
        var out = Matrix(rows: indices.count, columns: columns)
        let c = columns
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                var o = 0
                for r in indices {
                    precondition(r >= 0 && r < rows, "gatherRows: row \(r) out of range 0..<\(rows)")
                    if c > 0 {
                        (dst.baseAddress! + o * c).update(from: src.baseAddress! + r * c, count: c)
                    }
                    o += 1
                }
            }
        }
        return out
    }

    /// The columns at `indices`, in that order.
    public func selectColumns(_ indices: [Int]) -> Matrix {
        precondition(indices.allSatisfy { $0 >= 0 && $0 < columns }, "selectColumns: index out of range 0..<\(columns)")
        var out = Matrix(rows: rows, columns: indices.count)
        let c = columns, nc = indices.count
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    for (j, col) in indices.enumerated() { dst[r * nc + j] = src[r * c + col] }
                }
            }
        }
        return out
    }

    /// Stacks matrices vertically.
    /// - Precondition: all have the same column count (empty input gives a 0×0 matrix).
    public static func vstack(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, columns: 0) }
        precondition(parts.allSatisfy { $0.columns == first.columns }, "vstack: column counts differ")
        var values: [Float] = []
        values.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts { values.append(contentsOf: p.storage) }
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, columns: first.columns, values: values)
    }

    /// Stacks matrices horizontally.
    /// - Precondition: all have the same row count (empty input gives a 0×0 matrix).
    public static func hstack(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix(rows: 0, columns: 0) }
        precondition(parts.allSatisfy { $0.rows == first.rows }, "hstack: row counts differ")
        let total = parts.reduce(0) { $0 + $1.columns }
        var out = Matrix(rows: first.rows, columns: total)
        var offset = 0
        for p in parts {
            for r in 0..<p.rows {
                for c in 0..<p.columns { out.storage[r * total + offset + c] = p.storage[r * p.columns + c] }
            }
            offset += p.columns
        }
        return out
    }

    /// Appends the rows of `other`.
    /// - Precondition: same column count (or `self` is 0×0).
    public mutating func appendRows(_ other: Matrix) {
        if rows == 0 && columns == 0 { self = other; return }
        precondition(other.columns == columns, "appendRows: \(other.columns) columns, expected \(columns)")
        storage.append(contentsOf: other.storage)
        rows += other.rows
    }

    /// Reserves storage for `additionalRows` more rows, so that appending them copies nothing more
    /// (when the storage is shared, this is the one copy, made at the final size).
    public mutating func reserveCapacity(additionalRows: Int) {
        precondition(additionalRows >= 0, "reserveCapacity: \(additionalRows) rows")
        storage.reserveCapacity((rows + additionalRows) * columns)
    }

    /// Appends one row.
    /// - Precondition: `values.count == columns` (or `self` is 0×0).
    public mutating func appendRow<C: Collection>(_ values: C) where C.Element == Float {
        if rows == 0 && columns == 0 { columns = values.count }
        precondition(values.count == columns, "appendRow: \(values.count) values, expected \(columns)")
        storage.append(contentsOf: values)
        rows += 1
    }

    /// The transpose.
    public func transposed() -> Matrix {
        var out = Matrix(rows: columns, columns: rows)
        let r = rows, c = columns
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                let tile = 32
                var i0 = 0
                while i0 < r {
                    var j0 = 0
                    while j0 < c {
                        for i in i0..<min(i0 + tile, r) {
                            for j in j0..<min(j0 + tile, c) { dst[j * r + i] = src[i * c + j] }
                        }
                        j0 += tile
                    }
                    i0 += tile
                }
            }
        }
        return out
    }

    /// The first element that is NaN or infinite, as `(row, column)`, or `nil` when all are finite.
    public func firstNonFinite() -> (row: Int, column: Int)? {
        storage.withUnsafeBufferPointer { buf in
            for i in 0..<buf.count where !buf[i].isFinite {
                return (i / Swift.max(columns, 1), i % Swift.max(columns, 1))
            }
            return nil
        }
    }
}

extension Matrix {
    /// The product `op(self) · op(other)` through ``GEMM``.
    public func matmul(_ other: Matrix, transposeSelf: Transpose = .none, transposeOther: Transpose = .none, alpha: Float = 1) -> Matrix {
        let m = transposeSelf == .none ? rows : columns
        let k = transposeSelf == .none ? columns : rows
        let k2 = transposeOther == .none ? other.rows : other.columns
        let n = transposeOther == .none ? other.columns : other.rows
        precondition(k == k2, "matmul: inner dimensions \(k) and \(k2) differ")
        var out = Matrix(rows: m, columns: n)
        guard m > 0 && n > 0 else { return out }
        if k == 0 { return out }
        withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    GEMM.multiply(transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
                                  alpha: alpha, a: a.baseAddress!, lda: columns, b: b.baseAddress!, ldb: other.columns,
                                  beta: 0, c: c.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }
}
