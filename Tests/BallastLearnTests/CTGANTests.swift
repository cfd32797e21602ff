import BallastCore
import BallastData
import BallastLearn
import BallastNN
import BallastTestSupport
import Foundation
import Testing

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
