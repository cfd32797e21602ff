/// Element-wise and reduction kernels over the contiguous storage.
extension Matrix {
    /// The squared Euclidean norm of every row (Float accumulation in SIMD lanes).
    public func rowSquaredNorms() -> [Float] {
        var out = [Float](repeating: 0, count: rows)
        let c = columns
        withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            for r in 0..<rows {
                var acc = SIMD8<Float>()
                var j = 0
                let rowOffset = r * c
                while j + 8 <= c {
                    let v = raw.loadUnaligned(fromByteOffset: (rowOffset + j) * 4, as: SIMD8<Float>.self)
                    acc += v * v
                    j += 8
                }
                var s = acc.sum()
                while j < c { let v = base[rowOffset + j]; s += v * v; j += 1 }
                out[r] = s
            }
        }
        return out
    }

    /// Column sums accumulated in `Double`.
    public func columnSums() -> [Double] {
        var out = [Double](repeating: 0, count: columns)
        withUnsafeBufferPointer { buf in
            for r in 0..<rows {
                for j in 0..<columns { out[j] += Double(buf[r * columns + j]) }
            }
        }
        return out
    }

    /// Column means in `Double` (empty matrix: zeros).
    public func columnMeans() -> [Double] {
        let n = Double(Swift.max(rows, 1))
        return columnSums().map { $0 / n }
    }

    /// `self + other`.
    /// - Precondition: same shape.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Matrix +: shapes differ")
        var out = lhs
        out.add(rhs, scaled: 1)
        return out
    }

    /// `self - other`.
    /// - Precondition: same shape.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Matrix -: shapes differ")
        var out = lhs
        out.add(rhs, scaled: -1)
        return out
    }

    /// `self += alpha * other` (axpy).
    /// - Precondition: same shape.
    public mutating func add(_ other: Matrix, scaled alpha: Float) {
        precondition(rows == other.rows && columns == other.columns, "Matrix add: shapes differ")
        other.withUnsafeBufferPointer { src in
            withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] += alpha * src[i] }
            }
        }
    }

    /// Every element multiplied by `factor`.
    public func scaled(by factor: Float) -> Matrix {
        var out = self
        out.withUnsafeMutableBufferPointer { buf in
            for i in 0..<buf.count { buf[i] *= factor }
        }
        return out
    }
}
