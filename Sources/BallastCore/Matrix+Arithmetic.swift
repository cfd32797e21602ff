/// Element-wise arithmetic and column/row reductions over the contiguous storage of a ``Matrix``.
///
/// Every kernel walks the row-major buffer eight floats at a time with `SIMD8<Float>` and handles the
/// remainder lanes separately. Shape mismatches are programmer errors (`precondition`). Reductions
/// that return `Double` accumulate in `Double`, in a fixed order, so they are deterministic.
extension Matrix {
    /// Element-wise sum of two matrices of the same shape.
    ///
    /// - Parameters:
    ///   - lhs: the left operand.
    ///   - rhs: the right operand, same shape as `lhs`.
    /// - Precondition: `lhs` and `rhs` have the same shape.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        var out = lhs
        out.add(rhs, scaled: 1)
        return out
    }

    /// Element-wise difference of two matrices of the same shape.
    ///
    /// - Parameters:
    ///   - lhs: the matrix subtracted from.
    ///   - rhs: the matrix subtracted, same shape as `lhs`.
    /// - Precondition: `lhs` and `rhs` have the same shape.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        // x + (−1)·y is exactly x − y in IEEE arithmetic, so the axpy kernel serves.
        var out = lhs
        out.add(rhs, scaled: -1)
        return out
    }

    /// The element-wise (Hadamard) product with a matrix of the same shape.
    ///
    /// - Parameter other: the other factor, same shape as `self`.
    /// - Returns: the matrix of `self[r, c] * other[r, c]`.
    /// - Precondition: same shape.
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(rows == other.rows && columns == other.columns,
                     "Matrix multiplied(by:): shapes \(rows)×\(columns) and \(other.rows)×\(other.columns) differ")
        var out = self
        out.withUnsafeMutableBufferPointer { dst in
            other.withUnsafeBufferPointer { src in
                let n = dst.count
                var i = 0
                while i + 8 <= n {
                    let d = UnsafeMutableRawPointer(dst.baseAddress! + i)
                    let x = d.loadUnaligned(as: SIMD8<Float>.self)
                    let y = UnsafeRawPointer(src.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
                    d.storeBytes(of: x * y, as: SIMD8<Float>.self)
                    i += 8
                }
                while i < n { dst[i] *= src[i]; i += 1 }
            }
        }
        return out
    }

    /// Every element multiplied by a scalar.
    ///
    /// - Parameter factor: the scale.
    /// - Returns: the matrix of `factor * self[r, c]`.
    public func scaled(by factor: Float) -> Matrix {
        var out = self
        out.withUnsafeMutableBufferPointer { dst in
            let n = dst.count
            let f = SIMD8<Float>(repeating: factor)
            var i = 0
            while i + 8 <= n {
                let d = UnsafeMutableRawPointer(dst.baseAddress! + i)
                d.storeBytes(of: d.loadUnaligned(as: SIMD8<Float>.self) * f, as: SIMD8<Float>.self)
                i += 8
            }
            while i < n { dst[i] *= factor; i += 1 }
        }
        return out
    }

    /// Adds a scaled matrix in place: `self += factor * other` (BLAS `axpy`).
    ///
    /// The result is computed as `self + factor * other` per element (multiply, then add — not
    /// fused), so it is the same on every machine.
    ///
    /// - Parameters:
    ///   - other: the matrix added, same shape as `self`.
    ///   - factor: the scale of `other` (default 1).
    /// - Precondition: same shape.
    public mutating func add(_ other: Matrix, scaled factor: Float = 1) {
        precondition(rows == other.rows && columns == other.columns,
                     "Matrix add: shapes \(rows)×\(columns) and \(other.rows)×\(other.columns) differ")
        withUnsafeMutableBufferPointer { dst in
            other.withUnsafeBufferPointer { src in
                let n = dst.count
                let f = SIMD8<Float>(repeating: factor)
                var i = 0
                while i + 8 <= n {
                    let d = UnsafeMutableRawPointer(dst.baseAddress! + i)
                    let x = d.loadUnaligned(as: SIMD8<Float>.self)
                    let y = UnsafeRawPointer(src.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
                    d.storeBytes(of: x + f * y, as: SIMD8<Float>.self)
                    i += 8
                }
                while i < n { dst[i] += factor * src[i]; i += 1 }
            }
        }
    }

    /// Adds a row vector to every row (broadcast), in place: `self[r, c] += v[c]`.
    ///
    /// - Parameter v: one value per column.
    /// - Precondition: `v.count == columns`.
    public mutating func addRowVector(_ v: [Float]) {
        precondition(v.count == columns, "Matrix addRowVector: \(v.count) values, expected \(columns)")
        let c = columns, r = rows
        guard c > 0 else { return }
        withUnsafeMutableBufferPointer { dst in
            v.withUnsafeBufferPointer { vec in
                for row in 0..<r {
                    let base = dst.baseAddress! + row * c
                    var j = 0
                    while j + 8 <= c {
                        let d = UnsafeMutableRawPointer(base + j)
                        let y = UnsafeRawPointer(vec.baseAddress! + j).loadUnaligned(as: SIMD8<Float>.self)
                        d.storeBytes(of: d.loadUnaligned(as: SIMD8<Float>.self) + y, as: SIMD8<Float>.self)
                        j += 8
                    }
                    while j < c { base[j] += vec[j]; j += 1 }
                }
            }
        }
    }

    /// The sum of each column, accumulated in `Double` over the rows in order.
    ///
    /// - Returns: `columns` sums (zeros when there are no rows).
    public func columnSums() -> [Double] {
        var sums = [Double](repeating: 0, count: columns)
        let c = columns, r = rows
        guard c > 0 else { return sums }
        withUnsafeBufferPointer { src in
            sums.withUnsafeMutableBufferPointer { acc in
                for row in 0..<r {
                    let base = src.baseAddress! + row * c
                    for j in 0..<c { acc[j] += Double(base[j]) }
                }
            }
        }
        return sums
    }

    /// The mean of each column (``columnSums()`` divided by the row count).
    ///
    /// - Returns: `columns` means; NaN for every column when the matrix has no rows.
    public func columnMeans() -> [Double] {
        let n = Double(rows)
        return columnSums().map { rows == 0 ? .nan : $0 / n }
    }

    /// The smallest value of each column. NaN values are skipped (a column that is all NaN gives NaN).
    ///
    /// - Returns: `columns` minimums; `+infinity` for every column when there are no rows.
    public func columnMinimums() -> [Float] {
        columnExtremes(maximum: false)
    }

    /// The largest value of each column. NaN values are skipped (a column that is all NaN gives NaN).
    ///
    /// - Returns: `columns` maximums; `-infinity` for every column when there are no rows.
    public func columnMaximums() -> [Float] {
        columnExtremes(maximum: true)
    }

    /// Column-wise minimum or maximum with `FloatingPoint.minimum`/`maximum` semantics per lane.
    private func columnExtremes(maximum: Bool) -> [Float] {
        let c = columns, r = rows
        var out = [Float](repeating: maximum ? -.infinity : .infinity, count: c)
        guard c > 0 && r > 0 else { return out }
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { acc in
                // Seed with the first row so an all-NaN column stays NaN.
                acc.baseAddress!.update(from: src.baseAddress!, count: c)
                for row in 1..<r {
                    let base = src.baseAddress! + row * c
                    var j = 0
                    while j + 8 <= c {
                        let d = UnsafeMutableRawPointer(acc.baseAddress! + j)
                        let x = d.loadUnaligned(as: SIMD8<Float>.self)
                        let y = UnsafeRawPointer(base + j).loadUnaligned(as: SIMD8<Float>.self)
                        d.storeBytes(of: maximum ? Self.lanewiseMax(x, y) : Self.lanewiseMin(x, y), as: SIMD8<Float>.self)
                        j += 8
                    }
                    while j < c {
                        acc[j] = maximum ? Float.maximum(acc[j], base[j]) : Float.minimum(acc[j], base[j])
                        j += 1
                    }
                }
            }
        }
        return out
    }

    /// Lane-wise minimum that prefers the number over a NaN.
    @inline(__always)
    private static func lanewiseMin(_ x: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
        // Take y where it is smaller, or where x is NaN (y NaN and x number keeps x).
        x.replacing(with: y, where: (y .< x) .| (x .!= x))
    }

    /// Lane-wise maximum that prefers the number over a NaN.
    @inline(__always)
    private static func lanewiseMax(_ x: SIMD8<Float>, _ y: SIMD8<Float>) -> SIMD8<Float> {
        x.replacing(with: y, where: (y .> x) .| (x .!= x))
    }

    /// The squared Euclidean norm of each row, `Σ_c self[r, c]²`, accumulated in `Float`.
    ///
    /// Used by nearest-neighbour search (`‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y`). Rows are split across
    /// threads on large matrices; each row is computed by one thread in a fixed order, so the result
    /// is deterministic.
    ///
    /// - Returns: `rows` squared norms.
    public func rowSquaredNorms() -> [Float] {
        let c = columns, r = rows
        var out = [Float](repeating: 0, count: r)
        guard c > 0 && r > 0 else { return out }
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let input = SendableReadBuffer(src)
                let output = SendableBuffer(dst)
                Parallel.forEachChunk(0..<r, minimumChunk: max(1, (1 << 18) / c)) { chunk in
                    let base = input.baseAddress!
                    for row in chunk {
                        output.buffer[row] = Self.squaredNorm(base + row * c, count: c)
                    }
                }
            }
        }
        return out
    }

    /// `Σ x[i]²` over `count` floats with two SIMD accumulators.
    @inline(__always)
    private static func squaredNorm(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var j = 0
        let raw = UnsafeRawPointer(x)
        while j + 16 <= count {
            let a = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            let b = raw.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
            s0 += a * a
            s1 += b * b
            j += 16
        }
        if j + 8 <= count {
            let a = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            s0 += a * a
            j += 8
        }
        var total = (s0 + s1).sum()
        while j < count { total += x[j] * x[j]; j += 1 }
        return total
    }

    /// The sum of all elements, accumulated in `Double` (eight interleaved partial sums, combined in a
    /// fixed order, so the result is deterministic).
    ///
    /// - Returns: the total; 0 for an empty matrix.
    public func sum() -> Double {
        withUnsafeBufferPointer { src in
            let n = src.count
            var acc = SIMD8<Double>()
            var i = 0
            let raw = UnsafeRawPointer(src.baseAddress)
            while i + 8 <= n, let raw {
                acc += SIMD8<Double>(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
                i += 8
            }
            var total = acc.sum()
            while i < n { total += Double(src[i]); i += 1 }
            return total
        }
    }
}
