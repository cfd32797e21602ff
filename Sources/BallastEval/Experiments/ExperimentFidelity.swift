import BallastCore
import BallastData
import BallastLearn

/// The fidelity an experiment records for every balancing that adds synthetic rows: for each class
/// the balancing raised, the headline numbers of ``FidelityValidator`` (column shapes, pair trends,
/// KS, detection AUC, DCR ratio, copies, validity, verdict).
///
/// Any resampler that outputs rows that are not input rows is measured — SMOTE and its family now,
/// generators wrapped as resamplers later — with no special case: synthetic rows are found by
/// provenance, as `ballast balance` finds them (random over-sampling's repeated rows count as
/// synthetic, and show up as exact copies). Real and synthetic rows are both mapped back to raw
/// records by the part's fitted preprocessing, so that a copied row compares equal. The cost is
/// bounded: each raised class is compared on at most ``maxRowsPerClass`` real and synthetic rows
/// (copies are looked for among all its real rows), with one small boosted detector (``detector``)
/// and no utility test (the experiment's own detectors measure utility).
enum ExperimentFidelity {
    /// The most real rows, and synthetic rows, compared per raised class.
    static let maxRowsPerClass = 2_000
    /// The real-vs-synthetic detector.
    static let detector: DetectorChoice = "gbdt:rounds=20"

    /// The fidelity of `balanced`'s synthetic rows, one summary per class with synthetic rows, or
    /// `nil` when the balancing added none (under-sampling, cleaning) or validation failed.
    /// - Parameters:
    ///   - balanced: the resampler's output (preprocessed rows).
    ///   - prepared: the training part it was made from.
    ///   - rng: the random source (samples, folds, detector).
    static func summaries(of balanced: LabeledMatrix, from prepared: PreparedPart,
                          using rng: inout some RandomNumberGenerator) -> [FidelitySummary]? {
        let sources = BalanceJob.provenance(of: balanced, in: prepared.train)
        let k = prepared.classNames.count
        var syntheticByClass = [[Int]](repeating: [], count: k)
        for (row, source) in sources.enumerated() where source == nil { syntheticByClass[balanced.labels[row]].append(row) }
        guard syntheticByClass.contains(where: { !$0.isEmpty }) else { return nil }
        var realRows: [Int] = [], syntheticRows: [Int] = []
        for c in 0..<k where !syntheticByClass[c].isEmpty {
            realRows += prepared.train.labels.indices.filter { prepared.train.labels[$0] == c }
            syntheticRows += DetectionTest.sample(syntheticByClass[c], maxRowsPerClass, &rng)
        }
        do {
            // Both sides go through the same inverse transform, so a copied row is an exact copy on both.
            func table(_ m: LabeledMatrix, _ rows: [Int]) throws -> LabeledTable {
                LabeledTable(features: try prepared.fitted.inverseTransform(m.features.gatherRows(rows)), labels: rows.map { m.labels[$0] },
                             classNames: prepared.classNames, source: "")
            }
            let data = try FidelityDataset(real: try table(prepared.train, realRows.sorted()), synthetic: try table(balanced, syntheticRows),
                                           realName: "training rows", syntheticName: "balancing output")
            let validator = FidelityValidator(includeAllRows: false, maxRowsPerGroup: maxRowsPerClass, detectors: [detector],
                                              detectionRows: maxRowsPerClass, utilityModel: nil, privacyRows: maxRowsPerClass, charts: false)
            return try validator.validate(data, preprocessor: prepared.fitted, using: &rng).report.groups.map(\.summary)
        } catch {
            return nil
        }
    }
}
