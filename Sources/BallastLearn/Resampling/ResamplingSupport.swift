import BallastCore

/// Shared steps of every resampler: validation, row indices per class, assembling outputs.
enum ResamplingSupport {
    /// The over-sampling targets of `strategy`, after checking that the rows they ask for fit in
    /// memory (a strategy of `B=9e18` is refused with the number, before anything is allocated).
    /// - Throws: ``ResamplingError`` from the strategy, ``MemoryBudgetError``.
    static func overSamplingTargets(_ strategy: SamplingStrategy, byClass: [[Int]], data: LabeledMatrix) throws -> [Int] {
        let targets = try strategy.targetCounts(counts: byClass.map(\.count), classNames: data.classNames, purpose: .overSampling)
        let total = targets.reduce(0.0) { $0 + Double($1) }
        // The output rows, plus the synthetic block and its copy while the two are joined.
        try MemoryBudget.require(bytes: 2 * total * Double(max(1, data.features.columns)) * 4,
                                 for: "over-sampling to \(targets.map(String.init).joined(separator: " + ")) rows")
        return targets
    }

    /// Validates data for resampling and returns the row indices of each class, in row order.
    /// - Throws: ``LearnError`` for empty data, one class, non-finite features or bad labels.
    static func rowsByClass(_ data: LabeledMatrix) throws -> [[Int]] {
        try data.validateForTraining()
        var rows = Array(repeating: [Int](), count: data.classNames.count)
        for (i, l) in data.labels.enumerated() { rows[l].append(i) }
        return rows
    }

    /// Throws ``LearnError/invalidParameter(name:value:expected:)`` unless `condition` holds.
    static func require(_ condition: Bool, _ name: String, _ value: Any, _ expected: String) throws {
        if !condition { throw LearnError.invalidParameter(name: name, value: "\(value)", expected: expected) }
    }

    /// Checks a `knn-partition` value: more rows per part than `bound` neighbours (`what` names them).
    static func requirePartition(_ rows: Int?, above bound: Int, _ what: String) throws {
        if let rows { try require(rows > bound, "knn-partition", rows, "more rows per part than \(what)") }
    }

    /// The original rows followed by synthetic rows (snapped to `schema` when given).
    static func appending(_ data: LabeledMatrix, synthetic: Matrix, labels: [Int], schema: FeatureSchema?) -> LabeledMatrix {
        var extra = synthetic
        if let schema, extra.rows > 0 { schema.snap(&extra) }
        var out = data
        out.features.appendRows(extra)
        out.labels.append(contentsOf: labels)
        return out
    }

    /// The rows at `keep` (sorted ascending so the original order survives).
    static func keeping(_ data: LabeledMatrix, _ keep: [Int]) -> LabeledMatrix {
        data.gatherRows(keep.sorted())
    }

    /// The schema synthetic rows are snapped to: the given one, an inferred one, or none when
    /// type-aware synthesis is off.
    static func effectiveSchema(_ schema: FeatureSchema?, typeAware: Bool, data: LabeledMatrix) throws -> FeatureSchema? {
        guard typeAware else { return nil }
        if let schema {
            guard schema.width == data.features.columns else {
                throw LearnError.featureCountMismatch(expected: schema.width, found: data.features.columns)
            }
            return schema
        }
        return FeatureSchema(inferredFrom: data.features)
    }

    /// The common frame of every synthesizing over-sampler: validate, read the strategy's targets,
    /// ask `make` for each growing class's new rows, then append them (snapped to the schema).
    /// - Parameters:
    ///   - data: the input rows.
    ///   - strategy: which classes grow, and to how many rows.
    ///   - schema: the given schema (or `nil` to infer one), used when `typeAware` is on.
    ///   - prepare: hyperparameter checks, run after the data is validated.
    ///   - make: `(class, its row indices, rows to make, warnings, rng)` → exactly that many new rows.
    /// - Throws: ``LearnError``, ``ResamplingError`` or what `make` throws.
    static func overSample<R: RandomNumberGenerator>(
        _ data: LabeledMatrix, strategy: SamplingStrategy, schema: FeatureSchema?, typeAware: Bool, using rng: inout R,
        prepare: () throws -> Void = {},
        make: (_ c: Int, _ rows: [Int], _ count: Int, _ warnings: inout [ResamplingWarning], _ rng: inout R) throws -> Matrix
    ) throws -> ResamplingResult {
        let byClass = try rowsByClass(data)
        try prepare()
        let targets = try overSamplingTargets(strategy, byClass: byClass, data: data)
        let schema = try effectiveSchema(schema, typeAware: typeAware, data: data)
        var warnings: [ResamplingWarning] = []
        // The output is allocated once at its final size; each class's new rows are snapped and
        // appended as they are made (snapping is row by row, so this equals snapping them all at the end).
        var out = data
        let total = zip(byClass, targets).reduce(0) { $0 + max(0, $1.1 - $1.0.count) }
        out.features.reserveCapacity(additionalRows: total)
        out.labels.reserveCapacity(data.count + total)
        for (c, rows) in byClass.enumerated() where targets[c] > rows.count {
            let n = targets[c] - rows.count
            var made = try WorkProgress.labelled("class \(data.classNames[c])") { try make(c, rows, n, &warnings, &rng) }
            precondition(made.rows == n, "an over-sampler made \(made.rows) rows for class \(c), not \(n)")
            if let schema, made.rows > 0 { schema.snap(&made) }
            out.features.appendRows(made)
            out.labels.append(contentsOf: repeatElement(c, count: n))
        }
        return ResamplingResult(data: out, warnings: warnings)
    }
}
