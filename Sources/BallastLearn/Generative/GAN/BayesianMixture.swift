import BallastCore
import Foundation

/// A one-dimensional Gaussian mixture fitted by variational inference with a Dirichlet-process
/// (stick-breaking) prior on the weights — scikit-learn's `BayesianGaussianMixture` with
/// `weight_concentration_prior_type="dirichlet_process"`, as CTGAN's mode-specific normalisation
/// uses it (Xu et al., 2019; Blei & Jordan, 2006; Bishop, *Pattern Recognition and Machine
/// Learning*, §10.2).
///
/// Priors as scikit-learn's defaults for one feature: weight concentration `α₀` (CTGAN: 0.001, so
/// components the data do not need get weights near 0), mean precision `β₀ = 1`, mean prior the
/// data mean, `ν₀ = 1` degrees of freedom, covariance prior the data variance; `1e-6` is added to
/// each component's variance. Initialised by k-means (k-means++ seeding), at most 100 iterations,
/// stopping when the lower bound moves by less than `1e-3`.
///
/// The fit works on the distinct values and their counts, which gives the same result as the rows
/// themselves and makes columns of few distinct values (most network-flow counters) cheap.
struct BayesianMixture: Equatable {
    /// The mixture weights (expected stick-breaking weights, summing to 1).
    var weights: [Double]
    /// The components' means.
    var means: [Double]
    /// The components' variances (the Wishart posterior's expected covariance, normalised).
    var variances: [Double]

    static let concentrationPrior = 1e-3
    static let varianceFloor = 1e-6
    static let maximumIterations = 100
    static let tolerance = 1e-3

    /// Fits at most `components` components to `values`.
    /// - Parameters:
    ///   - values: the column (finite; at least one value).
    ///   - components: the most components (fewer when there are fewer distinct values).
    ///   - rng: seeds the k-means initialisation.
    init(fitting values: [Double], components: Int, using rng: inout some RandomNumberGenerator) {
        precondition(!values.isEmpty && components >= 1, "BayesianMixture: no values or no components")
        var distinct: [Double] = [], counts: [Double] = []
        for v in values.sorted() {
            if let last = distinct.last, last == v { counts[counts.count - 1] += 1 } else { distinct.append(v); counts.append(1) }
        }
        let k = min(components, distinct.count)
        let n = Double(values.count)
        let mean = zip(distinct, counts).reduce(0) { $0 + $1.0 * $1.1 } / n
        let spread = zip(distinct, counts).reduce(0) { $0 + $1.1 * ($1.0 - mean) * ($1.0 - mean) }
        let prior = Prior(mean: mean, variance: values.count > 1 ? spread / (n - 1) : 0)
        let labels = Self.kMeans(distinct, counts, k: k, using: &rng)
        var responsibilities = [Double](repeating: 0, count: distinct.count * k)
        for (i, label) in labels.enumerated() { responsibilities[i * k + label] = 1 }
        var posterior = Posterior(distinct, counts, responsibilities, k: k, prior: prior)
        var bound = -Double.infinity
        for _ in 0..<Self.maximumIterations {
            responsibilities = posterior.expectation(distinct)
            posterior = Posterior(distinct, counts, responsibilities, k: k, prior: prior)
            let next = posterior.lowerBound(counts, responsibilities)
            if abs(next - bound) < Self.tolerance { break }
            bound = next
        }
        weights = posterior.expectedWeights
        means = posterior.means
        variances = posterior.variances
    }

    /// The hyperparameters of the priors.
    struct Prior {
        var mean: Double
        var variance: Double
        let concentration = BayesianMixture.concentrationPrior
        let meanPrecision = 1.0
        let degreesOfFreedom = 1.0
    }

    /// The variational posterior's parameters (the M-step), from weighted responsibilities.
    struct Posterior {
        var sticks: [(a: Double, b: Double)] = []
        var meanPrecisions: [Double] = []
        var means: [Double] = []
        var degreesOfFreedom: [Double] = []
        var variances: [Double] = []

        init(_ x: [Double], _ w: [Double], _ r: [Double], k: Int, prior: Prior) {
            var nk = [Double](repeating: 0, count: k), sums = nk
            for i in x.indices {
                for j in 0..<k { nk[j] += w[i] * r[i * k + j]; sums[j] += w[i] * r[i * k + j] * x[i] }
            }
            nk = nk.map { $0 + 10 * Double.ulpOfOne }
            let xk = (0..<k).map { sums[$0] / nk[$0] }
            var sk = [Double](repeating: 0, count: k)
            for i in x.indices {
                for j in 0..<k { sk[j] += w[i] * r[i * k + j] * (x[i] - xk[j]) * (x[i] - xk[j]) }
            }
            var tail = 0.0
            sticks = [(Double, Double)](repeating: (0, 0), count: k)
            for j in stride(from: k - 1, through: 0, by: -1) {
                sticks[j] = (1 + nk[j], prior.concentration + tail)
                tail += nk[j]
            }
            for j in 0..<k {
                let s = sk[j] / nk[j] + BayesianMixture.varianceFloor
                let beta = prior.meanPrecision + nk[j], nu = prior.degreesOfFreedom + nk[j], d = xk[j] - prior.mean
                meanPrecisions.append(beta)
                means.append((prior.meanPrecision * prior.mean + nk[j] * xk[j]) / beta)
                degreesOfFreedom.append(nu)
                variances.append((prior.variance + nk[j] * s + nk[j] * prior.meanPrecision / beta * d * d) / nu)
            }
        }

        /// `E[log πⱼ]` under the stick-breaking posterior.
        var expectedLogWeights: [Double] {
            var out: [Double] = [], before = 0.0
            for (a, b) in sticks {
                let total = BayesianMixture.digamma(a + b)
                out.append(BayesianMixture.digamma(a) - total + before)
                before += BayesianMixture.digamma(b) - total
            }
            return out
        }

        /// The normalised expected weights.
        var expectedWeights: [Double] {
            var out: [Double] = [], remaining = 1.0
            for (a, b) in sticks {
                out.append(remaining * a / (a + b))
                remaining *= b / (a + b)
            }
            let total = out.reduce(0, +)
            return out.map { $0 / total }
        }

        /// The E-step: each distinct value's responsibilities, row-major `values × k`.
        func expectation(_ x: [Double]) -> [Double] {
            let k = means.count, logWeights = expectedLogWeights
            let constant = (0..<k).map { j in
                -0.5 * Foundation.log(2 * Double.pi) - 0.5 * Foundation.log(variances[j]) - 0.5 * Foundation.log(degreesOfFreedom[j])
                    + 0.5 * (Foundation.log(2) + BayesianMixture.digamma(degreesOfFreedom[j] / 2) - 1 / meanPrecisions[j]) + logWeights[j]
            }
            var r = [Double](repeating: 0, count: x.count * k), row = [Double](repeating: 0, count: k)
            for i in x.indices {
                var top = -Double.infinity
                for j in 0..<k {
                    let d = x[i] - means[j]
                    row[j] = constant[j] - 0.5 * d * d / variances[j]
                    top = max(top, row[j])
                }
                var total = 0.0
                for j in 0..<k { row[j] = Foundation.exp(row[j] - top); total += row[j] }
                for j in 0..<k { r[i * k + j] = row[j] / total }
            }
            return r
        }

        /// The evidence lower bound up to constants (scikit-learn's `_compute_lower_bound`).
        func lowerBound(_ w: [Double], _ r: [Double]) -> Double {
            let k = means.count
            var entropy = 0.0
            for i in w.indices {
                for j in 0..<k where r[i * k + j] > 0 { entropy -= w[i] * r[i * k + j] * Foundation.log(r[i * k + j]) }
            }
            var wishart = 0.0, sticksNorm = 0.0, precision = 0.0
            for j in 0..<k {
                let nu = degreesOfFreedom[j]
                let logDetCholesky = -0.5 * Foundation.log(variances[j]) - 0.5 * Foundation.log(nu)
                wishart -= nu * logDetCholesky + 0.5 * nu * Foundation.log(2) + Foundation.lgamma(nu / 2)
                sticksNorm -= Foundation.lgamma(sticks[j].a) + Foundation.lgamma(sticks[j].b) - Foundation.lgamma(sticks[j].a + sticks[j].b)
                precision += Foundation.log(meanPrecisions[j])
            }
            return entropy - wishart - sticksNorm - 0.5 * precision
        }
    }

    /// Weighted k-means on sorted distinct values: k-means++ seeding, then Lloyd's iterations.
    /// - Returns: the cluster of each value.
    static func kMeans(_ x: [Double], _ w: [Double], k: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
        guard k > 1 else { return [Int](repeating: 0, count: x.count) }
        var centers = [x[rng.weightedChoice(w) ?? 0]]
        var nearest = x.map { ($0 - centers[0]) * ($0 - centers[0]) }
        while centers.count < k {
            let weights = zip(w, nearest).map { $0 * $1 }
            guard let next = rng.weightedChoice(weights) else { break }
            centers.append(x[next])
            for i in x.indices { nearest[i] = min(nearest[i], (x[i] - x[next]) * (x[i] - x[next])) }
        }
        var labels = [Int](repeating: 0, count: x.count)
        for _ in 0..<300 {
            var changed = false
            for i in x.indices {
                let best = centers.indices.min { abs(x[i] - centers[$0]) < abs(x[i] - centers[$1]) } ?? 0
                if best != labels[i] { labels[i] = best; changed = true }
            }
            var sums = [Double](repeating: 0, count: centers.count), mass = sums
            for i in x.indices { sums[labels[i]] += w[i] * x[i]; mass[labels[i]] += w[i] }
            for j in centers.indices where mass[j] > 0 { centers[j] = sums[j] / mass[j] }
            if !changed { break }
        }
        // Labels index the seeded centers; an empty cluster keeps its slot (and a prior-only component).
        return labels
    }

    /// The digamma function ψ(x) = d/dx log Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up
    /// to x ≥ 6, then the asymptotic series (absolute error below 1e-12 there).
    static func digamma(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == .infinity ? .infinity : .nan }
        var x = x, result = 0.0
        while x < 6 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        let series = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 + f * (-1.0 / 132)))))
        return result + Foundation.log(x) - 0.5 / x + series
    }
}
