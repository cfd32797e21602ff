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

    /// The classifier entry a name (or alias) refers to.
    /// - Parameter name: e.g. `random-forest`.
    /// - Throws: ``CatalogError/unknownAlgorithm(name:kind:known:)``.
    public static func classifierEntry(_ name: String) throws -> CatalogEntry<any Classifier> {
        try entry(name, in: classifiers, kind: "model")
    }

    /// The resampler a parsed specification, or pipeline of them, names, configured.
    /// - Parameter steps: one specification, or the steps of a `+` pipeline.
    /// - Throws: ``CatalogError``.
    public static func resampler(steps: [AlgorithmSpec]) throws -> any Resampler {
        guard steps.count != 1 else { return try lookup(steps[0], in: resamplers, kind: "resampling method") }
        guard !steps.isEmpty else { throw CatalogError.malformed("", reason: "the resampling method is empty") }
        return ResamplingPipeline(steps: try steps.map { try resampler(steps: [$0]) })
    }

    static func entry<P>(_ name: String, in entries: [CatalogEntry<P>], kind: String) throws -> CatalogEntry<P> {
        guard let entry = entries.first(where: { $0.matches(name.lowercased()) }) else {
            throw CatalogError.unknownAlgorithm(name: name.lowercased(), kind: kind, known: entries.map(\.name))
        }
        return entry
    }

    static func lookup<P>(_ spec: AlgorithmSpec, in entries: [CatalogEntry<P>], kind: String, quick: Bool = false) throws -> P {
        try entry(spec.name, in: entries, kind: kind).make(spec, quick: quick)
    }
}
