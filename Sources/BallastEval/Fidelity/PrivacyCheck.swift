import BallastCore

/// Does the synthetic data copy real records? Three measures:
///
/// - **Distance to closest record (DCR)**: the real rows are split (seeded) into a reference part
///   and a holdout. The Euclidean distance, in the preprocessed space, from each synthetic row to
///   its nearest reference row is compared with the same distance from each holdout row — real
///   records the reference has not seen. ``dcrRatio`` = median synthetic DCR / median holdout DCR:
///   about 1 means synthetic rows are as far from the reference as new real records are; near 0,
///   they sit on top of real rows. Exact search (``NearestNeighbors``) on at most a capped number of
///   synthetic rows.
/// - **Exact copies**: synthetic rows equal in every raw value to some real row.
/// - **SDMetrics' `NewRowSynthesis`**: the share of synthetic rows that match no real row within
///   1% on every numeric value and exactly on categorical ones (see ``RowMatcher``).
public struct PrivacyCheck: Sendable, Equatable, Codable {
    /// Real rows in the DCR reference.
    public var referenceRows: Int
    /// Real rows in the DCR holdout.
    public var holdoutRows: Int
    /// Synthetic rows whose DCR was measured (after sampling).
    public var syntheticRowsMeasured: Int
    /// Median DCR of the synthetic rows.
    public var syntheticMedianDCR: Double?
    /// Median DCR of the holdout rows.
    public var holdoutMedianDCR: Double?
    /// 5th percentile DCR of the synthetic rows.
    public var syntheticP5DCR: Double?
    /// 5th percentile DCR of the holdout rows.
    public var holdoutP5DCR: Double?
    /// Median synthetic DCR / median holdout DCR (`nil` when the holdout's median is 0 or undefined).
    public var dcrRatio: Double?
    /// Synthetic rows equal to a real row in every value.
    public var exactCopies: Int
    /// ``exactCopies`` as a share of the synthetic rows.
    public var exactCopyShare: Double
    /// SDMetrics' `NewRowSynthesis`: the share of synthetic rows matching no real row.
    public var newRowSynthesis: Double
    /// Synthetic rows matching a real row within the tolerance.
    public var matchedRows: Int

    /// Measures one group.
    /// - Parameters:
    ///   - columns: the column descriptions.
    ///   - real: the group's real rows, raw (copies are looked for among them).
    ///   - synthetic: the group's synthetic rows, raw.
    ///   - reference: the preprocessed reference rows.
    ///   - holdout: the preprocessed holdout rows.
    ///   - syntheticFeatures: the preprocessed synthetic rows (already sampled to the cap).
    /// - Throws: ``NeighborSearchError`` (not expected: preprocessed rows are finite).
    init(columns: [FidelityColumn], real: ColumnSample, synthetic: ColumnSample, reference: Matrix, holdout: Matrix,
         syntheticFeatures: Matrix) throws {
        referenceRows = reference.rows
        holdoutRows = holdout.rows
        syntheticRowsMeasured = syntheticFeatures.rows
        func distances(_ queries: Matrix) throws -> [Double] {
            guard queries.rows > 0, reference.rows > 0 else { return [] }
            let found = try NearestNeighbors.search(reference: reference, queries: queries, k: 1)
            return found.squaredDistances.map { Double($0).squareRoot() }.sorted()
        }
        let synthetic1 = try distances(syntheticFeatures), holdout1 = try distances(holdout)
        syntheticMedianDCR = Distribution.quantile(sorted: synthetic1, 0.5)
        holdoutMedianDCR = Distribution.quantile(sorted: holdout1, 0.5)
        syntheticP5DCR = Distribution.quantile(sorted: synthetic1, 0.05)
        holdoutP5DCR = Distribution.quantile(sorted: holdout1, 0.05)
        if let s = syntheticMedianDCR, let h = holdoutMedianDCR, h > 0 { dcrRatio = (s / h).finite }

        let matcher = RowMatcher(columns: columns, real: real)
        let counts = Parallel.mapChunks(0..<synthetic.rows, minimumChunk: 512) { rows in
            rows.reduce(into: (exact: 0, matched: 0)) { acc, s in
                if matcher.hasExactCopy(synthetic, s) {
                    acc.exact += 1
                    acc.matched += 1
                } else if matcher.hasToleranceMatch(synthetic, s) {
                    acc.matched += 1
                }
            }
        }
        exactCopies = counts.reduce(0) { $0 + $1.exact }
        matchedRows = counts.reduce(0) { $0 + $1.matched }
        let n = Double(max(synthetic.rows, 1))
        exactCopyShare = Double(exactCopies) / n
        newRowSynthesis = synthetic.rows > 0 ? 1 - Double(matchedRows) / n : 1
    }
}
