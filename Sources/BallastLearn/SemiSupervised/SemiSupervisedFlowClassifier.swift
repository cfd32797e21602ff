import BallastCore
import BallastNN

/// A semi-supervised, imbalance-adaptive normalizing-flow detector (`ssflow`): a FlowGMM classifier
/// trained on few labels and many unlabelled rows, with class priors re-estimated on the unlabelled
/// traffic, self-training with class-wise adaptive thresholds, and a k-nearest-neighbour manifold
/// term.
///
/// The method follows the semi-supervised normalizing-flow detector of Ballast's design (IJCCC,
/// 2025), built from published parts:
/// - **FlowGMM** (Izmailov et al., 2020): affine couplings (Dinh et al., 2017) map standardised rows
///   to `z`; the base density is a mixture with one `N(μ_y, I)` per class, so
///   `p(y | x) ∝ π_y N(f(x); μ_y, I)` (see ``FlowGMMNetwork``). A labelled row's loss is
///   `−log p(x, y) = −log p(y | x) − log p(x)`; an unlabelled row's is `−log p(x) = −log Σ_y π_y p(x | y)`.
///   Ballast weights the two parts separately: the classification part by `classWeights` (balanced
///   by default, for the rare classes), the density part per dimension (nats/dim, as Glow reports it)
///   times `densityWeight`, the unlabelled rows' density by `densityWeight · unlabelledWeight`.
/// - **Prior re-estimation** (Saerens et al., 2002): after each round, EM on the unlabelled rows'
///   class likelihoods gives the traffic's priors, used in the next round and in the saved model
///   (``ClassPriorEstimation``).
/// - **Self-training** with **class-wise adaptive thresholds** (FlexMatch, Zhang et al., 2021) and a
///   per-class cap (``PseudoLabelSelection``): confident unlabelled rows join the labelled ones
///   (weight `pseudoWeight`) for the next round; rounds stop when the pseudo-labels stop changing
///   or after `rounds`.
/// - **Manifold term** (Belkin et al., 2006): `manifoldWeight · mean ‖p(·|x_i) − p(·|x_j)‖²` over a
///   mini-batch of edges of the k-nearest-neighbour graph of labelled and unlabelled rows
///   (``NeighbourGraph``).
///
/// Training uses Adam for `epochs` epochs per round; an epoch is `min(epochRows, max(S, U))`
/// supervised rows (`S` labelled and pseudo-labelled, cycled in a shuffled order), each batch paired
/// with as many unlabelled rows drawn at random and `edgeBatch` graph edges. Training inputs get
/// Gaussian noise of deviation `noise` (in standardised units) so that discrete columns do not
/// give the flow an unbounded density. There is no validation split: labels are what is scarce.
///
/// ```swift
/// let ssflow = SemiSupervisedFlowClassifier(epochs: 10, rounds: 2)
/// let model = try ssflow.fit(labelled, unlabelled: unlabelledRows, using: &rng)
/// ```
public struct SemiSupervisedFlowClassifier: SemiSupervisedClassifier {
    /// Number of affine couplings.
    public var couplings: Int
    /// Hidden widths of each coupling's conditioner.
    public var hiddenWidths: [Int]
    /// Norm of each initial class mean in the base space.
    public var meanSpread: Double
    /// Whether the class means are learned (otherwise they stay at their random placement).
    public var learnMeans: Bool
    /// Adam's learning rate.
    public var learningRate: Double
    /// Epochs per self-training round.
    public var epochs: Int
    /// Supervised rows per mini-batch (as many unlabelled rows are drawn beside them).
    public var batchSize: Int
    /// The most supervised rows in an epoch.
    public var epochRows: Int
    /// Weight of the density part `−log p(x)/d` of every row's loss.
    public var densityWeight: Double
    /// Extra weight of the unlabelled rows' density term (0: the unlabelled rows only enter
    /// through priors, pseudo-labels and the graph).
    public var unlabelledWeight: Double
    /// Deviation of the Gaussian noise added to training inputs (standardised units).
    public var noise: Double
    /// Class weights of the classification part, from the labelled and pseudo-labelled rows.
    public var classWeights: ClassWeights
    /// Self-training rounds after the first fit (0: none).
    public var rounds: Int
    /// The pseudo-label rule of each round.
    public var selection: PseudoLabelSelection
    /// The most pseudo-labels per class, as a multiple of an equal share `U / classes`; `nil`: no cap.
    public var capRatio: Double?
    /// Weight of a pseudo-labelled row relative to a labelled one.
    public var pseudoWeight: Double
    /// Whether the priors are re-estimated on the unlabelled rows by EM (otherwise the labelled
    /// frequencies are kept).
    public var estimatePriors: Bool
    /// Weight of the manifold (graph consistency) term; 0 builds no graph.
    public var manifoldWeight: Double
    /// Neighbours per row in the graph.
    public var neighbours: Int
    /// Edges per mini-batch.
    public var edgeBatch: Int
    /// The most unlabelled rows in the graph (a seeded random subset; all labelled rows are in it).
    public var graphRows: Int
    /// Whether training draws a progress bar (only ever on a terminal).
    public var progress: ProgressDisplay

    /// Creates the hyperparameters.
    public init(couplings: Int = 4, hiddenWidths: [Int] = [64], meanSpread: Double = 4, learnMeans: Bool = true,
                learningRate: Double = 1e-3, epochs: Int = 15, batchSize: Int = 128, epochRows: Int = 4096,
                densityWeight: Double = 1, unlabelledWeight: Double = 1, noise: Double = 0.05,
                classWeights: ClassWeights = .balanced, rounds: Int = 3,
                selection: PseudoLabelSelection = PseudoLabelSelection(), capRatio: Double? = 1, pseudoWeight: Double = 0.5,
                estimatePriors: Bool = true, manifoldWeight: Double = 1, neighbours: Int = 10, edgeBatch: Int = 64,
                graphRows: Int = 20_000, progress: ProgressDisplay = .automatic) {
        self.couplings = couplings
        self.hiddenWidths = hiddenWidths
        self.meanSpread = meanSpread
        self.learnMeans = learnMeans
        self.learningRate = learningRate
        self.epochs = epochs
        self.batchSize = batchSize
        self.epochRows = epochRows
        self.densityWeight = densityWeight
        self.unlabelledWeight = unlabelledWeight
        self.noise = noise
        self.classWeights = classWeights
        self.rounds = rounds
        self.selection = selection
        self.capRatio = capRatio
        self.pseudoWeight = pseudoWeight
        self.estimatePriors = estimatePriors
        self.manifoldWeight = manifoldWeight
        self.neighbours = neighbours
        self.edgeBatch = edgeBatch
        self.graphRows = graphRows
        self.progress = progress
    }

    /// Trains on labelled rows only (the graph, if any, links labelled rows).
    /// - Throws: as ``fit(_:unlabelled:using:)``.
    public func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> SemiSupervisedFlowModel {
        try fit(data, unlabelled: Matrix(rows: 0, columns: data.features.columns), using: &rng)
    }

    /// Trains on labelled and unlabelled rows.
    /// - Parameters:
    ///   - labelled: labelled rows; every class of the class table needs at least one.
    ///   - unlabelled: rows without labels, as wide as the labelled ones (may be empty).
    ///   - rng: draws the weights, the means, the graph's subset, the batches and the noise.
    /// - Throws: ``LearnError`` for invalid labelled data or hyperparameters (named as in the
    ///   catalogue) or a diverging loss (reported as `lr`); ``SemiSupervisedError`` for a class
    ///   without labels or bad unlabelled rows.
    public func fit(_ labelled: LabeledMatrix, unlabelled: Matrix, using rng: inout some RandomNumberGenerator) throws -> SemiSupervisedFlowModel {
        try labelled.validateForTraining()
        let d = labelled.features.columns
        guard d > 0 else { throw LearnError.invalidParameter(name: "features", value: "0 columns", expected: "at least one feature column") }
        if unlabelled.rows > 0 {
            guard unlabelled.columns == d else { throw SemiSupervisedError.unlabelledWidthMismatch(expected: d, found: unlabelled.columns) }
            if let (r, c) = unlabelled.firstNonFinite() { throw SemiSupervisedError.unlabelledNonFinite(row: r, column: c) }
        }
        try validate()
        let counts = labelled.classCounts
        if let missing = counts.firstIndex(of: 0) {
            throw SemiSupervisedError.classWithoutLabels(name: labelled.classNames[missing], index: missing)
        }
        let shape = CouplingFlowShape(dimensions: d, couplings: couplings, hiddenWidths: hiddenWidths, kind: .affine)
        guard shape.isPlausible, let parameterCount = shape.parameterCount else {
            throw LearnError.invalidParameter(name: "widths", value: hiddenWidths.map(String.init).joined(separator: "x"),
                                              expected: "a flow of at most \(FlowArchitecture.maximumParameters) parameters over \(d) features")
        }
        try MemoryBudget.require(bytes: Double(parameterCount) * 16 + Double(unlabelled.count + labelled.features.count) * 8,
                                 for: "ssflow (\(parameterCount) flow weights, \(unlabelled.rows) unlabelled rows)")
        var fitting = FlowGMMFitting(settings: self, labelled: labelled, unlabelled: unlabelled, shape: shape, using: &rng)
        return try fitting.run(using: &rng)
    }

    /// Checks the hyperparameters, naming each by its catalogue key.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)``.
    func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw LearnError.invalidParameter(name: name, value: "\(value)", expected: expected) }
        }
        try check((1...64).contains(couplings), "couplings", couplings, "an integer in 1...64")
        try check(hiddenWidths.count <= 16 && hiddenWidths.allSatisfy { (1...65_536).contains($0) }, "widths",
                  hiddenWidths.map(String.init).joined(separator: "x"), "at most 16 widths in 1...65536")
        try check(meanSpread >= 0 && meanSpread <= 1e3, "spread", meanSpread, "a norm in 0...1000")
        try check(learningRate > 0 && learningRate <= 10, "lr", learningRate, "a rate in (0, 10]")
        try check(epochs >= 1, "epochs", epochs, "≥ 1")
        try check(batchSize >= 2, "batch", batchSize, "≥ 2")
        try check(epochRows >= 1, "epoch-rows", epochRows, "≥ 1")
        try check(densityWeight >= 0 && densityWeight.isFinite, "density-weight", densityWeight, "a finite weight ≥ 0")
        try check(unlabelledWeight >= 0 && unlabelledWeight.isFinite, "unlabelled-weight", unlabelledWeight, "a finite weight ≥ 0")
        try check(noise >= 0 && noise <= 10, "noise", noise, "a deviation in 0...10")
        try check(rounds >= 0 && rounds <= 100, "rounds", rounds, "an integer in 0...100")
        try check(selection.threshold > 0 && selection.threshold <= 1, "threshold", selection.threshold, "a probability in (0, 1]")
        try check(selection.floor > 0 && selection.floor <= selection.threshold, "min-threshold", selection.floor,
                  "a probability in (0, threshold = \(selection.threshold)]")
        if let capRatio { try check(capRatio > 0 && capRatio.isFinite, "cap", capRatio, "a ratio > 0 (or none)") }
        try check(pseudoWeight >= 0 && pseudoWeight.isFinite, "pseudo-weight", pseudoWeight, "a finite weight ≥ 0")
        try check(manifoldWeight >= 0 && manifoldWeight.isFinite, "manifold-weight", manifoldWeight, "a finite weight ≥ 0")
        try check(neighbours >= 1 && neighbours <= 1000, "neighbours", neighbours, "an integer in 1...1000")
        try check(edgeBatch >= 1, "edge-batch", edgeBatch, "≥ 1")
        try check(graphRows >= 0, "graph-rows", graphRows, "≥ 0")
    }
}
