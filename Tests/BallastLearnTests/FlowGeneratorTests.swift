import BallastCore
import BallastData
import BallastLearn
import BallastNN
import BallastTestSupport
import Foundation
import Testing

/// RealNVP and AE-Flow as generators: dequantisation, what they learn, checkpoints, hostile files.
@Suite("Flow generators")
struct FlowGeneratorTests {
    /// Simulated traffic (NSL-KDD's schema) preprocessed as the CLI does, with its schema.
    static func simulated(rows: Int = 3000, seed: UInt64 = 5) throws -> (data: LabeledMatrix, schema: FeatureSchema) {
        var rng = Xoshiro256StarStar(seed: seed)
        let table = try TrafficSimulator(rowCount: rows).generate(using: &rng)
        let prep = try Preprocessor().fit(table.features)
        return (try table.labeledMatrix(using: prep), FeatureSchema(preprocessor: prep))
    }

    /// Two classes of mixed rows: a correlated real pair, an integer column (0 or 1, 70/30 in class 0),
    /// and a flag (1 in 80% of class 1).
    static func mixed(seed: UInt64 = 7) -> LabeledMatrix {
        var rng = Xoshiro256StarStar(seed: seed)
        let n = 600
        let features = Matrix(rows: n, columns: 4) { _, _ in 0 }
        var values = features
        for r in 0..<n {
            let c = r % 2, e = Float(rng.nextNormal()), f = Float(rng.nextNormal())
            values[r, 0] = 2 * e + Float(c) * 3
            values[r, 1] = 0.8 * e + 0.6 * f
            values[r, 2] = c == 0 ? (rng.nextUniform() < 0.7 ? 0 : 1) : Float(Int(rng.nextUniform() * 5))
            values[r, 3] = rng.nextUniform() < (c == 1 ? 0.8 : 0.3) ? 1 : 0
        }
        return LabeledMatrix(features: values, labels: (0..<n).map { $0 % 2 }, classNames: ["a", "b"])
    }

    static let quick = GeneratorTraining(epochs: 3, batchSize: 32, validationFraction: 0.1, patience: nil, progress: .hidden)

    @Test("every discrete value's rounding cell snaps back to the value")
    func quantisationCells() throws {
        let (data, schema) = try Self.simulated(rows: 400)
        var discrete = 0
        for r in stride(from: 0, to: data.count, by: 7) {
            let row = data.features.row(r)
            for c in 0..<schema.width {
                guard let cell = schema.quantisationCell(column: c, value: row[c]) else { continue }
                discrete += 1
                #expect(cell.lower < row[c] && row[c] < cell.upper, "column \(c): \(row[c]) outside \(cell)")
                for t: Float in [0.02, 0.5, 0.98] {
                    var probe = Matrix(rows: 1, columns: schema.width, values: row)
                    probe[0, c] = cell.lower + t * (cell.upper - cell.lower)
                    schema.snap(&probe)
                    #expect(abs(probe[0, c] - row[c]) <= 1e-4 * max(1, abs(row[c])), "column \(c): \(probe[0, c]) ≠ \(row[c]) at \(t)")
                }
            }
        }
        #expect(discrete > 1000)
    }

    /// NSL-KDD's rates are recorded in steps of 0.01; generated rates must come back as exactly those
    /// values (`1.0`, not `0.999997`: a KS test and a detector see every such miss). The step is found
    /// from Float round trips of the raw values, so it must be recognised as 0.01, not 0.00999997.
    @Test("generated rates land exactly on the recorded grid after the inverse preprocessing", arguments: ["realnvp", "vae", "gan"])
    func ratesOnTheirGrid(method: String) throws {
        var rng = Xoshiro256StarStar(seed: 11)
        let table = try TrafficSimulator(rowCount: 3000).generate(using: &rng)
        let prep = try Preprocessor().fit(table.features)
        let data = try table.labeledMatrix(using: prep)
        let resampler = try Catalog.resampler("\(method):epochs=2,patience=none,validation=0")
        let balanced = try resampler.resample(data, schema: FeatureSchema(preprocessor: prep), using: &rng)
        // Classes under `min-rows` (10) are raised by SMOTE, whose interpolated rows are off any grid.
        let counts = data.classCounts
        let generated = (data.count..<balanced.count).filter { counts[balanced.labels[$0]] >= 10 }
        let synthetic = balanced.features.gatherRows(generated)
        let raw = try prep.inverseTransform(synthetic)
        var checked = 0
        var misses: [String] = []
        for column in raw.columns where column.name.hasSuffix("_rate") {
            guard case let .numeric(values) = column.values else { continue }
            for (i, v) in values.enumerated() {
                checked += 1
                if abs(v * 100 - (v * 100).rounded()) > 1e-6 && misses.count < 5 {
                    misses.append("\(column.name) = \(v) (\(data.classNames[balanced.labels[generated[i]]]))")
                }
            }
        }
        #expect(checked > 10_000)
        #expect(misses.isEmpty, "\(method): rates off the 0.01 grid: \(misses)")
    }

    @Test("RealNVP learns real marginals and discrete frequencies", arguments: ["realnvp", "ae-flow"])
    func learnsTheData(method: String) throws {
        let data = Self.mixed()
        let schema = FeatureSchema(inferredFrom: data.features)
        let generator = try Catalog.generator("\(method):epochs=60,batch=64,patience=none,validation=0")
        var rng = Xoshiro256StarStar(seed: 1)
        let model = try generator.fit(data, schema: schema, using: &rng)
        for c in 0..<2 {
            var rows = try model.sample(4000, of: c, using: &rng)
            schema.snap(&rows)
            let real = data.features.gatherRows((0..<data.count).filter { data.labels[$0] == c })
            let ks = FidelityProbe.columnKS(real, rows)
            #expect(ks.allSatisfy { $0 < (method == "realnvp" ? 0.15 : 0.2) }, "\(method) class \(c): KS \(ks)")
        }
        var zeros = try model.sample(4000, of: 0, using: &rng)
        schema.snap(&zeros)
        let share = Double((0..<zeros.rows).filter { zeros[$0, 2] == 0 }.count) / Double(zeros.rows)
        #expect(abs(share - 0.7) < 0.1, "\(method): integer value 0 in \(share) of class a, expected 0.7")
    }

    @Test("a checkpoint round trip samples identically; fitting is deterministic", arguments: ["realnvp", "ae-flow"])
    func roundTrip(method: String) throws {
        let (data, schema) = try Self.simulated()
        let part = data.gatherRows((0..<data.count).filter { [2, 3].contains(data.labels[$0]) })
        let model = try Self.fit(method, part, schema)
        let decoded = try JSONDecoder().decode(NormalizingFlowModel.self, from: JSONEncoder().encode(model))
        #expect(decoded == model)
        #expect(model.trainedClasses == [2, 3])
        for c in [2, 3] {
            var a = Xoshiro256StarStar(seed: 9), b = Xoshiro256StarStar(seed: 9)
            let rows = try model.sample(300, of: c, using: &a)
            #expect(rows == (try decoded.sample(300, of: c, using: &b)))
            #expect(rows.rows == 300 && rows.columns == data.features.columns && rows.firstNonFinite() == nil)
            for group in schema.categoricalGroups where group.count > 1 {
                for r in 0..<rows.rows { #expect(group.reduce(Float(0)) { $0 + rows[r, $1] } == 1) }
            }
        }
        #expect(try Self.fit(method, part, schema) == model)
        var other = Xoshiro256StarStar(seed: 1)
        #expect(throws: GeneratorError.self) { try model.sample(5, of: 0, using: &other) }
        let file = try SafeTensors.decode(model.safetensors())
        #expect(file.tensors.keys.contains { $0.hasPrefix("class3.") } && file.metadata["ballast.model"] == method)
    }

    static func fit(_ method: String, _ data: LabeledMatrix, _ schema: FeatureSchema) throws -> NormalizingFlowModel {
        var rng = Xoshiro256StarStar(seed: 4)
        if method == "realnvp" {
            return try RealNVP(couplings: 2, hiddenWidths: [8], training: quick).fit(data, schema: schema, using: &rng)
        }
        return try AEFlow(hiddenWidths: [8], latent: 4, couplings: 2, flowWidths: [8], training: quick).fit(data, schema: schema, using: &rng)
    }

    @Test("a hostile model file is refused before anything large is built", arguments: [
        ("couplings", 100_000_000), ("hiddenWidths", 65_536), ("dimensions", 3), ("temperature", -1), ("featureCount", 0),
    ] as [(String, Int)])
    func hostileDecode(key: String, value: Int) throws {
        let (data, schema) = try Self.simulated(rows: 1500)
        let part = data.gatherRows((0..<data.count).filter { data.labels[$0] == 2 })
        for method in ["realnvp", "ae-flow"] {
            let model = try Self.fit(method, part, schema)
            var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
            #expect(Self.replace(key, in: &json, with: key == "hiddenWidths" ? [value, value, value] : value as Any))
            let bytes = try JSONSerialization.data(withJSONObject: json)
            #expect(throws: DecodingError.self, "\(method) with \(key) = \(value)") {
                try JSONDecoder().decode(NormalizingFlowModel.self, from: bytes)
            }
        }
    }

    /// Replaces the first value of `key` found in nested dictionaries.
    static func replace(_ key: String, in object: inout [String: Any], with value: Any) -> Bool {
        if object[key] != nil {
            object[key] = value
            return true
        }
        for (k, v) in object {
            guard var inner = v as? [String: Any] else { continue }
            if replace(key, in: &inner, with: value) {
                object[k] = inner
                return true
            }
        }
        return false
    }
}
