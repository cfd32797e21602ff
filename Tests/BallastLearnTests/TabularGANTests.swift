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

@Suite("GAN family: CTGAN's encoding and training-by-sampling")
struct CTGANPathTests {
    /// Two classes over a bimodal column, a three-category one-hot group and a flag: class 0 is
    /// always category 0 and flag 0, class 1 (the rare one) always category 2 and flag 1.
    static func data(seed: UInt64) -> (LabeledMatrix, FeatureSchema) {
        var rng = Xoshiro256StarStar(seed: seed)
        var values: [Double] = [], categories: [Int32] = [], flags: [Double] = [], labels: [Int] = []
        for c in [0, 1] {
            for _ in 0..<(c == 0 ? 400 : 60) {
                values.append(rng.nextUniform() < 0.5 ? rng.nextNormal(mean: -3, standardDeviation: 0.3) : rng.nextNormal(mean: 3 + 2 * Double(c), standardDeviation: 0.3))
                categories.append(c == 0 ? 0 : 2)
                flags.append(Double(c))
                labels.append(c)
            }
        }
        let table = Table(columns: [
            TableColumn(name: "value", values: .numeric(values)),
            TableColumn(name: "kind", values: .categorical(codes: categories, categories: ["a", "b", "c"])),
            TableColumn(name: "flag", values: .numeric(flags)),
        ])
        // The preprocessing cannot fail on this hand-made table.
        let fitted = try! Preprocessor(logTransform: .none).fit(table)
        let features = try! fitted.transform(table)
        return (LabeledMatrix(features: features, labels: labels, classNames: ["common", "rare"]), FeatureSchema(preprocessor: fitted))
    }

    @Test("a mode-specific, training-by-sampling GAN gives valid one-hot rows of the class it is asked for")
    func conditionalRows() throws {
        let (data, schema) = Self.data(seed: 4)
        var gan = TabularGAN(conditioning: .classConditional, encoding: .modeSpecific(maxModes: 10, weightThreshold: 0.005),
                             trainingBySampling: true, latent: 16, generatorWidths: [32, 32], residual: true, criticWidths: [32],
                             dropout: 0.5, pac: 4, beta2: 0.9)
        gan.training = GeneratorTraining(epochs: 30, batchSize: 40, learningRate: 2e-3, validationFraction: 0.1, patience: nil, progress: .hidden)
        var rng = Xoshiro256StarStar(seed: 2)
        let model = try gan.fit(data, schema: schema, using: &rng)
        #expect(model.training.first?.lossTerms == ["critic", "generator", "condition"])
        let rare = try model.sample(300, of: 1, using: &rng)
        // Unsnapped rows: the encoding's arg-max already makes the group one-hot and the flag 0/1.
        let group = schema.categoricalGroups[0]
        let flag = try #require(schema.kinds.firstIndex(of: .binary))
        let rareRow = try #require(data.labels.firstIndex(of: 1))
        let rareFlag = data.features[rareRow, flag]
        let rareHot = try #require(group.first { data.features[rareRow, $0] == 1 })
        var third = 0, flagged = 0
        for r in 0..<rare.rows {
            let hot = group.map { rare[r, $0] }
            #expect(hot.filter { $0 == 1 }.count == 1 && hot.allSatisfy { $0 == 0 || $0 == 1 })
            if rare[r, rareHot] == 1 { third += 1 }
            if rare[r, flag] == rareFlag { flagged += 1 }
        }
        print("rare class: category c in \(third) of 300 rows, flag set in \(flagged)")
        #expect(third >= 270 && flagged >= 270)
        let decoded = try JSONDecoder().decode(TabularGANModel.self, from: JSONEncoder().encode(model))
        var a = Xoshiro256StarStar(seed: 3), b = Xoshiro256StarStar(seed: 3)
        #expect(try decoded.sample(40, of: 0, using: &a) == model.sample(40, of: 0, using: &b))
    }
}

@Suite("GAN family: WGAN-GP and CTGAN")
struct WassersteinGANTests {
    static func inputs(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns) { _, _ in Float(rng.nextNormal()) }
    }

    @Test("the critic step's gradients — Wasserstein distance plus gradient penalty, double backward included — match finite differences",
          arguments: [1, 2])
    func criticGradientCheck(pac: Int) throws {
        var gan = TabularGAN.ctgan
        gan.dropout = 0
        gan.pac = pac
        gan.criticWidths = [5, 4]
        gan.training.batchSize = 4
        var rng = Xoshiro256StarStar(seed: 7)
        let critic = try GANCritic(gan, features: 4, conditionWidth: 2, using: &rng)
        let real = Self.inputs(rows: 4, columns: 6, seed: 1), fake = Self.inputs(rows: 4, columns: 6, seed: 2)
        let epsilon = Matrix(rows: 4 / pac, columns: 1) { r, _ in 0.2 + 0.5 * Float(r) / 4 }
        let report = GradientCheck.check(inputs: [real, fake, epsilon], parameters: critic.parameters) { tape, x in
            critic.loss(real: x[0], fake: x[1], epsilon: x[2], on: tape)
        }
        #expect(report.passed, "\(report)")
        // The penalty is really there: the loss exceeds the plain Wasserstein distance.
        let tape = Tape<Double>()
        let r = tape.input(real), f = tape.input(fake), e = tape.input(epsilon)
        let withPenalty = tape.value(critic.loss(real: r, fake: f, epsilon: e, on: tape))[0]
        let distance = tape.value(critic.loss(real: r, fake: f, epsilon: nil, on: tape))[0]
        #expect(withPenalty > distance)
    }

    @Test("WGAN-GP and CTGAN record their penalty and condition losses per epoch")
    func lossTerms() throws {
        let sample = ResamplerChecks.sample()
        var rng = Xoshiro256StarStar(seed: 1)
        let wgan = try Catalog.generator("wgan-gp:epochs=3,batch=16,patience=none") as? TabularGAN
        let wganModel = try #require(wgan).fit(sample.data, schema: sample.schema, using: &rng)
        #expect(wganModel.training.allSatisfy { $0.lossTerms == ["critic", "generator", "penalty"] && $0.epochs.count == 3 })
        #expect(wganModel.training.allSatisfy { ($0.curve("penalty") ?? []).allSatisfy { $0 >= 0 && $0.isFinite } })
        let ctgan = try #require(try Catalog.generator("ctgan:g-widths=16x16,d-widths=16,epochs=3,batch=40,patience=none") as? TabularGAN)
        #expect(ctgan.pac == 10 && ctgan.trainingBySampling && ctgan.residual && ctgan.dropout == 0.5)
        let model = try ctgan.fit(sample.data, schema: sample.schema, using: &rng)
        #expect(model.training.first?.lossTerms == ["critic", "generator", "penalty", "condition"])
        #expect(try model.sample(30, of: 2, using: &rng).firstNonFinite() == nil)
    }

    @Test("a CTGAN model file whose encoding or condition table does not fit its generator is refused")
    func hostileCTGAN() throws {
        let sample = ResamplerChecks.sample()
        var rng = Xoshiro256StarStar(seed: 1)
        let ctgan = try #require(try Catalog.generator("ctgan:g-widths=8,d-widths=8,epochs=1,batch=20,pac=2,patience=none") as? TabularGAN)
        let model = try ctgan.fit(sample.data, schema: sample.schema, using: &rng)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
        #expect(throws: Never.self) { try JSONDecoder().decode(TabularGANModel.self, from: JSONSerialization.data(withJSONObject: json)) }
        var noEncoding = json
        noEncoding["encoding"] = nil
        var noConditions = json
        noConditions["conditions"] = nil
        var badCounts = json
        if var table = badCounts["conditions"] as? [String: Any] {
            table["classCounts"] = [1]
            badCounts["conditions"] = table
        }
        var duplicated = json
        if var encoding = duplicated["encoding"] as? [String: Any], let columns = encoding["columns"] as? [Any], let first = columns.first {
            encoding["columns"] = [first] + columns
            duplicated["encoding"] = encoding
        }
        for (what, tampered) in [("no encoding", noEncoding), ("no condition table", noConditions), ("a short class count", badCounts),
                                 ("a column encoded twice", duplicated)] {
            #expect(throws: DecodingError.self, "\(what)") {
                try JSONDecoder().decode(TabularGANModel.self, from: JSONSerialization.data(withJSONObject: tampered))
            }
        }
    }
}
