extension ParameterValues {
    /// The `class-weight` key: `none`, `balanced`, or explicit weights `0:1;3:20;4:50`.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    /// - Parameter defaultValue: `none` or `balanced`, used when the key is absent.
    mutating func classWeights(default defaultValue: String = "none") throws -> ClassWeights {
        guard let text = raw("class-weight", defaultValue, "class weights: none, balanced, or CLASS:WEIGHT;... (e.g. 3:20;4:50)") else {
            return defaultValue == "balanced" ? .balanced : .none
        }
        switch text.lowercased() {
        case "none": return .none
        case "balanced": return .balanced
        default:
            var table: [Int: Double] = [:]
            for item in text.split(separator: ";") {
                let pair = item.split(separator: ":")
                guard pair.count == 2, let c = Int(pair[0]), c >= 0, let w = Double(pair[1]), w.isFinite, w >= 0 else {
                    throw invalid("class-weight", text, "none, balanced, or CLASS:WEIGHT pairs separated by ';' with weights ≥ 0")
                }
                table[c] = w
            }
            return .explicit(table)
        }
    }

    /// The `max-features` key: `all`, `sqrt`, `log2`, a fraction or a count.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func maxFeatures(default defaultValue: String) throws -> MaxFeatures {
        let text = raw("max-features", defaultValue, "candidate features per split: all, sqrt, log2, a fraction or a count") ?? defaultValue
        guard let v = MaxFeatures(parsing: text) else { throw invalid("max-features", text, "all, sqrt, log2, a fraction in (0, 1] or a count") }
        return v
    }

    /// A widths key (`widths` by default): hidden layer widths joined by `x` (`256x128`), or `none`
    /// for no hidden layer.
    /// - Parameters:
    ///   - name: the key.
    ///   - defaultValue: the default, as text.
    ///   - summary: one line for the listings of `ballast balance --help` and `ballast train --help`.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func widths(_ name: String = "widths", default defaultValue: String,
                         _ summary: String = "hidden layer widths joined by 'x' (none: no hidden layer)") throws -> [Int] {
        let text = raw(name, defaultValue, summary) ?? defaultValue
        if text.lowercased() == "none" { return [] }
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        let widths = parts.compactMap { Int($0) }
        guard widths.count == parts.count, widths.allSatisfy({ (1...65_536).contains($0) }) else {
            throw invalid(name, text, "widths in 1...65536 joined by 'x' (e.g. 256x128), or none")
        }
        return widths
    }

    /// The `patience` key: epochs without improvement before early stopping, or `none`.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func patience(default defaultValue: Int) throws -> Int? {
        guard let text = raw("patience", "\(defaultValue)", "epochs without a lower validation loss before stopping (none: run all)") else {
            return defaultValue
        }
        if text.lowercased() == "none" { return nil }
        guard let v = Int(text), v >= 1 else { throw invalid("patience", text, "an integer ≥ 1 or none") }
        return v
    }
}

extension Catalog {
    /// The registered classifiers.
    static let classifierEntries: [CatalogEntry<any Classifier>] = [
        CatalogEntry(name: "dt", aliases: ["tree", "decision-tree"], summary: "CART decision tree (exact split search)") { p in
            DecisionTreeClassifier(
                criterion: try p.choice("criterion", default: DecisionTreeClassifier.Criterion.gini, "split impurity"),
                maxDepth: try p.optionalInt("depth", in: 1...10_000, "maximum depth (none: unlimited)"),
                minSamplesSplit: try p.int("min-split", default: 2, in: 2...Int.max, "fewest rows a split node needs"),
                minSamplesLeaf: try p.int("min-leaf", default: 1, in: 1...Int.max, "fewest rows per leaf"),
                maxFeatures: try p.maxFeatures(default: "all"),
                maxBins: try p.optionalInt("bins", in: 2...Int(UInt32.max), "bins per feature (none: exact, every distinct value)"),
                classWeights: try p.classWeights())
        },
        CatalogEntry(name: "rf", aliases: ["random-forest"], summary: "random forest (bootstrap, √features per split, parallel trees)",
                     quickParameters: ["trees": "30"]) { p in
            RandomForestClassifier(
                trees: try p.int("trees", default: 100, in: 1...100_000, "number of trees"),
                criterion: try p.choice("criterion", default: DecisionTreeClassifier.Criterion.gini, "split impurity"),
                maxDepth: try p.optionalInt("depth", in: 1...10_000, "maximum depth (none: unlimited)"),
                minSamplesSplit: try p.int("min-split", default: 2, in: 2...Int.max, "fewest rows a split node needs"),
                minSamplesLeaf: try p.int("min-leaf", default: 1, in: 1...Int.max, "fewest rows per leaf"),
                maxFeatures: try p.maxFeatures(default: "sqrt"),
                bootstrap: try p.bool("bootstrap", default: true, "grow each tree on a bootstrap sample"),
                oobScore: try p.bool("oob", default: false, "compute the out-of-bag accuracy"),
                maxBins: try p.optionalInt("bins", in: 2...Int(UInt32.max), "bins per feature (none: exact, every distinct value)"),
                classWeights: try p.classWeights())
        },
        CatalogEntry(name: "lr", aliases: ["logistic"], summary: "multinomial logistic regression (L2, L-BFGS)") { p in
            LogisticRegressionClassifier(
                c: try p.double("c", default: 1, in: 1e-12...1e12, "inverse L2 strength (scikit-learn's C)"),
                maxIterations: try p.int("iterations", default: 100, in: 1...1_000_000, "maximum L-BFGS iterations"),
                tolerance: try p.double("tol", default: 1e-4, in: 1e-15...1, "gradient tolerance"),
                classWeights: try p.classWeights())
        },
        CatalogEntry(name: "gbdt", aliases: ["xgb", "boosting"], summary: "gradient-boosted trees, XGBoost-style histograms and softmax",
                     quickParameters: ["rounds": "50"]) { p in
            GradientBoostingClassifier(
                rounds: try p.int("rounds", default: 100, in: 1...100_000, "boosting rounds (one tree per class each)"),
                learningRate: try p.double("eta", default: 0.3, in: 1e-6...1, "learning rate (shrinkage)"),
                maxDepth: try p.int("depth", default: 6, in: 1...30, "maximum tree depth"),
                maxLeaves: try p.optionalInt("leaves", in: 2...1_000_000, "maximum leaves per tree, grown best-first (none: depth only)"),
                lambda: try p.double("lambda", default: 1, in: 0...1e12, "L2 penalty on leaf values"),
                gamma: try p.double("gamma", default: 0, in: 0...1e12, "minimum split gain"),
                minChildWeight: try p.double("min-child-weight", default: 1, in: 0...1e12, "minimum hessian sum per child"),
                subsample: try p.double("subsample", default: 1, in: 1e-6...1, "fraction of rows per round"),
                columnSubsample: try p.double("colsample", default: 1, in: 1e-6...1, "fraction of features per tree"),
                maxBins: try p.int("bins", default: 256, in: 2...256, "quantile bins per feature"),
                earlyStoppingRounds: try p.optionalInt("early-stop", in: 1...100_000, "patience in rounds on a validation split (none: off)"),
                validationFraction: try p.double("validation", default: 0.1, in: 0.01...0.5, "fraction held out for early stopping"),
                classWeights: try p.classWeights())
        },
        CatalogEntry(name: "knn", summary: "k-nearest neighbours (exact, Euclidean)") { p in
            KNearestNeighborsClassifier(
                k: try p.int("k", default: 5, in: 1...100_000, "neighbours that vote"),
                weighting: try p.choice("weights", default: KNearestNeighborsClassifier.Weighting.uniform,
                                        "uniform votes or 1/distance"),
                classWeights: try p.classWeights())
        },
        CatalogEntry(name: "vote", aliases: ["voting"], summary: "voting ensemble (default: soft voting over gbdt + lr, as AE-Flow)",
                     membersParameter: "members") { p in
            let voting = try p.choice("voting", default: VotingClassifier.Voting.soft, "soft (mean probabilities) or hard (label votes)")
            let names = p.string("members", default: "gbdt+lr", "member models joined by '+', each with its defaults")
            let weightText = p.string("weights", default: "equal", "member weights joined by '+'")
            let classWeightText = p.string("class-weight", default: "none", "none or balanced, passed to every member")
            guard ["none", "balanced"].contains(classWeightText.lowercased()) else {
                throw p.invalid("class-weight", classWeightText, "none or balanced")
            }
            let members: [any Classifier] = try names.split(separator: "+").map { name in
                let parameters = classWeightText.lowercased() == "balanced" ? ["class-weight": "balanced"] : [:]
                return try Catalog.lookup(AlgorithmSpec(name: String(name), parameters: parameters),
                                          in: Catalog.classifierEntries.filter { $0.name != "vote" }, kind: "vote member", quick: p.quick)
            }
            guard !members.isEmpty else { throw p.invalid("members", names, "at least one model name") }
            var weights: [Double]?
            if weightText != "equal" {
                let parsed = weightText.split(separator: "+").compactMap { Double($0) }
                guard parsed.count == members.count, parsed.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                    throw p.invalid("weights", weightText, "\(members.count) numbers ≥ 0 joined by '+'")
                }
                weights = parsed
            }
            return VotingClassifier(members: members, weights: weights, voting: voting)
        },
        CatalogEntry(name: "mlp", aliases: ["dnn"], summary: "multilayer perceptron (the literature's DNN): Adam, dropout, early stopping",
                     quickParameters: ["epochs": "5"]) { p in
            MLPClassifier(
                hiddenWidths: try p.widths(default: "256x128"),
                activation: try p.choice("activation", default: MLPClassifier.HiddenActivation.relu, "hidden nonlinearity"),
                dropout: try p.double("dropout", default: 0.2, in: 0...0.9, "dropout rate after each hidden layer"),
                batchNorm: try p.bool("batch-norm", default: false, "batch normalization before each activation"),
                learningRate: try p.double("lr", default: 1e-3, in: 1e-8...10, "Adam learning rate"),
                epochs: try p.int("epochs", default: 20, in: 1...100_000, "maximum passes over the training rows"),
                batchSize: try p.int("batch", default: 128, in: 1...1_000_000, "rows per mini-batch"),
                validationFraction: try p.double("validation", default: 0.1, in: 0...0.5, "stratified fraction held out for early stopping (0: none)"),
                patience: try p.patience(default: 5),
                classWeights: try p.classWeights())
        },
        CatalogEntry(name: "cnn", aliases: ["cnn1d"], summary: "1-D CNN: [conv → batch norm → ReLU → max-pool] blocks, dense, softmax",
                     quickParameters: ["epochs": "3"]) { p in
            try p.cnn(recurrent: nil)
        },
        CatalogEntry(name: "cnn-lstm", summary: "1-D CNN blocks, then an LSTM (or bidirectional) over the pooled positions",
                     quickParameters: ["epochs": "3"]) { p in
            try p.cnn(recurrent: CNNClassifier.Recurrent(
                hiddenSize: try p.int("hidden", default: 64, in: 1...65_536, "LSTM hidden width (per direction)"),
                bidirectional: try p.bool("bidirectional", default: false, "add an LSTM that reads the positions backwards")))
        },
        CatalogEntry(name: "ssflow", aliases: ["flowgmm"],
                     summary: "semi-supervised FlowGMM: few labels + unlabelled rows, EM priors, adaptive self-training, kNN manifold term") { p in
            try p.semiSupervisedFlow()
        },
    ]
}

extension ParameterValues {
    /// The parameters shared by `cnn` and `cnn-lstm`.
    /// - Parameter recurrent: the LSTM settings (`cnn-lstm`), or `nil`.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func cnn(recurrent: CNNClassifier.Recurrent?) throws -> CNNClassifier {
        let filters = try widths("filters", default: "32x64", "filters of each convolution block joined by 'x' (one block each)")
        guard !filters.isEmpty else { throw invalid("filters", "none", "at least one convolution block (e.g. 32x64)") }
        return CNNClassifier(
            filters: filters,
            kernelSize: try int("kernel", default: 3, in: 1...1024, "convolution window width"),
            padding: try choice("padding", default: CNNClassifier.Padding.same, "same: (kernel-1)/2 zeros at each end; valid: none"),
            poolSize: try int("pool", default: 2, in: 1...1024, "max-pooling window after each convolution (1: none)"),
            batchNorm: try bool("batch-norm", default: true, "batch normalization (per channel) after each convolution"),
            recurrent: recurrent,
            denseWidths: try widths("dense", default: "128", "dense ReLU layer widths before the logits joined by 'x' (none: no dense layer)"),
            dropout: try double("dropout", default: 0.2, in: 0...0.9, "dropout rate before and after each dense layer"),
            learningRate: try double("lr", default: 1e-3, in: 1e-8...10, "Adam learning rate"),
            epochs: try int("epochs", default: 20, in: 1...100_000, "maximum passes over the training rows"),
            batchSize: try int("batch", default: 128, in: 1...1_000_000, "rows per mini-batch"),
            validationFraction: try double("validation", default: 0.1, in: 0...0.5, "stratified fraction held out for early stopping (0: none)"),
            patience: try patience(default: 5),
            classWeights: try classWeights())
    }
}
