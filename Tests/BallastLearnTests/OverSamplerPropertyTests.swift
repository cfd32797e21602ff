import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

/// Geometric properties of the SMOTE family, and their behaviour on tiny classes.
@Suite("Over-sampler properties")
struct OverSamplerPropertyTests {
    /// Two continuous classes: 200 majority rows around the origin, 30 minority rows around (2, 2, …).
    static func twoBlobs(minority: Int = 30, seed: UInt64 = 9, columns: Int = 3) -> LabeledMatrix {
        var rng = Xoshiro256StarStar(seed: seed)
        let rows = 200 + minority
        let features = Matrix(rows: rows, columns: columns) { r, _ in Float(rng.nextNormal()) + (r >= 200 ? 2 : 0) }
        return LabeledMatrix(features: features, labels: (0..<rows).map { $0 >= 200 ? 1 : 0 }, classNames: ["major", "minor"])
    }

    /// Whether `p` lies on the segment from `a` to `b` (within Float tolerance).
    static func onSegment(_ p: [Float], _ a: [Float], _ b: [Float]) -> Bool {
        var t: Float?
        for j in p.indices {
            let d = b[j] - a[j]
            if abs(d) < 1e-6 { if abs(p[j] - a[j]) > 1e-4 { return false }; continue }
            let tj = (p[j] - a[j]) / d
            if let t, abs(t - tj) > 1e-3 { return false }
            t = tj
        }
        return (t ?? 0) >= -1e-4 && (t ?? 0) <= 1 + 1e-4
    }

    @Test("every SMOTE point lies on a segment between a minority row and one of its k minority neighbours")
    func smoteSegments() throws {
        let data = Self.twoBlobs()
        var rng = Xoshiro256StarStar(seed: 1)
        let out = try SMOTE(k: 4, typeAware: false).resample(data, using: &rng)
        let minority = Array(200..<230)
        let members = data.features.gatherRows(minority)
        let nn = try NearestNeighbors.searchWithin(members, k: 4)
        #expect(out.classCounts == [200, 200])
        for r in data.count..<out.count {
            let p = out.features.row(r)
            let found = (0..<members.rows).contains { i in
                nn.neighbors(of: i).contains { Self.onSegment(p, members.row(i), members.row(Int($0))) }
            }
            #expect(found, "row \(r) is on no minority segment")
        }
    }

    @Test("ADASYN generates more around rows with more majority neighbours")
    func adasynWeights() throws {
        // Minority rows: 10 deep inside their own blob, 10 in the middle of the majority.
        var rng = Xoshiro256StarStar(seed: 4)
        var features = Matrix(rows: 300, columns: 2) { _, _ in Float(rng.nextNormal()) }
        for r in 200..<300 { features[r, 0] += 8 }                // a second majority blob at x = 8
        var extra = Matrix(rows: 20, columns: 2) { _, _ in Float(rng.nextNormal()) * 0.3 }
        for r in 0..<10 { extra[r, 0] += 4; extra[r, 1] += 6 }    // safe: far from every majority row
        for r in 10..<20 { extra[r, 0] += 8 }                      // hard: inside the x = 8 majority blob
        features.appendRows(extra)
        let data = LabeledMatrix(features: features, labels: Array(repeating: 0, count: 300) + Array(repeating: 1, count: 20),
                                 classNames: ["major", "minor"])
        var r2 = Xoshiro256StarStar(seed: 2)
        let out = try ADASYN(k: 5, typeAware: false).resample(data, using: &r2)
        #expect(out.classCounts == [300, 300])
        var nearHard = 0, nearSafe = 0
        for r in data.count..<out.count {
            if out.features[r, 1] > 3 { nearSafe += 1 } else { nearHard += 1 }
        }
        #expect(nearHard > 5 * max(nearSafe, 1), "hard region \(nearHard), safe region \(nearSafe)")
    }

    @Test("tiny classes: k shrinks with a warning, one row is duplicated with a warning, counts are exact",
          arguments: ["smote", "borderline-smote", "borderline-smote:kind=2", "svm-smote", "kmeans-smote", "adasyn", "smote-nc"])
    func tinyClasses(method: String) throws {
        let sample = ResamplerChecks.sample(seed: 3, counts: [60, 3, 1])
        var rng = Xoshiro256StarStar(seed: 8)
        let result = try Catalog.resampler(method).fitResample(sample.data, schema: sample.schema, using: &rng)
        #expect(result.data.classCounts == [60, 60, 60])
        #expect(!result.warnings.isEmpty, "\(method) said nothing about classes of 3 and 1 rows")
        let single = result.data.labels.indices.filter { result.data.labels[$0] == 2 }
        if method != "kmeans-smote" && method != "svm-smote" && !method.hasPrefix("borderline") {
            #expect(result.warnings.contains { if case .duplicatedSingleRow = $0 { true } else { false } })
            // Every copy of the single row is that row.
            let row = sample.data.features.row(sample.data.labels.firstIndex(of: 2)!)
            #expect(single.allSatisfy { r in zip(result.data.features.row(r), row).allSatisfy { abs($0 - $1) < 1e-3 } })
        }
    }

    @Test("KMeans-SMOTE returns exactly the requested rows per class (imbalanced-learn #1186 adds up to one per cluster)")
    func kmeansSmoteExact() throws {
        let sample = ResamplerChecks.sample(seed: 21, counts: [400, 150, 40])
        var rng = Xoshiro256StarStar(seed: 5)
        let result = try KMeansSMOTE(k: 3, clusters: 12).fitResample(sample.data, schema: sample.schema, using: &rng)
        #expect(result.data.classCounts == [400, 400, 400])
    }

    @Test("KMeans-SMOTE with no eligible cluster falls back to SMOTE explicitly")
    func kmeansFallback() throws {
        let data = Self.twoBlobs(minority: 6)
        var rng = Xoshiro256StarStar(seed: 5)
        let result = try KMeansSMOTE(k: 5, clusters: 4, balanceThreshold: 0.99).fitResample(data, schema: nil, using: &rng)
        #expect(result.data.classCounts == [200, 200])
        #expect(result.warnings.contains(.noEligibleCluster(className: "minor", fallback: "smote")))
    }

    @Test("Borderline-SMOTE synthesizes only from danger rows; with none it falls back to SMOTE with a warning")
    func borderline() throws {
        // Minority far from the majority: no row is in danger.
        var rng = Xoshiro256StarStar(seed: 6)
        var features = Matrix(rows: 120, columns: 2) { _, _ in Float(rng.nextNormal()) }
        for r in 100..<120 { features[r, 0] += 30 }
        let data = LabeledMatrix(features: features, labels: (0..<120).map { $0 >= 100 ? 1 : 0 }, classNames: ["a", "b"])
        let result = try BorderlineSMOTE().fitResample(data, schema: nil, using: &rng)
        #expect(result.data.classCounts == [100, 100])
        #expect(result.warnings.contains(.noBorderlineRows(method: "borderline-smote1", className: "b", fallback: "smote")))
    }

    @Test("type-aware synthesis: integer columns integral, flags 0/1, one category per row, within range; off → fractions")
    func typeAware() throws {
        let sample = ResamplerChecks.sample(seed: 12, counts: [200, 40, 20])
        for typed in [true, false] {
            var rng = Xoshiro256StarStar(seed: 3)
            let out = try SMOTE(typeAware: typed).resample(sample.data, schema: sample.schema, using: &rng)
            let synthetic = out.features.gatherRows(Array(sample.data.count..<out.count))
            let raw = try sample.preprocessor.inverseTransform(synthetic)
            // Column 3 is the integer count, 4 the flag, 5..7 the protocol's one-hot group.
            guard case .numeric(let counts) = raw.columns[3].values, case .numeric(let flags) = raw.columns[4].values else {
                Issue.record("unexpected column kinds"); return
            }
            var hotViolations = 0
            for r in 0..<synthetic.rows where (5..<8).map({ synthetic[r, $0] }).filter({ $0 == 1 }).count != 1 { hotViolations += 1 }
            if typed {
                #expect(hotViolations == 0)
                #expect(zip(synthetic.storage, synthetic.storage).allSatisfy { $0.0.isFinite })
                var snapped = synthetic
                sample.schema.snap(&snapped)
                #expect(zip(snapped.storage, synthetic.storage).allSatisfy { abs($0 - $1) < 1e-3 })
                #expect(counts.allSatisfy { $0 == $0.rounded() } && flags.allSatisfy { $0 == 0 || $0 == 1 })
            } else {
                #expect(hotViolations > 0, "without type-awareness interpolation should produce half-hot groups")
            }
        }
    }

    @Test("SMOTE-NC gives each synthetic row a category held by one of the base row's neighbours; no categories → clear error")
    func smoteNC() throws {
        let sample = ResamplerChecks.sample(seed: 13, counts: [150, 50, 20])
        var rng = Xoshiro256StarStar(seed: 3)
        let out = try SMOTENC().resample(sample.data, schema: sample.schema, using: &rng)
        #expect(out.classCounts == [150, 150, 150])
        for r in sample.data.count..<out.count {
            #expect((5..<8).map { out.features[r, $0] }.sorted() == [0, 0, 1])
        }
        let plain = OverSamplerPropertyTests.twoBlobs()
        #expect(throws: LearnError.self) { try SMOTENC().resample(plain, using: &rng) }
    }

    @Test("the kernel SVM separates two blobs and its support vectors lie near the border")
    func kernelSVM() throws {
        let data = Self.twoBlobs(minority: 200, columns: 2)
        let model = try KernelSVM(c: 1).fit(data.features, positive: data.labels.map { $0 == 1 })
        let decisions = model.decisionValues(data.features)
        let correct = zip(decisions, data.labels).filter { ($0 > 0) == ($1 == 1) }.count
        #expect(Double(correct) / Double(data.count) > 0.9)
        #expect(model.supportIndices.count < data.count / 2)
        // A support vector is closer to the separating line x + y = 2 than the average row.
        func offset(_ r: Int) -> Float { abs(data.features[r, 0] + data.features[r, 1] - 2) }
        let svMean = model.supportIndices.map(offset).reduce(0, +) / Float(model.supportIndices.count)
        let allMean = (0..<data.count).map(offset).reduce(0, +) / Float(data.count)
        #expect(svMean < allMean)
    }
}
