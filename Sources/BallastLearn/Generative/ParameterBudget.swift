/// Counts a network's trainable scalars from its shape, without building it, and refuses shapes
/// past a cap or that overflow `Int` — so a hostile model file cannot make a decoder allocate
/// gigabytes before its weights are checked.
struct ParameterBudget {
    /// The largest count accepted.
    let cap: Int
    /// Scalars counted so far.
    private(set) var total = 0
    /// Whether every addition so far stayed within the cap.
    private(set) var valid = true

    /// A budget of at most `cap` scalars.
    init(cap: Int) { self.cap = cap }

    /// Adds `a · b` scalars (a weight matrix with its bias is `(inputs + 1) · outputs`).
    mutating func add(_ a: Int, _ b: Int) {
        let (product, o1) = a.multipliedReportingOverflow(by: b)
        let (sum, o2) = total.addingReportingOverflow(product)
        valid = valid && !o1 && !o2 && a >= 0 && b >= 0 && sum <= cap
        total = valid ? sum : total
    }

    /// The count, or `nil` when a shape overflowed or passed the cap.
    var count: Int? { valid ? total : nil }
}
