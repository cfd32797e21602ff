import BallastLearn
import Foundation

/// One way of handling imbalance in an experiment: nothing, class weights on the detector,
/// or a resampler from the ``Catalog``.
public enum BalancingChoice: Sendable, Hashable, CustomStringConvertible {
    /// The baseline: the training rows as they are, unweighted.
    case none
    /// The training rows as they are, with `class-weight=balanced` on the detector.
    case classWeights
    /// A catalogue resampler (or a `+` pipeline), by its specification text, e.g. `smote:k=3`.
    case resampler(String)

    /// The default comparison: the baseline, class weights, and the over-samplers, under-samplers and
    /// cleaning methods the literature compares.
    public static let defaults: [BalancingChoice] = [
        .none, .classWeights, .resampler("ros"), .resampler("smote"), .resampler("borderline-smote"),
        .resampler("adasyn"), .resampler("kmeans-smote"), .resampler("svm-smote"), .resampler("rus"),
        .resampler("tomek"), .resampler("oss"), .resampler("kmeans-under"),
    ]

    /// The baseline, class weights and every resampler in ``Catalog/resamplers``.
    public static var all: [BalancingChoice] {
        [.none, .classWeights] + Catalog.resamplers.map { .resampler($0.name) }
    }

    /// Parses one choice: `none`, `class-weights` (also `class-weight`, `weights`), or a resampler
    /// specification the catalogue accepts.
    /// - Parameter text: the choice as typed.
    /// - Throws: ``CatalogError`` for an unknown resampler, unknown parameter or invalid value.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "none", "baseline": self = .none
        case "class-weights", "class-weight", "weights": self = .classWeights
        default:
            _ = try Catalog.resampler(trimmed)
            self = .resampler(trimmed)
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

    /// The name shown in the table.
    public var description: String {
        switch self {
        case .none: return "none"
        case .classWeights: return "class-weights"
        case .resampler(let text): return text
        }
    }
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
