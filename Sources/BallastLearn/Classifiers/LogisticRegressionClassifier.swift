import BallastCore

/// Multinomial logistic regression (softmax) with an L2 penalty, fitted by L-BFGS.
///
/// Minimizes `C · Σᵢ sᵢ · CE(yᵢ, softmax(xᵢW + b)) + ½‖W‖²` (scikit-learn's objective; `sᵢ` are the
/// class weights, the intercepts `b` are not penalized), in the equivalent form divided by `Σᵢ sᵢ`,
/// to a gradient tolerance as scikit-learn's `lbfgs` solver. Products `X·W` and `Xᵀ·G` go through
/// ``GEMM``.
public struct LogisticRegressionClassifier: Classifier {
    /// Inverse regularization strength (> 0; larger means less penalty).
    public var c: Double
    /// Maximum L-BFGS iterations (scikit-learn's `max_iter`).
    public var maxIterations: Int
    /// Stop when the largest gradient component of the averaged objective is at most this.
    public var tolerance: Double
    /// Class weights.
    public var classWeights: ClassWeights

    /// Creates the hyperparameters (scikit-learn's defaults).
    public init(c: Double = 1, maxIterations: Int = 100, tolerance: Double = 1e-4, classWeights: ClassWeights = .none) {
        self.c = c
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.classWeights = classWeights
    }

    /// Fits the weights. `rng` is not used: the problem is convex and starts from zero.
    /// - Throws: ``LearnError`` for invalid data or hyperparameters.
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> LogisticRegressionModel {
        try data.validateForTraining()
        guard c > 0 && c.isFinite else { throw LearnError.invalidParameter(name: "C", value: "\(c)", expected: "a finite number > 0") }
        guard maxIterations >= 1 else {
            throw LearnError.invalidParameter(name: "maxIterations", value: "\(maxIterations)", expected: "≥ 1")
        }
        guard tolerance > 0 else { throw LearnError.invalidParameter(name: "tolerance", value: "\(tolerance)", expected: "> 0") }
        let n = data.count, m = data.features.columns, k = data.classNames.count
        let sampleWeights = try classWeights.sampleWeights(labels: data.labels, classCount: k)
        let total = sampleWeights.reduce(0.0) { $0 + Double($1) }
        let penalty = 1 / (c * total)
        let x = data.features
        let labels = data.labels
        var w32 = Matrix(rows: m, columns: k)
        var gradient32 = Matrix(rows: m, columns: k)
        var residual = Matrix(rows: n, columns: k)
        let objective: ([Double], inout [Double]) -> Double = { params, grad in
            w32.withUnsafeMutableBufferPointer { w in for i in 0..<(m * k) { w[i] = Float(params[i]) } }
            var z = x.matmul(w32)
            var loss = 0.0
            var interceptGradient = [Double](repeating: 0, count: k)
            z.withUnsafeMutableBufferPointer { zp in
                residual.withUnsafeMutableBufferPointer { rp in
                    for r in 0..<n {
                        let row = r * k
                        var top = -Double.infinity
                        var logits = [Double](repeating: 0, count: k)
                        for j in 0..<k { logits[j] = Double(zp[row + j]) + params[m * k + j]; top = max(top, logits[j]) }
                        var sum = 0.0
                        for j in 0..<k { logits[j] = exp(logits[j] - top); sum += logits[j] }
                        let s = Double(sampleWeights[r])
                        let y = labels[r]
                        loss += s * (log(sum) - log(max(logits[y], .leastNormalMagnitude)))
                        for j in 0..<k {
                            let g = s * (logits[j] / sum - (j == y ? 1 : 0)) / total
                            rp[row + j] = Float(g)
                            interceptGradient[j] += g
                        }
                    }
                }
            }
            gradient32.withUnsafeMutableBufferPointer { gp in
                x.withUnsafeBufferPointer { xp in
                    residual.withUnsafeBufferPointer { rp in
                        GEMM.multiply(transposeA: .transposed, transposeB: .none, m: m, n: k, k: n, alpha: 1,
                                      a: xp.baseAddress!, lda: m, b: rp.baseAddress!, ldb: k, beta: 0, c: gp.baseAddress!, ldc: k)
                    }
                }
            }
            var norm = 0.0
            for i in 0..<(m * k) {
                norm += params[i] * params[i]
                grad[i] = Double(gradient32.storage[i]) + penalty * params[i]
            }
            for j in 0..<k { grad[m * k + j] = interceptGradient[j] }
            return loss / total + 0.5 * penalty * norm
        }
        var solver = LBFGS()
        solver.maxIterations = maxIterations
        solver.gradientTolerance = tolerance
        let result = solver.minimize([Double](repeating: 0, count: m * k + k), objective)
        return LogisticRegressionModel(classNames: data.classNames, featureCount: m,
                                       weights: result.x[0..<(m * k)].map { Float($0) },
                                       intercepts: result.x[(m * k)...].map { Float($0) },
                                       iterations: result.iterations, converged: result.converged)
    }
}

/// A fitted multinomial logistic regression.
public struct LogisticRegressionModel: ClassifierModel, Equatable {
    public let classNames: [String]
    public let featureCount: Int
    /// `featureCount × classes` weights, row-major.
    public let weights: [Float]
    /// One intercept per class.
    public let intercepts: [Float]
    /// L-BFGS iterations run.
    public let iterations: Int
    /// Whether the solver reached its tolerance within the iteration limit.
    public let converged: Bool

    /// Creates a model from its parts.
    public init(classNames: [String], featureCount: Int, weights: [Float], intercepts: [Float], iterations: Int, converged: Bool) {
        self.classNames = classNames
        self.featureCount = featureCount
        self.weights = weights
        self.intercepts = intercepts
        self.iterations = iterations
        self.converged = converged
    }

    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        let k = classNames.count
        guard weights.count == featureCount * k, intercepts.count == k else {
            throw LearnError.invalidParameter(name: "weights", value: "\(weights.count) weights, \(intercepts.count) intercepts",
                                              expected: "\(featureCount * k) weights and \(k) intercepts")
        }
        var z = features.rows == 0 ? Matrix(rows: 0, columns: k)
            : features.matmul(Matrix(rows: featureCount, columns: k, values: weights))
        z.withUnsafeMutableBufferPointer { p in
            for r in 0..<features.rows {
                let row = r * k
                var top = -Float.infinity
                for j in 0..<k { p[row + j] += intercepts[j]; top = max(top, p[row + j]) }
                var sum: Float = 0
                for j in 0..<k { p[row + j] = expf(p[row + j] - top); sum += p[row + j] }
                for j in 0..<k { p[row + j] /= sum }
            }
        }
        return z
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
