import BallastCore
import BallastLearn
import BallastNN
import BallastTestSupport
import Foundation
import Testing

@Suite("VAE family and the generator training loop")
struct TabularVAETests {
    @Test("DCBN-VAE's size on NSL-KDD's 122 columns and 5 classes, counted by hand")
    func dcbnSize() throws {
        // Encoder: 127→128 (+ bias), conditional γ/β 2·5·128, head 128→40; decoder: 25→128,
        // γ/β 2·5·128, 128→122. The paper reports 43,627 parameters for its (unpublished) layer sizes.
        let expected = (127 * 128 + 128) + 1280 + (128 * 40 + 40) + (25 * 128 + 128) + 1280 + (128 * 122 + 122)
        #expect(expected == 43_170)
        let sample = GeneratorChecks.sample(perClass: 40)
        var rng = Xoshiro256StarStar(seed: 1)
        var vae = TabularVAE.dcbnVAE
        vae.training = GeneratorTraining(epochs: 1, validationFraction: 0, progress: .hidden)
        let model = try vae.fit(sample.data, schema: sample.schema, using: &rng)
        let width = sample.data.features.columns
        let byHand = (width + 5 + 1) * 128 + 1280 + (128 + 1) * 40 + (25 + 1) * 128 + 1280 + (128 + 1) * width
        #expect(model.parameterCount == byHand)
        // Decoder only: 2 FLOPs per multiply-add, conditional norm 4 per unit, 1 per activation and sigmoid.
        #expect(model.flopsPerRow == 2 * 25 * 128 + 128 + 4 * 128 + 128 + 2 * 128 * width + width + width)
    }

    @Test("A decoded model with an absurd architecture is refused before anything large is built")
    func hostileDecode() throws {
        let sample = GeneratorChecks.sample(perClass: 30)
        var rng = Xoshiro256StarStar(seed: 2)
        let model = try Catalog.generator("cvae:epochs=1,validation=0").fit(sample.data, schema: sample.schema, using: &rng)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
        var architecture = try #require(json["architecture"] as? [String: Any])
        for widths in [[65_536, 65_536, 65_536], Array(repeating: 8, count: 40), [0]] {
            architecture["hiddenWidths"] = widths
            json["architecture"] = architecture
            let data = try JSONSerialization.data(withJSONObject: json)
            #expect(throws: DecodingError.self, "\(widths.prefix(3))") { try JSONDecoder().decode(TabularVAEModel.self, from: data) }
        }
    }

    @Test("A NaN loss stops training with an error naming the learning rate, the epoch and the term")
    func nonFiniteLoss() throws {
        let sample = GeneratorChecks.sample(perClass: 20)
        let training = GeneratorTraining(epochs: 5, batchSize: 16, validationFraction: 0, progress: .hidden)
        let weight = Parameter(name: "w", value: Matrix(rows: 1, columns: 1))
        let optimizer = try Adam(parameters: [weight])
        var steps = 0
        var rng = Xoshiro256StarStar(seed: 3)
        do {
            _ = try training.run(data: sample.data, schema: sample.schema, classIndex: nil, lossTerms: ["loss", "kl"], state: [],
                                 optimizers: [optimizer], using: &rng,
                                 step: { _, _ in
                                     steps += 1
                                     return [1, steps > 12 ? .nan : 0.5]
                                 },
                                 sample: { _, n, _ in Matrix(rows: n, columns: sample.data.features.columns) })
            Issue.record("a NaN loss did not stop training")
        } catch let error as LearnError {
            #expect("\(error)".contains("lr") && "\(error)".contains("epoch 2") && "\(error)".contains("kl loss is nan"), "\(error)")
        }
    }
}
