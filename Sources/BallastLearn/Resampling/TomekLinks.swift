import BallastCore

/// Tomek links (Tomek 1976): two rows of different classes that are each other's nearest neighbour.
/// The rows of links that belong to the selected classes are removed (default: every class but the
/// minority, so the minority side of each link stays).
public struct TomekLinks: Resampler {
    /// Which classes lose their linked rows.
    public var strategy: SamplingStrategy

    public var kind: ResamplerKind { .cleaning }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto) {
        self.strategy = strategy
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        let selected = try strategy.selectedClasses(counts: byClass.map(\.count), classNames: data.classNames, method: "tomek")
        return ResamplingResult(data: try Self.removingLinks(data, selected: selected))
    }

    /// Whether each row is part of a Tomek link: its nearest neighbour (ties → lower index) is of
    /// another class and has it as its own nearest neighbour.
    /// - Throws: ``NeighborSearchError`` for non-finite data.
    public static func linkedRows(_ data: LabeledMatrix) throws -> [Bool] {
        guard data.count >= 2 else { return Array(repeating: false, count: data.count) }
        let nn = try NearestNeighbors.searchWithin(data.features, k: 1).indices
        return data.labels.indices.map { i in
            let j = Int(nn[i])
            return data.labels[j] != data.labels[i] && Int(nn[j]) == i
        }
    }
}
