#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FittedColumn {
    /// The output ``FittedPreprocessor/transform(_:)`` gives the finite raw value `x` of this numeric
    /// column: clipped when the column clips, `log1p` when it is log-transformed, scaled, then the
    /// tie-break table applied.
    /// - Returns: `nil` for a categorical column, or for `x ≤ -1` in a log-transformed column.
    public func output(ofRaw x: Double) -> Float? {
        guard kind != .categorical, x.isFinite else { return nil }
        var x = x
        if clipsToTrainingRange { x = min(max(x, observedMin), observedMax) }
        if logTransformed && x <= -1 { return nil }
        return Self.output(raw: x, logTransformed: logTransformed, shift: shift, factor: factor, base: base, tieBreaks: tieBreaks)
    }

    /// The output of raw value `x` (already clipped, `> -1` when `logTransformed`): the one formula
    /// that transforming and split thresholds share.
    @inline(__always)
    static func output(raw x: Double, logTransformed: Bool, shift: Double, factor: Double, base: Double,
                       tieBreaks: TieBreaks?) -> Float {
        let t = logTransformed ? log1p(x) : x
        let plain = Float((t - shift) * factor + base)
        return tieBreaks?.output(x, plain: plain) ?? plain
    }

    /// The raw value of output `y` of this numeric column, unrounded: the training value itself when
    /// `y` is one of the tie-break outputs, otherwise the inverse of scaling and `log1p`, kept inside
    /// the observed training range.
    public func rawValue(ofOutput y: Float) -> Double {
        if let tieBreaks {
            var lo = 0, hi = tieBreaks.outputs.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if tieBreaks.outputs[mid] < y { lo = mid + 1 } else { hi = mid }
            }
            if lo < tieBreaks.outputs.count && tieBreaks.outputs[lo] == y { return tieBreaks.values[lo] }
        }
        var t = (Double(y) - base) / factor + shift
        if logTransformed { t = expm1(min(t, 709)) }
        return min(max(t, observedMin), observedMax)
    }

    /// Where a decision tree splits between two neighbouring outputs `a < b` of this column: the
    /// output of the midpoint of their raw values, so that a split lies where scikit-learn's would on
    /// the raw data (halfway between two raw training values), whatever scaling the preprocessing
    /// applies.
    ///
    /// For a `log1p` column the midpoint of the outputs is the image of the raw values' *geometric*
    /// mean (plus one): between 10 and 10,000 bytes it lies near 315, where the raw midpoint is 5,005.
    /// Raw values `x` route as `x ≤ (raw(a) + raw(b)) / 2` would, up to the `Float` resolution of the
    /// output (``output(ofRaw:)`` is monotone, so only raw values that round to the threshold's own
    /// output can be on the other side). Columns without `log1p` are affine in their raw values and
    /// keep the midpoint of the outputs.
    /// - Returns: a threshold `t` with `a ≤ t < b` (`a` when `b` is not above `a` or no `Float` lies
    ///   between them).
    public func splitThreshold(between a: Float, and b: Float) -> Float {
        let plain = Self.outputMidpoint(a, b)
        guard logTransformed, kind != .categorical, a < b, factor.isFinite, factor > 0 else { return plain }
        let lo = rawValue(ofOutput: a), hi = rawValue(ofOutput: b)
        guard lo.isFinite, hi.isFinite, lo < hi, let t = output(ofRaw: lo / 2 + hi / 2), t.isFinite else { return plain }
        if t < a { return a }
        if t >= b { return max(a, b.nextDown) }
        return t
    }

    /// A threshold `t` with `a ≤ t < b` halfway between two outputs (`a` when none lies between).
    static func outputMidpoint(_ a: Float, _ b: Float) -> Float {
        let m = a / 2 + b / 2
        return m >= b || m < a ? a : m
    }
}
