import BallastData

/// Where a tree puts the threshold between two neighbouring feature values `a < b` of a node.
///
/// Without a preprocessing, halfway between the values, as scikit-learn does on the matrix it is
/// given. With one (a ``FeatureSchema`` built from a ``FittedPreprocessor``), a column that went
/// through `log1p` gets the output of its raw values' midpoint instead
/// (``FittedColumn/splitThreshold(between:and:)``): the tree then splits where it would have on the
/// raw data, and a test value lying between two training values goes the way the raw midpoint sends
/// it. The tree is still grown and stored on the preprocessed features: candidate splits, their
/// order and the bundle format do not change, only where a chosen split's threshold lies.
struct SplitPlacement: Sendable {
    /// Per feature column, the fitted column whose raw midpoints place its thresholds (`nil`: the
    /// midpoint of the feature values). Empty: midpoints everywhere.
    let columns: [FittedColumn?]

    /// Midpoints of the feature values in every column.
    static let valueMidpoints = SplitPlacement(columns: [])

    private init(columns: [FittedColumn?]) { self.columns = columns }

    /// The placement for `width` feature columns described by `schema`.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` when the schema describes a
    ///   different number of columns.
    init(schema: FeatureSchema?, width: Int) throws {
        guard let schema else { self = .valueMidpoints; return }
        guard schema.width == width else {
            throw LearnError.invalidParameter(name: "schema", value: "\(schema.width) columns",
                                              expected: "the \(width) feature columns of the training rows")
        }
        guard let preprocessor = schema.preprocessor else { self = .valueMidpoints; return }
        var columns = [FittedColumn?](repeating: nil, count: width)
        var any = false
        for (j, output) in preprocessor.outputColumns.enumerated() {
            switch output.role {
            case .real, .integer, .binary:
                let fitted = preprocessor.columns[output.sourceColumn]
                if fitted.logTransformed {
                    columns[j] = fitted
                    any = true
                }
            case .oneHot, .ordinal: break
            }
        }
        self = any ? SplitPlacement(columns: columns) : .valueMidpoints
    }

    /// The threshold `t` (`a ≤ t < b`) between neighbouring values `a < b` of feature `f`.
    @inline(__always)
    func threshold(feature f: Int, below a: Float, above b: Float) -> Float {
        if f < columns.count, let column = columns[f] { return column.splitThreshold(between: a, and: b) }
        return FeatureBins<UInt32>.midpoint(a, b)
    }
}
