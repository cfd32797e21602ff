import BallastCore

/// Which unlabelled rows a self-training round labels: confident predictions, with class-wise
/// thresholds that adapt to how hard each class is, and a cap per class.
///
/// A single confidence bar (0.95) starves rare classes: their posteriors are rarely that high, so
/// self-training adds only majority rows and the model drifts toward the majority. FlexMatch's
/// curriculum thresholds (Zhang et al., 2021) lower the bar of a class in proportion to how few rows
/// it currently wins: with `σ_c` the number of rows predicted as `c` with confidence above `τ`, and
/// `β_c = σ_c / max(max_c σ_c, rows − Σ σ)`, class `c`'s bar is `τ · β_c / (2 − β_c)`, never below
/// `floor`. The cap then keeps the most confident `cap` rows per class, so the pseudo-labelled set
/// cannot re-create the majority's dominance.
public struct PseudoLabelSelection: Sendable, Equatable {
    /// The base confidence threshold `τ`, in (0, 1].
    public var threshold: Double
    /// The lowest class threshold the adaptation may reach, in (0, threshold].
    public var floor: Double
    /// Whether the class thresholds adapt (otherwise every class uses `threshold`).
    public var adaptive: Bool
    /// The most rows one class may receive; `nil`: no cap.
    public var capPerClass: Int?

    /// Creates a selection rule.
    public init(threshold: Double = 0.95, floor: Double = 0.5, adaptive: Bool = true, capPerClass: Int? = nil) {
        self.threshold = threshold
        self.floor = floor
        self.adaptive = adaptive
        self.capPerClass = capPerClass
    }

    /// The rows labelled, their labels, and the threshold each class used.
    public struct Selection: Sendable, Equatable {
        /// Selected rows, ascending.
        public var rows: [Int]
        /// The predicted class of each selected row.
        public var labels: [Int]
        /// The confidence threshold of each class.
        public var thresholds: [Double]
    }

    /// The class thresholds for the given predictions.
    /// - Parameters:
    ///   - predicted: each row's most probable class.
    ///   - confidence: each row's largest probability.
    ///   - classes: number of classes.
    public func thresholds(predicted: [Int], confidence: [Float], classes: Int) -> [Double] {
        guard adaptive else { return Array(repeating: threshold, count: classes) }
        var learned = [Int](repeating: 0, count: classes)
        for (c, p) in zip(predicted, confidence) where Double(p) > threshold { learned[c] += 1 }
        let unused = predicted.count - learned.reduce(0, +)
        let scale = Double(max(learned.max() ?? 0, unused, 1))
        return learned.map { count in
            let beta = Double(count) / scale
            return max(floor, threshold * beta / (2 - beta))
        }
    }

    /// Selects rows of `probabilities` (`rows × classes`).
    public func select(_ probabilities: Matrix) -> Selection {
        let k = probabilities.columns, n = probabilities.rows
        var predicted = [Int](repeating: 0, count: n), confidence = [Float](repeating: 0, count: n)
        probabilities.withUnsafeBufferPointer { p in
            for r in 0..<n {
                var best = 0
                for c in 1..<max(k, 1) where p[r * k + c] > p[r * k + best] { best = c }
                predicted[r] = best
                confidence[r] = k > 0 ? p[r * k + best] : 0
            }
        }
        let bars = thresholds(predicted: predicted, confidence: confidence, classes: k)
        var byClass = [[Int]](repeating: [], count: k)
        for r in 0..<n where Double(confidence[r]) >= bars[predicted[r]] { byClass[predicted[r]].append(r) }
        var chosen: [(row: Int, label: Int)] = []
        for c in 0..<k {
            var rows = byClass[c]
            if let cap = capPerClass, rows.count > cap {
                rows.sort { confidence[$0] != confidence[$1] ? confidence[$0] > confidence[$1] : $0 < $1 }
                rows = Array(rows.prefix(max(cap, 0)))
            }
            chosen += rows.map { ($0, c) }
        }
        chosen.sort { $0.row < $1.row }
        return Selection(rows: chosen.map(\.row), labels: chosen.map(\.label), thresholds: bars)
    }
}
