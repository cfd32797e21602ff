import BallastCore
import Foundation

/// CTGAN's mode-specific normalisation of one continuous column (Xu, Skoularidou, Cuesta-Infante &
/// Veeramachaneni, 2019, "Modeling Tabular Data using Conditional GAN", §4.2; the RDT package's
/// `ClusterBasedNormalizer`).
///
/// A variational Gaussian mixture with a Dirichlet-process prior (``BayesianMixture``) is fitted to
/// the column with up to `maxModes` components; components whose weight is at most
/// `weightThreshold` are dropped. A value `x` is then represented by a mode `k`, drawn with
/// probability proportional to the mode's posterior responsibility for `x` (plus `1e-6`, as RDT
/// does, so every kept mode stays possible), and the scalar `(x − μₖ) / (4σₖ)` — within `[−1, 1]`
/// for nearly every value of its mode, which suits a `tanh` output.
///
/// Unlike RDT, ``normalize(_:mode:)`` does not clip the scalar to ±0.99, so
/// ``denormalize(_:mode:)`` inverts it exactly (within float rounding); a generator's `tanh` output
/// stays inside ±1 by itself.
///
/// ```swift
/// var rng = Xoshiro256StarStar(seed: 1)
/// let normalizer = ModeNormalizer(fitting: column, using: &rng)
/// let k = normalizer.mode(of: x, using: &rng)
/// let back = normalizer.denormalize(normalizer.normalize(x, mode: k), mode: k)   // == x
/// ```
public struct ModeNormalizer: Sendable, Codable, Equatable {
    /// The kept modes' means, ascending.
    public let means: [Double]
    /// The kept modes' standard deviations.
    public let deviations: [Double]
    /// The kept modes' weights, renormalised to sum to 1.
    public let weights: [Double]

    /// The number of standard deviations that map to ±1 (RDT's `STD_MULTIPLIER`).
    public static let spread = 4.0
    /// Added to every posterior responsibility before a mode is drawn.
    public static let smoothing = 1e-6

    /// Fits the modes of `values`.
    /// - Parameters:
    ///   - values: the column (finite; at least one value).
    ///   - maxModes: the most mixture components (CTGAN: 10).
    ///   - weightThreshold: components of at most this weight are dropped (CTGAN: 0.005); the
    ///     heaviest is always kept.
    ///   - rng: seeds the mixture's k-means initialisation.
    public init(fitting values: [Float], maxModes: Int = 10, weightThreshold: Double = 0.005,
                using rng: inout some RandomNumberGenerator) {
        precondition(!values.isEmpty && maxModes >= 1, "ModeNormalizer: no values or no modes")
        let mixture = BayesianMixture(fitting: values.map(Double.init), components: maxModes, using: &rng)
        let heaviest = mixture.weights.indices.max { mixture.weights[$0] < mixture.weights[$1] } ?? 0
        let kept = mixture.weights.indices.filter { mixture.weights[$0] > weightThreshold || $0 == heaviest }
            .sorted { mixture.means[$0] < mixture.means[$1] }
        let total = kept.reduce(0) { $0 + mixture.weights[$1] }
        means = kept.map { mixture.means[$0] }
        deviations = kept.map { mixture.variances[$0].squareRoot() }
        weights = kept.map { mixture.weights[$0] / total }
    }

    /// Creates a normaliser from its modes (for tests and decoding).
    /// - Parameters:
    ///   - means: the modes' means.
    ///   - deviations: their standard deviations (> 0).
    ///   - weights: their weights (summing to 1).
    public init(means: [Double], deviations: [Double], weights: [Double]) {
        self.means = means
        self.deviations = deviations
        self.weights = weights
    }

    /// The number of kept modes.
    public var modes: Int { means.count }

    /// Each mode's posterior responsibility for `value` (summing to 1).
    public func posterior(_ value: Float) -> [Double] {
        var p = [Double](repeating: 0, count: modes)
        fillPosterior(value, into: &p)
        return p
    }

    /// A mode for `value`, drawn with probability proportional to its responsibility plus ``smoothing``.
    public func mode(of value: Float, using rng: inout some RandomNumberGenerator) -> Int {
        var scratch = [Double](repeating: 0, count: modes)
        return mode(of: value, scratch: &scratch, using: &rng)
    }

    /// ``mode(of:using:)`` with a caller-owned buffer of ``modes`` elements (no allocation per value).
    func mode(of value: Float, scratch p: inout [Double], using rng: inout some RandomNumberGenerator) -> Int {
        guard modes > 1 else { return 0 }
        fillPosterior(value, into: &p)
        var target = rng.nextUniform() * (1 + Self.smoothing * Double(modes))
        for k in 0..<modes {
            target -= p[k] + Self.smoothing
            if target < 0 { return k }
        }
        return modes - 1
    }

    /// Writes the responsibilities of the modes for `value` into `p` (``modes`` elements).
    private func fillPosterior(_ value: Float, into p: inout [Double]) {
        let x = Double(value)
        var top = -Double.infinity
        for k in 0..<modes {
            let z = (x - means[k]) / deviations[k]
            p[k] = Foundation.log(weights[k] / deviations[k]) - 0.5 * z * z
            top = max(top, p[k])
        }
        var total = 0.0
        for k in 0..<modes { p[k] = Foundation.exp(p[k] - top); total += p[k] }
        for k in 0..<modes { p[k] /= total }
    }

    /// The scalar `(value − μ) / (4σ)` of `value` in `mode`.
    public func normalize(_ value: Float, mode: Int) -> Float {
        Float((Double(value) - means[mode]) / (Self.spread * deviations[mode]))
    }

    /// The value whose scalar in `mode` is `scalar`: `scalar · 4σ + μ`.
    public func denormalize(_ scalar: Float, mode: Int) -> Float {
        Float(Double(scalar) * Self.spread * deviations[mode] + means[mode])
    }

    /// Checks a decoded normaliser.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)``.
    func validate(maxModes: Int) throws {
        guard (1...maxModes).contains(modes), deviations.count == modes, weights.count == modes,
              means.allSatisfy(\.isFinite), deviations.allSatisfy({ $0 > 0 && $0.isFinite }), weights.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw LearnError.invalidParameter(name: "mode normaliser", value: "\(modes) modes",
                                              expected: "1...\(maxModes) modes with finite means, positive deviations and weights")
        }
    }
}
