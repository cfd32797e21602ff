extension ParameterValues {
    /// The `strategy` key: a keyword (`auto`, `minority`, `not-majority`, `not-minority`, `all`) or a
    /// ratio; per-class counts are given with `--strategy` on the command line instead.
    /// - Throws: ``CatalogError/invalidValue(algorithm:parameter:value:expected:)``.
    mutating func strategy() throws -> SamplingStrategy {
        guard let text = raw("strategy", "auto", "which classes to resample: auto, minority, not-majority, not-minority, all, or a ratio") else {
            return .auto
        }
        do {
            return try SamplingStrategy(parsing: text, classNames: [])
        } catch {
            throw invalid("strategy", text, "auto, minority, not-majority, not-minority, all or a ratio in (0, 1]")
        }
    }
}

extension Catalog {
    /// The registered resamplers.
    static let resamplerEntries: [CatalogEntry<any Resampler>] = [
        CatalogEntry(name: "random-over", aliases: ["ros"], summary: "random over-sampling (optionally a smoothed bootstrap)") { p in
            let shrinkage = try p.double("shrinkage", default: -1, in: -1...1e6, "smoothed-bootstrap kernel shrinkage (< 0: exact duplicates)")
            return RandomOverSampler(strategy: try p.strategy(), shrinkage: shrinkage < 0 ? nil : shrinkage,
                                     typeAware: try p.bool("typed", default: true, "snap synthetic rows to valid records"))
        },
        CatalogEntry(name: "random-under", aliases: ["rus"], summary: "random under-sampling without replacement") { p in
            RandomUnderSampler(strategy: try p.strategy())
        },
    ]
}
