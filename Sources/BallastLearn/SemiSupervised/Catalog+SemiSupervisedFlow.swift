extension ParameterValues {
    /// The parameters of `ssflow` (see ``SemiSupervisedFlowClassifier`` for what each does).
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func semiSupervisedFlow() throws -> SemiSupervisedFlowClassifier {
        let couplings = try int("couplings", default: 4, in: 1...64, "affine coupling layers")
        let widths = try widths(default: "64", "hidden widths of each coupling's conditioner joined by 'x'")
        let spread = try double("spread", default: 4, in: 0...1000, "norm of each initial class mean in the base space")
        let learnMeans = try bool("learn-means", default: true, "train the class means (false: fixed apart)")
        let lr = try double("lr", default: 1e-3, in: 1e-8...10, "Adam learning rate")
        let epochs = try int("epochs", default: 15, in: 1...100_000, "epochs per self-training round")
        let batch = try int("batch", default: 128, in: 2...1_000_000, "labelled rows per mini-batch (as many unlabelled rows beside them)")
        let epochRows = try int("epoch-rows", default: 4096, in: 1...Int.max, "the most supervised rows per epoch")
        let densityWeight = try double("density-weight", default: 1, in: 0...1e6, "weight of the density term -log p(x)/dim")
        let unlabelledWeight = try double("unlabelled-weight", default: 1, in: 0...1e6, "extra weight of the unlabelled rows' density term (0: off)")
        let noise = try double("noise", default: 0.05, in: 0...10, "Gaussian noise added to training inputs (standardised units)")
        let weights = try classWeights(default: "balanced")
        let rounds = try int("rounds", default: 3, in: 0...100, "self-training rounds after the first fit (0: none)")
        let threshold = try double("threshold", default: 0.95, in: 1e-6...1, "base confidence threshold for pseudo-labels")
        let floor = try double("min-threshold", default: 0.5, in: 1e-6...1, "lowest class threshold the adaptation may reach")
        let adaptive = try bool("adaptive", default: true, "class-wise adaptive thresholds (FlexMatch); false: one threshold")
        let cap = try optionalDouble("cap", default: "1", in: 1e-6...1e6,
                                     "most pseudo-labels per class, as a multiple of unlabelled rows / classes (none: no cap)")
        let pseudoWeight = try double("pseudo-weight", default: 0.5, in: 0...1e6, "weight of a pseudo-labelled row (0: no self-training)")
        let em = try bool("em", default: true, "re-estimate the class priors on the unlabelled rows by EM")
        let manifold = try double("manifold-weight", default: 1, in: 0...1e6, "weight of the kNN-graph consistency term (0: off)")
        let neighbours = try int("neighbours", default: 10, in: 1...1000, "neighbours per row in the graph")
        let edgeBatch = try int("edge-batch", default: 64, in: 1...1_000_000, "graph edges per mini-batch")
        let graphRows = try int("graph-rows", default: 20_000, in: 0...Int.max, "the most unlabelled rows in the graph (seeded subset)")
        guard floor <= threshold else { throw invalid("min-threshold", "\(floor)", "at most threshold = \(threshold)") }
        return SemiSupervisedFlowClassifier(
            couplings: couplings, hiddenWidths: widths, meanSpread: spread, learnMeans: learnMeans, learningRate: lr,
            epochs: epochs, batchSize: batch, epochRows: epochRows, densityWeight: densityWeight,
            unlabelledWeight: unlabelledWeight, noise: noise, classWeights: weights, rounds: rounds,
            selection: PseudoLabelSelection(threshold: threshold, floor: floor, adaptive: adaptive), capRatio: cap,
            pseudoWeight: pseudoWeight, estimatePriors: em, manifoldWeight: manifold, neighbours: neighbours,
            edgeBatch: edgeBatch, graphRows: graphRows)
    }

    /// An optional real parameter (`none` → `nil`).
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func optionalDouble(_ name: String, default defaultText: String, in range: ClosedRange<Double>,
                                 _ summary: String) throws -> Double? {
        let text = raw(name, defaultText, summary) ?? defaultText
        if text.lowercased() == "none" { return nil }
        guard let v = Double(text), v.isFinite, range.contains(v) else {
            throw invalid(name, text, "a number in \(range.lowerBound)...\(range.upperBound), or none")
        }
        return v
    }
}
