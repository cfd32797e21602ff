import BallastCore

/// What a generator did inside a ``GenerativeOversampler``: its size and cost, how each network
/// trained (loss curves, validation fidelity), and a summary of the rows it made per class — what
/// an experiment report draws and a user reads to trust (or not) the synthetic rows.
public struct GeneratorReport: Sendable, Codable, Equatable {
    /// The catalogue name (`dcbn-vae`).
    public var method: String
    /// One network, or one per class.
    public var conditioning: GeneratorConditioning
    /// The class table of the data (``GeneratorTrainingRecord/classIndex`` indexes it).
    public var classNames: [String]
    /// Trainable scalars over every network.
    public var parameterCount: Int
    /// FLOPs to generate one row (2 per multiply-add).
    public var flopsPerRow: Int
    /// One record per network.
    public var training: [GeneratorTrainingRecord]
    /// One summary per raised class (including classes SMOTE raised as a fallback).
    public var classes: [SyntheticClassSummary]
    /// Wall-clock seconds of fitting and sampling (not deterministic).
    public var fitSeconds: Double

    /// Creates a report.
    public init(method: String, conditioning: GeneratorConditioning, classNames: [String], parameterCount: Int, flopsPerRow: Int,
                training: [GeneratorTrainingRecord], classes: [SyntheticClassSummary], fitSeconds: Double) {
        self.method = method
        self.conditioning = conditioning
        self.classNames = classNames
        self.parameterCount = parameterCount
        self.flopsPerRow = flopsPerRow
        self.training = training
        self.classes = classes
        self.fitSeconds = fitSeconds
    }
}

/// How the generated rows of one class compare with its real rows: quick marginal fidelity
/// (per-column KS) and mode-collapse indicators (distinct rows, range coverage).
public struct SyntheticClassSummary: Sendable, Codable, Equatable {
    /// The class.
    public var className: String
    /// What made the rows: the generator's name, or `smote` for a tiny-class fallback.
    public var generatedBy: String
    /// Real rows of the class.
    public var realRows: Int
    /// Rows generated.
    public var syntheticRows: Int
    /// Share of generated rows that are distinct from each other (1: no two equal).
    public var distinctFraction: Double
    /// Mean over the columns that vary in the real class of the share of real values that lie
    /// inside the generated rows' `[min, max]` on that column: 1 when the generated rows span the
    /// real class, low when they crowd into part of it (a rare outlier costs only its own share).
    public var rangeCoverage: Double
    /// Mean over columns of the two-sample KS statistic, real vs generated (0 is best).
    public var meanKS: Double
    /// The largest per-column KS statistic.
    public var worstKS: Double
    /// The column index of ``worstKS``.
    public var worstColumn: Int

    /// Summarises generated rows against the real rows of their class.
    /// - Parameters:
    ///   - className: the class.
    ///   - real: the class's real rows.
    ///   - synthetic: the generated rows (after snapping), same width.
    ///   - generatedBy: the method that made them.
    public init(className: String, real: Matrix, synthetic: Matrix, generatedBy: String) {
        self.className = className
        self.generatedBy = generatedBy
        realRows = real.rows
        syntheticRows = synthetic.rows
        distinctFraction = synthetic.rows == 0 ? 1 : Double(Set((0..<synthetic.rows).map { synthetic.row($0) }).count) / Double(synthetic.rows)
        let realMin = real.columnMinimums(), realMax = real.columnMaximums()
        let synMin = synthetic.columnMinimums(), synMax = synthetic.columnMaximums()
        var covered = 0.0, varying = 0
        real.withUnsafeBufferPointer { x in
            for c in 0..<real.columns where realMax[c] > realMin[c] && synthetic.rows > 0 {
                var inside = 0
                for r in 0..<real.rows where x[r * real.columns + c] >= synMin[c] && x[r * real.columns + c] <= synMax[c] { inside += 1 }
                covered += Double(inside) / Double(real.rows)
                varying += 1
            }
        }
        rangeCoverage = varying == 0 ? 1 : covered / Double(varying)
        let ks = real.rows > 0 && synthetic.rows > 0 ? FidelityProbe.columnKS(real, synthetic) : []
        meanKS = ks.isEmpty ? 0 : ks.reduce(0, +) / Double(ks.count)
        worstColumn = ks.indices.max { ks[$0] < ks[$1] } ?? 0
        worstKS = ks.isEmpty ? 0 : ks[worstColumn]
    }

    /// Whether the distinct share or the range coverage is under `threshold`.
    public func collapsed(threshold: Double) -> Bool {
        syntheticRows > 1 && (distinctFraction < threshold || rangeCoverage < threshold)
    }

    /// The warning a collapsed class gets.
    func collapseWarning(method: String) -> String {
        "\(method): class '\(className)' may have collapsed: \(Int((distinctFraction * 100).rounded()))% of its \(syntheticRows) rows are distinct "
            + "and their ranges hold \(Int((rangeCoverage * 100).rounded()))% of the real values (mean over columns)"
    }
}
