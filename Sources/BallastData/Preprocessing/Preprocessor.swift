/// Hyperparameters of the feature preprocessing: categorical encoding, numeric scaling, log1p
/// transform of heavy-tailed counters, and clipping of unseen data to the training range.
///
/// `Preprocessor()` gives the literature's NSL-KDD pipeline: one-hot symbolic columns (122 output
/// columns for the 41 features), log1p of heavy-tailed counters, z-score scaling. Fit it on the
/// training data only with ``fit(_:)``; the fitted value (``FittedPreprocessor``) transforms any
/// table with the same columns, and maps synthetic matrices back to valid raw records.
public struct Preprocessor: Sendable, Codable, Equatable {
    /// How categorical columns become numbers.
    public enum CategoricalEncoding: Sendable, Codable, Equatable {
        /// One output column per training category, 1 for the row's category and 0 elsewhere. A
        /// category not seen in training (or a missing value that cannot be imputed) maps to the
        /// all-zeros pattern of the group, so NSL-KDD keeps the literature's 122 columns.
        case oneHot
        /// One output column holding the category index `0..<k` (not scaled); a category not seen in
        /// training gets its own code `k`.
        case ordinal
    }

    /// How numeric columns (after the optional log1p) are scaled.
    public enum Scaling: Sendable, Codable, Equatable {
        /// `(x - mean) / std` with the population standard deviation of the training data (a constant
        /// column keeps std 1, so it maps to 0).
        case zScore
        /// Affine map of the training range onto `[lower, upper]`, e.g. `[0, 1]` or `[-1, 1]` (GANs).
        /// A constant column maps to `lower`.
        case minMax(lower: Float, upper: Float)
        /// No scaling.
        case none
    }

    /// Which numeric columns get `log1p` before scaling.
    public enum LogTransform: Sendable, Codable, Equatable {
        /// Columns selected by the heavy-tail rule (see ``Preprocessor/isHeavyTailed(sorted:isBinary:)``),
        /// except the named ones.
        case auto(excluding: [String])
        /// No column.
        case none
        /// Exactly the named columns (each must be numeric with no negative values).
        case columns([String])

        /// The heavy-tail rule on every numeric column.
        public static var auto: LogTransform { .auto(excluding: []) }
    }

    /// Whether numeric values of data transformed later are clipped to the training range.
    public enum Clipping: Sendable, Codable, Equatable {
        /// Clip when the scaling is `.minMax` (so outputs stay inside `[lower, upper]`, which bounded
        /// generators such as a tanh GAN rely on); do not clip otherwise.
        case automatic
        /// Always clip raw values to the observed training `[min, max]` before transforming.
        case always
        /// Never clip.
        case never
    }

    /// Encoding of categorical columns (default `.oneHot`).
    public var categoricalEncoding: CategoricalEncoding
    /// Scaling of numeric columns (default `.zScore`).
    public var scaling: Scaling
    /// Log1p selection (default `.auto`).
    public var logTransform: LogTransform
    /// Clipping of later data to the training range (default `.automatic`: on for min-max only).
    public var clipping: Clipping

    /// Creates a preprocessing configuration; validation happens in ``fit(_:)``.
    /// - Parameters:
    ///   - categoricalEncoding: one-hot (default) or ordinal codes.
    ///   - scaling: z-score (default), min-max to a range, or none.
    ///   - logTransform: which columns get log1p (default: the heavy-tail rule).
    ///   - clipping: clipping of unseen data to the training range (default: on for min-max).
    public init(categoricalEncoding: CategoricalEncoding = .oneHot, scaling: Scaling = .zScore,
                logTransform: LogTransform = .auto, clipping: Clipping = .automatic) {
        self.categoricalEncoding = categoricalEncoding
        self.scaling = scaling
        self.logTransform = logTransform
        self.clipping = clipping
    }

    /// The heavy-tail rule of `.auto` log transform: a column qualifies when it is not binary, all its
    /// training values are non-negative, and `max > 100 × (p75 + 1)`, where p75 is the 75th
    /// percentile (nearest rank). On NSL-KDD it selects `duration`, `src_bytes`, `dst_bytes` and the
    /// rare large counters (`num_compromised`, `num_root`), never the rates in [0, 1] or the
    /// bounded connection counts (`count` ≤ 511, `dst_host_count` ≤ 255).
    /// - Parameters:
    ///   - sorted: the non-missing training values in ascending order.
    ///   - isBinary: whether the column only holds 0 and 1.
    public static func isHeavyTailed(sorted: [Double], isBinary: Bool) -> Bool {
        guard !isBinary, let first = sorted.first, let last = sorted.last, first >= 0 else { return false }
        let p75 = sorted[min(sorted.count - 1, (sorted.count * 3) / 4)]
        return last > 100 * (p75 + 1)
    }
}
