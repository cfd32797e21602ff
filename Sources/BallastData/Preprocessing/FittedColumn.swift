/// What a ``FittedPreprocessor`` remembers about one input column.
///
/// Numeric columns are mapped as `output = (t - shift) * factor + base` with `t = log1p(x)` when
/// ``logTransformed`` is set and `t = x` otherwise; the inverse undoes that, rounds integer columns,
/// thresholds binary ones at 0.5 and clips to ``observedMin``...``observedMax``.
public struct FittedColumn: Sendable, Codable, Equatable {
    /// The kind of values a column holds, learned from the training data.
    public enum Kind: String, Sendable, Codable, Equatable {
        /// Numbers with a fractional part.
        case real
        /// Every training value is integral.
        case integer
        /// Every training value is 0 or 1.
        case binary
        /// Symbolic values (category codes).
        case categorical
    }

    /// The column name.
    public var name: String
    /// Real, integer, binary or categorical.
    public var kind: Kind
    /// Training categories in first-appearance order (categorical columns; empty otherwise). Only
    /// categories that occur in the training rows are kept.
    public var categories: [String]
    /// The value a missing entry is replaced with: the training median for numeric columns (rounded
    /// for integer and binary columns, so the imputed record stays valid), the index of the most
    /// frequent training category (ties → first) for categorical columns.
    public var imputationValue: Double
    /// Whether `log1p` is applied before scaling.
    public var logTransformed: Bool
    /// Scaler: value subtracted after the log transform.
    public var shift: Double
    /// Scaler: multiplier applied after the shift.
    public var factor: Double
    /// Scaler: value added last (the lower bound for min-max, 0 otherwise).
    public var base: Double
    /// Smallest raw training value (numeric columns; 0 for categorical).
    public var observedMin: Double
    /// Largest raw training value (numeric columns; `k - 1` for categorical).
    public var observedMax: Double
    /// Whether raw values of transformed data are clipped to the observed range.
    public var clipsToTrainingRange: Bool
    /// The output columns this column produces.
    public var outputRange: Range<Int>
    /// Training values that rounding to `Float` would have merged with a smaller training value, and
    /// the outputs they get instead (`nil` when no two distinct training values collide).
    public var tieBreaks: TieBreaks?

    /// Creates a fitted column (normally done by ``Preprocessor/fit(_:)``).
    public init(name: String, kind: Kind, categories: [String], imputationValue: Double, logTransformed: Bool,
                shift: Double, factor: Double, base: Double, observedMin: Double, observedMax: Double,
                clipsToTrainingRange: Bool, outputRange: Range<Int>, tieBreaks: TieBreaks? = nil) {
        self.name = name
        self.kind = kind
        self.categories = categories
        self.imputationValue = imputationValue
        self.logTransformed = logTransformed
        self.shift = shift
        self.factor = factor
        self.base = base
        self.observedMin = observedMin
        self.observedMax = observedMax
        self.clipsToTrainingRange = clipsToTrainingRange
        self.outputRange = outputRange
        self.tieBreaks = tieBreaks
    }
}

/// Outputs that keep distinct training values distinct after the transform.
///
/// A numeric column's output is a `Float`; after `log1p` and scaling, nearby large values (byte
/// counts of 10⁷ and 10⁷ + 1, loads that differ in the eighth digit) round to the same `Float`, and a
/// tree could no longer split between them although the raw data does. At fit time each training
/// value whose output would not exceed the previous distinct training value's gets the next `Float`
/// up instead (a few units in the last place). Transforming `x` then gives the stored output when `x`
/// is one of these values, and otherwise the plain output clamped between the stored outputs of the
/// neighbouring stored values, so the map stays monotone.
public struct TieBreaks: Sendable, Codable, Equatable {
    /// Raw training values, strictly ascending.
    public var values: [Double]
    /// Their outputs, strictly ascending.
    public var outputs: [Float]

    /// Creates the table.
    public init(values: [Double], outputs: [Float]) {
        self.values = values
        self.outputs = outputs
    }

    /// The output of raw value `x` whose plain output is `plain`.
    @inline(__always)
    public func output(_ x: Double, plain: Float) -> Float {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if values[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        if lo < values.count && values[lo] == x { return outputs[lo] }
        var out = plain
        if lo > 0 { out = max(out, outputs[lo - 1]) }
        if lo < outputs.count { out = min(out, outputs[lo]) }
        return out
    }

    /// A description of the first inconsistency (lengths, order, non-finite entries), or `nil`.
    public func problem() -> String? {
        guard values.count == outputs.count else { return "\(values.count) values but \(outputs.count) outputs" }
        for i in values.indices {
            guard values[i].isFinite, outputs[i].isFinite else { return "entry \(i) is not finite" }
            if i > 0 && (values[i] <= values[i - 1] || outputs[i] <= outputs[i - 1]) { return "entry \(i) is not ascending" }
        }
        return nil
    }
}

/// One column of a ``FittedPreprocessor``'s output matrix.
public struct OutputColumn: Sendable, Codable, Equatable {
    /// What an output column represents, so that synthetic rows can respect column kinds.
    public enum Role: Sendable, Codable, Equatable {
        /// A scaled real-valued column.
        case real
        /// A scaled column whose raw values are integers.
        case integer
        /// A scaled column whose raw values are 0 or 1.
        case binary
        /// One indicator of one-hot group `group` (an index into ``FittedPreprocessor/oneHotGroups``).
        case oneHot(group: Int)
        /// An ordinal category code `0..<k` (unscaled; `k` is the unknown code).
        case ordinal
    }

    /// The name: the source column's name, or `column=category` for one-hot indicators.
    public var name: String
    /// Index of the source column in ``FittedPreprocessor/columns``.
    public var sourceColumn: Int
    /// The role of this output column.
    public var role: Role

    /// Creates an output column description.
    public init(name: String, sourceColumn: Int, role: Role) {
        self.name = name
        self.sourceColumn = sourceColumn
        self.role = role
    }
}
