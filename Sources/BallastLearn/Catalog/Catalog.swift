/// Names → configured algorithms: what the CLI and the server accept, and the list the conformance
/// tests iterate (a newly registered algorithm is tested at once).
///
/// ```swift
/// let smote = try Catalog.resampler("smote:k=3")
/// let forest = try Catalog.classifier("rf:trees=50")
/// ```
public enum Catalog {
    /// Every resampler, in the order `ballast balance --help` lists them.
    /// The deep generators come last, each as a ``GenerativeOversampler``.
    public static var resamplers: [CatalogEntry<any Resampler>] { resamplerEntries + generatorResamplerEntries }

    /// Every classifier (detector), in the order `ballast train --help` lists them.
    public static var classifiers: [CatalogEntry<any Classifier>] { classifierEntries }

    /// The resampler a specification names, configured.
    /// - Parameter text: e.g. `smote:k=5`.
    /// - Throws: ``CatalogError``.
    ///
    /// Steps joined by `+` make a ``ResamplingPipeline``: `smote+kmeans-under:clusters=20+oss`.
    public static func resampler(_ text: String) throws -> any Resampler {
        let steps = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        if steps.count > 1 {
            if steps.contains(where: { $0.trimmingSpaces.isEmpty }) {
                throw CatalogError.malformed(text, reason: "a pipeline step is empty (steps are joined by '+')")
            }
            return ResamplingPipeline(steps: try steps.map { try resampler($0) })
        }
        return try lookup(AlgorithmSpec(parsing: text), in: resamplers, kind: "resampling method")
    }

    /// The classifier a specification names, configured.
    /// - Parameter text: e.g. `dt:depth=10`.
    /// - Throws: ``CatalogError``.
    public static func classifier(_ text: String) throws -> any Classifier {
        try lookup(AlgorithmSpec(parsing: text), in: classifiers, kind: "model")
    }

    static func lookup<P>(_ spec: AlgorithmSpec, in entries: [CatalogEntry<P>], kind: String) throws -> P {
        guard let entry = entries.first(where: { $0.matches(spec.name) }) else {
            throw CatalogError.unknownAlgorithm(name: spec.name, kind: kind, known: entries.map(\.name))
        }
        return try entry.make(spec)
    }
}
