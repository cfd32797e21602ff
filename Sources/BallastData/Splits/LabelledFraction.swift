/// Which rows keep their labels in a semi-supervised run: a seeded, stratified fraction with at
/// least one row of every class; the other rows are treated as unlabelled.
///
/// Class `c` with `n_c` rows keeps `min(n_c, max(1, round(fraction · n_c)))` labels, so a
/// 5% sample of NSL-KDD keeps the labelled set's proportions and still holds a U2R row. This is
/// the protocol of `ballast train --labelled-fraction` and of the experiment runner's
/// `labelled-fractions`.
public struct LabelledFraction: Sendable, Equatable, Codable {
    /// The fraction of each class's rows that keep their labels, in (0, 1].
    public var fraction: Double

    /// Creates the rule.
    public init(_ fraction: Double) {
        self.fraction = fraction
    }

    /// Splits row indices into labelled and unlabelled rows.
    /// - Parameters:
    ///   - labels: the class of every row.
    ///   - rng: picks the labelled rows of each class.
    /// - Returns: disjoint sorted row indices covering `0..<labels.count`.
    /// - Throws: ``SplitError/invalidLabelledFraction(_:)`` for a fraction outside (0, 1].
    public func split(labels: [Int], using rng: inout some RandomNumberGenerator) throws -> (labelled: [Int], unlabelled: [Int]) {
        guard fraction > 0, fraction <= 1, fraction.isFinite else { throw SplitError.invalidLabelledFraction(fraction) }
        var labelled: [Int] = [], unlabelled: [Int] = []
        for rows in rowsByClass(labels) {
            var shuffled = rows
            rng.shuffle(&shuffled)
            let keep = min(rows.count, max(1, Int((fraction * Double(rows.count)).rounded())))
            labelled += shuffled[0..<keep]
            unlabelled += shuffled[keep...]
        }
        return (labelled.sorted(), unlabelled.sorted())
    }
}
