import BallastCore

/// Whether pairs of columns move together in the synthetic rows as in the real ones — SDMetrics'
/// "Column Pair Trends" property and the HIKARI paper's correlation-matrix comparison.
///
/// Two numeric columns: `CorrelationSimilarity` = 1 − |r_real − r_synthetic| / 2 with Pearson's r
/// (Spearman's too, reported beside it). A pair with a categorical column: `ContingencySimilarity` =
/// 1 − total variation of the joint shares, numeric columns cut into bins two ways (``Binning``).
///
/// The property score follows SDMetrics' quality report (0.32): only pairs whose real correlation is
/// strong (|r| > 0.5) or whose real association is strong (Cramér's V > 0.3) count, and the score is
/// their mean. ``scoreAllPairs`` averages every pair instead (the metric's own default, and older
/// SDMetrics); ``scoreQuantile`` uses quantile bins for the contingency pairs.
public struct PairTrends: Sendable, Equatable, Codable {
    /// One pair of columns.
    public struct Pair: Sendable, Equatable, Codable {
        /// The first column (earlier in the file).
        public var column1: String
        /// The second column.
        public var column2: String
        /// `CorrelationSimilarity` or `ContingencySimilarity`.
        public var metric: String
        /// The SDMetrics score (Pearson; equal-width bins), `nil` when undefined (a constant column).
        public var score: Double?
        /// Contingency pairs: the score with quantile bins.
        public var quantileScore: Double?
        /// Numeric pairs: the score with Spearman's correlation.
        public var spearmanScore: Double?
        /// Numeric pairs: Pearson's r of the real rows.
        public var realCorrelation: Double?
        /// Numeric pairs: Pearson's r of the synthetic rows.
        public var syntheticCorrelation: Double?
        /// Contingency pairs: Cramér's V of the real rows (equal-width bins).
        public var realAssociation: Double?
        /// Contingency pairs: Cramér's V of the real rows with quantile bins.
        public var realAssociationQuantile: Double?
        /// Whether the pair counts in the quality-report score (equal-width bins).
        public var meetsThreshold: Bool
        /// Whether it counts with quantile bins.
        public var meetsThresholdQuantile: Bool
    }

    /// Every pair of columns, in file order.
    public var pairs: [Pair]
    /// SDMetrics' Column Pair Trends score (thresholds, equal-width bins); `nil` when no pair counts.
    public var score: Double?
    /// The same with quantile bins for contingency pairs.
    public var scoreQuantile: Double?
    /// The mean over every pair with a score (no thresholds, equal-width bins).
    public var scoreAllPairs: Double?
    /// The mean Spearman `CorrelationSimilarity` over numeric pairs with a score.
    public var spearmanScore: Double?
    /// The real |r| a numeric pair needs to count (SDMetrics' default 0.5).
    public var correlationThreshold: Double
    /// The real Cramér's V a contingency pair needs to count (SDMetrics' default 0.3).
    public var associationThreshold: Double
    /// The numeric columns, in order: the rows and columns of the matrices.
    public var numericColumns: [String]
    /// Pearson correlation matrices (`nil`: undefined), real and synthetic.
    public var realPearson: [[Double?]]
    /// See ``realPearson``.
    public var syntheticPearson: [[Double?]]
    /// Spearman correlation matrices, real and synthetic.
    public var realSpearman: [[Double?]]
    /// See ``realSpearman``.
    public var syntheticSpearman: [[Double?]]

    /// SDMetrics' quality-report threshold on the real |r| (`DEFAULT_REAL_CORRELATION_THRESHOLD`).
    public static let defaultCorrelationThreshold = 0.5
    /// SDMetrics' quality-report threshold on the real Cramér's V (`DEFAULT_REAL_ASSOCIATION_THRESHOLD`).
    public static let defaultAssociationThreshold = 0.3

    /// Compares every pair of columns of two samples.
    init(columns: [FidelityColumn], real: ColumnSample, synthetic: ColumnSample,
         correlationThreshold: Double = defaultCorrelationThreshold, associationThreshold: Double = defaultAssociationThreshold) {
        self.correlationThreshold = correlationThreshold
        self.associationThreshold = associationThreshold
        let numeric = columns.indices.filter { columns[$0].kind == .numeric }
        let position = Dictionary(uniqueKeysWithValues: numeric.enumerated().map { ($1, $0) })
        let m = numeric.count
        let realMatrices = CorrelationMatrices(real, numeric: numeric)
        let synthMatrices = CorrelationMatrices(synthetic, numeric: numeric)
        func matrix(_ values: [Double]) -> [[Double?]] {
            (0..<m).map { a in (0..<m).map { b in values[a * m + b].isNaN ? nil : values[a * m + b] } }
        }
        numericColumns = numeric.map { columns[$0].name }
        realPearson = matrix(realMatrices.pearson)
        syntheticPearson = matrix(synthMatrices.pearson)
        realSpearman = matrix(realMatrices.spearman)
        syntheticSpearman = matrix(synthMatrices.spearman)

        let discrete = Self.discretize(columns: columns, real: real, synthetic: synthetic)
        var pairs: [Pair] = []
        for a in columns.indices {
            for b in (a + 1)..<max(a + 1, columns.count) {
                var pair = Pair(column1: columns[a].name, column2: columns[b].name, metric: "ContingencySimilarity",
                                meetsThreshold: false, meetsThresholdQuantile: false)
                if let pa = position[a], let pb = position[b] {
                    pair.metric = "CorrelationSimilarity"
                    let r = realMatrices.pearson[pa * m + pb], s = synthMatrices.pearson[pa * m + pb]
                    let rs = realMatrices.spearman[pa * m + pb], ss = synthMatrices.spearman[pa * m + pb]
                    pair.realCorrelation = r.isNaN ? nil : r
                    pair.syntheticCorrelation = s.isNaN ? nil : s
                    pair.score = r.isNaN || s.isNaN ? nil : 1 - abs(r - s) / 2
                    pair.spearmanScore = rs.isNaN || ss.isNaN ? nil : 1 - abs(rs - ss) / 2
                    pair.quantileScore = pair.score
                    pair.meetsThreshold = !r.isNaN && !s.isNaN && abs(r) > correlationThreshold
                    pair.meetsThresholdQuantile = pair.meetsThreshold
                } else {
                    for (bi, binning) in Binning.allCases.enumerated() {
                        let ra = discrete.real[bi][a], rb = discrete.real[bi][b]
                        let sa = discrete.synthetic[bi][a], sb = discrete.synthetic[bi][b]
                        let width = max(ra.width, sa.width), widthB = max(rb.width, sb.width)
                        let realTable = ContingencyTable(ra.codes, rb.codes, widthA: width, widthB: widthB)
                        let synthTable = ContingencyTable(sa.codes, sb.codes, widthA: width, widthB: widthB)
                        let score = ContingencyTable.similarity(realTable, synthTable)
                        let association = realTable.cramersV
                        let meets = (association ?? 0) > associationThreshold && score != nil
                        if binning == .equalWidth {
                            pair.score = score
                            pair.realAssociation = association
                            pair.meetsThreshold = meets
                        } else {
                            pair.quantileScore = score
                            pair.realAssociationQuantile = association
                            pair.meetsThresholdQuantile = meets
                        }
                    }
                }
                pairs.append(pair)
            }
        }
        self.pairs = pairs
        score = ColumnShapes.mean(pairs.filter(\.meetsThreshold).compactMap(\.score))
        scoreQuantile = ColumnShapes.mean(pairs.filter(\.meetsThresholdQuantile).compactMap(\.quantileScore))
        scoreAllPairs = ColumnShapes.mean(pairs.compactMap(\.score))
        spearmanScore = ColumnShapes.mean(pairs.compactMap(\.spearmanScore))
    }

    /// The pair with the largest difference of Pearson correlations, and that difference.
    public var largestCorrelationDifference: (pair: Pair, difference: Double)? {
        pairs.compactMap { p -> (Pair, Double)? in
            guard let r = p.realCorrelation, let s = p.syntheticCorrelation else { return nil }
            return (p, abs(r - s))
        }.max { $0.1 < $1.1 }
    }

    /// A column as discrete codes and the number of codes.
    typealias Coded = (codes: [Int32], width: Int)

    /// Discrete codes of every column under each binning (in ``Binning/allCases`` order), per side,
    /// indexed by column; numeric columns are cut only when a categorical column exists to pair them with.
    private static func discretize(columns: [FidelityColumn], real: ColumnSample, synthetic: ColumnSample)
        -> (real: [[Coded]], synthetic: [[Coded]]) {
        let anyCategorical = columns.contains { $0.kind == .categorical }
        var outReal: [[Coded]] = [], outSynth: [[Coded]] = []
        for binning in Binning.allCases {
            let parts = Parallel.mapChunks(0..<columns.count, minimumChunk: 1, chunksPerThread: 64) { range in
                range.map { j -> (real: Coded, synthetic: Coded) in
                    switch columns[j].kind {
                    case .categorical:
                        let k = Int32(columns[j].categories.count)
                        let fix: (Int32) -> Int32 = { $0 < 0 ? k : $0 }
                        return ((real.codes[j].map(fix), Int(k) + 1), (synthetic.codes[j].map(fix), Int(k) + 1))
                    case .numeric:
                        guard anyCategorical else { return (([], 1), ([], 1)) }
                        return (binning.codes(real.values[j], sorted: real.sorted[j], realSorted: real.sorted[j]),
                                binning.codes(synthetic.values[j], sorted: synthetic.sorted[j], realSorted: real.sorted[j]))
                    }
                }
            }.flatMap { $0 }
            outReal.append(parts.map(\.real))
            outSynth.append(parts.map(\.synthetic))
        }
        return (outReal, outSynth)
    }
}
