import BallastCore

/// One-sided selection (Kubat & Matwin 1997): for each cleaned class, start a consistent subset from
/// every minority row plus one random row of the class, keep the class's rows that the 1-nearest-
/// neighbour rule on that subset misclassifies (the border and rare sub-concepts), drop the
/// redundant rest; then remove the cleaned classes' rows that form Tomek links.
public struct OneSidedSelection: Resampler {
    /// Which classes are cleaned (default: every class but the minority).
    public var strategy: SamplingStrategy
    /// Random rows of the class that seed the subset.
    public var seeds: Int

    public var kind: ResamplerKind { .cleaning }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, seeds: Int = 1) {
        self.strategy = strategy
        self.seeds = seeds
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        try ResamplingSupport.require(seeds >= 1, "seeds", seeds, "an integer ≥ 1")
        let counts = byClass.map(\.count)
        let selected = try strategy.selectedClasses(counts: counts, classNames: data.classNames, method: "oss")
        guard let minority = SamplingStrategy.extremes(counts)?.minority else { return ResamplingResult(data: data) }
        var keep: [Int] = []
        for (c, rows) in byClass.enumerated() {
            guard selected[c], c != minority || rows.count > seeds else { keep.append(contentsOf: rows); continue }
            let seedPositions = Set((0..<seeds).map { _ in rng.nextInt(below: rows.count) })
            let seedRows = seedPositions.sorted().map { rows[$0] }
            let reference = (c == minority ? [] : byClass[minority]) + seedRows
            let rest = rows.indices.filter { !seedPositions.contains($0) }.map { rows[$0] }
            keep.append(contentsOf: seedRows)
            guard !rest.isEmpty else { continue }
            let nn = try NearestNeighbors.search(reference: data.features.gatherRows(reference),
                                                 queries: data.features.gatherRows(rest), k: 1)
            for (q, r) in rest.enumerated() where data.labels[reference[Int(nn.indices[q])]] != c { keep.append(r) }
        }
        let reduced = ResamplingSupport.keeping(data, keep)
        let cleaned = try TomekLinks.removingLinks(reduced, selected: selected)
        return ResamplingResult(data: cleaned)
    }
}

extension TomekLinks {
    /// `data` without the linked rows of the selected classes.
    static func removingLinks(_ data: LabeledMatrix, selected: [Bool]) throws -> LabeledMatrix {
        let linked = try Self.linkedRows(data)
        return data.gatherRows(data.labels.indices.filter { !(linked[$0] && selected[data.labels[$0]]) })
    }
}
