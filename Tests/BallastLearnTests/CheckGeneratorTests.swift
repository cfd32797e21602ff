import BallastCore
import BallastLearn
import BallastNN
import BallastTestSupport
import Foundation
import Testing

/// Deliberately broken generators: each must be caught by the check written for its fault, and
/// the unbroken one passes every check.
@Suite("checkGenerator catches broken generators")
struct CheckGeneratorTests {
    /// What a broken generator gets wrong.
    enum Fault: String, CaseIterable, Sendable, Codable {
        case none, ignoresSeed, wrongCount, wrongClass, nonFinite, forgetsOnDecode, readsOtherClasses,
             acceptsOneRow, rejectsTinyClass, skipsValidation
    }

    /// A per-class diagonal Gaussian: each class's column means and deviations, sampled independently.
    struct Gaussian: Generator {
        var fault: Fault
        var conditioning: GeneratorConditioning { .perClass }

        func fit(_ data: LabeledMatrix, schema: FeatureSchema, using rng: inout some RandomNumberGenerator) throws -> Model {
            if fault != .skipsValidation {
                guard data.count > 0 else { throw LearnError.emptyData }
                if let (r, c) = data.features.firstNonFinite() { throw LearnError.nonFinite(row: r, column: c) }
                guard schema.width == data.features.columns else {
                    throw LearnError.featureCountMismatch(expected: schema.width, found: data.features.columns)
                }
            }
            var classes: [Int: [[Float]]] = [:]
            let all = (mean: data.features.columnMeans().map(Float.init), std: Self.deviations(data.features))
            for c in Set(data.labels).sorted() {
                let rows = data.features.gatherRows(data.labels.indices.filter { data.labels[$0] == c })
                if rows.rows < 2 && fault != .acceptsOneRow {
                    throw GeneratorError.classTooSmall(className: data.classNames[c], rows: rows.rows, minimum: 2)
                }
                if rows.rows < 10 && fault == .rejectsTinyClass { throw LearnError.invalidParameter(name: "rows", value: "\(rows.rows)", expected: "≥ 10") }
                classes[c] = fault == .readsOtherClasses ? [all.mean, all.std] : [rows.columnMeans().map(Float.init), Self.deviations(rows)]
            }
            let salt = fault == .ignoresSeed ? UInt64(Date().timeIntervalSince1970 * 1e6) : rng.next()
            return Model(classNames: data.classNames, featureCount: data.features.columns, fault: fault,
                         moments: classes.keys.sorted().map { [Float($0)] + classes[$0]![0] + classes[$0]![1] }, salt: salt)
        }

        static func deviations(_ m: Matrix) -> [Float] {
            let means = m.columnMeans()
            return (0..<m.columns).map { c in
                let v = (0..<m.rows).reduce(0.0) { $0 + pow(Double(m[$1, c]) - means[c], 2) } / Double(max(m.rows, 1))
                return Float(v.squareRoot())
            }
        }

        struct Model: GenerativeModel {
            var classNames: [String]
            var featureCount: Int
            var fault: Fault
            /// Per class: `[class, means…, deviations…]`.
            var moments: [[Float]]
            var salt: UInt64

            var trainedClasses: [Int] { moments.map { Int($0[0]) } }
            var parameterCount: Int { moments.count * 2 * featureCount }
            var flopsPerRow: Int { 2 * featureCount }
            var training: [GeneratorTrainingRecord] {
                [GeneratorTrainingRecord(history: TrainingHistory(epochs: [EpochRecord(epoch: 1, trainingLoss: 0, learningRate: 0)], bestEpoch: 1,
                                                                  stoppedEarly: false, trainingRows: 1, validationRows: 0, epochSeconds: [0]),
                                         classIndex: nil)]
            }

            func sample(_ count: Int, of classIndex: Int, using rng: inout some RandomNumberGenerator) throws -> Matrix {
                try validateSampling(count, of: classIndex)
                let source = fault == .wrongClass ? (classIndex + 1) % classNames.count : classIndex
                guard let m = moments.first(where: { Int($0[0]) == source }) ?? moments.first else { return Matrix(rows: 0, columns: featureCount) }
                var noise = Xoshiro256StarStar(seed: rng.next() ^ salt)
                let n = fault == .wrongCount && count > 0 ? count + 1 : count
                var out = Matrix(rows: n, columns: featureCount) { _, c in m[1 + c] + m[1 + featureCount + c] * Float(noise.nextNormal()) }
                if fault == .nonFinite && n > 0 { out[0, 0] = .nan }
                return out
            }

            func safetensors() throws -> [UInt8] { try SafeTensors.encode([:]) }

            enum CodingKeys: String, CodingKey { case classNames, featureCount, fault, moments, salt }
            init(classNames: [String], featureCount: Int, fault: Fault, moments: [[Float]], salt: UInt64) {
                (self.classNames, self.featureCount, self.fault, self.moments, self.salt) = (classNames, featureCount, fault, moments, salt)
            }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                classNames = try c.decode([String].self, forKey: .classNames)
                featureCount = try c.decode(Int.self, forKey: .featureCount)
                fault = try c.decode(Fault.self, forKey: .fault)
                moments = try c.decode([[Float]].self, forKey: .moments)
                salt = fault == .forgetsOnDecode ? 0 : try c.decode(UInt64.self, forKey: .salt)
            }
        }
    }

    /// Which check must report each fault.
    static let expected: [Fault: String] = [
        .ignoresSeed: "determinism", .wrongCount: "count", .wrongClass: "class fidelity", .nonFinite: "finite",
        .forgetsOnDecode: "round trip", .readsOtherClasses: "isolation", .acceptsOneRow: "tiny classes",
        .rejectsTinyClass: "tiny classes", .skipsValidation: "errors",
    ]

    @Test("each fault is reported by its check", arguments: Fault.allCases.filter { $0 != .none })
    func bites(fault: Fault) throws {
        let failures = GeneratorChecks.failures(of: Gaussian(fault: fault), minimumAgreement: 0.8)
        let check = try #require(Self.expected[fault])
        #expect(failures.contains { $0.hasPrefix(check) }, "\(fault): expected a '\(check)' failure, got \(failures)")
    }

    @Test("the unbroken Gaussian passes every check")
    func passes() {
        let failures = GeneratorChecks.failures(of: Gaussian(fault: .none), minimumAgreement: 0.8)
        #expect(failures.isEmpty, "\(failures)")
    }
}
