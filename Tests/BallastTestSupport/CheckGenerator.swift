import BallastCore
import BallastData
import BallastLearn
import BallastNN
import Foundation

/// The common checks every deep generator must pass (the generator counterpart of
/// ``ResamplerChecks``). Each check returns a description of what failed; an empty list means
/// conformance.
///
/// Checks, on seeded simulator traffic (NSL-KDD's schema, five classes, preprocessed to 100+
/// columns):
/// - **determinism**: two fits and samples with the same seed are identical;
/// - **counts and shape**: `sample(n)` gives `n` finite rows of the right width, `sample(0)` none;
///   the model states a positive parameter count and FLOPs per row and a training record per
///   network with finite losses;
/// - **class fidelity**: rows sampled for class `c` are classified as `c` by a random forest fitted
///   on the real rows, for at least `minimumAgreement` of them (averaged over the classes);
/// - **valid records**: through ``GenerativeOversampler`` every generated row is a valid record of
///   the schema and the counts are exact;
/// - **round trip**: a model encoded to JSON and decoded samples identically, and its safetensors
///   file decodes;
/// - **tiny classes**: fitting a class of 1 row throws ``GeneratorError/classTooSmall(className:rows:minimum:)``
///   (per-class generators), classes of 2 and 5 rows train and sample; the over-sampler raises
///   classes of 1, 2 and 5 rows by SMOTE with a warning;
/// - **isolation**: a per-class generator's rows for a class do not change when the other classes'
///   rows do;
/// - **errors**: empty data, NaN, a schema of the wrong width, an untrained class and a negative
///   count throw the documented errors.
public enum GeneratorChecks {
    /// Preprocessed simulator rows with their schema.
    public struct Sample: Sendable {
        /// The rows.
        public var data: LabeledMatrix
        /// Their schema.
        public var schema: FeatureSchema
    }

    /// Seeded simulator traffic with `perClass` rows of each of the five classes.
    public static func sample(perClass: Int = 160, seed: UInt64 = 5) -> Sample {
        var rng = Xoshiro256StarStar(seed: seed)
        // A few hundred simulated rows fit any machine, and the preprocessing cannot fail on them.
        let table = try! TrafficSimulator(rowCount: 5 * perClass, classProportions: [1, 1, 1, 1, 1]).generate(using: &rng)
        let fitted = try! Preprocessor().fit(table.features)
        let data = try! table.labeledMatrix(using: fitted)
        return Sample(data: data, schema: FeatureSchema(preprocessor: fitted))
    }

    /// Runs every check on `generator`.
    /// - Parameters:
    ///   - generator: the configured generator (give it a small training budget: it is fitted several times).
    ///   - minimumAgreement: the documented share of sampled rows the real-data classifier must label
    ///     with their own class.
    ///   - sample: the data (default ``sample(perClass:seed:)``).
    /// - Returns: one message per failed check.
    public static func failures(of generator: any Generator, minimumAgreement: Double, sample: Sample = sample()) -> [String] {
        failuresOpened(generator, minimumAgreement: minimumAgreement, sample: sample)
    }

    private static func failuresOpened<G: Generator>(_ generator: G, minimumAgreement: Double, sample: Sample) -> [String] {
        let data = sample.data, schema = sample.schema
        var failures: [String] = []
        var rngA = Xoshiro256StarStar(seed: 42), rngB = Xoshiro256StarStar(seed: 42)
        let model: G.Model
        do {
            model = try generator.fit(data, schema: schema, using: &rngA)
            let again = try generator.fit(data, schema: schema, using: &rngB)
            if try draw(model, 50, 0, seed: 1) != draw(again, 50, 0, seed: 1) { failures.append("determinism: two fits with seed 42 sample differently") }
        } catch {
            return ["fit: fitting valid data threw \(error)"]
        }
        do {
            failures += try shapeFailures(model, width: data.features.columns)
            failures += try agreementFailures(model, data: data, minimumAgreement: minimumAgreement)
            failures += try roundTripFailures(model)
        } catch {
            failures.append("sample: sampling a trained class threw \(error)")
        }
        failures += oversamplerFailures(generator, sample: sample)
        failures += tinyClassFailures(generator, sample: sample)
        if generator.conditioning == .perClass { failures += isolationFailures(generator, sample: sample) }
        failures += errorFailures(generator, model: model, sample: sample)
        return failures
    }

    static func draw<M: GenerativeModel>(_ model: M, _ n: Int, _ c: Int, seed: UInt64) throws -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return try model.sample(n, of: c, using: &rng)
    }

    static func shapeFailures<M: GenerativeModel>(_ model: M, width: Int) throws -> [String] {
        var f: [String] = []
        for c in model.trainedClasses {
            let rows = try draw(model, 37, c, seed: 2)
            if rows.rows != 37 || rows.columns != width { f.append("count: sample(37) of class \(c) gave \(rows.rows)×\(rows.columns), expected 37×\(width)") }
            if let (r, col) = rows.firstNonFinite() { f.append("finite: class \(c), row \(r), column \(col) is not finite") }
        }
        if try draw(model, 0, model.trainedClasses.first ?? 0, seed: 2).rows != 0 { f.append("count: sample(0) gave rows") }
        if model.parameterCount <= 0 || model.flopsPerRow <= 0 { f.append("size: parameterCount \(model.parameterCount), flopsPerRow \(model.flopsPerRow)") }
        if model.training.isEmpty || model.training.contains(where: { $0.epochs.isEmpty }) { f.append("history: a network has no training record") }
        if model.training.flatMap(\.epochs).contains(where: { !$0.trainingLoss.isFinite }) { f.append("history: a recorded loss is not finite") }
        return f
    }

    static func agreementFailures<M: GenerativeModel>(_ model: M, data: LabeledMatrix, minimumAgreement: Double) throws -> [String] {
        var rng = Xoshiro256StarStar(seed: 3)
        let forest = try RandomForestClassifier(trees: 30).fit(data, using: &rng)
        var shares: [String] = [], total = 0.0
        for c in model.trainedClasses {
            let predicted = try forest.predict(try draw(model, 200, c, seed: 4))
            let share = Double(predicted.filter { $0 == c }.count) / Double(max(predicted.count, 1))
            total += share
            shares.append("\(data.classNames[c]) \(Int((share * 100).rounded()))%")
        }
        let mean = total / Double(max(model.trainedClasses.count, 1))
        guard mean < minimumAgreement else { return [] }
        return ["class fidelity: \(Int((mean * 100).rounded()))% of sampled rows are classified as their class (\(shares.joined(separator: ", "))); documented minimum \(Int((minimumAgreement * 100).rounded()))%"]
    }

    static func roundTripFailures<M: GenerativeModel>(_ model: M) throws -> [String] {
        let decoded: M
        do {
            decoded = try JSONDecoder().decode(M.self, from: JSONEncoder().encode(model))
        } catch {
            return ["round trip: encoding and decoding the model threw \(error)"]
        }
        var f: [String] = []
        for c in model.trainedClasses where try draw(model, 20, c, seed: 6) != draw(decoded, 20, c, seed: 6) {
            f.append("round trip: the decoded model samples class \(c) differently")
        }
        do {
            _ = try SafeTensors.decode(model.safetensors())
        } catch {
            f.append("safetensors: the weights file does not decode (\(error))")
        }
        return f
    }
}
