import BallastCore

/// Multinomial logistic regression (softmax) with an L2 penalty, fitted by L-BFGS.
///
/// Minimizes `C · Σᵢ sᵢ · CE(yᵢ, softmax(xᵢW + b)) + ½‖W‖²` (scikit-learn's objective; `sᵢ` are the
/// class weights, the intercepts `b` are not penalized), in the equivalent form divided by `Σᵢ sᵢ`,
/// to a gradient tolerance as scikit-learn's `lbfgs` solver. Each loss evaluation is one fused,
/// parallel pass over the rows (``SoftmaxLoss``); prediction multiplies through ``GEMM``.
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
        let m = data.features.columns, k = data.classNames.count
        guard m > 0 else {
            throw LearnError.invalidParameter(name: "features", value: "0 columns", expected: "at least one feature column")
        }
        let sampleWeights = try classWeights.sampleWeights(labels: data.labels, classCount: k)
        let total = sampleWeights.reduce(0.0) { $0 + Double($1) }
        let penalty = 1 / (c * total)
        // Parameters: W as classes × features (row-major), then the intercepts.
        let loss = SoftmaxLoss(features: data.features, labels: data.labels, weights: sampleWeights, classCount: k)
        let objective: ([Double], inout [Double]) -> Double = { params, grad in
            let (sum, g) = loss.evaluate(params.map { Float($0) })
            var norm = 0.0
            for i in 0..<(m * k) {
                norm += params[i] * params[i]
                grad[i] = g[i] / total + penalty * params[i]
            }
            for j in 0..<k { grad[m * k + j] = g[m * k + j] / total }
            return sum / total + 0.5 * penalty * norm
        }
        var solver = LBFGS()
        solver.maxIterations = maxIterations
        solver.gradientTolerance = tolerance
        let result = solver.minimize([Double](repeating: 0, count: m * k + k), objective)
        var weights = [Float](repeating: 0, count: m * k)
        for j in 0..<m { for c in 0..<k { weights[j * k + c] = Float(result.x[c * m + j]) } }
        return LogisticRegressionModel(classNames: data.classNames, featureCount: m, weights: weights,
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
