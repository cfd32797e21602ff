extension ParameterValues {
    /// The GAN family's keys, with a configuration's own defaults.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func gan(_ defaults: TabularGAN) throws -> TabularGAN {
        var gan = defaults
        func text(_ widths: [Int]) -> String { widths.map(String.init).joined(separator: "x") }
        gan.latent = try int("latent", default: defaults.latent, in: 1...4096, "dimension of the generator's noise")
        gan.generatorWidths = try widths("g-widths", default: text(defaults.generatorWidths),
                                         defaults.residual ? "generator residual block widths joined by 'x'" : "generator hidden widths joined by 'x'")
        gan.criticWidths = try widths("d-widths", default: text(defaults.criticWidths), "discriminator (critic) hidden widths joined by 'x'")
        gan.slope = try double("slope", default: defaults.slope, in: 0...0.999, "LeakyReLU negative slope (0: ReLU)")
        gan.dropout = try double("dropout", default: defaults.dropout, in: 0...0.95, "dropout after each discriminator hidden layer")
        gan.pac = try int("pac", default: defaults.pac, in: 1...64, "rows the discriminator judges together (PacGAN; 1: one row)")
        gan.criticSteps = try int("critic-steps", default: defaults.criticSteps, in: 1...100,
                                  "discriminator updates per generator update")
        gan.beta1 = try double("beta1", default: defaults.beta1, in: 0...0.999, "Adam's first-moment decay")
        gan.beta2 = try double("beta2", default: defaults.beta2, in: 0...0.9999, "Adam's second-moment decay")
        gan.weightDecay = try double("decay", default: defaults.weightDecay, in: 0...1, "Adam's L2 weight decay")
        gan.training = try generatorTraining(defaults.training)
        return gan
    }
}

extension Catalog {
    /// The GAN family: one ``TabularGAN`` kernel in the configurations the papers use.
    static let ganEntries: [CatalogEntry<any Generator>] = [
        CatalogEntry(name: "gan", summary: "GAN as the HIKARI-2021 paper: [-1,1] scaling, latent 100, tanh, BCE, Adam 2e-4/0.5, per raised class (Goodfellow et al. 2014)") { p in
            try p.gan(.gan)
        },
        CatalogEntry(name: "cgan", summary: "conditional GAN, the DCBN-VAE paper's baseline: class one-hot into G and D (Mirza & Osindero 2014)") { p in
            try p.gan(.cgan)
        },
        CatalogEntry(name: "wgan-gp", aliases: ["wgan"],
                     summary: "WGAN-GP: Wasserstein critic, gradient penalty λ=10, 5 critic steps, Adam 1e-4/(0.5,0.9), per raised class (Gulrajani et al. 2017)") { p in
            var gan = try p.gan(.wganGP)
            gan.objective = .wasserstein(gradientPenalty: try p.double("lambda", default: 10, in: 0...1e6, "gradient-penalty weight"))
            gan.conditioning = try p.choice("cond", default: GeneratorConditioning.perClass,
                                            "per-class (one network per raised class) or class-conditional (one network)")
            return gan
        },
        CatalogEntry(name: "ctgan", summary: "CTGAN with the ctgan package's defaults, conditioned on the class (Xu et al. 2019)") { p in
            var gan = try p.gan(.ctgan)
            gan.objective = .wasserstein(gradientPenalty: try p.double("lambda", default: 10, in: 0...1e6, "gradient-penalty weight"))
            gan.encoding = .modeSpecific(maxModes: try p.int("modes", default: 10, in: 1...ModeSpecificEncoding.maximumModes,
                                                             "most modes per continuous column (Bayesian Gaussian mixture)"),
                                         weightThreshold: try p.double("mode-weight", default: 0.005, in: 0...0.999,
                                                                       "modes of at most this weight are dropped"))
            gan.temperature = try p.double("tau", default: 0.2, in: 0.01...100, "Gumbel-softmax temperature of the categorical spans")
            return gan
        },
    ]
}

extension GeneratorConditioning: CaseIterable {
    /// Both ways of modelling the classes (for the catalogue's `cond` key).
    public static var allCases: [GeneratorConditioning] { [.perClass, .classConditional] }
}
