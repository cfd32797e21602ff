extension Catalog {
    /// The registered classifiers.
    static let classifierEntries: [CatalogEntry<any Classifier>] = [
        CatalogEntry(name: "knn", summary: "k-nearest neighbours (exact, Euclidean)") { p in
            KNearestNeighborsClassifier(
                k: try p.int("k", default: 5, in: 1...100_000, "neighbours that vote"),
                weighting: try p.choice("weights", default: KNearestNeighborsClassifier.Weighting.uniform,
                                        "uniform votes or 1/distance"))
        },
    ]
}
