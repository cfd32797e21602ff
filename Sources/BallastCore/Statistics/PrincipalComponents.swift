/// Principal component analysis of the rows of a matrix: the leading eigenvectors of the sample
/// covariance, found by power iteration with deflation (deterministic: a fixed starting vector, no
/// random draws), for 2-D projections in reports.
///
/// Each axis is a unit vector; its sign is fixed so that its largest-magnitude coordinate is
/// positive, so the same data always gives the same picture.
public struct PrincipalComponents: Sendable, Equatable, Codable {
    /// The column means subtracted before projecting.
    public var mean: [Double]
    /// The axes, leading first, each `columns` long and of unit length.
    public var axes: [[Double]]
    /// The variance of the data along each axis (the covariance eigenvalues).
    public var variances: [Double]

    /// Fits `components` axes to the rows of `data`.
    /// - Parameters:
    ///   - data: one row per observation (at least 2 rows).
    ///   - components: how many axes (at most the column count).
    ///   - iterations: the most power-iteration steps per axis.
    /// - Returns: `nil` when there are fewer than 2 rows or no columns.
    public init?(fitting data: Matrix, components: Int = 2, iterations: Int = 300) {
        let n = data.rows, d = data.columns
        guard n >= 2, d >= 1 else { return nil }
        let mean = data.columnMeans()
        var covariance = [Double](repeating: 0, count: d * d)
        data.withUnsafeBufferPointer { x in
            var centred = [Double](repeating: 0, count: d)
            for r in 0..<n {
                for j in 0..<d { centred[j] = Double(x[r * d + j]) - mean[j] }
                for a in 0..<d where centred[a] != 0 {
                    let ca = centred[a]
                    for b in a..<d { covariance[a * d + b] += ca * centred[b] }
                }
            }
        }
        for a in 0..<d {
            for b in a..<d {
                covariance[a * d + b] /= Double(n - 1)
                covariance[b * d + a] = covariance[a * d + b]
            }
        }
        var axes: [[Double]] = []
        var variances: [Double] = []
        for _ in 0..<min(components, d) {
            var v = (0..<d).map { 1 + Double($0 % 7) * 0.01 }
            Self.normalize(&v)
            var lambda = 0.0
            for _ in 0..<iterations {
                var w = [Double](repeating: 0, count: d)
                for a in 0..<d {
                    var s = 0.0
                    for b in 0..<d { s += covariance[a * d + b] * v[b] }
                    w[a] = s
                }
                let norm = Self.normalize(&w)
                let change = zip(v, w).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
                v = w
                lambda = norm
                if norm == 0 || change < 1e-10 { break }
            }
            if let largest = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[largest] < 0 { v = v.map { -$0 } }
            axes.append(v)
            variances.append(lambda)
            for a in 0..<d {  // deflate: remove the found component
                for b in 0..<d { covariance[a * d + b] -= lambda * v[a] * v[b] }
            }
        }
        self.mean = mean
        self.axes = axes
        self.variances = variances
    }

    /// Scales `v` to unit length and returns its former length (a zero vector is left as is).
    @discardableResult
    private static func normalize(_ v: inout [Double]) -> Double {
        let norm = v.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for i in v.indices { v[i] /= norm } }
        return norm
    }

    /// The coordinates of each row of `data` on the axes: `rows × axes.count`, row-major.
    /// - Precondition: `data.columns == mean.count`.
    public func project(_ data: Matrix) -> [Double] {
        precondition(data.columns == mean.count, "project: \(data.columns) columns, fitted on \(mean.count)")
        let d = data.columns, k = axes.count
        var out = [Double](repeating: 0, count: data.rows * k)
        data.withUnsafeBufferPointer { x in
            for r in 0..<data.rows {
                for (c, axis) in axes.enumerated() {
                    var s = 0.0
                    for j in 0..<d { s += (Double(x[r * d + j]) - mean[j]) * axis[j] }
                    out[r * k + c] = s
                }
            }
        }
        return out
    }
}
