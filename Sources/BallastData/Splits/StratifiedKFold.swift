/// Seeded stratified K-fold partition: each fold's test part has about `1/folds` of every class.
///
/// Rows of each class (shuffled when ``shuffle`` is set) are dealt to the folds in turn, continuing
/// from where the previous class stopped, so fold sizes differ by at most one row and every class is
/// spread as evenly as it can be. A class with fewer rows than folds is distributed as far as it
/// goes: each of its rows lands in a different fold, and the remaining folds have none of it in
/// their test part.
public struct StratifiedKFold: Sendable, Equatable, Codable {
    /// Number of folds, at least 2 and at most the number of rows (validated by ``split(labels:using:)``).
    public var folds: Int
    /// Whether rows are shuffled within each class before dealing (default `true`); without it, the
    /// partition depends only on the labels.
    public var shuffle: Bool

    /// Creates a K-fold configuration.
    /// - Parameters:
    ///   - folds: number of folds (default 5).
    ///   - shuffle: shuffle rows within classes first (default `true`).
    public init(folds: Int = 5, shuffle: Bool = true) {
        self.folds = folds
        self.shuffle = shuffle
    }

    /// Partitions row indices into `folds` train/test pairs.
    /// - Parameters:
    ///   - labels: class label per row.
    ///   - rng: the random source for shuffling (unused when ``shuffle`` is `false`).
    /// - Returns: one pair per fold; the test parts are disjoint and cover every row; each part sorted.
    /// - Throws: ``SplitError/invalidFoldCount(folds:rows:)`` when `folds < 2` or `folds > labels.count`.
    public func split(labels: [Int], using rng: inout some RandomNumberGenerator) throws -> [(train: [Int], test: [Int])] {
        guard folds >= 2, folds <= labels.count else { throw SplitError.invalidFoldCount(folds: folds, rows: labels.count) }
        var foldOf = [Int](repeating: 0, count: labels.count)
        var next = 0
        for var rows in rowsByClass(labels) {
            if shuffle { rng.shuffle(&rows) }
            for r in rows {
                foldOf[r] = next
                next = (next + 1) % folds
            }
        }
        var tests = [[Int]](repeating: [], count: folds)
        for (r, f) in foldOf.enumerated() { tests[f].append(r) }
        return tests.indices.map { f in
            (train: foldOf.indices.filter { foldOf[$0] != f }, test: tests[f])
        }
    }
}
