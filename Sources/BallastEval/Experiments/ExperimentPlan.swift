/// One unit of an experiment's work: a balancing run on one (dataset, seed, fold, labelled
/// fraction) training part, and every detector fitted on its output. A unit is what a shard runs and a journal resumes; a
/// balancing never leaves its detectors (they share its output).
public struct ExperimentUnit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The dataset's name in the spec.
    public var dataset: String
    /// The seed.
    public var seed: UInt64
    /// The fold (1-based) of a K-fold split, `nil` otherwise.
    public var fold: Int?
    /// The share of training labels kept (``ExperimentSpec/labelledFractions``), `nil` for all.
    public var labelledFraction: Double?
    /// The balancing (`none`, `class-weights`, or a resampler).
    public var balancing: BalancingChoice
    /// The detectors fitted on the balanced rows, in spec order.
    public var detectors: [DetectorChoice]

    /// Creates a unit.
    public init(dataset: String, seed: UInt64, fold: Int?, labelledFraction: Double? = nil, balancing: BalancingChoice,
                detectors: [DetectorChoice]) {
        self.dataset = dataset
        self.seed = seed
        self.fold = fold
        self.labelledFraction = labelledFraction
        self.balancing = balancing
        self.detectors = detectors
    }

    public var description: String {
        "\(dataset): \(balancing) (seed \(seed)\(fold.map { ", fold \($0)" } ?? "")"
            + "\(labelledFraction.map { ", \(ExperimentSpec.percentText($0)) labels" } ?? "")) × \(detectors.map(\.text).joined(separator: ", "))"
    }
}

/// The I-th of N disjoint parts of an experiment's plan (`--shard I/N`): units are dealt to shards
/// in plan order, unit `u` (0-based) to shard `u mod N + 1`, so every shard gets a similar mix of
/// seeds, folds and balancings, and the shards together are the whole plan.
public struct ExperimentShard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based index of this shard.
    public var index: Int
    /// How many shards the plan is split into.
    public var count: Int

    /// Creates a shard.
    /// - Throws: ``ExperimentError/invalidSpec(_:)`` unless `1 ≤ index ≤ count ≤ 10,000`.
    public init(index: Int, count: Int) throws {
        guard count >= 1, count <= 10_000, index >= 1, index <= count else {
            throw ExperimentError.invalidSpec("--shard \(index)/\(count): expected I/N with 1 ≤ I ≤ N ≤ 10000")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (`2/8`).
    /// - Throws: ``ExperimentError/invalidSpec(_:)`` naming the text.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw ExperimentError.invalidSpec("--shard \(text): expected I/N, such as 1/4 (the first of four shards)")
        }
        try self.init(index: i, count: n)
    }

    /// Whether the unit at `position` (0-based, in plan order) belongs to this shard.
    public func contains(position: Int) -> Bool { position % count == index - 1 }

    public var description: String { "\(index)/\(count)" }

    private enum CodingKeys: String, CodingKey { case index, count }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(index: c.decode(Int.self, forKey: .index), count: c.decode(Int.self, forKey: .count))
    }
}

/// What an experiment (or one shard of it) will run: its units in plan order — datasets in spec
/// order, then seeds, folds, labelled fractions and balancings.
public struct ExperimentPlan: Sendable, Equatable {
    /// The units, in plan order.
    public var units: [ExperimentUnit]
    /// The shard this plan is, or `nil` for the whole experiment.
    public var shard: ExperimentShard?

    /// The plan of `spec`, or of one shard of it.
    public init(spec: ExperimentSpec, shard: ExperimentShard? = nil) {
        var all: [ExperimentUnit] = []
        for dataset in spec.datasets {
            let folds: [Int?] = dataset.split == .kfold ? (1...max(1, dataset.effectiveFolds)).map { $0 } : [nil]
            for seed in spec.seeds {
                for fold in folds {
                    for fraction in spec.plannedFractions {
                        for balancing in spec.plannedBalancings {
                            all.append(ExperimentUnit(dataset: dataset.name, seed: seed, fold: fold, labelledFraction: fraction,
                                                      balancing: balancing, detectors: spec.detectors))
                        }
                    }
                }
            }
        }
        self.shard = shard
        units = shard.map { s in all.enumerated().filter { s.contains(position: $0.offset) }.map(\.element) } ?? all
    }

    /// Cells (unit × detector) in the plan.
    public var cellCount: Int { units.reduce(0) { $0 + $1.detectors.count } }

    /// The most units a plan is built for from a specification that was read back rather than
    /// checked (``ExperimentSpec/validate()`` is not run on a decoded `results.json`).
    public static let readLimit = 1_000_000

    /// How many units `spec`'s plan holds, or `nil` when that is more than `limit`: a
    /// specification decoded from an untrusted `results.json` (any fold count, any list lengths)
    /// must not make a reader build an unbounded plan. Counted without overflow.
    public static func unitCount(of spec: ExperimentSpec, limit: Int = readLimit) -> Int? {
        let factors = [spec.seeds.count, spec.plannedFractions.count, spec.plannedBalancings.count]
        var total = 0
        for dataset in spec.datasets {
            var units = dataset.split == .kfold ? max(1, dataset.effectiveFolds) : 1
            for factor in factors {
                let (product, overflow) = units.multipliedReportingOverflow(by: factor)
                guard !overflow, product <= limit else { return nil }
                units = product
            }
            total += units
            guard total <= limit else { return nil }
        }
        return total
    }

    /// The units of one dataset.
    public func units(of dataset: String) -> [ExperimentUnit] { units.filter { $0.dataset == dataset } }
}
