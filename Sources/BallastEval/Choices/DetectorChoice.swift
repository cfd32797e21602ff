import BallastLearn
import Foundation

/// One detector of an experiment, parsed and checked once: a catalogue classifier specification
/// such as `rf` or `gbdt:rounds=200` with its ``Catalog`` entry, which holds the quick profile and,
/// for an ensemble, how its members are named.
///
/// The text is kept as written (it is what a specification file, `results.json` and the journal
/// hold, and the detector's name in tables).
public struct DetectorChoice: Sendable, Hashable, CustomStringConvertible {
    /// The choice as written (`rf:trees=50`).
    public let text: String
    /// The parsed specification.
    public let spec: AlgorithmSpec
    /// The catalogue entry the specification names.
    public let entry: CatalogEntry<any Classifier>

    /// The default detectors: decision tree, random forest, gradient boosting and soft voting
    /// (gradient boosting + logistic regression, as in AE-Flow).
    public static let defaults: [DetectorChoice] = ["dt", "rf", "gbdt", "vote"]

    /// Parses and validates a classifier specification (its parameters are checked by building it).
    /// - Parameter text: e.g. `rf:trees=50`.
    /// - Throws: ``CatalogError`` for an unknown model, unknown parameter or invalid value.
    public init(parsing text: String) throws {
        let spec = try AlgorithmSpec(parsing: text)
        let entry = try Catalog.classifierEntry(spec.name)
        _ = try entry.make(spec)
        self.text = text
        self.spec = spec
        self.entry = entry
    }

    /// Parses a comma-separated list (`dt,rf:trees=50,depth=12,gbdt`; a piece with `=` but no `:`
    /// continues the previous specification). Repeated detectors are kept once.
    /// - Parameter text: the list as typed after `--models`.
    /// - Throws: ``CatalogError`` for an unknown model or invalid parameter, ``ExperimentError/invalidSpec(_:)``
    ///   for a list naming nothing.
    public static func parseList(_ text: String) throws -> [DetectorChoice] {
        var seen: Set<DetectorChoice> = []
        let choices = try specificationList(text).map(DetectorChoice.init(parsing:)).filter { seen.insert($0).inserted }
        guard !choices.isEmpty else { throw ExperimentError.invalidSpec("--models names no detector: expected a comma-separated list such as dt,rf") }
        return choices
    }

    /// The specification as written.
    public var description: String { text }

    /// The specification actually trained, in words: the canonical specification, in quick mode
    /// with the entry's quick profile added, and for an ensemble in quick mode its members with
    /// theirs (`vote(gbdt:rounds=50+lr)`).
    /// - Parameter quick: whether quick settings apply.
    public func effectiveDescription(quick: Bool) -> String {
        guard quick else { return spec.description }
        guard let key = entry.membersParameter else { return entry.quickened(spec).description }
        let members = entry.memberNames(spec).map { name in
            Catalog.classifiers.first { $0.matches(name.lowercased()) }.map { $0.quickened(AlgorithmSpec(name: name)).description } ?? name
        }
        var rest = spec
        rest.parameters[key] = nil
        return rest.description + "(" + members.joined(separator: "+") + ")"
    }

    /// The configured classifier.
    /// - Parameters:
    ///   - classWeights: adds `class-weight=balanced` (an ensemble passes it to every member).
    ///   - quick: applies the entry's quick profile (an ensemble's members get theirs).
    /// - Throws: ``CatalogError`` when the classifier does not take class weights.
    public func classifier(classWeights: Bool, quick: Bool) throws -> any Classifier {
        var s = spec
        if classWeights { s.parameters["class-weight"] = "balanced" }
        return try entry.make(s, quick: quick)
    }

    public static func == (a: DetectorChoice, b: DetectorChoice) -> Bool { a.text == b.text && a.spec == b.spec }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(spec)
    }
}
