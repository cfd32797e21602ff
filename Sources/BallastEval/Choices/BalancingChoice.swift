import BallastLearn
import Foundation

/// One way of handling imbalance in an experiment, parsed once: nothing, class weights on the
/// detector, or a configured resampler from the ``Catalog``.
///
/// The text is kept as written (it is what a specification file, `results.json` and the journal
/// hold); two choices are equal when they name the same method (``name``), so `baseline` and `none`
/// are one choice.
public struct BalancingChoice: Sendable, Hashable, CustomStringConvertible {
    /// What the choice does.
    public enum Method: Sendable {
        /// The baseline: the training rows as they are, unweighted.
        case none
        /// The training rows as they are, with `class-weight=balanced` on the detector.
        case classWeights
        /// A catalogue resampler (or a `+` pipeline), configured.
        case resampler(any Resampler)
    }

    /// The choice as written (`baseline`, `weights`, `smote:k=3`).
    public let text: String
    /// The name in tables, records and the plan: `none`, `class-weights`, or the resampler
    /// specification as written without surrounding spaces.
    public let name: String
    /// What the choice does.
    public let method: Method

    /// The baseline.
    public static let none = BalancingChoice(text: "none", name: "none", method: .none)
    /// Class weights on the detector.
    public static let classWeights = BalancingChoice(text: "class-weights", name: "class-weights", method: .classWeights)

    private init(text: String, name: String, method: Method) {
        self.text = text
        self.name = name
        self.method = method
    }

    /// The default comparison: the baseline, class weights, and the over-samplers, under-samplers and
    /// cleaning methods the literature compares.
    public static let defaults: [BalancingChoice] = [
        "none", "class-weights", "ros", "smote", "borderline-smote", "adasyn", "kmeans-smote", "svm-smote", "rus", "tomek", "oss",
        "kmeans-under",
    ]

    /// The baseline, class weights and every resampler in ``Catalog/resamplers``.
    public static var all: [BalancingChoice] {
        [.none, .classWeights] + Catalog.resamplers.map { BalancingChoice(stringLiteral: $0.name) }
    }

    /// Parses one choice: `none` (also `baseline`), `class-weights` (also `class-weight`,
    /// `weights`), or a resampler specification the catalogue accepts, and configures the resampler.
    /// - Parameter text: the choice as typed.
    /// - Throws: ``CatalogError`` for an unknown resampler, unknown parameter or invalid value.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "none", "baseline": self.init(text: text, name: "none", method: .none)
        case "class-weights", "class-weight", "weights": self.init(text: text, name: "class-weights", method: .classWeights)
        default: self.init(text: text, name: trimmed, method: .resampler(try Catalog.resampler(trimmed)))
        }
    }

    /// Parses a comma-separated list (`none,smote:k=3,typed=false,rus`; a piece with `=` but no `:`
    /// continues the previous specification's parameters). `all` stands for ``all``; the baseline
    /// is added first when missing, and repeated choices are kept once.
    /// - Parameter text: the list as typed after `--balance`.
    /// - Throws: ``CatalogError`` for an unknown name or invalid parameter, ``ExperimentError/invalidSpec(_:)``
    ///   for a list naming nothing.
    public static func parseList(_ text: String) throws -> [BalancingChoice] {
        var choices: [BalancingChoice] = []
        for item in specificationList(text) {
            if item.lowercased() == "all" { choices += all } else { choices.append(try BalancingChoice(parsing: item)) }
        }
        guard !choices.isEmpty else { throw ExperimentError.invalidSpec("--balance names no method: expected a comma-separated list such as smote,rus") }
        return withBaseline(choices)
    }

    /// `choices` with the baseline first (added when missing) and duplicates removed.
    public static func withBaseline(_ choices: [BalancingChoice]) -> [BalancingChoice] {
        var seen: Set<BalancingChoice> = [.none]
        return [.none] + choices.filter { seen.insert($0).inserted }
    }

    /// Whether this is the class-weights choice.
    public var isClassWeights: Bool {
        if case .classWeights = method { return true }
        return false
    }

    /// The name shown in tables (``name``).
    public var description: String { name }

    public static func == (a: BalancingChoice, b: BalancingChoice) -> Bool { a.name == b.name }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// Splits `a,b:k=1,x=2,c` into specifications (`a`, `b:k=1,x=2`, `c`): a piece holding `=` but no
/// `:` continues the previous specification.
/// - Parameter text: a comma-separated list as typed after `--balance` or `--models`.
public func specificationList(_ text: String) -> [String] {
    var items: [String] = []
    for piece in text.split(separator: ",", omittingEmptySubsequences: true) {
        let p = piece.trimmingCharacters(in: .whitespaces)
        guard !p.isEmpty else { continue }
        if p.contains("="), !p.contains(":"), let last = items.last, last.contains(":") {
            items[items.count - 1] = last + "," + p
        } else {
            items.append(p)
        }
    }
    return items
}
