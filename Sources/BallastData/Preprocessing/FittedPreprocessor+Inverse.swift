import BallastCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FittedPreprocessor {
    /// Maps a feature matrix (e.g. synthetic rows from a generator) back to valid raw records.
    ///
    /// Numeric columns are unscaled, `log1p` is undone, integer columns are rounded, binary columns
    /// become 1 when the raw value is ≥ 0.5 and 0 otherwise, and every value is clipped to the
    /// observed training range. A one-hot group becomes its argmax category (ties → the first
    /// category); an ordinal code becomes the nearest valid category code.
    /// - Parameter matrix: a `rows × outputWidth` matrix.
    /// - Returns: a table with the fitted columns, in the training order; categorical columns carry the
    ///   training categories.
    /// - Throws: ``PreprocessingError/widthMismatch(expected:found:)`` for a wrong column count,
    ///   ``PreprocessingError/nonFiniteOutput(row:column:value:)`` for a NaN or infinite value.
    public func inverseTransform(_ matrix: Matrix) throws -> Table {
        guard matrix.columns == outputWidth else {
            throw PreprocessingError.widthMismatch(expected: outputWidth, found: matrix.columns)
        }
        if let (r, c) = matrix.firstNonFinite() {
            throw PreprocessingError.nonFiniteOutput(row: r, column: outputColumns[c].name, value: matrix[r, c])
        }
        let rows = matrix.rows, width = outputWidth, k = columns.count
        let params = columns.map(ColumnParameters.init)
        let oneHot = configuration.categoricalEncoding == .oneHot
        // Column-major scratch (column j at j * rows), filled in row blocks that stay in cache.
        var numeric = [Double](repeating: 0, count: k * rows)
        var codes = [Int32](repeating: 0, count: k * rows)
        matrix.withUnsafeBufferPointer { src in
            numeric.withUnsafeMutableBufferPointer { num in
                codes.withUnsafeMutableBufferPointer { cat in
                    var start = 0
                    while start < rows {
                        let block = start..<min(start + 256, rows)
                        for (j, f) in params.enumerated() {
                            let offset = f.offset
                            if f.categorical {
                                let count = f.categoryCount
                                for r in block {
                                    cat[j * rows + r] = Int32(oneHot ? Self.argmax(src, start: r * width + offset, count: count)
                                                                     : Self.nearestCode(src[r * width + offset], count: count))
                                }
                            } else {
                                for r in block { num[j * rows + r] = Self.rawValue(f, src[r * width + offset]) }
                            }
                        }
                        start = block.upperBound
                    }
                }
            }
        }
        return Table(columns: columns.enumerated().map { j, f in
            let part = j * rows ..< (j + 1) * rows
            if f.kind == .categorical {
                return TableColumn(name: f.name, values: .categorical(codes: Array(codes[part]), categories: f.categories))
            }
            return TableColumn(name: f.name, values: .numeric(Array(numeric[part])))
        })
    }

    /// Moves every row of a feature matrix to the nearest valid record, in place: the same result as
    /// `transform(inverseTransform(matrix))`, computed directly (no table is built).
    ///
    /// Use it after synthesis so that integer and binary columns, one-hot groups and ranges are
    /// respected. NaN or infinite values (which ``inverseTransform(_:)`` rejects) are replaced by the
    /// column's imputation value.
    /// - Parameter matrix: a `rows × outputWidth` matrix.
    /// - Precondition: `matrix.columns == outputWidth` (a programmer error otherwise).
    public func snap(_ matrix: inout Matrix) {
        precondition(matrix.columns == outputWidth, "snap: \(matrix.columns) columns, expected \(outputWidth)")
        let rows = matrix.rows, width = outputWidth
        let oneHot = configuration.categoricalEncoding == .oneHot
        let params = columns.map(ColumnParameters.init)
        matrix.withUnsafeMutableBufferPointer { buf in
            for r in 0..<rows {
                for f in params {
                    let start = r * width + f.offset
                    if !f.categorical {
                        let raw = buf[start].isFinite ? Self.rawValue(f, buf[start]) : f.imputationValue
                        let t = f.logTransformed ? log1p(raw) : raw
                        buf[start] = Float((t - f.shift) * f.factor + f.base)
                    } else if oneHot {
                        let k = f.categoryCount
                        for i in 0..<k where !buf[start + i].isFinite { buf[start + i] = 0 }
                        let best = Self.argmax(UnsafeBufferPointer(buf), start: start, count: k)
                        for i in 0..<k { buf[start + i] = i == best ? 1 : 0 }
                    } else {
                        let v = buf[start]
                        buf[start] = Float(v.isFinite ? Self.nearestCode(v, count: f.categoryCount) : Int(f.imputationValue))
                    }
                }
            }
        }
    }

    /// The valid raw value of a numeric column for one (finite) output value.
    @inline(__always)
    static func rawValue(_ f: ColumnParameters, _ value: Float) -> Double {
        var t = (Double(value) - f.base) / f.factor + f.shift
        // The resolution a Float output value carries in raw units (scale, then log1p undone).
        var resolution = Double(value.ulp) / abs(f.factor)
        if f.logTransformed {
            t = expm1(min(t, 700))
            resolution *= 1 + abs(t)
        }
        switch f.kind {
        case .binary: t = t >= 0.5 ? 1 : 0
        case .integer: t = t.rounded()
        case .real, .categorical: t = roundedToResolution(t, resolution)
        }
        return min(max(t, f.observedMin), f.observedMax)
    }

    /// `value` rounded to the decimal place of `resolution`, so that Float noise does not print as
    /// digits (`1.2e-09` for a rate of 0, `0.8017071061722693` for 0.8017071).
    @inline(__always)
    static func roundedToResolution(_ value: Double, _ resolution: Double) -> Double {
        guard resolution > 0, resolution.isFinite, value.isFinite else { return value }
        let digits = -Int(log10(resolution).rounded(.up))
        guard digits > -15 && digits < 15 else { return value }
        if digits >= 0 {
            let p = pow(10.0, Double(digits))
            return (value * p).rounded() / p
        }
        let p = pow(10.0, Double(-digits))
        return (value / p).rounded() * p
    }

    /// Index of the largest of `count` values starting at `start` (ties → the first).
    @inline(__always)
    static func argmax(_ buf: UnsafeBufferPointer<Float>, start: Int, count: Int) -> Int {
        var best = 0
        var bestValue = -Float.infinity
        for i in 0..<count where buf[start + i] > bestValue {
            bestValue = buf[start + i]
            best = i
        }
        return best
    }

    /// The category code in `0..<count` nearest to `value`.
    @inline(__always)
    static func nearestCode(_ value: Float, count: Int) -> Int {
        Int(min(max(value.rounded(), 0), Float(count - 1)))
    }
}

/// The numbers of a ``FittedColumn`` without its strings, so that per-element loops copy no references.
struct ColumnParameters {
    let kind: FittedColumn.Kind
    let categorical: Bool
    let categoryCount: Int
    let offset: Int
    let logTransformed: Bool
    let shift: Double, factor: Double, base: Double
    let observedMin: Double, observedMax: Double
    let imputationValue: Double

    init(_ f: FittedColumn) {
        kind = f.kind
        categorical = f.kind == .categorical
        categoryCount = f.categories.count
        offset = f.outputRange.lowerBound
        logTransformed = f.logTransformed
        shift = f.shift; factor = f.factor; base = f.base
        observedMin = f.observedMin; observedMax = f.observedMax
        imputationValue = f.imputationValue
    }
}
