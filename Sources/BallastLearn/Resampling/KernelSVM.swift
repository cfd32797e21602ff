import BallastCore
import Foundation

/// A two-class support vector machine with an RBF kernel, trained by sequential minimal optimization
/// with second-order working-set selection (Platt 1998; Fan, Chen & Lin 2005, as in LIBSVM).
///
/// It keeps the whole kernel matrix in memory, so it is meant for bounded samples (a few thousand
/// rows); ``SVMSMOTE`` trains it on a seeded subsample.
public struct KernelSVM: Sendable {
    /// Penalty on margin violations (LIBSVM's `C`).
    public var c: Double
    /// RBF width `γ` in `exp(−γ‖x − y‖²)`; `nil` uses scikit-learn's "scale": `1 / (features · variance)`.
    public var gamma: Double?
    /// Stopping tolerance on the maximal KKT violation.
    public var tolerance: Double
    /// Upper bound on SMO iterations.
    public var maxIterations: Int

    /// Creates the configuration.
    public init(c: Double = 1, gamma: Double? = nil, tolerance: Double = 1e-3, maxIterations: Int = 100_000) {
        self.c = c
        self.gamma = gamma
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// A trained machine: support vectors with their coefficients `αᵢyᵢ`, and the offset.
    public struct Model: Sendable {
        /// Indices (into the training rows) of the support vectors (`αᵢ > 0`), ascending.
        public let supportIndices: [Int]
        /// `αᵢ · yᵢ` per support vector.
        public let coefficients: [Double]
        /// The support vectors.
        public let supportVectors: Matrix
        /// The decision offset `ρ` (decision = Σ coefᵢ K(svᵢ, x) − ρ).
        public let rho: Double
        /// The kernel width used.
        public let gamma: Double
        /// SMO iterations run.
        public let iterations: Int

        /// The decision value of each row: positive for the `true` class.
        public func decisionValues(_ x: Matrix) -> [Double] {
            guard supportVectors.rows > 0 else { return Array(repeating: -rho, count: x.rows) }
            let kernel = KernelSVM.rbf(x, supportVectors, gamma: gamma)
            return (0..<x.rows).map { r in
                var s = 0.0
                for j in 0..<supportVectors.rows { s += coefficients[j] * Double(kernel[r, j]) }
                return s - rho
            }
        }
    }

    /// Trains on `features` with Boolean targets.
    /// - Throws: ``LearnError`` for mismatched sizes, non-finite values, fewer than two classes or invalid
    ///   hyperparameters.
    public func fit(_ features: Matrix, positive: [Bool]) throws -> Model {
        guard positive.count == features.rows else { throw LearnError.labelCountMismatch(rows: features.rows, labels: positive.count) }
        guard features.rows > 0 else { throw LearnError.emptyData }
        if let (r, col) = features.firstNonFinite() { throw LearnError.nonFinite(row: r, column: col) }
        guard positive.contains(true), positive.contains(false) else {
            throw LearnError.singleClass(positive[0] ? "positive" : "negative")
        }
        try ResamplingSupport.require(c > 0 && c.isFinite, "c", c, "a finite value > 0")
        try ResamplingSupport.require(tolerance > 0, "tolerance", tolerance, "a value > 0")
        try ResamplingSupport.require(maxIterations >= 1, "max-iterations", maxIterations, "an integer ≥ 1")
        let g = try gamma ?? Self.scaleGamma(features)
        if let gamma { try ResamplingSupport.require(gamma > 0 && gamma.isFinite, "gamma", gamma, "a finite value > 0") }
        let n = features.rows
        let kernel = Self.rbf(features, features, gamma: g)
        let y = positive.map { $0 ? 1.0 : -1.0 }
        var alpha = [Double](repeating: 0, count: n)
        var grad = [Double](repeating: -1, count: n)
        let tau = 1e-12
        var iterations = 0
        kernel.withUnsafeBufferPointer { k in
            while iterations < maxIterations {
                // Working set: i maximizes the violation, j the second-order gain (WSS of Fan et al. 2005).
                var gMax = -Double.infinity, i = -1
                for t in 0..<n {
                    if y[t] > 0 ? alpha[t] < c : alpha[t] > 0 {
                        if -y[t] * grad[t] >= gMax { gMax = -y[t] * grad[t]; i = t }
                    }
                }
                guard i >= 0 else { break }
                var gMax2 = -Double.infinity, j = -1, best = Double.infinity
                let ki = i * n
                for t in 0..<n {
                    guard y[t] > 0 ? alpha[t] > 0 : alpha[t] < c else { continue }
                    let v = y[t] * grad[t]
                    if v >= gMax2 { gMax2 = v }
                    let b = gMax + v
                    if b > 0 {
                        let a = 2 - 2 * Double(k[ki + t])
                        let obj = -(b * b) / (a > 0 ? a : tau)
                        if obj <= best { best = obj; j = t }
                    }
                }
                if gMax + gMax2 < tolerance || j < 0 { break }
                iterations += 1
                let kij = Double(k[ki + j])
                let oldI = alpha[i], oldJ = alpha[j]
                if y[i] != y[j] {
                    let quad = max(2 - 2 * kij, tau)
                    let delta = (-grad[i] - grad[j]) / quad
                    let diff = alpha[i] - alpha[j]
                    alpha[i] += delta; alpha[j] += delta
                    if diff > 0 { if alpha[j] < 0 { alpha[j] = 0; alpha[i] = diff } } else if alpha[i] < 0 { alpha[i] = 0; alpha[j] = -diff }
                    if diff > 0 { if alpha[i] > c { alpha[i] = c; alpha[j] = c - diff } } else if alpha[j] > c { alpha[j] = c; alpha[i] = c + diff }
                } else {
                    let quad = max(2 - 2 * kij, tau)
                    let delta = (grad[i] - grad[j]) / quad
                    let sum = alpha[i] + alpha[j]
                    alpha[i] -= delta; alpha[j] += delta
                    if sum > c { if alpha[i] > c { alpha[i] = c; alpha[j] = sum - c } } else if alpha[j] < 0 { alpha[j] = 0; alpha[i] = sum }
                    if sum > c { if alpha[j] > c { alpha[j] = c; alpha[i] = sum - c } } else if alpha[i] < 0 { alpha[i] = 0; alpha[j] = sum }
                }
                let di = (alpha[i] - oldI) * y[i], dj = (alpha[j] - oldJ) * y[j]
                let kj = j * n
                for t in 0..<n { grad[t] += y[t] * (Double(k[ki + t]) * di + Double(k[kj + t]) * dj) }
            }
        }
        // ρ: mean of yᵢ∇ᵢ over free vectors, or the middle of the feasible interval.
        var free = 0, sumFree = 0.0, upper = Double.infinity, lower = -Double.infinity
        for t in 0..<n {
            let yg = y[t] * grad[t]
            if alpha[t] > 0 && alpha[t] < c { free += 1; sumFree += yg } else if (alpha[t] >= c) == (y[t] > 0) {
                lower = max(lower, yg)
            } else {
                upper = min(upper, yg)
            }
        }
        let rho = free > 0 ? sumFree / Double(free) : (upper.isFinite && lower.isFinite ? (upper + lower) / 2 : 0)
        let support = (0..<n).filter { alpha[$0] > 0 }
        return Model(supportIndices: support, coefficients: support.map { alpha[$0] * y[$0] },
                     supportVectors: features.gatherRows(support), rho: rho, gamma: g, iterations: iterations)
    }

    /// scikit-learn's "scale" width: `1 / (features × variance of all values)` (1 when the variance is 0).
    static func scaleGamma(_ x: Matrix) throws -> Double {
        var stats = RunningStatistics()
        x.withUnsafeBufferPointer { for v in $0 { stats.add(Double(v)) } }
        let v = stats.populationVariance
        return v > 0 ? 1 / (Double(x.columns) * v) : 1
    }

    /// The RBF kernel between the rows of `a` and `b`: `exp(−γ‖aᵢ − bⱼ‖²)`, computed through GEMM.
    static func rbf(_ a: Matrix, _ b: Matrix, gamma: Double) -> Matrix {
        var k = a.matmul(b, transposeOther: .transposed)
        let na = a.rowSquaredNorms(), nb = b.rowSquaredNorms()
        let cols = b.rows
        let g = Float(gamma)
        k.withUnsafeMutableBufferPointer { p in
            for i in 0..<a.rows {
                for j in 0..<cols {
                    p[i * cols + j] = Foundation.exp(-g * max(0, na[i] + nb[j] - 2 * p[i * cols + j]))
                }
            }
        }
        return k
    }
}
