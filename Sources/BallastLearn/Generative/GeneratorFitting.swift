import BallastCore
import BallastNN

/// The steps every generator's `fit` shares: validating the data, and training either one
/// conditional network or one network per class.
enum GeneratorFitting {
    /// Fewest rows a network trains on (batch statistics need two).
    static let minimumRows = 2

    /// Validates generator training data: rows present, labels in range, finite features, the
    /// schema's width.
    /// - Throws: ``LearnError``.
    static func validate(_ data: LabeledMatrix, schema: FeatureSchema) throws {
        guard data.count > 0 else { throw LearnError.emptyData }
        do {
            try data.validate()
        } catch let error as LabeledMatrixError {
            switch error {
            case let .labelCountMismatch(rows, labels): throw LearnError.labelCountMismatch(rows: rows, labels: labels)
            case let .labelOutOfRange(row, label, classCount): throw LearnError.labelOutOfRange(row: row, label: label, classCount: classCount)
            case let .nonFinite(row, column, _): throw LearnError.nonFinite(row: row, column: column)
            }
        }
        guard data.features.columns > 0 else {
            throw LearnError.invalidParameter(name: "features", value: "0 columns", expected: "at least one feature column")
        }
        guard schema.width == data.features.columns else {
            throw LearnError.featureCountMismatch(expected: schema.width, found: data.features.columns)
        }
    }

    /// Trains the networks of a generator.
    ///
    /// A conditional generator trains one network on all rows. A per-class generator trains one
    /// network per class present, in class order, each from its class's rows only and from its own
    /// generator seeded by a seed drawn per class of the class table — so a class's network does
    /// not depend on which other classes are present or how many rows they have.
    /// - Parameters:
    ///   - data: validated rows.
    ///   - conditioning: one network, or one per class.
    ///   - rng: draws the seeds.
    ///   - train: trains one network on the given rows (`classIndex` is `nil` for a conditional one).
    /// - Returns: the networks, in class order.
    /// - Throws: ``GeneratorError/classTooSmall(className:rows:minimum:)`` for a class (or, conditional,
    ///   a data set) under ``minimumRows`` rows; what `train` throws.
    static func networks(_ data: LabeledMatrix, conditioning: GeneratorConditioning,
                         using rng: inout some RandomNumberGenerator,
                         train: (_ rows: LabeledMatrix, _ classIndex: Int?, _ rng: inout Xoshiro256StarStar) throws -> GeneratorNetwork)
        throws -> [GeneratorNetwork] {
        switch conditioning {
        case .classConditional:
            guard data.count >= minimumRows else {
                throw GeneratorError.classTooSmall(className: "(all classes)", rows: data.count, minimum: minimumRows)
            }
            var child = Xoshiro256StarStar(seed: rng.next())
            return [try train(data, nil, &child)]
        case .perClass:
            let seeds = rng.childSeeds(data.classNames.count)
            var rowsOfClass = [[Int]](repeating: [], count: data.classNames.count)
            for (r, label) in data.labels.enumerated() { rowsOfClass[label].append(r) }
            var out: [GeneratorNetwork] = []
            for (c, rows) in rowsOfClass.enumerated() where !rows.isEmpty {
                guard rows.count >= minimumRows else {
                    throw GeneratorError.classTooSmall(className: data.classNames[c], rows: rows.count, minimum: minimumRows)
                }
                var child = Xoshiro256StarStar(seed: seeds[c])
                out.append(try train(data.gatherRows(rows), c, &child))
            }
            return out
        }
    }

    /// The rows `rows` of `features` as a tape input, copied straight into the tape's buffer.
    static func input(_ features: Matrix, rows: some Collection<Int>, on tape: Tape<Float>) -> Tensor {
        NetworkTraining.input(features, rows: rows, on: tape)
    }

    /// The one-hot encoding of `labels` (`labels.count × classes`) as a tape constant.
    static func oneHot(_ labels: [Int], classes: Int, on tape: Tape<Float>) -> Tensor {
        tape.input(rows: labels.count, columns: classes) { out in
            out.update(repeating: 0)
            for (i, label) in labels.enumerated() { out[i * classes + label] = 1 }
        }
    }

    /// A `rows × columns` tape constant of standard normal draws.
    static func noise(rows: Int, columns: Int, on tape: Tape<Float>, using rng: inout some RandomNumberGenerator) -> Tensor {
        tape.input(rows: rows, columns: columns) { rng.fillNormal($0) }
    }

    /// Checks that a fitted network's output is finite before it reaches a user's file.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` naming the class.
    static func requireFinite(_ rows: Matrix, className: String) throws {
        if let (r, c) = rows.firstNonFinite() {
            throw LearnError.invalidParameter(name: "generated rows", value: "row \(r), column \(c) of class '\(className)' is not finite",
                                              expected: "finite values (the model diverged; retrain with a lower learning rate)")
        }
    }
}
