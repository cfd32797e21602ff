extension Double {
    /// The value when finite, `nil` for NaN and ±∞ — what the reports store, since JSON has no
    /// NaN or infinity (extreme inputs, e.g. values near ±1e308, can overflow a mean or a spread).
    var finite: Double? { isFinite ? self : nil }
}
