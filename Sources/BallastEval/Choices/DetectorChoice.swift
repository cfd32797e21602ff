import BallastLearn
import Foundation

/// One detector of an experiment: a catalogue classifier specification such as `rf` or
/// `gbdt:rounds=200`, with the lighter settings of quick mode.
public struct DetectorChoice: Sendable, Hashable, CustomStringConvertible {
    /// The specification as given (canonical form).
    public var spec: AlgorithmSpec

    /// The default detectors: decision tree, random forest, gradient boosting and soft voting
    /// (gradient boosting + logistic regression, as in AE-Flow).
    public static let defaults: [DetectorChoice] = ["dt", "rf", "gbdt", "vote"].map { DetectorChoice(spec: AlgorithmSpec(name: $0)) }

    /// Parameters quick mode sets on a detector, by canonical catalogue name, unless the
    /// specification sets them itself: fewer trees and boosting rounds, fewer epochs.
    public static let quickSettings: [String: [String: String]] = [
        "rf": ["trees": "30"], "gbdt": ["rounds": "50"], "mlp": ["epochs": "5"], "cnn": ["epochs": "3"], "cnn-lstm": ["epochs": "3"],
    ]

    /// Wraps a specification (not validated; see ``init(parsing:)``).
    public init(spec: AlgorithmSpec) {
        self.spec = spec
    }

    /// Parses and validates a classifier specification.
    /// - Parameter text: e.g. `rf:trees=50`.
    /// - Throws: ``CatalogError`` for an unknown model, unknown parameter or invalid value.
    public init(parsing text: String) throws {
        spec = try AlgorithmSpec(parsing: text)
        _ = try Catalog.classifier(spec.description)
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

    /// The specification as given.
    public var description: String { spec.description }

    /// The catalogue's canonical name of the model (`rf` for `random-forest`), or the name as given.
    var canonicalName: String {
        Catalog.classifiers.first { $0.matches(spec.name) }?.name ?? spec.name
    }

    /// The specification actually trained, in words: quick settings added, and for a voting
    /// ensemble in quick mode its members with theirs (`vote(gbdt:rounds=50+lr)`).
    /// - Parameter quick: whether quick settings apply.
    public func effectiveDescription(quick: Bool) -> String {
        guard quick else { return description }
        if canonicalName == "vote" {
            let members = memberNames.map { DetectorChoice(spec: AlgorithmSpec(name: $0)).effectiveDescription(quick: true) }
            var rest = spec
            rest.parameters["members"] = nil
            return rest.description + "(" + members.joined(separator: "+") + ")"
        }
        return withQuickSettings.description
    }

    /// The specification with quick settings added where the user set none.
    private var withQuickSettings: AlgorithmSpec {
        var s = spec
        for (key, value) in Self.quickSettings[canonicalName] ?? [:] where s.parameters[key] == nil {
            s.parameters[key] = value
        }
        return s
    }

    /// The member names of a voting ensemble (its `members` parameter, or the catalogue default).
    private var memberNames: [String] {
        let defaultMembers = Catalog.classifiers.first { $0.name == "vote" }?.parameters.first { $0.name == "members" }?.defaultValue
        let text = spec.parameters["members"] ?? defaultMembers ?? ""
        return text.split(separator: "+").map(String.init)
    }

    /// The configured classifier.
    /// - Parameters:
    ///   - classWeights: adds `class-weight=balanced` (to every member of an ensemble).
    ///   - quick: applies ``quickSettings`` (to every member of an ensemble).
    /// - Throws: ``CatalogError`` for an invalid specification.
    public func classifier(classWeights: Bool, quick: Bool) throws -> any Classifier {
        var s = quick ? withQuickSettings : spec
        if classWeights { s.parameters["class-weight"] = "balanced" }
        let configured = try Catalog.classifier(s.description)
        guard quick, canonicalName == "vote", let vote = configured as? VotingClassifier else { return configured }
        let members = try memberNames.map {
            try DetectorChoice(spec: AlgorithmSpec(name: $0)).classifier(classWeights: classWeights, quick: true)
        }
        return VotingClassifier(members: members, weights: vote.weights, voting: vote.voting)
    }
}
