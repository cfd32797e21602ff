import BallastCore

/// Gradient-boosted trees for multi-class detection in the manner of XGBoost's `hist` method
/// (Chen & Guestrin 2016): softmax loss, one regression tree per class per round fitted to the
/// gradients and hessians (`g = p − y`, `h = 2p(1 − p)` as XGBoost), leaf values `−G/(H + λ)` shrunk
/// by the learning rate, splits by second-order gain with `λ`, `γ` and a minimum child hessian;
/// trees are limited by depth and optionally by leaf count (then grown best-first).
/// Margins start from the log class shares (as XGBoost ≥ 3.1 estimates per-class intercepts).
///
/// Features are quantized to at most `maxBins` quantile bins; a bin edge lies halfway between the
/// neighbouring values — between their raw values in a `log1p` column when fitted with the
/// preprocessing's schema (``fit(_:schema:using:)``), as for ``DecisionTreeClassifier``. Each round may see a random fraction of
/// the rows (`subsample`) and each tree a random fraction of the features (`columnSubsample`). With
/// `earlyStoppingRounds`, a stratified `validationFraction` of the training rows is held out and
/// boosting stops once the validation log-loss has not improved for that many rounds; the model
/// keeps the best round. The trees of one round grow in parallel, from seeds drawn before the fan-out.
public struct GradientBoostingClassifier: Classifier {
    /// Boosting rounds (each adds one tree per class).
    public var rounds: Int
    /// Shrinkage of every leaf value (XGBoost's `eta`), in (0, 1].
    public var learningRate: Double
    /// Maximum tree depth (≥ 1).
    public var maxDepth: Int
    /// Maximum leaves per tree (`nil`: split every node up to `maxDepth`); with a limit, trees
    /// grow leaf-wise, best gain first (XGBoost's `lossguide`).
    public var maxLeaves: Int?
    /// L2 penalty on leaf values (XGBoost's `lambda`, ≥ 0).
    public var lambda: Double
    /// Minimum gain of a split (XGBoost's `gamma`, ≥ 0).
    public var gamma: Double
    /// Minimum hessian sum in a child (≥ 0).
    public var minChildWeight: Double
    /// Fraction of rows each round sees, in (0, 1].
    public var subsample: Double
    /// Fraction of features each tree sees, in (0, 1].
    public var columnSubsample: Double
    /// Quantile bins per feature (2...256).
    public var maxBins: Int
    /// Stop after this many rounds without validation improvement (`nil`: run every round).
    public var earlyStoppingRounds: Int?
    /// Fraction of training rows held out for early stopping, in (0, 0.5].
    public var validationFraction: Double
    /// Class weights (multiply each row's gradient and hessian).
    public var classWeights: ClassWeights

    /// Creates the hyperparameters (XGBoost's defaults).
    public init(rounds: Int = 100, learningRate: Double = 0.3, maxDepth: Int = 6, maxLeaves: Int? = nil,
                lambda: Double = 1, gamma: Double = 0,
                minChildWeight: Double = 1, subsample: Double = 1, columnSubsample: Double = 1, maxBins: Int = 256,
                earlyStoppingRounds: Int? = nil, validationFraction: Double = 0.1, classWeights: ClassWeights = .none) {
        self.rounds = rounds
        self.learningRate = learningRate
        self.maxDepth = maxDepth
        self.maxLeaves = maxLeaves
        self.lambda = lambda
        self.gamma = gamma
        self.minChildWeight = minChildWeight
        self.subsample = subsample
        self.columnSubsample = columnSubsample
        self.maxBins = maxBins
        self.earlyStoppingRounds = earlyStoppingRounds
        self.validationFraction = validationFraction
        self.classWeights = classWeights
    }

    private func validateParameters() throws {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw LearnError.invalidParameter(name: name, value: "\(value)", expected: expected) }
        }
        try check(rounds >= 1, "rounds", rounds, "≥ 1")
        try check(learningRate > 0 && learningRate <= 1, "learningRate", learningRate, "a number in (0, 1]")
        try check(maxDepth >= 1 && maxDepth <= 30, "maxDepth", maxDepth, "1...30")
        try check(maxLeaves.map { $0 >= 2 } ?? true, "maxLeaves", maxLeaves ?? 0, "≥ 2, or none")
        try check(lambda >= 0 && lambda.isFinite, "lambda", lambda, "a finite number ≥ 0")
        try check(gamma >= 0 && gamma.isFinite, "gamma", gamma, "a finite number ≥ 0")
        try check(minChildWeight >= 0 && minChildWeight.isFinite, "minChildWeight", minChildWeight, "a finite number ≥ 0")
        try check(subsample > 0 && subsample <= 1, "subsample", subsample, "a fraction in (0, 1]")
        try check(columnSubsample > 0 && columnSubsample <= 1, "columnSubsample", columnSubsample, "a fraction in (0, 1]")
        try check((2...256).contains(maxBins), "maxBins", maxBins, "2...256")
        try check(earlyStoppingRounds.map { $0 >= 1 } ?? true, "earlyStoppingRounds", earlyStoppingRounds ?? 0, "≥ 1, or none")
        try check(validationFraction > 0 && validationFraction <= 0.5, "validationFraction", validationFraction, "a fraction in (0, 0.5]")
    }

    /// Boosts the trees.
    /// - Throws: ``LearnError`` for invalid data or hyperparameters, or when the validation split
    ///   for early stopping leaves fewer than two classes to train on.
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> GradientBoostingModel {
        try fit(data, schema: nil, using: &rng)
    }

    /// Boosts the trees on preprocessed rows; a bin edge in a `log1p` column of `schema`'s
    /// preprocessing lies at the image of the raw values' midpoint.
    /// - Throws: as ``fit(_:using:)``, or ``LearnError`` for a schema of another width.
    public func fit(_ data: LabeledMatrix, schema: FeatureSchema?, using rng: inout some RandomNumberGenerator) throws
        -> GradientBoostingModel {
        try data.validateForTraining()
        try validateParameters()
        let placement = try SplitPlacement(schema: schema, width: data.features.columns)
        var train = data
        var validation: LabeledMatrix?
        if earlyStoppingRounds != nil {
            let (t, v) = Self.stratifiedHoldOut(data, fraction: validationFraction, using: &rng)
            try t.validateForTraining()
            train = t
            validation = v
        }
        let k = data.classNames.count, n = train.count, m = data.features.columns
        let bins = FeatureBins<UInt16>(train.features, maxBins: maxBins, placement: placement)
        let grower = GradientTreeGrower(bins: bins, maxDepth: maxDepth, maxLeaves: maxLeaves, lambda: lambda, gamma: gamma,
                                        minChildWeight: minChildWeight, shrinkage: learningRate)
        let rowWeights = try classWeights.sampleWeights(labels: train.labels, classCount: k)
        let featuresPerTree = max(1, Int(columnSubsample * Double(m)))
        let base = Self.baseMargins(labels: train.labels, weights: rowWeights, classCount: k)
        var margins = (0..<(n * k)).map { base[$0 % k] }
        var validationMargins = (0..<((validation?.count ?? 0) * k)).map { base[$0 % k] }
        var trees: [FlatTree] = []
        var bestLoss = Double.infinity, bestRounds = 0
        var gradients = [SIMD2<Double>](repeating: SIMD2(0, 0), count: n * k)  // class-major: [c * n + r]
        for round in 0..<rounds {
            // Gradients of the softmax loss at the current margins, for all classes (rows in parallel).
            margins.withUnsafeBufferPointer { f in
                gradients.withUnsafeMutableBufferPointer { g in
                    let marginBuffer = SendableReadBuffer(f), out = SendableBuffer(g)
                    let labels = train.labels
                    Parallel.forEachChunk(0..<n, minimumChunk: 8192) { range in
                        var probabilities = [Double](repeating: 0, count: k)
                        for r in range {
                            var top = -Double.infinity
                            for c in 0..<k { probabilities[c] = Double(marginBuffer.buffer[r * k + c]); top = max(top, probabilities[c]) }
                            var sum = 0.0
                            for c in 0..<k { probabilities[c] = exp(probabilities[c] - top); sum += probabilities[c] }
                            let w = Double(rowWeights[r])
                            for c in 0..<k {
                                let p = probabilities[c] / sum
                                out.buffer[c * n + r] = SIMD2((p - (labels[r] == c ? 1 : 0)) * w, max(2 * p * (1 - p), 1e-16) * w)
                            }
                        }
                    }
                }
            }
            var rows: [Int32] = []
            rows.reserveCapacity(n)
            if subsample < 1 {
                for r in 0..<n where rng.nextUniform() < subsample { rows.append(Int32(r)) }
                if rows.isEmpty { rows.append(Int32(rng.nextInt(below: n))) }
            } else {
                rows = (0..<n).map { Int32($0) }
            }
            let seeds = rng.childSeeds(k)
            let roundRows = rows
            // Leaf value of every sampled row in each class's tree, from the growers' partitions.
            var rowValues = [Float](repeating: 0, count: n * k)
            let roundTrees: [FlatTree] = gradients.withUnsafeBufferPointer { g in
                rowValues.withUnsafeMutableBufferPointer { v in
                    let gradientBuffer = SendableReadBuffer(g), valueBuffer = SendableBuffer(v)
                    return Parallel.mapChunks(0..<k, chunksPerThread: 4) { range in
                        range.map { c -> FlatTree in
                            var treeRNG = Xoshiro256StarStar(seed: seeds[c])
                            let features = featuresPerTree >= m ? Array(0..<m)
                                : treeRNG.sampleWithoutReplacement(from: m, count: featuresPerTree).sorted()
                            var own = roundRows
                            return own.withUnsafeMutableBufferPointer { rowBuffer in
                                grower.grow(gradients: UnsafeBufferPointer(rebasing: gradientBuffer.buffer[(c * n)..<((c + 1) * n)]),
                                            rows: rowBuffer, features: features,
                                            leafValues: UnsafeMutableBufferPointer(rebasing: valueBuffer.buffer[(c * n)..<((c + 1) * n)]))
                            }
                        }
                    }.flatMap { $0 }
                }
            }
            for (c, tree) in roundTrees.enumerated() {
                if roundRows.count == n {
                    for r in 0..<n { margins[r * k + c] += rowValues[c * n + r] }
                } else {
                    Self.addLeafValues(tree, train.features, class: c, classCount: k, to: &margins)
                }
                if let validation { Self.addLeafValues(tree, validation.features, class: c, classCount: k, to: &validationMargins) }
            }
            trees.append(contentsOf: roundTrees)
            WorkProgress.report("boosting rounds", done: round + 1, of: rounds)
            if let validation, let patience = earlyStoppingRounds {
                let loss = Self.logLoss(validationMargins, labels: validation.labels, classCount: k)
                if loss < bestLoss - 1e-12 {
                    bestLoss = loss
                    bestRounds = round + 1
                } else if round + 1 - bestRounds >= patience {
                    break
                }
            } else {
                bestRounds = round + 1
            }
        }
        return GradientBoostingModel(classNames: data.classNames, featureCount: m, baseMargins: base,
                                     trees: Array(trees.prefix(bestRounds * k)), rounds: bestRounds)
    }

    /// Starting margins: the log of each class's (weighted) share, centred; classes absent from
    /// the training rows start at the smallest present value minus 10.
    static func baseMargins(labels: [Int], weights: [Float], classCount k: Int) -> [Float] {
        var share = [Double](repeating: 0, count: k)
        for (y, w) in zip(labels, weights) { share[y] += Double(w) }
        let present = share.filter { $0 > 0 }.map { log($0) }
        let mean = present.reduce(0, +) / Double(max(1, present.count))
        let floor = (present.min() ?? 0) - 10
        return share.map { Float(($0 > 0 ? log($0) : floor) - mean) }
    }

    /// Adds each row's leaf value in `tree` to its margin for class `c`.
    static func addLeafValues(_ tree: FlatTree, _ features: Matrix, class c: Int, classCount k: Int, to margins: inout [Float]) {
        let m = features.columns
        features.withUnsafeBufferPointer { x in
            margins.withUnsafeMutableBufferPointer { f in
                let src = SendableReadBuffer(x), dst = SendableBuffer(f)
                Parallel.forEachChunk(0..<features.rows, minimumChunk: 8192) { range in
                    for r in range { dst.buffer[r * k + c] += tree.values[tree.leaf(src.baseAddress! + r * m)] }
                }
            }
        }
    }

    /// Mean softmax cross-entropy of margins.
    static func logLoss(_ margins: [Float], labels: [Int], classCount k: Int) -> Double {
        var total = 0.0
        for (r, y) in labels.enumerated() {
            var top = -Double.infinity
            for c in 0..<k { top = max(top, Double(margins[r * k + c])) }
            var sum = 0.0
            for c in 0..<k { sum += exp(Double(margins[r * k + c]) - top) }
            total += log(sum) - (Double(margins[r * k + y]) - top)
        }
        return total / Double(max(1, labels.count))
    }

    /// Splits off about `fraction` of each class's rows (at least one from classes with two or more
    /// rows) as a validation set.
    static func stratifiedHoldOut(_ data: LabeledMatrix, fraction: Double,
                                  using rng: inout some RandomNumberGenerator) -> (LabeledMatrix, LabeledMatrix) {
        var byClass = [[Int]](repeating: [], count: data.classNames.count)
        for (r, y) in data.labels.enumerated() { byClass[y].append(r) }
        var trainRows: [Int] = [], validationRows: [Int] = []
        for var rows in byClass {
            rng.shuffle(&rows)
            let held = rows.count >= 2 ? max(1, Int((fraction * Double(rows.count)).rounded())) : 0
            validationRows.append(contentsOf: rows[0..<held])
            trainRows.append(contentsOf: rows[held...])
        }
        return (data.gatherRows(trainRows.sorted()), data.gatherRows(validationRows.sorted()))
    }
}

/// A fitted gradient-boosted model: `rounds × classes` regression trees, round-major.
public struct GradientBoostingModel: ClassifierModel, Equatable {
    public let classNames: [String]
    public let featureCount: Int
    /// Margin of each class before any tree (log class shares, centred).
    public let baseMargins: [Float]
    /// Trees; tree `round * classes + c` adds to the margin of class `c`.
    public let trees: [FlatTree]
    /// Boosting rounds kept (after early stopping, the best round).
    public let rounds: Int
    /// The trees packed for prediction: built on first use, then shared by every copy of the model,
    /// so that scoring one record (a web request) does not repack a thousand trees.
    private let packed = PackedForestCache()

    private enum CodingKeys: String, CodingKey { case classNames, featureCount, baseMargins, trees, rounds }

    public static func == (a: Self, b: Self) -> Bool {
        a.classNames == b.classNames && a.featureCount == b.featureCount && a.baseMargins == b.baseMargins
            && a.trees == b.trees && a.rounds == b.rounds
    }

    /// Creates a model from its parts.
    public init(classNames: [String], featureCount: Int, baseMargins: [Float], trees: [FlatTree], rounds: Int) {
        self.classNames = classNames
        self.featureCount = featureCount
        self.baseMargins = baseMargins
        self.trees = trees
        self.rounds = rounds
    }

    /// Raw margins (log-odds up to a per-row constant), one row per input row, one column per class.
    /// - Throws: as ``predictProbabilities(_:)``.
    public func predictMargins(_ features: Matrix) throws -> Matrix {
        try validateInput(features)
        let k = classNames.count
        guard trees.count == rounds * k, baseMargins.count == k else {
            throw LearnError.invalidParameter(name: "trees", value: "\(trees.count)", expected: "\(rounds * k) (rounds × classes)")
        }
        try TreeEnsemblePrediction.validate(trees, width: 1, featureCount: featureCount)
        var out = (0..<(features.rows * k)).map { baseMargins[$0 % k] }
        if !trees.isEmpty { packed.forest(for: trees).accumulate(features, columns: k, into: &out) }
        return Matrix(rows: features.rows, columns: k, values: out)
    }

    public func predictProbabilities(_ features: Matrix) throws -> Matrix {
        var z = try predictMargins(features)
        let k = classNames.count
        z.withUnsafeMutableBufferPointer { p in
            for r in 0..<features.rows {
                var top = -Float.infinity
                for j in 0..<k { top = max(top, p[r * k + j]) }
                var sum: Float = 0
                for j in 0..<k { p[r * k + j] = expf(p[r * k + j] - top); sum += p[r * k + j] }
                for j in 0..<k { p[r * k + j] /= sum }
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
