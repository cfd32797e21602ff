import BallastCore
import BallastNN
import Foundation

/// The condition vector of a ``TabularGAN`` with training-by-sampling (Xu et al., 2019, §4.3),
/// extended with the class: `[class one-hot | one category of one discrete column]`.
///
/// The table holds, per class, how many training rows have each category of each discrete column.
/// Training draws conditions by **log-frequency** — a class with probability ∝ `log(1 + rows)`, a
/// discrete column uniformly, a category ∝ `log(1 + rows of the class in it)` — so rare classes
/// and rare categories are trained far more often than their share of the rows, and then a real
/// row matching the condition. Sampling a class draws the category from its **actual** frequency
/// in the class, so generated rows follow the class's own mix (the `ctgan` package samples the
/// category by log-frequency here too, which over-produces rare categories).
struct ConditionTable: Sendable, Codable, Equatable {
    /// One drawn condition.
    struct Draw: Equatable {
        /// The class.
        var classIndex: Int
        /// Index into ``spanWidths`` (−1 when there are no discrete columns).
        var column: Int
        /// The category in that column.
        var category: Int
    }

    /// Number of classes.
    let classes: Int
    /// Categories of each discrete column, in the encoding's span order.
    let spanWidths: [Int]
    /// `counts[c][offset(s) + k]`: training rows of class `c` with category `k` in column `s`.
    let counts: [[Int]]
    /// Training rows per class.
    let classCounts: [Int]

    /// Counts categories per class.
    /// - Parameters:
    ///   - labels: the class of every row.
    ///   - categories: per discrete column, the category of every row.
    ///   - rows: the training rows counted.
    ///   - classes: number of classes.
    ///   - spanWidths: categories per discrete column.
    init(labels: [Int], categories: [[Int]], rows: [Int], classes: Int, spanWidths: [Int]) {
        self.classes = classes
        self.spanWidths = spanWidths
        var counts = [[Int]](repeating: [Int](repeating: 0, count: spanWidths.reduce(0, +)), count: classes)
        var classCounts = [Int](repeating: 0, count: classes)
        let starts = Self.starts(spanWidths)
        for r in rows {
            classCounts[labels[r]] += 1
            for (s, column) in categories.enumerated() { counts[labels[r]][starts[s] + column[r]] += 1 }
        }
        self.counts = counts
        self.classCounts = classCounts
    }

    /// Width of a condition vector.
    var width: Int { classes + spanWidths.reduce(0, +) }

    /// Where each discrete column's categories start (after the class part).
    static func starts(_ widths: [Int]) -> [Int] {
        var out: [Int] = [], start = 0
        for w in widths {
            out.append(start)
            start += w
        }
        return out
    }

    /// Conditions for training, by log-frequency.
    func drawForTraining(_ count: Int, using rng: inout some RandomNumberGenerator) -> [Draw] {
        let classWeights = classCounts.map { Foundation.log(1 + Double($0)) }
        let starts = Self.starts(spanWidths)
        return (0..<count).map { _ in
            let c = rng.weightedChoice(classWeights) ?? 0
            guard !spanWidths.isEmpty else { return Draw(classIndex: c, column: -1, category: 0) }
            let s = rng.nextInt(below: spanWidths.count)
            let weights = counts[c][starts[s]..<(starts[s] + spanWidths[s])].map { Foundation.log(1 + Double($0)) }
            return Draw(classIndex: c, column: s, category: rng.weightedChoice(weights) ?? 0)
        }
    }

    /// Conditions for generating rows of `classIndex`, by the class's category frequencies.
    func drawForSampling(_ count: Int, of classIndex: Int, using rng: inout some RandomNumberGenerator) -> [Draw] {
        let starts = Self.starts(spanWidths)
        return (0..<count).map { _ in
            guard !spanWidths.isEmpty else { return Draw(classIndex: classIndex, column: -1, category: 0) }
            let s = rng.nextInt(below: spanWidths.count)
            let weights = counts[classIndex][starts[s]..<(starts[s] + spanWidths[s])].map(Double.init)
            return Draw(classIndex: classIndex, column: s, category: rng.weightedChoice(weights) ?? 0)
        }
    }

    /// The condition vectors of `draws` as a tape constant (`draws.count × width`).
    func condition<S: NNScalar>(_ draws: [Draw], on tape: Tape<S>) -> Tensor {
        let starts = Self.starts(spanWidths), w = width
        return tape.input(rows: draws.count, columns: w) { out in
            out.update(repeating: 0)
            for (i, d) in draws.enumerated() {
                out[i * w + d.classIndex] = 1
                if d.column >= 0 { out[i * w + classes + starts[d.column] + d.category] = 1 }
            }
        }
    }

    /// Checks a decoded table against the model's classes.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)``.
    func validate(classes expected: Int, spanWidths expectedWidths: [Int]) throws {
        let total = spanWidths.reduce(0, +)
        guard classes == expected, spanWidths == expectedWidths, counts.count == classes, classCounts.count == classes,
              counts.allSatisfy({ $0.count == total && $0.allSatisfy { $0 >= 0 } }), classCounts.allSatisfy({ $0 >= 0 }) else {
            throw LearnError.invalidParameter(name: "condition table", value: "\(counts.count) classes × \(spanWidths.count) columns",
                                              expected: "\(expected) classes over the encoding's discrete columns")
        }
    }
}

/// The real rows of each condition: the training rows of each class, and of each category of each
/// discrete column within the class.
struct ConditionIndex {
    let rowsOfClass: [[Int]]
    /// `rowsOf[c][offset(s) + k]`.
    let rowsOf: [[[Int]]]
    let starts: [Int]

    /// Indexes `rows` by class and category (see ``ConditionTable/init(labels:categories:rows:classes:spanWidths:)``).
    init(labels: [Int], categories: [[Int]], rows: [Int], classes: Int, spanWidths: [Int]) {
        starts = ConditionTable.starts(spanWidths)
        var byClass = [[Int]](repeating: [], count: classes)
        var byCategory = [[[Int]]](repeating: [[Int]](repeating: [], count: spanWidths.reduce(0, +)), count: classes)
        for r in rows {
            byClass[labels[r]].append(r)
            for (s, column) in categories.enumerated() { byCategory[labels[r]][starts[s] + column[r]].append(r) }
        }
        rowsOfClass = byClass
        rowsOf = byCategory
    }

    /// A training row uniformly among those matching `draw` (a row of its class when none does).
    func row(for draw: ConditionTable.Draw, using rng: inout some RandomNumberGenerator) -> Int? {
        let pool = draw.column >= 0 ? rowsOf[draw.classIndex][starts[draw.column] + draw.category] : rowsOfClass[draw.classIndex]
        if !pool.isEmpty { return pool[rng.nextInt(below: pool.count)] }
        let fallback = rowsOfClass[draw.classIndex]
        return fallback.isEmpty ? nil : fallback[rng.nextInt(below: fallback.count)]
    }
}
