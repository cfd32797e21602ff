extension ParameterValues {
    /// The `strategy` key: a keyword (`auto`, `minority`, `not-majority`, `not-minority`, `all`) or a
    /// ratio; per-class counts are given with `--strategy` on the command line instead.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func strategy() throws -> SamplingStrategy {
        guard let text = raw("strategy", "auto", "which classes to resample: auto, minority, not-majority, not-minority, all, a ratio, "
                                 + "exact totals CLASS=N;CLASS=N (e.g. R2L=10995;U2R=10052), or classes CLASS;CLASS (only those)") else {
            return .auto
        }
        if text.contains("="), !text.lowercased().hasPrefix("ratio=") {
            var named: [String: Int] = [:]
            for item in text.split(separator: ";", omittingEmptySubsequences: true) {
                let pair = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
                guard pair.count == 2, !pair[0].isEmpty, let n = Int(pair[1]), n >= 0, named[pair[0]] == nil else {
                    throw invalid("strategy", text, "CLASS=N pairs joined by ';', each count an integer ≥ 0 and each class once")
                }
                named[pair[0]] = n
            }
            return .namedCounts(named)
        }
        if text.contains(";") || !["auto", "minority", "not-majority", "not-minority", "all"].contains(text.lowercased()) && Double(text) == nil
            && !text.lowercased().hasPrefix("ratio=") {
            let names = text.split(separator: ";", omittingEmptySubsequences: true).map { String($0).trimmingSpaces }
            guard !names.isEmpty, Set(names).count == names.count else { throw invalid("strategy", text, "class names joined by ';', each once") }
            return .selected(names)
        }
        do {
            return try SamplingStrategy(parsing: text, classNames: [])
        } catch {
            throw invalid("strategy", text, "auto, minority, not-majority, not-minority, all, a ratio in (0, 1] or CLASS=N;CLASS=N")
        }
    }
}

extension ParameterValues {
    /// The `k` key: nearest neighbours to interpolate towards.
    mutating func neighbors() throws -> Int {
        try int("k", default: 5, in: 1...10_000, "nearest neighbours of the same class")
    }

    /// The `knn-partition` key: bounded neighbour search for large classes (`none`: exact).
    mutating func knnPartition() throws -> Int? {
        try optionalInt("knn-partition", in: 2...100_000_000,
                        "bounded neighbour search for large classes: a class of more rows is searched in k-means parts of "
                        + "about this many rows (approximate, cost linear in rows; none: exact search, cost grows with rows²)")
    }

    /// The `typed` key: type-aware synthesis.
    mutating func typed() throws -> Bool {
        try bool("typed", default: true, "snap synthetic rows to valid records (integers, 0/1, one-hot, ranges)")
    }
}

extension Catalog {
    /// The registered resamplers.
    static let resamplerEntries: [CatalogEntry<any Resampler>] = [
        CatalogEntry(name: "random-over", aliases: ["ros"], summary: "random over-sampling (optionally a smoothed bootstrap)") { p in
            let shrinkage = try p.optionalDouble("shrinkage", keyword: "none", in: 0...1e6,
                                                 "smoothed-bootstrap kernel shrinkage (none: exact duplicates)")
            return RandomOverSampler(strategy: try p.strategy(), shrinkage: shrinkage,
                                     typeAware: try p.bool("typed", default: true, "snap synthetic rows to valid records"))
        },
        CatalogEntry(name: "random-under", aliases: ["rus"], summary: "random under-sampling without replacement") { p in
            RandomUnderSampler(strategy: try p.strategy())
        },
        CatalogEntry(name: "smote", summary: "SMOTE: interpolate between a class row and one of its k class neighbours") { p in
            SMOTE(strategy: try p.strategy(), k: try p.neighbors(), typeAware: try p.typed(), neighborPartitionRows: try p.knnPartition())
        },
        CatalogEntry(name: "smote-nc", aliases: ["smotenc"], summary: "SMOTE-NC: SMOTE for numeric + categorical features (categories by neighbour vote)") { p in
            SMOTENC(strategy: try p.strategy(), k: try p.neighbors(), typeAware: try p.typed())
        },
        CatalogEntry(name: "borderline-smote", aliases: ["bsmote"], summary: "Borderline-SMOTE 1 or 2: SMOTE from rows in danger only") { p in
            BorderlineSMOTE(strategy: try p.strategy(), k: try p.neighbors(),
                            m: try p.int("m", default: 10, in: 1...10_000, "neighbours (all classes) that decide danger"),
                            variant: try p.choice("kind", default: BorderlineSMOTE.Variant.one, "variant: 1 (own class) or 2 (any class)"),
                            typeAware: try p.typed(), neighborPartitionRows: try p.knnPartition())
        },
        CatalogEntry(name: "svm-smote", aliases: ["svmsmote"], summary: "SVM-SMOTE: SMOTE around the support vectors of an RBF SVM") { p in
            SVMSMOTE(strategy: try p.strategy(), k: try p.neighbors(),
                     m: try p.int("m", default: 10, in: 1...10_000, "neighbours (all classes) that decide noise and danger"),
                     outStep: try p.double("out-step", default: 0.5, in: 0...10, "largest extrapolation step for safe support vectors"),
                     c: try p.double("c", default: 1, in: 1e-9...1e9, "SVM penalty C"),
                     svmRows: try p.int("svm-rows", default: 2000, in: 2...50_000, "SVM training rows per side (class, rest)"),
                     typeAware: try p.typed())
        },
        CatalogEntry(name: "kmeans-smote", summary: "KMeans-SMOTE: SMOTE inside k-means clusters where the class is dense enough") { p in
            let threshold = try p.optionalDouble("balance-threshold", keyword: "auto", in: 0...1,
                                                 "minimum class share of a cluster (auto: imbalanced-learn's rule)")
            return KMeansSMOTE(strategy: try p.strategy(), k: try p.neighbors(),
                               clusters: try p.int("clusters", default: 8, in: 1...100_000, "k-means clusters over all the data"),
                               balanceThreshold: threshold,
                               sparsitySample: try p.int("sparsity-sample", default: 2000, in: 2...100_000, "rows per cluster for the mean distance"),
                               typeAware: try p.typed())
        },
        CatalogEntry(name: "adasyn", summary: "ADASYN: more synthesis around rows with more neighbours of other classes") { p in
            ADASYN(strategy: try p.strategy(), k: try p.neighbors(), typeAware: try p.typed(), neighborPartitionRows: try p.knnPartition())
        },
        CatalogEntry(name: "tomek", aliases: ["tomek-links"], summary: "remove the cleaned classes' rows in Tomek links") { p in
            TomekLinks(strategy: try p.strategy())
        },
        CatalogEntry(name: "enn", summary: "edited nearest neighbours: remove rows their neighbours disagree with") { p in
            EditedNearestNeighbours(strategy: try p.strategy(), k: try p.int("k", default: 3, in: 1...10_000, "neighbours consulted"),
                                    rule: try p.choice("rule", default: EditedNearestNeighbours.Rule.all, "keep when all neighbours agree, or the mode does"))
        },
        CatalogEntry(name: "renn", summary: "repeated edited nearest neighbours, until nothing changes") { p in
            RepeatedEditedNearestNeighbours(
                strategy: try p.strategy(), k: try p.int("k", default: 3, in: 1...10_000, "neighbours consulted"),
                rule: try p.choice("rule", default: EditedNearestNeighbours.Rule.all, "keep when all neighbours agree, or the mode does"),
                maxIterations: try p.int("max-iterations", default: 100, in: 1...10_000, "largest number of passes"))
        },
        CatalogEntry(name: "oss", aliases: ["one-sided-selection"], summary: "one-sided selection: drop redundant rows, then Tomek links") { p in
            OneSidedSelection(strategy: try p.strategy(), seeds: try p.int("seeds", default: 1, in: 1...10_000, "random rows seeding each class's subset"))
        },
        CatalogEntry(name: "cluster-centroids", aliases: ["cc"], summary: "replace a class by k-means centroids (or the nearest real rows)") { p in
            ClusterCentroids(strategy: try p.strategy(),
                             voting: try p.choice("voting", default: ClusterCentroids.Voting.centroids, "soft (centroids) or hard (nearest rows)"),
                             typeAware: try p.typed())
        },
        CatalogEntry(name: "kmeans-under", summary: "K-means density under-sampling (AE-Flow): thin dense clusters, keep sparse ones") { p in
            KMeansUnderSampler(strategy: try p.strategy(), clusters: try p.int("clusters", default: 40, in: 1...100_000, "k-means clusters per class"))
        },
        CatalogEntry(name: "smote-enn", summary: "SMOTE, then ENN cleaning of every class (Batista et al. 2004)") { p in
            ResamplingPipeline(steps: [
                SMOTE(strategy: try p.strategy(), k: try p.neighbors(), typeAware: try p.typed()),
                EditedNearestNeighbours(strategy: .all, k: try p.int("enn-k", default: 3, in: 1...10_000, "ENN neighbours")),
            ])
        },
        CatalogEntry(name: "smote-tomek", summary: "SMOTE, then removal of every Tomek link (Batista et al. 2003)") { p in
            ResamplingPipeline(steps: [
                SMOTE(strategy: try p.strategy(), k: try p.neighbors(), typeAware: try p.typed()),
                TomekLinks(strategy: .all),
            ])
        },
    ]
}
