/// Streaming mean, variance, minimum and maximum by Welford's algorithm, in Double; NaN values are
/// skipped. Two accumulators can be merged (Chan et al. 1979), so partial results of parallel
/// chunks combine exactly as one pass would, up to rounding.
public struct RunningStatistics: Sendable, Equatable, Codable {
    /// Values seen (NaN excluded).
    public private(set) var count = 0
    /// Mean of the values (0 when empty).
    public private(set) var mean = 0.0
    private var m2 = 0.0
    /// Smallest value (+∞ when empty).
    public private(set) var minimum = Double.infinity
    /// Largest value (−∞ when empty).
    public private(set) var maximum = -Double.infinity

    /// An empty accumulator.
    public init() {}

    /// An accumulator over `values`.
    public init<S: Sequence>(_ values: S) where S.Element: BinaryFloatingPoint {
        for v in values { add(Double(v)) }
    }

    /// Adds one value (NaN is ignored).
    public mutating func add(_ value: Double) {
        guard !value.isNaN else { return }
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        m2 += delta * (value - mean)
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
    }

    /// Combines another accumulator into this one.
    public mutating func merge(_ other: RunningStatistics) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// Population variance (divides by n; 0 when empty).
    public var populationVariance: Double { count > 0 ? m2 / Double(count) : 0 }
    /// Sample variance (divides by n − 1; 0 with fewer than two values).
    public var sampleVariance: Double { count > 1 ? m2 / Double(count - 1) : 0 }
    /// Sample standard deviation.
    public var standardDeviation: Double { sampleVariance.squareRoot() }
}
