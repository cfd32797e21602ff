import BallastCore
import Foundation

/// Any ``Generator`` as an over-sampling ``Resampler``: the classes the strategy raises get exactly
/// the missing number of generated rows, snapped to the schema so each is a valid record.
///
/// - A class-conditional generator trains once, on every row (the condition learns from all
///   classes); a per-class generator trains one network per raised class, on that class's rows only.
/// - A raised class with fewer than ``minimumClassRows`` rows is not given to a network (three rows
///   do not train one): it is over-sampled by SMOTE instead, with a warning.
/// - Real columns whose values the class's real rows show on a grid (rates in steps of 0.01) are
///   rounded to that grid (``ColumnGrid``): a continuous model only approaches a point mass at 0.
/// - After generating, each class's rows are checked for mode collapse: the share of distinct rows
///   and how much of the real class's range each numeric column covers; a warning names a class
///   below ``collapseThreshold`` on either. The figures, the fitted model's size and its loss
///   curves are in ``ResamplingResult/generators``.
///
/// So `balance --method dcbn-vae`, `train --balance ae-flow+kmeans-under+oss` and experiment cells
/// use generators with no special case.
public struct GenerativeOversampler<G: Generator>: Resampler {
    /// The generator trained on each call.
    public var generator: G
    /// Which classes grow, and to how many rows.
    public var strategy: SamplingStrategy
    /// Classes with fewer rows fall back to SMOTE (≥ 2).
    public var minimumClassRows: Int
    /// Whether generated rows are snapped to the schema (integers, flags, one-hot, ranges).
    public var typeAware: Bool
    /// The name used in warnings and reports (the catalogue name).
    public var name: String

    /// The share of distinct rows or of a column's range below which a class counts as collapsed.
    public static var collapseThreshold: Double { 0.5 }

    public var kind: ResamplerKind { .overSampling }

    /// Creates an over-sampler around `generator`.
    public init(generator: G, strategy: SamplingStrategy = .auto, minimumClassRows: Int = 10, typeAware: Bool = true,
                name: String? = nil) {
        self.generator = generator
        self.strategy = strategy
        self.minimumClassRows = minimumClassRows
        self.typeAware = typeAware
        self.name = name ?? "\(G.self)"
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let byClass = try ResamplingSupport.rowsByClass(data)
        try ResamplingSupport.require(minimumClassRows >= GeneratorFitting.minimumRows, "min-rows", minimumClassRows, "≥ 2")
        let targets = try ResamplingSupport.overSamplingTargets(strategy, byClass: byClass, data: data)
        let snapping = try ResamplingSupport.effectiveSchema(schema, typeAware: typeAware, data: data)
        let modelSchema = try ResamplingSupport.effectiveSchema(schema, typeAware: true, data: data) ?? FeatureSchema(inferredFrom: data.features)
        let raised = byClass.indices.filter { targets[$0] > byClass[$0].count }
        let learned = raised.filter { byClass[$0].count >= minimumClassRows }
        // Seeds are drawn per class of the table before anything is fitted, so a class's rows do not
        // depend on which other classes are raised.
        let fitSeed = rng.next()
        let sampleSeeds = rng.childSeeds(data.classNames.count)

        var warnings: [ResamplingWarning] = []
        var made = [Matrix?](repeating: nil, count: data.classNames.count)
        var report: GeneratorReport?
        if !learned.isEmpty {
            let start = DispatchTime.now().uptimeNanoseconds
            let fitData = generator.conditioning == .classConditional ? data : data.gatherRows(learned.flatMap { byClass[$0] }.sorted())
            var fitRNG = Xoshiro256StarStar(seed: fitSeed)
            let model = try generator.fit(fitData, schema: modelSchema, using: &fitRNG)
            for c in learned {
                var sampleRNG = Xoshiro256StarStar(seed: sampleSeeds[c])
                let rows = try model.sample(targets[c] - byClass[c].count, of: c, using: &sampleRNG)
                try GeneratorFitting.requireFinite(rows, className: data.classNames[c])
                try ResamplingSupport.require(rows.rows == targets[c] - byClass[c].count && rows.columns == data.features.columns,
                                              "generated rows", "\(rows.rows)×\(rows.columns) for class '\(data.classNames[c])'",
                                              "\(targets[c] - byClass[c].count)×\(data.features.columns)")
                // Real columns recorded at a resolution (NSL-KDD's rates: multiples of 0.01) get
                // generated values on the class's own grid, as the flows do inside their models.
                var gridded = rows
                let grid = ColumnGrid(features: data.features.columns)
                grid.detect(in: data.features.gatherRows(byClass[c]), schema: modelSchema)
                grid.round(&gridded)
                made[c] = gridded
            }
            report = GeneratorReport(method: name, conditioning: generator.conditioning, classNames: data.classNames, parameterCount: model.parameterCount,
                                     flopsPerRow: model.flopsPerRow, training: model.training, classes: [],
                                     fitSeconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        for c in raised where byClass[c].count < minimumClassRows {
            warnings.append(.note("\(name): class '\(data.classNames[c])' has \(byClass[c].count) rows (fewer than \(minimumClassRows)); over-sampled by SMOTE instead"))
            var sampleRNG = Xoshiro256StarStar(seed: sampleSeeds[c])
            let smote = SMOTE(strategy: .counts([c: targets[c]]), typeAware: typeAware)
            let result = try smote.fitResample(data, schema: schema, using: &sampleRNG)
            warnings += result.warnings
            made[c] = result.data.features.gatherRows(data.count..<result.data.count)
        }

        var synthetic = Matrix(rows: 0, columns: data.features.columns)
        var labels: [Int] = []
        var summaries: [SyntheticClassSummary] = []
        for c in raised {
            guard var rows = made[c] else { continue }
            if let snapping, rows.rows > 0 { snapping.snap(&rows) }
            let summary = SyntheticClassSummary(className: data.classNames[c], real: data.features.gatherRows(byClass[c]), synthetic: rows,
                                                generatedBy: learned.contains(c) ? name : "smote")
            if learned.contains(c), summary.collapsed(threshold: Self.collapseThreshold) { warnings.append(.note(summary.collapseWarning(method: name))) }
            summaries.append(summary)
            synthetic.appendRows(rows)
            labels.append(contentsOf: repeatElement(c, count: rows.rows))
        }
        var out = data
        out.features.appendRows(synthetic)
        out.labels.append(contentsOf: labels)
        report?.classes = summaries
        return ResamplingResult(data: out, warnings: warnings, generators: report.map { [$0] } ?? [])
    }
}
