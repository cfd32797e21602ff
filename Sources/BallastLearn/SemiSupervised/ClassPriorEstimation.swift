import BallastCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Class priors of unlabelled rows by expectation–maximisation over fixed class-conditional
/// likelihoods (Saerens, Latinne & Decaestecker, 2002).
///
/// The labelled set's class frequencies are not the traffic's: with 5% of the labels drawn by
/// stratified sampling they match, but a labelled set gathered by analysts over-represents the
/// attacks they looked at. Given `log p(x | y)` of every unlabelled row (up to a per-row constant),
/// EM alternates the posteriors `p(y | x) ∝ π_y p(x | y)` (E) and the priors `π_y = mean p(y | x)`
/// (M); it converges to the maximum-likelihood priors of the mixture with those components.
public enum ClassPriorEstimation {
    /// The smallest prior kept for a class: a class EM drives to zero could never be predicted
    /// again, and a rare attack absent from a sample of traffic may be present in the next.
    public static let minimumPrior = 1e-5

    /// Maximum-likelihood priors of the rows.
    /// - Parameters:
    ///   - logLikelihoods: `rows × classes`, `log p(x | y)` up to a constant per row.
    ///   - initial: the starting priors (the labelled frequencies), one per class, positive.
    ///   - iterations: the most EM steps.
    ///   - tolerance: stop when no prior moves by more than this.
    /// - Returns: priors summing to 1, each at least ``minimumPrior``; `initial` when there are no rows.
    public static func estimate(logLikelihoods: Matrix, initial: [Double], iterations: Int = 200,
                                tolerance: Double = 1e-7) -> [Double] {
        let k = logLikelihoods.columns, n = logLikelihoods.rows
        precondition(initial.count == k, "ClassPriorEstimation.estimate: \(initial.count) priors for \(k) classes")
        guard n > 0, k > 0 else { return initial }
        var priors = floored(initial)
        var posterior = [Double](repeating: 0, count: k)
        logLikelihoods.withUnsafeBufferPointer { ll in
            for _ in 0..<iterations {
                let logPriors = priors.map { log($0) }
                var totals = [Double](repeating: 0, count: k)
                for r in 0..<n {
                    var top = -Double.infinity
                    for c in 0..<k {
                        posterior[c] = Double(ll[r * k + c]) + logPriors[c]
                        top = max(top, posterior[c])
                    }
                    guard top.isFinite else { continue }
                    var sum = 0.0
                    for c in 0..<k {
                        posterior[c] = exp(posterior[c] - top)
                        sum += posterior[c]
                    }
                    for c in 0..<k { totals[c] += posterior[c] / sum }
                }
                let mass = totals.reduce(0, +)
                guard mass > 0 else { return }
                let next = floored(totals.map { $0 / mass })
                let moved = zip(next, priors).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
                priors = next
                if moved < tolerance { return }
            }
        }
        return priors
    }

    /// `priors` with every value at least ``minimumPrior``, renormalised.
    static func floored(_ priors: [Double]) -> [Double] {
        let raised = priors.map { $0.isFinite ? max($0, minimumPrior) : minimumPrior }
        let total = raised.reduce(0, +)
        return raised.map { $0 / total }
    }
}
