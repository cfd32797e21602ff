extension ParameterValues {
    /// The training keys every generator shares (`epochs`, `batch`, `lr`, `validation`, `patience`),
    /// with a generator's own defaults.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func generatorTraining(_ defaults: GeneratorTraining) throws -> GeneratorTraining {
        let epochs = try int("epochs", default: defaults.epochs, in: 1...100_000, "maximum passes over the training rows")
        let batch = try int("batch", default: defaults.batchSize, in: 2...1_000_000, "rows per mini-batch")
        let lr = try double("lr", default: defaults.learningRate, in: 1e-8...10, "Adam learning rate")
        let validation = try double("validation", default: defaults.validationFraction, in: 0...0.5,
                                    "share of each class held out to score fidelity (mean column KS) for early stopping; 0: none")
        var patience = defaults.patience
        let defaultText = defaults.patience.map(String.init) ?? "none"
        if let text = raw("patience", defaultText, "epochs without a lower validation KS before stopping (none: run every epoch, keep the best)") {
            if text.lowercased() == "none" {
                patience = nil
            } else {
                guard let v = Int(text), v >= 1 else { throw invalid("patience", text, "an integer ≥ 1 or none") }
                patience = v
            }
        }
        return GeneratorTraining(epochs: epochs, batchSize: batch, learningRate: lr, validationFraction: validation, patience: patience)
    }

    /// The VAE family's architecture keys.
    mutating func vae(_ defaults: TabularVAE) throws -> TabularVAE {
        var vae = defaults
        vae.hiddenWidths = try widths(default: defaults.hiddenWidths.map(String.init).joined(separator: "x"))
        vae.latent = try int("latent", default: defaults.latent, in: 1...4096, "dimension of the latent code")
        vae.leakySlope = try double("slope", default: defaults.leakySlope, in: 0...0.999, "LeakyReLU negative slope (0: ReLU)")
        vae.beta = try double("beta", default: defaults.beta, in: 0...1e6, "weight of the KL term (1: the ELBO)")
        vae.training = try generatorTraining(defaults.training)
        return vae
    }

    /// The `temperature` key of the flow generators.
    mutating func temperature(default defaultValue: Double) throws -> Double {
        try double("temperature", default: defaultValue, in: 0.01...100,
                   "standard deviation of the base draws when sampling (1: the learned density; lower: rows nearer the modes)")
    }

    /// RealNVP's keys.
    mutating func realNVP(_ defaults: RealNVP) throws -> RealNVP {
        var flow = defaults
        flow.couplings = try int("couplings", default: defaults.couplings, in: 1...64, "affine coupling layers (alternating masks)")
        flow.hiddenWidths = try widths(default: joined(defaults.hiddenWidths), "hidden widths of each coupling's conditioner network (ReLU)")
        flow.temperature = try temperature(default: defaults.temperature)
        flow.training = try generatorTraining(defaults.training)
        return flow
    }

    /// AE-Flow's keys.
    mutating func aeFlow(_ defaults: AEFlow) throws -> AEFlow {
        var model = defaults
        model.hiddenWidths = try widths(default: joined(defaults.hiddenWidths), "hidden widths of the encoder (the decoder mirrors them)")
        model.latent = try int("latent", default: defaults.latent, in: 1...4096, "dimension of the latent code the flow models")
        model.leakySlope = try double("slope", default: defaults.leakySlope, in: 0...0.999, "LeakyReLU negative slope of the autoencoder (0: ReLU)")
        model.coupling = try choice("coupling", default: defaults.coupling, "latent flow couplings: affine (RealNVP) or additive (NICE)")
        model.couplings = try int("couplings", default: defaults.couplings, in: 1...64, "coupling layers of the latent flow")
        model.flowWidths = try widths("flow-widths", default: joined(defaults.flowWidths), "hidden widths of each coupling's conditioner network")
        model.lambda = try double("lambda", default: defaults.lambda, in: 0...1e6,
                                  "weight of the latent flow's negative log-likelihood against the reconstruction error")
        model.temperature = try temperature(default: defaults.temperature)
        model.training = try generatorTraining(defaults.training)
        return model
    }

    private func joined(_ widths: [Int]) -> String { widths.isEmpty ? "none" : widths.map(String.init).joined(separator: "x") }
}

extension Catalog {
    /// Every deep generator, in the order `ballast balance --help` lists them; each is also a resampler of
    /// the same name (a ``GenerativeOversampler``).
    public static var generators: [CatalogEntry<any Generator>] { generatorEntries }

    /// The generator a specification names, configured.
    /// - Parameter text: e.g. `dcbn-vae:epochs=50`.
    /// - Throws: ``CatalogError``.
    public static func generator(_ text: String) throws -> any Generator {
        try lookup(AlgorithmSpec(parsing: text), in: generators, kind: "generator")
    }

    /// The registered generators.
    static let generatorEntries: [CatalogEntry<any Generator>] = [
        CatalogEntry(name: "vae", summary: "variational autoencoder, one network per raised class (Kingma & Welling 2014)") { p in
            var vae = try p.vae(TabularVAE(conditioning: .perClass))
            vae.normalization = try p.choice("norm", default: TabularVAE.Normalization.none, "hidden-layer normalisation: none or batch")
            return vae
        },
        CatalogEntry(name: "cvae", summary: "conditional VAE: the class one-hot joins encoder and decoder inputs (Sohn et al. 2015)") { p in
            var vae = try p.vae(TabularVAE(conditioning: .classConditional))
            vae.normalization = try p.choice("norm", default: TabularVAE.Normalization.none,
                                             "hidden-layer normalisation: none, batch or conditional")
            return vae
        },
        CatalogEntry(name: "dcbn-vae", aliases: ["c2bnvae", "cbn-vae"],
                     summary: "DCBN-VAE: CVAE with conditional batch norm, LeakyReLU, He init, lr 1e-4, 120 epochs (Zeng 2025)") { p in
            try p.vae(TabularVAE.dcbnVAE)
        },
        CatalogEntry(name: "realnvp", aliases: ["real-nvp"],
                     summary: "RealNVP flow, dequantised discrete columns, one network per raised class (Dinh et al. 2017)") { p in
            try p.realNVP(RealNVP())
        },
        CatalogEntry(name: "ae-flow", aliases: ["aeflow"],
                     summary: "autoencoder + RealNVP/NICE flow on its latent code, trained jointly, per class (Xiong et al. 2023)") { p in
            try p.aeFlow(AEFlow())
        },
    ] + ganEntries

    /// The generators as over-samplers: each generator entry's parameters plus `strategy`,
    /// `min-rows` and `typed`.
    static let generatorResamplerEntries: [CatalogEntry<any Resampler>] = generatorEntries.map { entry in
        CatalogEntry(name: entry.name, aliases: entry.aliases, summary: entry.summary) { p in
            try oversampler(try entry.factory(&p), name: entry.name, &p)
        }
    }

    private static func oversampler<G: Generator>(_ generator: G, name: String, _ p: inout ParameterValues) throws -> any Resampler {
        GenerativeOversampler(generator: generator, strategy: try p.strategy(),
                              minimumClassRows: try p.int("min-rows", default: 10, in: 2...1_000_000,
                                                          "raised classes with fewer rows are over-sampled by SMOTE instead"),
                              typeAware: try p.typed(), name: name)
    }
}
