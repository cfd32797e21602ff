import BallastCore
import BallastData
import BallastLearn
import BallastNN
import BallastTestSupport
import Foundation
import Testing

@Suite("GAN family")
struct TabularGANTests {
    /// `gan` with few epochs and no progress bar.
    static func quick(_ gan: TabularGAN, epochs: Int = 3, batch: Int = 32, validation: Double = 0.1) -> TabularGAN {
        var g = gan
        g.training = GeneratorTraining(epochs: epochs, batchSize: batch, learningRate: gan.training.learningRate,
                                       validationFraction: validation, patience: nil, progress: .hidden)
        return g
    }

    static func encode(_ model: TabularGANModel) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
    }

    @Test("the CGAN's size is the arithmetic of its layers on 122 features and 5 classes")
    func cganSize() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [12, 12, 12, 12, 12], columns: 122, seed: 4)
        var rng = Xoshiro256StarStar(seed: 1)
        let model = try Self.quick(.cgan, epochs: 1).fit(data, schema: FeatureSchema(inferredFrom: data.features), using: &rng)
        // Generator (100 + 5) → 128 → 122; discriminator (122 + 5) → 100 → 50 → 50 → 1.
        let generator = (105 * 128 + 128) + (128 * 122 + 122)
        let critic = (127 * 100 + 100) + (100 * 50 + 50) + (50 * 50 + 50) + (50 + 1)
        #expect(generator == 29_306 && critic == 20_451)
        #expect(model.generatorParameterCount == generator && model.parameterCount == generator + critic)
        // 2 per multiply-add, 1 per bias and per activation (LeakyReLU, tanh).
        #expect(model.flopsPerRow == 2 * (105 * 128 + 128 * 122) + 2 * (128 + 122))
        #expect(model.criticFlops == 2 * (127 * 100 + 100 * 50 + 50 * 50 + 50) + 2 * (100 + 50 + 50) + 1)
        let file = try SafeTensors.decode(model.safetensors())
        let stored = file.tensors.filter { !$0.key.hasPrefix("scaler.") }.values.reduce(0) { $0 + $1.values.count }
        #expect(stored == generator)
        #expect(file.metadata["ballast.model"] == "cgan")
    }

    @Test("a seeded fit and sample repeat bit for bit, per class and conditional; another seed differs")
    func determinism() throws {
        let sample = ResamplerChecks.sample()
        for gan in [TabularGAN.gan, TabularGAN.cgan] {
            func run(_ seed: UInt64) throws -> Matrix {
                var rng = Xoshiro256StarStar(seed: seed)
                let model = try Self.quick(gan).fit(sample.data, schema: sample.schema, using: &rng)
                return try model.sample(50, of: 2, using: &rng)
            }
            let a = try run(5), b = try run(5), c = try run(6)
            #expect(a == b)
            #expect(a != c)
            #expect(a.rows == 50 && a.columns == sample.data.features.columns && a.firstNonFinite() == nil)
        }
    }

    @Test("a conditional GAN generates the class it is asked for")
    func conditioning() throws {
        // Class 0 sits at +4 on column 0 and −2 on column 1; class 1 at +4 on column 1, −2 on column 2.
        let data = ClassifierTestData.blobs(rowsPerClass: [200, 200], columns: 3, separation: 4, seed: 9)
        var gan = Self.quick(.cgan, epochs: 60, batch: 50, validation: 0)
        gan.generatorWidths = [32]
        gan.criticWidths = [32, 16]
        gan.training.learningRate = 2e-3
        var rng = Xoshiro256StarStar(seed: 3)
        let model = try gan.fit(data, schema: FeatureSchema(inferredFrom: data.features), using: &rng)
        let zero = try model.sample(400, of: 0, using: &rng), one = try model.sample(400, of: 1, using: &rng)
        func mean(_ m: Matrix, _ c: Int) -> Float { (0..<m.rows).reduce(0) { $0 + m[$1, c] } / Float(m.rows) }
        print("cgan class means: class 0 (\(mean(zero, 0)), \(mean(zero, 1))), class 1 (\(mean(one, 0)), \(mean(one, 1)))")
        #expect(mean(zero, 0) > mean(one, 0) + 2)
        #expect(mean(one, 1) > mean(zero, 1) + 2)
    }

    @Test("a model survives a JSON round-trip and samples the same rows")
    func roundTrip() throws {
        let sample = ResamplerChecks.sample()
        for gan in [TabularGAN.gan, TabularGAN.cgan] {
            var rng = Xoshiro256StarStar(seed: 8)
            let model = try Self.quick(gan, epochs: 2).fit(sample.data, schema: sample.schema, using: &rng)
            let decoded = try JSONDecoder().decode(TabularGANModel.self, from: JSONEncoder().encode(model))
            #expect(decoded == model)
            var a = Xoshiro256StarStar(seed: 2), b = Xoshiro256StarStar(seed: 2)
            #expect(try model.sample(20, of: 1, using: &a) == decoded.sample(20, of: 1, using: &b))
            #expect(model.trainedClasses == [0, 1, 2])
        }
    }

    @Test("hostile model files are refused while decoding, before anything is built")
    func hostileDecode() throws {
        let sample = ResamplerChecks.sample()
        var rng = Xoshiro256StarStar(seed: 8)
        let model = try Self.quick(.gan, epochs: 1).fit(sample.data, schema: sample.schema, using: &rng)
        var other = TabularGAN.gan
        other.generatorWidths = [16]
        let small = try Self.quick(other, epochs: 1).fit(sample.data, schema: sample.schema, using: &rng)
        let json = try Self.encode(model), smallJSON = try Self.encode(small)
        func tampered(_ edit: (inout [String: Any]) -> Void) throws -> Data {
            var copy = json
            edit(&copy)
            return try JSONSerialization.data(withJSONObject: copy)
        }
        func architecture(_ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
            { json in
                var a = json["architecture"] as? [String: Any] ?? [:]
                a[key] = value
                json["architecture"] = a
            }
        }
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("a generator of 10¹⁴ parameters", architecture("generatorWidths", [10_000_000, 10_000_000])),
            ("a width the scalers do not have", architecture("features", 7)),
            ("a pac of 0", architecture("pac", 0)),
            ("a network of an unknown class", { json in
                var networks = json["networks"] as? [[String: Any]] ?? []
                networks[0]["classIndex"] = 99
                json["networks"] = networks
            }),
            ("another architecture's weights", { json in json["networks"] = smallJSON["networks"] }),
            ("a condition table on a per-class network", { json in
                json["conditions"] = ["classes": 3, "spanWidths": [Int](), "counts": [[Int]](repeating: [], count: 3), "classCounts": [1, 1, 1]]
            }),
        ]
        for (what, edit) in edits {
            #expect(throws: DecodingError.self, "\(what)") { try JSONDecoder().decode(TabularGANModel.self, from: tampered(edit)) }
        }
        #expect(throws: Never.self) { try JSONDecoder().decode(TabularGANModel.self, from: tampered { _ in }) }
    }

    @Test("over-sampling with a GAN reports size, loss curves and mode-collapse figures for every raised class")
    func oversamplerReport() throws {
        let sample = ResamplerChecks.sample()
        let resampler = try Catalog.resampler("gan:epochs=4,batch=16,patience=none")
        var rng = Xoshiro256StarStar(seed: 1)
        let result = try resampler.fitResample(sample.data, schema: sample.schema, using: &rng)
        let report = try #require(result.generators.first)
        #expect(report.method == "gan" && report.conditioning == .perClass)
        #expect(report.training.map(\.classIndex) == [1, 2])
        #expect(report.training.allSatisfy { $0.epochs.count == 4 && $0.lossTerms == ["critic", "generator"] })
        #expect(report.training.allSatisfy { ($0.curve("generator") ?? []).allSatisfy(\.isFinite) })
        #expect(report.classes.map(\.className) == ["class1", "class2"])
        #expect(report.classes.allSatisfy { $0.generatedBy == "gan" && $0.syntheticRows > 0 && $0.distinctFraction > 0 && $0.rangeCoverage > 0 })
        #expect(result.data.classCounts == [90, 90, 90])
    }

    @Test("invalid hyperparameters are refused by name, from Swift and from the catalogue")
    func validation() throws {
        let sample = ResamplerChecks.sample()
        var rng = Xoshiro256StarStar(seed: 1)
        func name(_ gan: TabularGAN) -> String? {
            do {
                _ = try gan.fit(sample.data, schema: sample.schema, using: &rng)
                return nil
            } catch let LearnError.invalidParameter(name, _, _) {
                return name
            } catch {
                return "\(error)"
            }
        }
        var g = TabularGAN.gan
        g.pac = 0
        #expect(name(g) == "pac")
        g = .gan
        g.dropout = 1
        #expect(name(g) == "dropout")
        g = .gan
        g.pac = 40
        g.training.batchSize = 50
        #expect(name(g) == "batch")
        g = .gan
        g.encoding = .modeSpecific(maxModes: 10, weightThreshold: 0.005)
        #expect(name(g) == "cond")
        #expect(throws: CatalogError.self) { try Catalog.generator("cgan:d-widths=0") }
        #expect(throws: CatalogError.self) { try Catalog.generator("gan:slope=1") }
        let names = try #require(Catalog.generators.first { $0.name == "cgan" }).parameters.map(\.name)
        #expect(names.starts(with: ["latent", "g-widths", "d-widths", "slope", "dropout", "pac", "critic-steps", "beta1", "beta2", "decay"]))
    }
}
