import BallastCore

/// Small seeded labelled data for classifier tests.
public enum ClassifierTestData {
    /// Gaussian blobs: `rowsPerClass[c]` rows of class `c` around a class-specific centre, with unit
    /// noise, `columns` features. Classes overlap a little, so probabilities are not all 0 or 1.
    /// - Parameters:
    ///   - rowsPerClass: rows of each class (imbalance is allowed).
    ///   - columns: feature count (≥ 2).
    ///   - separation: distance between class centres along their axes.
    ///   - seed: the seed of every draw.
    public static func blobs(rowsPerClass: [Int] = [60, 40, 20], columns: Int = 4, separation: Double = 2.5,
                             seed: UInt64 = 7) -> LabeledMatrix {
        var rng = Xoshiro256StarStar(seed: seed)
        var values: [Float] = []
        var labels: [Int] = []
        for (c, n) in rowsPerClass.enumerated() {
            for _ in 0..<n {
                for j in 0..<columns {
                    let centre = j == c % columns ? separation : (j == (c + 1) % columns ? -separation / 2 : 0)
                    values.append(Float(centre + rng.nextNormal()))
                }
                labels.append(c)
            }
        }
        // Interleave classes so that row order carries no information.
        let order = rng.permutation(labels.count)
        let features = Matrix(rows: labels.count, columns: columns, values: values).gatherRows(order)
        return LabeledMatrix(features: features, labels: order.map { labels[$0] },
                             classNames: rowsPerClass.indices.map { "class\($0)" })
    }
}
