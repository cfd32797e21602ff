import BallastCore

/// SMOTE-NC: SMOTE for mixed numeric and categorical features (Chawla et al. 2002, §6.1).
///
/// Neighbours are found on the numeric columns plus the categorical variables, where two different
/// categories add the median standard deviation of the class's numeric columns, squared, to the
/// squared distance. Numeric columns are interpolated; each categorical variable takes the category
/// most frequent among the base row's `k` neighbours (ties → the lower category).
///
/// Categorical variables are the schema's ``FeatureSchema/categoricalGroups`` (one-hot groups and
/// ordinal code columns from the fitted preprocessing) unless `categorical` lists column ranges
/// explicitly. The distance matrix is built per class in the encoded width, so memory stays
/// `rows of the class × columns` — no dense re-encoding of the whole data set.
public struct SMOTENC: Resampler {
    /// Which classes grow, and to how many rows.
    public var strategy: SamplingStrategy
    /// Nearest neighbours of the same class.
    public var k: Int
    /// Column ranges that each encode one categorical variable (a one-hot group, or one code column);
    /// `nil` takes them from the schema.
    public var categorical: [Range<Int>]?
    /// Snap synthetic rows to valid records.
    public var typeAware: Bool

    public var kind: ResamplerKind { .overSampling }

    /// Creates the configuration.
    public init(strategy: SamplingStrategy = .auto, k: Int = 5, categorical: [Range<Int>]? = nil, typeAware: Bool = true) {
        self.strategy = strategy
        self.k = k
        self.categorical = categorical
        self.typeAware = typeAware
    }

    public func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                            using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
        let width = data.features.columns
        let groups = categorical ?? schema?.categoricalGroups ?? []
        var continuous: [Int] = []
        return try ResamplingSupport.overSample(data, strategy: strategy, schema: schema, typeAware: typeAware, using: &rng, prepare: {
            try ResamplingSupport.require(k >= 1, "k", k, "an integer ≥ 1")
            guard !groups.isEmpty else {
                throw LearnError.invalidParameter(name: "categorical", value: "none",
                                                  expected: "categorical columns: fit the preprocessing (one-hot or ordinal) or list column ranges")
            }
            var isCategorical = [Bool](repeating: false, count: width)
            for g in groups {
                guard g.lowerBound >= 0, g.upperBound <= width, !g.isEmpty else {
                    throw LearnError.invalidParameter(name: "categorical", value: "\(g)", expected: "non-empty ranges within 0..<\(width)")
                }
                for j in g {
                    guard !isCategorical[j] else { throw LearnError.invalidParameter(name: "categorical", value: "\(g)", expected: "disjoint ranges") }
                    isCategorical[j] = true
                }
            }
            continuous = (0..<width).filter { !isCategorical[$0] }
        }) { c, rows, n, warnings, rng in
            let name = data.classNames[c]
            let members = data.features.gatherRows(rows)
            let encoded = Self.distanceSpace(members, continuous: continuous, groups: groups)
            let nn = try SMOTEEngine.neighbors(within: encoded, k: k, method: "smote-nc", className: name, warnings: &warnings)
            guard let list = nn.list else {
                warnings.append(.duplicatedSingleRow(method: "smote-nc", className: name, copies: n))
                return SMOTEEngine.duplicate(members, copies: n, using: &rng)
            }
            var made = Matrix(rows: n, columns: width)
            for s in 0..<n {
                let pick = rng.nextInt(below: members.rows * list.k)
                let b = pick / list.k, other = Int(list.indices[pick]), gap = rng.nextUniformFloat()
                for j in continuous { made[s, j] = members[b, j] + gap * (members[other, j] - members[b, j]) }
                for g in groups { Self.vote(g, base: b, neighbors: list.neighbors(of: b), members: members, into: &made, row: s) }
            }
            return made
        }
    }

    /// Sets categorical variable `g` of `row` to the category most frequent among `neighbors`.
    static func vote(_ g: Range<Int>, base: Int, neighbors: ArraySlice<Int32>, members: Matrix, into out: inout Matrix, row: Int) {
        if g.count == 1 {
            var tally: [Float: Int] = [:]
            for i in neighbors { tally[members[Int(i), g.lowerBound], default: 0] += 1 }
            let best = tally.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
            out[row, g.lowerBound] = best?.key ?? members[base, g.lowerBound]
        } else {
            var counts = [Float](repeating: 0, count: g.count)
            for i in neighbors {
                var hot = 0
                for (o, j) in g.enumerated() where members[Int(i), j] > members[Int(i), g.lowerBound + hot] { hot = o }
                counts[hot] += 1
            }
            var best = 0
            for o in 1..<g.count where counts[o] > counts[best] { best = o }
            for (o, j) in g.enumerated() { out[row, j] = o == best ? 1 : 0 }
        }
    }

    /// The rows in the space neighbours are searched in: numeric columns as they are, each categorical
    /// variable as indicators scaled so that two different categories are `median std` apart.
    static func distanceSpace(_ x: Matrix, continuous: [Int], groups: [Range<Int>]) -> Matrix {
        let std = x.selectColumns(continuous).columnVariances().map { $0.squareRoot() }.sorted()
        let median = std.isEmpty ? 1 : (std.count % 2 == 1 ? std[std.count / 2] : (std[std.count / 2 - 1] + std[std.count / 2]) / 2)
        let scale = Float(median / 2.0.squareRoot())
        var blocks = [x.selectColumns(continuous)]
        for g in groups {
            if g.count == 1 {
                let codes = Array(Set((0..<x.rows).map { x[$0, g.lowerBound] })).sorted()
                blocks.append(Matrix(rows: x.rows, columns: codes.count) { r, j in x[r, g.lowerBound] == codes[j] ? scale : 0 })
            } else {
                blocks.append(x.selectColumns(Array(g)).scaled(by: scale))
            }
        }
        return Matrix.hstack(blocks)
    }
}
