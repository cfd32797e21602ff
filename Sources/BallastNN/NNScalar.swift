import BallastCore
import Foundation

/// The element type of a ``Tape``: `Float` for training, `Double` for finite-difference gradient
/// checks.
///
/// Every loop over tensor elements is a static requirement of this protocol. The requirements have
/// one generic implementation each (in `NNScalar+Elementwise.swift`, `NNScalar+Rows.swift` and
/// `NNScalar+Losses.swift`), which the compiler instantiates for `Float` and for `Double` when it
/// builds their conformances. The tape's own code is generic and only does bookkeeping, so each op
/// costs one dynamic call, never one per element.
///
/// Pointers passed to kernels are row-major; "accumulate" kernels add into their destination
/// (gradients accumulate over every use of a tensor).
public protocol NNScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable {
    /// `eˣ`.
    static func nnExp(_ x: Self) -> Self
    /// Natural logarithm.
    static func nnLog(_ x: Self) -> Self
    /// `log(1 + x)`, accurate near zero.
    static func nnLog1p(_ x: Self) -> Self
    /// Hyperbolic tangent.
    static func nnTanh(_ x: Self) -> Self
    /// `xᵉ`.
    static func nnPow(_ x: Self, _ e: Self) -> Self

    /// `y = eˣ` over `count` elements (vectorized for Float; `x` and `y` may be the same buffer).
    static func vectorExp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
    /// `y = tanh(x)` over `count` elements (vectorized for Float; `x` and `y` may be the same buffer).
    static func vectorTanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)

    /// `C = alpha · op(A) · op(B) + beta · C` on row-major buffers (see ``GEMM/multiply``).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// One part, by rows, of a product of `wholeRows` rows, on the calling thread: the same
    /// algorithm as ``gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` of the whole
    /// product, so the parts compute exactly what the whole would, however the rows are split.
    static func gemmPart(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int, wholeRows: Int)

    /// Converts `count` Float values into this type.
    static func load(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Self>, count: Int)
    /// Adds `count` values of this type into Float storage (parameter gradients).
    static func addGradient(_ source: UnsafePointer<Self>, into destination: UnsafeMutablePointer<Float>, count: Int)
    /// Sets `count` elements to `value`.
    static func fill(_ destination: UnsafeMutablePointer<Self>, with value: Self, count: Int)
    /// Copies `count` elements.
    static func copy(_ source: UnsafePointer<Self>, to destination: UnsafeMutablePointer<Self>, count: Int)
    /// `destination += scale · source` over `count` elements.
    static func accumulate(_ source: UnsafePointer<Self>, into destination: UnsafeMutablePointer<Self>, scale: Self, count: Int)
    /// Copies the `1 × columns` row into every row of the `rows × columns` destination.
    static func fillRows(with row: UnsafePointer<Self>, _ destination: UnsafeMutablePointer<Self>, rows: Int, columns: Int)

    /// `y = f(x)` over `count` elements.
    static func unaryForward(_ f: UnaryFunction, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
    /// `gx += f′(x) · gy`, using the stored output `y` where that is cheaper; `accumulate: false`
    /// writes `gx` instead (uninitialized `gx` allowed).
    static func unaryBackward(
        _ f: UnaryFunction, x: UnsafePointer<Self>, y: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>, count: Int, accumulate: Bool)
    /// `d = f′(x)` for `relu`, `leakyReLU` and `clamp`, whose derivatives are constant between kinks
    /// (the recorded backward pass multiplies by it as a constant mask).
    static func piecewiseLinearSlope(_ f: UnaryFunction, x: UnsafePointer<Self>, into d: UnsafeMutablePointer<Self>, count: Int)

    /// `out = f(a, b)` where `a` and `out` are `rows × columns` and `b` is broadcast as given.
    static func binaryForward(
        _ f: BinaryFunction, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int, broadcast: Broadcast)
    /// Accumulates the gradients of `out = f(a, b)` into `ga` and `gb` (either may be `nil`), reducing
    /// over the broadcast dimensions for `gb`; `accumulateA: false` writes `ga` instead (uninitialized
    /// `ga` allowed; `ga` is written before `gb` is added to, element by element, so `a` may be `b`).
    static func binaryBackward(
        _ f: BinaryFunction, a: UnsafePointer<Self>, b: UnsafePointer<Self>, out: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, gradientA ga: UnsafeMutablePointer<Self>?, accumulateA: Bool,
        gradientB gb: UnsafeMutablePointer<Self>?, rows: Int, columns: Int, broadcast: Broadcast)

    /// `out = scale · Σ x` over `axis` (`nil`: everything); adds into `out` when `accumulate`.
    static func reduceSum(
        _ x: UnsafePointer<Self>, rows: Int, columns: Int, axis: Axis?, scale: Self,
        into out: UnsafeMutablePointer<Self>, accumulate: Bool)
    /// `gx += scale · g` with `g` broadcast from the reduced shape of ``reduceSum(_:rows:columns:axis:scale:into:accumulate:)``.
    static func broadcastAccumulate(
        _ g: UnsafePointer<Self>, rows: Int, columns: Int, axis: Axis?, scale: Self, into gx: UnsafeMutablePointer<Self>)
    /// Copies (or adds, when `accumulate`) a `rows × width` block between two row-major matrices.
    static func copyColumns(
        from source: UnsafePointer<Self>, stride sourceStride: Int, offset sourceOffset: Int,
        to destination: UnsafeMutablePointer<Self>, stride destinationStride: Int, offset destinationOffset: Int,
        rows: Int, width: Int, accumulate: Bool)
    /// `destination[r] = source[indices[r]]` for `count` rows of `columns`.
    static func gatherRows(
        _ source: UnsafePointer<Self>, columns: Int, indices: UnsafePointer<Int>, count: Int,
        into destination: UnsafeMutablePointer<Self>)
    /// `destination[indices[r]] += source[r]` for `count` rows of `columns`.
    static func scatterAddRows(
        _ source: UnsafePointer<Self>, columns: Int, indices: UnsafePointer<Int>, count: Int,
        into destination: UnsafeMutablePointer<Self>)
    /// Row-wise `y = x − log Σ eˣ`.
    static func logSoftmaxForward(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int)
    /// `gx += gy − softmax · Σ gy`, row-wise, from the stored output.
    static func logSoftmaxBackward(
        y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int)
    /// `y[r] = max_c x[r, c]`.
    static func rowMaxForward(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int)
    /// Routes `gy[r]` to the first column where the maximum of row `r` occurs (`accumulate: false`:
    /// the other columns become zero instead of keeping what `gx` held).
    static func rowMaxBackward(
        x: UnsafePointer<Self>, y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>,
        inputGradient gx: UnsafeMutablePointer<Self>, rows: Int, columns: Int, accumulate: Bool)

    /// Normalizes each column: `y = (x − mean) / √(var + ε)`.
    ///
    /// Training: batch mean and biased variance, and the running statistics move by `momentum`
    /// towards the batch mean and the *unbiased* batch variance (PyTorch's rule). Inference: the
    /// running statistics are used. `statistics` receives `columns` values of `1/√(var + ε)`.
    static func batchNormForward(
        _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, columns: Int,
        statistics: UnsafeMutablePointer<Self>, runningMean: UnsafeMutablePointer<Float>,
        runningVariance: UnsafeMutablePointer<Float>, momentum: Double, epsilon: Double, training: Bool)
    /// Accumulates the input gradient of ``batchNormForward(_:_:rows:columns:statistics:runningMean:runningVariance:momentum:epsilon:training:)``
    /// from its output `y` (the normalized values) and `statistics`.
    static func batchNormBackward(
        y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>,
        rows: Int, columns: Int, statistics: UnsafePointer<Self>, training: Bool)

    /// ``batchNormForward(_:_:rows:columns:statistics:runningMean:runningVariance:momentum:epsilon:training:)``
    /// per channel of channel-major rows (`rows × (channels·length)`), over the batch and the positions.
    static func channelBatchNormForward(
        _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, channels: Int, length: Int,
        statistics: UnsafeMutablePointer<Self>, runningMean: UnsafeMutablePointer<Float>,
        runningVariance: UnsafeMutablePointer<Float>, momentum: Double, epsilon: Double, training: Bool)
    /// Accumulates (or, `accumulate: false`, writes) the input gradient of ``channelBatchNormForward(_:_:rows:channels:length:statistics:runningMean:runningVariance:momentum:epsilon:training:)``.
    static func channelBatchNormBackward(
        y: UnsafePointer<Self>, outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>,
        rows: Int, channels: Int, length: Int, statistics: UnsafePointer<Self>, training: Bool, accumulate: Bool)

    /// Forward kernel of the RealNVP affine coupling (see ``Tape/affineCoupling(_:scaleAndShift:mask:)``).
    static func couplingForward(
        _ x: UnsafePointer<Self>, scaleAndShift st: UnsafePointer<Self>, mask: UnsafePointer<Self>,
        output y: UnsafeMutablePointer<Self>, logDeterminant: UnsafeMutablePointer<Self>,
        tanhScale: UnsafeMutablePointer<Self>, expScale: UnsafeMutablePointer<Self>, rows: Int, features f: Int)
    /// Backward kernel of the coupling output.
    static func couplingBackward(
        _ x: UnsafePointer<Self>, mask: UnsafePointer<Self>, tanhScale: UnsafePointer<Self>, expScale: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, inputGradient gx: UnsafeMutablePointer<Self>?,
        scaleAndShiftGradient gst: UnsafeMutablePointer<Self>?, rows: Int, features f: Int)
    /// Inverse of the coupling (see ``Tape/affineCouplingInverse(_:scaleAndShift:mask:)``).
    static func couplingInverse(
        _ y: UnsafePointer<Self>, scaleAndShift st: UnsafePointer<Self>, mask: UnsafePointer<Self>,
        input x: UnsafeMutablePointer<Self>, rows: Int, features f: Int)
    /// Backward kernel of the coupling log-determinant.
    static func couplingLogDeterminantBackward(
        mask: UnsafePointer<Self>, tanhScale: UnsafePointer<Self>, outputGradient gld: UnsafePointer<Self>,
        scaleAndShiftGradient gst: UnsafeMutablePointer<Self>, rows: Int, features f: Int)

    /// Forward kernel of the LSTM cell state (see ``Tape/lstmCell(gates:cell:)``).
    static func lstmCellForward(
        gates: UnsafePointer<Self>, previous: UnsafePointer<Self>?, activations: UnsafeMutablePointer<Self>,
        cell: UnsafeMutablePointer<Self>, rows: Int, hidden h: Int)
    /// Forward kernel of the LSTM hidden state.
    static func lstmHiddenForward(
        cell: UnsafePointer<Self>, activations: UnsafeMutablePointer<Self>, hidden: UnsafeMutablePointer<Self>,
        rows: Int, hidden h: Int)
    /// Backward kernel of the LSTM hidden state.
    static func lstmHiddenBackward(
        activations: UnsafePointer<Self>, outputGradient gh: UnsafePointer<Self>,
        gatesGradient: UnsafeMutablePointer<Self>?, cellGradient: UnsafeMutablePointer<Self>?, rows: Int, hidden h: Int)
    /// Backward kernel of the LSTM cell state.
    static func lstmCellBackward(
        activations: UnsafePointer<Self>, previous: UnsafePointer<Self>?, outputGradient gc: UnsafePointer<Self>,
        gatesGradient: UnsafeMutablePointer<Self>?, previousGradient: UnsafeMutablePointer<Self>?, rows: Int, hidden h: Int)
    /// Forward recurrence of the fused LSTM (see ``Tape/lstmSequence(inputGates:steps:weight:bias:sequence:reversed:)``).
    static func lstmSequenceForward(
        inputGates: UnsafePointer<Self>, weight w: UnsafePointer<Self>, bias: UnsafePointer<Self>,
        activations: UnsafeMutablePointer<Self>, cells: UnsafeMutablePointer<Self>, hiddens: UnsafeMutablePointer<Self>,
        rows: Int, steps: Int, hidden h: Int)
    /// Backward recurrence of the fused LSTM: the gate gradients of every step.
    static func lstmSequenceBackward(
        activations: UnsafePointer<Self>, cells: UnsafePointer<Self>, weight w: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, sequence: Bool, reversed: Bool,
        hiddenGradient: UnsafeMutablePointer<Self>, cellGradient: UnsafeMutablePointer<Self>,
        gatesGradient: UnsafeMutablePointer<Self>, rows: Int, steps: Int, hidden h: Int)

    /// Mean over `count` elements of `max(x, 0) − x·t + log(1 + e^−|x|)`.
    static func bceWithLogitsForward(_ x: UnsafePointer<Self>, targets t: UnsafePointer<Self>, count: Int) -> Self
    /// `gx += scale · (σ(x) − t)`.
    static func bceWithLogitsBackward(
        _ x: UnsafePointer<Self>, targets t: UnsafePointer<Self>, scale: Self,
        inputGradient gx: UnsafeMutablePointer<Self>, count: Int)
    /// Weighted mean over rows of `−log softmax(x)[label]`: `Σ w[y]·loss / Σ w[y]` (PyTorch's
    /// weighted mean); `weights` is per class, `nil` for all ones.
    static func softmaxCrossEntropyForward(
        _ x: UnsafePointer<Self>, rows: Int, columns: Int, labels: UnsafePointer<Int>,
        weights: UnsafePointer<Self>?) -> Self
    /// `gx += scale · w[y] / Σ w · (softmax(x) − onehot(y))`.
    static func softmaxCrossEntropyBackward(
        _ x: UnsafePointer<Self>, rows: Int, columns: Int, labels: UnsafePointer<Int>,
        weights: UnsafePointer<Self>?, scale: Self, inputGradient gx: UnsafeMutablePointer<Self>)
}

extension Float: NNScalar {
    /// `eˣ`.
    @inlinable public static func nnExp(_ x: Float) -> Float { Foundation.exp(x) }
    /// Natural logarithm.
    @inlinable public static func nnLog(_ x: Float) -> Float { Foundation.log(x) }
    /// `log(1 + x)`.
    @inlinable public static func nnLog1p(_ x: Float) -> Float { Foundation.log1p(x) }
    /// Hyperbolic tangent.
    @inlinable public static func nnTanh(_ x: Float) -> Float { Foundation.tanh(x) }
    /// `xᵉ`.
    @inlinable public static func nnPow(_ x: Float, _ e: Float) -> Float { Foundation.pow(x, e) }

    /// Runs on ``GEMM/multiply`` (OpenBLAS for products of at least 32³ when it is installed).
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        GEMM.multiply(transposeA: transposeA ? .transposed : .none, transposeB: transposeB ? .transposed : .none,
                      m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// ``GEMM/multiply`` on the calling thread with the whole product's ``GEMM/Algorithm``.
    public static func gemmPart(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, wholeRows: Int
    ) {
        GEMM.multiply(transposeA: transposeA ? .transposed : .none, transposeB: transposeB ? .transposed : .none,
                      m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc,
                      parallel: false, algorithm: GEMM.algorithm(m: wholeRows, n: n, k: k))
    }
}

extension Double: NNScalar {
    /// `eˣ`.
    @inlinable public static func nnExp(_ x: Double) -> Double { Foundation.exp(x) }
    /// Natural logarithm.
    @inlinable public static func nnLog(_ x: Double) -> Double { Foundation.log(x) }
    /// `log(1 + x)`.
    @inlinable public static func nnLog1p(_ x: Double) -> Double { Foundation.log1p(x) }
    /// Hyperbolic tangent.
    @inlinable public static func nnTanh(_ x: Double) -> Double { Foundation.tanh(x) }
    /// `xᵉ`.
    @inlinable public static func nnPow(_ x: Double, _ e: Double) -> Double { Foundation.pow(x, e) }
}

extension NNScalar {
    /// One `nnExp` per element (the `Double` path).
    public static func vectorExp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int) {
        for i in 0..<count { y[i] = nnExp(x[i]) }
    }

    /// One `nnTanh` per element (the `Double` path).
    public static func vectorTanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int) {
        for i in 0..<count { y[i] = nnTanh(x[i]) }
    }

    /// Straightforward triple loop (the `Double` path, used by gradient checks).
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int
    ) {
        for i in 0..<m {
            let row = c + i * ldc
            for j in 0..<n { row[j] = beta == 0 ? 0 : beta * row[j] }
            for p in 0..<k {
                let av = alpha * (transposeA ? a[p * lda + i] : a[i * lda + p])
                if transposeB {
                    for j in 0..<n { row[j] += av * b[j * ldb + p] }
                } else {
                    let brow = b + p * ldb
                    for j in 0..<n { row[j] += av * brow[j] }
                }
            }
        }
    }

    /// The same loop (it has no algorithm to choose).
    public static func gemmPart(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int, wholeRows: Int
    ) {
        gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
             a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
