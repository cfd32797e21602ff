import BallastCore

/// The area under the ROC curve of scores for a binary truth, as scikit-learn's `roc_auc_score`:
/// the probability that a random positive scores above a random negative, ties counting one half
/// (the Mann–Whitney statistic with average ranks).
public enum ROCAUC {
    /// The AUC of `scores` (higher means "more likely positive") against `positive`.
    /// - Parameters:
    ///   - positive: whether each row is of the positive class.
    ///   - scores: a finite score per row (e.g. a predicted probability).
    /// - Returns: `nil` when one of the classes has no rows (the AUC is undefined).
    public static func score(positive: [Bool], scores: [Double]) -> Double? {
        precondition(positive.count == scores.count, "ROCAUC: \(positive.count) labels for \(scores.count) scores")
        let positives = positive.reduce(0) { $0 + ($1 ? 1 : 0) }
        let negatives = positive.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let ranks = scores.withUnsafeBufferPointer { s in Distribution.averageRanks(s, order: RadixSort.order(s)) }
        var rankSum = 0.0
        for (i, isPositive) in positive.enumerated() where isPositive { rankSum += ranks[i] }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }
}
