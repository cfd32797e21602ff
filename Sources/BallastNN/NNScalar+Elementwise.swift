// Element-wise kernels of ``NNScalar``: one generic body each, instantiated per conformance.
// `switch` statements sit outside the loops so every loop is a plain, vectorizable pass.
// Kernels over more than ``parallelGrain`` elements are split over the awake workers
// (``Parallel/split(_:minimumChunk:_:)``): each element is computed the same way wherever it runs,
// so results do not depend on the thread count.

import BallastCore

extension NNScalar {
    /// Elements (or rows × columns) below which a kernel runs in one piece: splitting a pass over
    /// fewer than about 8,000 floats costs more in hand-over than it saves.
    public static var parallelGrain: Int { 8192 }

    /// The smallest chunk of rows (or records, channels) of `columns` elements each worth a thread:
    /// at least ``parallelGrain`` elements.
    @inline(__always)
    static func rowGrain(_ columns: Int) -> Int { Swift.max(1, parallelGrain / Swift.max(columns, 1)) }

    /// Converts `count` Float values into this type.
    public static func load(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Self>, count: Int) {
        Parallel.split(count, minimumChunk: parallelGrain) { part in
            loadPart(source + part.lowerBound, into: destination + part.lowerBound, count: part.count)
        }
    }

    /// Adds `count` values of this type into Float storage.
    public static func addGradient(_ source: UnsafePointer<Self>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.split(count, minimumChunk: parallelGrain) { part in
            addGradientPart(source + part.lowerBound, into: destination + part.lowerBound, count: part.count)
        }
    }

    /// Sets `count` elements to `value`.
    public static func fill(_ destination: UnsafeMutablePointer<Self>, with value: Self, count: Int) {
        Parallel.split(count, minimumChunk: parallelGrain) { part in
            fillPart(destination + part.lowerBound, with: value, count: part.count)
        }
    }

    /// Copies `count` elements.
    public static func copy(_ source: UnsafePointer<Self>, to destination: UnsafeMutablePointer<Self>, count: Int) {
        Parallel.split(count, minimumChunk: parallelGrain) { part in
            copyPart(source + part.lowerBound, to: destination + part.lowerBound, count: part.count)
        }
    }

    /// `destination += scale · source`.
    public static func accumulate(_ source: UnsafePointer<Self>, into destination: UnsafeMutablePointer<Self>, scale: Self, count: Int) {
        Parallel.split(count, minimumChunk: parallelGrain) { part in
            accumulatePart(source + part.lowerBound, into: destination + part.lowerBound, scale: scale, count: part.count)
        }
    }

    /// Copies `row` into every row of `destination`.
    public static func fillRows(with row: UnsafePointer<Self>, _ destination: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        Parallel.split(rows, minimumChunk: rowGrain(columns)) { part in
            fillRowsPart(with: row, destination + part.lowerBound * columns, rows: part.count, columns: columns)
        }
    }

    /// `y = f(x)`.
    public static func unaryForward(_ f: UnaryFunction, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count n: Int) {
        Parallel.split(n, minimumChunk: parallelGrain) { part in
            unaryForwardPart(f, x + part.lowerBound, y + part.lowerBound, count: part.count)
        }
    }

    /// `gx += f′(x) · gy`; with `accumulate: false`, `gx = f′(x) · gy` (`gx` need not be initialized:
    /// each piece zeroes its own part while it is in cache, instead of a separate pass over `gx`).
    public static func unaryBackward(
        _ f: UnaryFunction, x: UnsafePointer<Self>, y: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>, count n: Int,
        accumulate: Bool
    ) {
        Parallel.split(n, minimumChunk: parallelGrain) { part in
            let o = part.lowerBound
            if !accumulate { (gx + o).update(repeating: 0, count: part.count) }
            unaryBackwardPart(f, x: x + o, y: y + o, outputGradient: gy + o, inputGradient: gx + o, count: part.count)
        }
    }

    /// `out = f(a, b)` with `b` broadcast.
    public static func binaryForward(
        _ f: BinaryFunction, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int, broadcast: Broadcast
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(columns)) { part in
            let o = part.lowerBound * columns
            let bPart = switch broadcast {
            case .none: b + o
            case .column: b + part.lowerBound
            case .row, .scalar: b
            }
            binaryForwardPart(f, a + o, bPart, out + o, rows: part.count, columns: columns, broadcast: broadcast)
        }
    }

    /// Accumulates the gradients of `out = f(a, b)`. A `b` broadcast over rows (`.row`) sums its
    /// gradient over all rows, so that case is split by columns (each column's rows still add in
    /// order); a `.scalar` one runs in one piece.
    public static func binaryBackward(
        _ f: BinaryFunction, a: UnsafePointer<Self>, b: UnsafePointer<Self>, out: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, gradientA ga: UnsafeMutablePointer<Self>?, accumulateA: Bool,
        gradientB gb: UnsafeMutablePointer<Self>?, rows: Int, columns: Int, broadcast: Broadcast
    ) {
        if let gb, broadcast == .row {
            Parallel.split(columns, minimumChunk: Swift.max(16, parallelGrain / Swift.max(rows, 1))) { part in
                let o = part.lowerBound
                binaryBackwardPart(f, a: a + o, b: b + o, out: out + o, outputGradient: gy + o, gradientA: ga.map { $0 + o },
                                   accumulateA: accumulateA, gradientB: gb + o, rows: rows, columns: part.count, stride: columns,
                                   broadcast: broadcast)
            }
            return
        }
        if gb != nil && broadcast == .scalar {
            binaryBackwardPart(f, a: a, b: b, out: out, outputGradient: gy, gradientA: ga, accumulateA: accumulateA, gradientB: gb,
                               rows: rows, columns: columns, broadcast: broadcast)
            return
        }
        Parallel.split(rows, minimumChunk: rowGrain(columns)) { part in
            let o = part.lowerBound * columns
            let bOffset = switch broadcast {
            case .none: o
            case .column: part.lowerBound
            case .row, .scalar: 0
            }
            binaryBackwardPart(f, a: a + o, b: b + bOffset, out: out + o, outputGradient: gy + o, gradientA: ga.map { $0 + o },
                               accumulateA: accumulateA, gradientB: gb.map { $0 + bOffset }, rows: part.count, columns: columns, broadcast: broadcast)
        }
    }

    /// One piece of ``load``, in the calling thread.
    static func loadPart(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Self>, count: Int) {
        for i in 0..<count { destination[i] = Self(source[i]) }
    }

    /// One piece of ``addGradient``, in the calling thread.
    static func addGradientPart(_ source: UnsafePointer<Self>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { destination[i] += Float(source[i]) }
    }

    /// One piece of ``fill``, in the calling thread.
    static func fillPart(_ destination: UnsafeMutablePointer<Self>, with value: Self, count: Int) {
        for i in 0..<count { destination[i] = value }
    }

    /// One piece of ``copy``, in the calling thread.
    static func copyPart(_ source: UnsafePointer<Self>, to destination: UnsafeMutablePointer<Self>, count: Int) {
        for i in 0..<count { destination[i] = source[i] }
    }

    /// One piece of ``accumulate``, in the calling thread.
    static func accumulatePart(_ source: UnsafePointer<Self>, into destination: UnsafeMutablePointer<Self>, scale: Self, count: Int) {
        if scale == 1 {
            for i in 0..<count { destination[i] += source[i] }
        } else {
            for i in 0..<count { destination[i] += scale * source[i] }
        }
    }

    /// One piece of ``fillRows``, in the calling thread.
    static func fillRowsPart(with row: UnsafePointer<Self>, _ destination: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let d = destination + r * columns
            for c in 0..<columns { d[c] = row[c] }
        }
    }

    /// Logistic sigmoid without overflow.
    @inline(__always)
    static func sigmoidValue(_ x: Self) -> Self {
        if x >= 0 { return 1 / (1 + nnExp(-x)) }
        let e = nnExp(x)
        return e / (1 + e)
    }

    /// One piece of ``unaryForward``, in the calling thread.
    static func unaryForwardPart(_ f: UnaryFunction, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count n: Int) {
        switch f {
        case .exp: vectorExp(x, y, count: n)
        case .log: for i in 0..<n { y[i] = nnLog(x[i]) }
        case .sqrt: for i in 0..<n { y[i] = x[i].squareRoot() }
        case .tanh: vectorTanh(x, y, count: n)
        case .sigmoid:
            // σ(x) from e^−|x| (never overflows), with the exponentials computed in one vector pass.
            for i in 0..<n { y[i] = -abs(x[i]) }
            vectorExp(y, y, count: n)
            for i in 0..<n {
                let e = y[i]
                y[i] = x[i] >= 0 ? 1 / (1 + e) : e / (1 + e)
            }
        case .softplus:
            for i in 0..<n {
                let v = x[i]
                y[i] = (v > 0 ? v : 0) + nnLog1p(nnExp(-abs(v)))
            }
        case .relu: for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 }
        case .leakyReLU(let slope):
            let s = Self(slope)
            for i in 0..<n { y[i] = x[i] > 0 ? x[i] : s * x[i] }
        case .elu(let alpha):
            let a = Self(alpha)
            for i in 0..<n { y[i] = x[i] > 0 ? x[i] : a * (nnExp(x[i]) - 1) }
        case .clamp(let low, let high):
            let lo = Self(low), hi = Self(high)
            for i in 0..<n { y[i] = Swift.min(Swift.max(x[i], lo), hi) }
        case .power(let exponent):
            if exponent == 2 {
                for i in 0..<n { y[i] = x[i] * x[i] }
            } else {
                let e = Self(exponent)
                for i in 0..<n { y[i] = nnPow(x[i], e) }
            }
        case .negate: for i in 0..<n { y[i] = -x[i] }
        case .scale(let s):
            let v = Self(s)
            for i in 0..<n { y[i] = v * x[i] }
        case .shift(let s):
            let v = Self(s)
            for i in 0..<n { y[i] = x[i] + v }
        case .quadratic(let c0, let c1, let c2):
            let a = Self(c0), b = Self(c1), c = Self(c2)
            for i in 0..<n { y[i] = a + x[i] * (b + c * x[i]) }
        }
    }

    /// One piece of ``unaryBackward``, in the calling thread.
    static func unaryBackwardPart(
        _ f: UnaryFunction, x: UnsafePointer<Self>, y: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>, count n: Int
    ) {
        switch f {
        case .exp: for i in 0..<n { gx[i] += gy[i] * y[i] }
        case .log: for i in 0..<n { gx[i] += gy[i] / x[i] }
        case .sqrt: for i in 0..<n { gx[i] += gy[i] * 0.5 / y[i] }
        case .tanh: for i in 0..<n { gx[i] += gy[i] * (1 - y[i] * y[i]) }
        case .sigmoid: for i in 0..<n { gx[i] += gy[i] * y[i] * (1 - y[i]) }
        case .softplus: for i in 0..<n { gx[i] += gy[i] * sigmoidValue(x[i]) }
        case .relu: for i in 0..<n { gx[i] += x[i] > 0 ? gy[i] : 0 }
        case .leakyReLU(let slope):
            let s = Self(slope)
            for i in 0..<n { gx[i] += x[i] > 0 ? gy[i] : s * gy[i] }
        case .elu(let alpha):
            let a = Self(alpha)
            for i in 0..<n { gx[i] += x[i] > 0 ? gy[i] : gy[i] * (y[i] + a) }
        case .clamp(let low, let high):
            let lo = Self(low), hi = Self(high)
            for i in 0..<n { gx[i] += (x[i] >= lo && x[i] <= hi) ? gy[i] : 0 }
        case .power(let exponent):
            if exponent == 2 {
                for i in 0..<n { gx[i] += 2 * x[i] * gy[i] }
            } else {
                let e = Self(exponent)
                for i in 0..<n { gx[i] += gy[i] * e * nnPow(x[i], e - 1) }
            }
        case .negate: for i in 0..<n { gx[i] -= gy[i] }
        case .scale(let s):
            let v = Self(s)
            for i in 0..<n { gx[i] += v * gy[i] }
        case .shift: for i in 0..<n { gx[i] += gy[i] }
        case .quadratic(_, let c1, let c2):
            let b = Self(c1), c = 2 * Self(c2)
            for i in 0..<n { gx[i] += gy[i] * (b + c * x[i]) }
        }
    }

    /// `d = f′(x)` for the piecewise-linear functions.
    public static func piecewiseLinearSlope(_ f: UnaryFunction, x: UnsafePointer<Self>, into d: UnsafeMutablePointer<Self>, count n: Int) {
        switch f {
        case .relu: for i in 0..<n { d[i] = x[i] > 0 ? 1 : 0 }
        case .leakyReLU(let slope):
            let s = Self(slope)
            for i in 0..<n { d[i] = x[i] > 0 ? 1 : s }
        case .clamp(let low, let high):
            let lo = Self(low), hi = Self(high)
            for i in 0..<n { d[i] = (x[i] >= lo && x[i] <= hi) ? 1 : 0 }
        default: preconditionFailure("piecewiseLinearSlope: \(f) is not piecewise linear")
        }
    }

    /// One piece of ``binaryForward``, in the calling thread.
    static func binaryForwardPart(
        _ f: BinaryFunction, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int, broadcast: Broadcast
    ) {
        for r in 0..<rows {
            let ar = a + r * columns, o = out + r * columns
            switch broadcast {
            case .none, .row:
                let br = broadcast == .none ? b + r * columns : b
                switch f {
                case .add: for c in 0..<columns { o[c] = ar[c] + br[c] }
                case .subtract: for c in 0..<columns { o[c] = ar[c] - br[c] }
                case .multiply: for c in 0..<columns { o[c] = ar[c] * br[c] }
                case .divide: for c in 0..<columns { o[c] = ar[c] / br[c] }
                }
            case .column, .scalar:
                let v = broadcast == .column ? b[r] : b[0]
                switch f {
                case .add: for c in 0..<columns { o[c] = ar[c] + v }
                case .subtract: for c in 0..<columns { o[c] = ar[c] - v }
                case .multiply: for c in 0..<columns { o[c] = ar[c] * v }
                case .divide: for c in 0..<columns { o[c] = ar[c] / v }
                }
            }
        }
    }

    /// One piece of ``binaryBackward``, in the calling thread.
    static func binaryBackwardPart(
        _ f: BinaryFunction, a: UnsafePointer<Self>, b: UnsafePointer<Self>, out: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, gradientA ga: UnsafeMutablePointer<Self>?, accumulateA: Bool,
        gradientB gb: UnsafeMutablePointer<Self>?, rows: Int, columns: Int, stride: Int? = nil, broadcast: Broadcast
    ) {
        let stride = stride ?? columns  // between rows of every operand but a broadcast `b`
        for r in 0..<rows {
            let g = gy + r * stride, ar = a + r * stride, o = out + r * stride
            let full = broadcast == .none || broadcast == .row
            let br = broadcast == .none ? b + r * stride : b
            let bv = broadcast == .column ? b[r] : b[0]
            if let ga {
                let gar = ga + r * stride
                // First write: `0 + v`, as zeroing then adding gave (a −0 contribution stays +0).
                switch (f, full) {
                case (.add, _), (.subtract, _): for c in 0..<columns { gar[c] = (accumulateA ? gar[c] : 0) + g[c] }
                case (.multiply, true): for c in 0..<columns { gar[c] = (accumulateA ? gar[c] : 0) + g[c] * br[c] }
                case (.multiply, false): for c in 0..<columns { gar[c] = (accumulateA ? gar[c] : 0) + g[c] * bv }
                case (.divide, true): for c in 0..<columns { gar[c] = (accumulateA ? gar[c] : 0) + g[c] / br[c] }
                case (.divide, false): for c in 0..<columns { gar[c] = (accumulateA ? gar[c] : 0) + g[c] / bv }
                }
            }
            guard let gb else { continue }
            switch broadcast {
            case .none, .row:
                let gbr = broadcast == .none ? gb + r * stride : gb
                switch f {
                case .add: for c in 0..<columns { gbr[c] += g[c] }
                case .subtract: for c in 0..<columns { gbr[c] -= g[c] }
                case .multiply: for c in 0..<columns { gbr[c] += g[c] * ar[c] }
                case .divide: for c in 0..<columns { gbr[c] -= g[c] * o[c] / br[c] }
                }
            case .column, .scalar:
                var s: Self = 0
                switch f {
                case .add: for c in 0..<columns { s += g[c] }
                case .subtract: for c in 0..<columns { s -= g[c] }
                case .multiply: for c in 0..<columns { s += g[c] * ar[c] }
                case .divide: for c in 0..<columns { s -= g[c] * o[c] }
                }
                if f == .divide { s /= bv }
                gb[broadcast == .column ? r : 0] += s
            }
        }
    }
}
