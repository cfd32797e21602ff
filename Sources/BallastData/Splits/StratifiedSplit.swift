/// A seeded, stratified train/test split: every class is divided in the same proportion.
///
/// The test size is `round(testFraction × n)` rows, shared among classes by largest remainder
/// (like scikit-learn's `StratifiedShuffleSplit`, with ties broken by class order instead of at
/// random), so the totals are exact. Every class with at least 2 rows gets at least one row on each
/// side; a class with a single row goes to the training part. When these per-class minimums cannot
/// all hold with the requested test size (more classes than test rows), the minimums win and the
/// test part is slightly larger than requested.
public struct StratifiedSplit: Sendable, Equatable, Codable {
    /// Fraction of rows in the test part, strictly between 0 and 1 (validated by ``split(labels:using:)``).
    public var testFraction: Double

    /// Creates a split configuration.
    /// - Parameter testFraction: fraction of rows for the test part (default 0.2).
    public init(testFraction: Double = 0.2) {
        self.testFraction = testFraction
    }

    /// Splits row indices into train and test parts.
    /// - Parameters:
    ///   - labels: class label per row (any integers).
    ///   - rng: the random source that picks which rows of each class go to the test part.
    /// - Returns: disjoint train and test row indices covering `0..<labels.count`, each sorted.
    /// - Throws: ``SplitError`` for a fraction outside (0, 1) or fewer than 2 rows.
    public func split(labels: [Int], using rng: inout some RandomNumberGenerator) throws -> (train: [Int], test: [Int]) {
        guard testFraction > 0, testFraction < 1 else { throw SplitError.invalidTestFraction(testFraction) }
        guard labels.count >= 2 else { throw SplitError.tooFewRows(labels.count) }
        let groups = rowsByClass(labels)
        let n = labels.count
        let wanted = min(n - 1, max(1, Int((testFraction * Double(n)).rounded())))
        let counts = Self.allocate(total: wanted, sizes: groups.map(\.count), n: n)
        var train: [Int] = [], test: [Int] = []
        train.reserveCapacity(n - wanted)
        test.reserveCapacity(wanted)
        for (g, rows) in groups.enumerated() {
            var shuffled = rows
            rng.shuffle(&shuffled)
            test.append(contentsOf: shuffled[0..<counts[g]])
            train.append(contentsOf: shuffled[counts[g]...])
        }
        train.sort()
        test.sort()
        return (train, test)
    }

    /// Test rows per class: proportional, largest remainder, within `[1, size - 1]` for classes of
    /// at least 2 rows and 0 for single rows.
    static func allocate(total: Int, sizes: [Int], n: Int) -> [Int] {
        let ideal = sizes.map { Double($0) * Double(total) / Double(n) }
        let lower = sizes.map { $0 >= 2 ? 1 : 0 }
        let upper = sizes.map { $0 >= 2 ? $0 - 1 : 0 }
        var counts = sizes.indices.map { min(max(Int(ideal[$0]), lower[$0]), upper[$0]) }
        var diff = total - counts.reduce(0, +)
        while diff != 0 {
            var best = -1
            var bestKey = 0.0
            for i in sizes.indices {
                let remainder = ideal[i] - Double(counts[i])
                if diff > 0 && counts[i] < upper[i] && (best < 0 || remainder > bestKey) {
                    best = i; bestKey = remainder
                } else if diff < 0 && counts[i] > lower[i] && (best < 0 || remainder < bestKey) {
                    best = i; bestKey = remainder
                }
            }
            if best < 0 { break }
            counts[best] += diff > 0 ? 1 : -1
            diff += diff > 0 ? -1 : 1
        }
        return counts
    }
}
