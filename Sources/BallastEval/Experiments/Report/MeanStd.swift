/// The mean and sample standard deviation of one quantity over the runs (seeds × folds) of an
/// experiment that succeeded.
///
/// The standard deviation is the sample one (divisor n − 1) and is `nil` with a single run, where it
/// is undefined: tables show the mean alone, or `—` in its place. Non-finite values are dropped
/// before averaging so that no NaN or infinity ever reaches a report.
public struct MeanStd: Sendable, Equatable {
    /// The number of finite values averaged.
    public var count: Int
    /// Their arithmetic mean.
    public var mean: Double
    /// Their sample standard deviation, or `nil` when `count` is 1.
    public var std: Double?

    /// Averages `values`, or returns `nil` when none is finite.
    /// - Parameter values: one value per successful run.
    public init?(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let n = Double(finite.count)
        let mean = finite.reduce(0, +) / n
        count = finite.count
        self.mean = mean
        if finite.count > 1 {
            let squares = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            std = (squares / (n - 1)).squareRoot()
        } else {
            std = nil
        }
    }

    /// Averages integer counts (class counts, rows).
    /// - Parameter values: one count per successful run.
    public init?(_ values: [Int]) {
        self.init(values.map(Double.init))
    }
}
