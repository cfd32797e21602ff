import BallastCore

/// One numeric column summarized as the HIKARI-2021 GAN paper tabulates real and synthetic data
/// (pandas' `describe()`): count, mean, standard deviation, minimum, quartiles, maximum, for the
/// real rows, the synthetic rows, and the difference in percent of the real value.
public struct ColumnStatistics: Sendable, Equatable, Codable {
    /// pandas' `describe()` of one sample: quartiles by linear interpolation, sample standard
    /// deviation (n − 1). Every value is `nil` when the sample has no values.
    public struct Summary: Sendable, Equatable, Codable {
        /// Non-missing values.
        public var count: Int
        /// Mean.
        public var mean: Double?
        /// Sample standard deviation (`nil` with fewer than two values).
        public var std: Double?
        /// Minimum.
        public var min: Double?
        /// 25th percentile.
        public var q25: Double?
        /// Median.
        public var median: Double?
        /// 75th percentile.
        public var q75: Double?
        /// Maximum.
        public var max: Double?

        /// Summarizes an ascending sample without NaN.
        init(sorted: [Double]) {
            count = sorted.count
            let average = sorted.reduce(0, +) / Double(Swift.max(sorted.count, 1))
            let squares = sorted.reduce(0.0) { $0 + ($1 - average) * ($1 - average) }
            mean = sorted.isEmpty ? nil : average.finite
            std = sorted.count > 1 ? (squares / Double(sorted.count - 1)).squareRoot().finite : nil
            min = sorted.first
            q25 = Distribution.quantile(sorted: sorted, 0.25)?.finite
            median = Distribution.quantile(sorted: sorted, 0.5)?.finite
            q75 = Distribution.quantile(sorted: sorted, 0.75)?.finite
            max = sorted.last
        }

        /// The statistics in table order, with their names.
        public var fields: [(name: String, value: Double?)] {
            [("mean", mean), ("std", std), ("min", min), ("25%", q25), ("50%", median), ("75%", q75), ("max", max)]
        }
    }

    /// The column name.
    public var column: String
    /// The real rows' summary.
    public var real: Summary
    /// The synthetic rows' summary.
    public var synthetic: Summary
    /// `(synthetic − real) / |real| × 100` per statistic in ``Summary/fields`` order (`nil` where
    /// the real value is 0, either is missing, or the ratio overflows).
    public var percentDifference: [Double?]

    /// Compares the ascending real and synthetic values of one column.
    init(column: String, real: [Double], synthetic: [Double]) {
        self.column = column
        self.real = Summary(sorted: real)
        self.synthetic = Summary(sorted: synthetic)
        percentDifference = zip(self.real.fields, self.synthetic.fields).map { r, s in
            guard let a = r.value, let b = s.value, a != 0 else { return nil }
            return ((b - a) / abs(a) * 100).finite
        }
    }
}
