import BallastCore

/// Edited nearest neighbours (Wilson 1972): removes rows of the selected classes that disagree with
/// their `k` nearest neighbours — any disagreement (`.all`, imbalanced-learn's default) or a
/// neighbourhood majority of another class (`.mode`). A class whose every row would go is kept
/// whole, with a warning: cleaning never removes a class.
public struct EditedNearestNeighbours: Resampler {
    /// When a row is kept.
    public enum Rule: String, Sendable, CaseIterable {
        /// Every neighbour is of the row's class.
        case all
        /// The most frequent neighbour class (ties → lower index) is the row's class.
        case mode
    }

    /// Which classes are cleaned.
    public var strategy: SamplingStrategy
    /// Neighbours consulted (shrinks to the rows available).
    public var k: Int
    /// When a row is kept.
    public var rule: Rule

    public var kind: ResamplerKind { .cleaning }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, k: Int = 3, rule: Rule = .all) {
        self.strategy = strategy
        self.k = k
        self.rule = rule
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        try ResamplingSupport.require(k >= 1, "k", k, "an integer ≥ 1")
        let selected = try strategy.selectedClasses(counts: byClass.map(\.count), classNames: data.classNames, method: "enn")
        var kept = try keptRows(data, selected: selected)
        // A cleaning method never removes a class: a class ENN would empty keeps all its rows.
        var survivors = [Int](repeating: 0, count: data.classNames.count)
        for i in kept { survivors[data.labels[i]] += 1 }
        var warnings: [ResamplingWarning] = []
        for (c, rows) in byClass.enumerated() where !rows.isEmpty && survivors[c] == 0 {
            kept.append(contentsOf: rows)
            warnings.append(.note("enn: every row of \(data.classNames[c]) disagrees with its neighbours; kept its \(rows.count) rows rather than remove the class"))
        }
        return ResamplingResult(data: ResamplingSupport.keeping(data, kept), warnings: warnings)
    }

    /// Indices of the rows ENN keeps.
    func keptRows(_ data: LabeledMatrix, selected: [Bool]) throws -> [Int] {
        let used = min(k, data.count - 1)
        guard used >= 1 else { return Array(data.labels.indices) }
        let nn = try NearestNeighbors.searchWithin(data.features, k: used)
        var votes = [Int](repeating: 0, count: data.classNames.count)
        return data.labels.indices.filter { i in
            let y = data.labels[i]
            guard selected[y] else { return true }
            let neighbors = nn.neighbors(of: i)
            switch rule {
            case .all:
                return neighbors.allSatisfy { data.labels[Int($0)] == y }
            case .mode:
                for c in votes.indices { votes[c] = 0 }
                for j in neighbors { votes[data.labels[Int(j)]] += 1 }
                var best = 0
                for c in votes.indices where votes[c] > votes[best] { best = c }
                return best == y
            }
        }
    }
}

/// Repeated edited nearest neighbours (Tomek 1976): applies ENN until nothing changes, a cleaned class
/// falls below the minority's count, a class disappears (that last pass is undone), or
/// `maxIterations` passes have run.
public struct RepeatedEditedNearestNeighbours: Resampler {
    /// Which classes are cleaned.
    public var strategy: SamplingStrategy
    /// Neighbours consulted.
    public var k: Int
    /// When a row is kept.
    public var rule: EditedNearestNeighbours.Rule
    /// Largest number of passes.
    public var maxIterations: Int

    public var kind: ResamplerKind { .cleaning }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, k: Int = 3, rule: EditedNearestNeighbours.Rule = .all, maxIterations: Int = 100) {
        self.strategy = strategy
        self.k = k
        self.rule = rule
        self.maxIterations = maxIterations
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        try ResamplingSupport.require(k >= 1, "k", k, "an integer ≥ 1")
        try ResamplingSupport.require(maxIterations >= 1, "max-iterations", maxIterations, "an integer ≥ 1")
        let counts = byClass.map(\.count)
        let selected = try strategy.selectedClasses(counts: counts, classNames: data.classNames, method: "renn")
        let minorityCount = counts.filter { $0 > 0 }.min() ?? 0
        let enn = EditedNearestNeighbours(strategy: strategy, k: k, rule: rule)
        var current = data
        for pass in 1...maxIterations {
            let next = current.gatherRows(try enn.keptRows(current, selected: selected))
            if next.count == current.count { break }
            let nextCounts = next.classCounts
            if nextCounts.indices.contains(where: { counts[$0] > 0 && nextCounts[$0] == 0 }) {
                return ResamplingResult(data: current, warnings: [.note("renn: pass \(pass) would remove a whole class; stopped before it")])
            }
            current = next
            if nextCounts.indices.contains(where: { selected[$0] && nextCounts[$0] < minorityCount }) { break }
        }
        return ResamplingResult(data: current)
    }
}
