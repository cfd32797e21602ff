import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

/// A nearest-centroid classifier with one deliberate flaw, to prove each check of `checkClassifier`
/// can fail.
struct FlawedClassifier: Classifier {
    enum Flaw: String, Codable, CaseIterable, Sendable {
        case none, nondeterministic, unnormalized, extraColumn, batchDependent, lossyCoding, skipsValidation,
             mutatesInput, ignoresWidth, wrongError, renamesClasses
    }

    var flaw: Flaw

    func fit(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> FlawedModel {
        switch flaw {
        case .skipsValidation: break
        case .wrongError: if data.count == 0 { throw LearnError.invalidParameter(name: "x", value: "0", expected: "rows") }
            try data.validateForTraining()
        default: try data.validateForTraining()
        }
        if flaw == .mutatesInput {
            data.features.withUnsafeBufferPointer { UnsafeMutablePointer(mutating: $0.baseAddress!)[0] += 1 }
        }
        let k = data.classNames.count, m = data.features.columns
        var sums = [Float](repeating: 0, count: k * m), counts = [Float](repeating: 0, count: k)
        for r in 0..<min(data.count, data.labels.count) {
            let y = data.labels[r]
            counts[y] += 1
            for j in 0..<m where data.features[r, j].isFinite { sums[y * m + j] += data.features[r, j] }
        }
        for c in 0..<k { for j in 0..<m { sums[c * m + j] /= max(counts[c], 1) } }
        var offset: Float = 0
        if flaw == .nondeterministic {
            var system = SystemRandomNumberGenerator()
            offset = Float(system.nextUniform())
        }
        let names = flaw == .renamesClasses ? data.classNames.map { $0.uppercased() } : data.classNames
        return FlawedModel(classNames: names, featureCount: m, centroids: sums, offset: offset, flaw: flaw)
    }
}

struct FlawedModel: ClassifierModel {
    let classNames: [String]
    let featureCount: Int
    let centroids: [Float]
    let offset: Float
    let flaw: FlawedClassifier.Flaw

    init(classNames: [String], featureCount: Int, centroids: [Float], offset: Float, flaw: FlawedClassifier.Flaw) {
        self.classNames = classNames
        self.featureCount = featureCount
        self.centroids = centroids
        self.offset = offset
        self.flaw = flaw
    }

    enum CodingKeys: String, CodingKey { case classNames, featureCount, centroids, offset, flaw }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classNames = try c.decode([String].self, forKey: .classNames)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        centroids = try c.decode([Float].self, forKey: .centroids)
        offset = try c.decode(Float.self, forKey: .offset)
        flaw = try c.decode(FlawedClassifier.Flaw.self, forKey: .flaw)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(flaw == .lossyCoding ? centroids.map { $0 + 0.5 } : centroids, forKey: .centroids)
        try c.encode(offset, forKey: .offset)
        try c.encode(flaw, forKey: .flaw)
    }

    func predictProbabilities(_ features: Matrix) throws -> Matrix {
        if flaw != .ignoresWidth { try validateInput(features) }
        let k = classNames.count, m = min(featureCount, features.columns)
        var batchShift: Float = 0
        if flaw == .batchDependent && features.rows > 0 {
            batchShift = Float(features.sum()) / Float(features.count)
        }
        var out = Matrix(rows: features.rows, columns: flaw == .extraColumn ? k + 1 : k)
        for r in 0..<features.rows {
            var scores = (0..<k).map { c -> Float in
                var d: Float = 0
                for j in 0..<m { let t = features[r, j] - batchShift - centroids[c * featureCount + j]; d += t * t }
                return -d + (c == 0 ? offset : 0)
            }
            let top = scores.max() ?? 0
            scores = scores.map { ($0 - top).exponentialApproximation }
            let total = scores.reduce(0, +)
            for c in 0..<k { out[r, c] = scores[c] / total * (flaw == .unnormalized ? 2 : 1) }
            if flaw == .extraColumn { out[r, k] = 1 }
        }
        if flaw == .extraColumn {
            for r in 0..<features.rows { for c in 0..<k { out[r, c] = 0 } }
        }
        return out
    }
}

private extension Float {
    /// eˣ for x ≤ 0 (enough for a test model).
    var exponentialApproximation: Float {
        var term: Float = 1, sum: Float = 1
        let x = Swift.max(self, -20) / 32
        for i in 1...8 { term *= x / Float(i); sum += term }
        var r = sum
        for _ in 0..<5 { r *= r }
        return r
    }
}

@Suite("checkClassifier")
struct CheckClassifierTests {
    static let data = ClassifierTestData.blobs()

    @Test("a correct classifier passes every check (its test-only model type aside)")
    func correctPasses() {
        #expect(checkClassifier(FlawedClassifier(flaw: .none), on: Self.data, requireRegistered: false).isEmpty)
    }

    @Test("a classifier whose model type is not in the registry fails the erased round trip (ballast train could not save it)")
    func unregisteredIsCaught() {
        let failures = checkClassifier(FlawedClassifier(flaw: .none), on: Self.data)
        #expect(failures.map(\.check) == [.erasedRoundTrip], "\(failures)")
        #expect(failures.first?.message.contains("FlawedModel") == true, "\(failures)")
    }

    @Test("each flaw is caught by its check",
          arguments: [
            (FlawedClassifier.Flaw.nondeterministic, ClassifierCheckFailure.Check.determinism),
            (.nondeterministic, .fitTwice),
            (.unnormalized, .probabilities),
            (.extraColumn, .probabilities),
            (.extraColumn, .labelsWithinClasses),
            (.batchDependent, .rowByRow),
            (.lossyCoding, .codableRoundTrip),
            (.skipsValidation, .singleClass),
            (.skipsValidation, .emptyData),
            (.skipsValidation, .nonFinite),
            (.skipsValidation, .labelCountMismatch),
            (.wrongError, .emptyData),
            (.mutatesInput, .inputUntouched),
            (.ignoresWidth, .featureCountMismatch),
            (.renamesClasses, .metadata),
          ])
    func flawIsCaught(flaw: FlawedClassifier.Flaw, check: ClassifierCheckFailure.Check) {
        let failures = checkClassifier(FlawedClassifier(flaw: flaw), on: Self.data)
        #expect(failures.contains { $0.check == check }, "\(flaw) should fail \(check); failures: \(failures)")
    }
}
