import BallastCore

/// A fitted model whose concrete type can be recorded in a file: it has a stable `kind` name
/// listed in ``ClassifierModelRegistry``.
public protocol RegisteredClassifierModel: ClassifierModel {
    /// The name written beside the model when it is encoded type-erased (never change it: saved
    /// models refer to it).
    static var kind: String { get }

    /// What is inconsistent in a decoded model (counts, shapes and indices that disagree with the
    /// values stored, or sizes no stored data backs), starting with the field name; `nil` when it
    /// is safe to predict with. Checked by ``AnyClassifierModel/init(from:)``.
    func consistencyProblem() -> String?
}

/// Any registered fitted model, type-erased: what ensembles hold and model bundles store.
///
/// Encodes as `{"kind": "decision-tree", "model": {...}}`; decoding looks the kind up in
/// ``ClassifierModelRegistry`` and refuses unknown kinds with an error naming them.
public struct AnyClassifierModel: ClassifierModel {
    /// The wrapped model.
    public let base: any RegisteredClassifierModel

    /// Wraps a registered model.
    public init(_ model: some RegisteredClassifierModel) { base = model }

    /// Wraps any fitted model whose type is registered (an `AnyClassifierModel` is unwrapped).
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)`` for an unregistered type.
    public init(erasing model: any ClassifierModel) throws {
        if let any = model as? AnyClassifierModel {
            base = any.base
        } else if let registered = model as? any RegisteredClassifierModel {
            base = registered
        } else {
            throw LearnError.invalidParameter(name: "model", value: "\(type(of: model))",
                                              expected: "a model type listed in ClassifierModelRegistry.types")
        }
    }

    /// The wrapped model's kind.
    public var kind: String { type(of: base).kind }
    public var classNames: [String] { base.classNames }
    public var featureCount: Int { base.featureCount }

    public func predictProbabilities(_ features: Matrix) throws -> Matrix { try base.predictProbabilities(features) }

    private enum CodingKeys: String, CodingKey { case kind, model }

    /// Decodes `{"kind": ..., "model": ...}`.
    /// - Throws: `DecodingError.dataCorrupted` for a kind that no registered type has, or a model
    ///   whose ``RegisteredClassifierModel/consistencyProblem()`` is not `nil`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        guard let type = ClassifierModelRegistry.type(forKind: kind) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c,
                debugDescription: "unknown model kind '\(kind)'; known: \(ClassifierModelRegistry.types.map { $0.kind }.joined(separator: ", "))")
        }
        base = try Self.decode(type, from: c)
        if let problem = base.consistencyProblem() {
            throw DecodingError.dataCorruptedError(forKey: .model, in: c, debugDescription: "\(kind) model: \(problem)")
        }
    }

    private static func decode<T: RegisteredClassifierModel>(_ type: T.Type, from c: KeyedDecodingContainer<CodingKeys>) throws
        -> any RegisteredClassifierModel {
        try c.decode(T.self, forKey: .model)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(base, forKey: .model)
    }
}

extension Classifier {
    /// Fits and type-erases the model (for ensembles and bundles).
    /// - Throws: as ``Classifier/fit(_:using:)``, or when the model type is not registered.
    public func fitErased(_ data: LabeledMatrix, using rng: inout some RandomNumberGenerator) throws -> AnyClassifierModel {
        try AnyClassifierModel(erasing: fit(data, using: &rng))
    }

    /// Fits on rows described by `schema` (see ``Classifier/fit(_:schema:using:)``) and type-erases the model.
    /// - Throws: as ``Classifier/fit(_:schema:using:)``, or when the model type is not registered.
    public func fitErased(_ data: LabeledMatrix, schema: FeatureSchema?, using rng: inout some RandomNumberGenerator) throws
        -> AnyClassifierModel {
        try AnyClassifierModel(erasing: fit(data, schema: schema, using: &rng))
    }
}
