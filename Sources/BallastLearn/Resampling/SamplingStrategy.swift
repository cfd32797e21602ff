/// Which classes a resampler changes, and to how many rows — imbalanced-learn's `sampling_strategy`.
///
/// The majority is the class with most rows and the minority the one with fewest (ties → the lower
/// class index). Only classes with rows count; an empty class is never resampled.
///
/// | strategy | over-sampler | under-sampler | cleaning method |
/// | --- | --- | --- | --- |
/// | `.auto` | every class but the majority, up to the majority's count | every class but the minority, down to the minority's count | every class but the minority |
/// | `.minority` | the minority only | an error | the minority only |
/// | `.notMajority` | every class but the majority | an error | every class but the majority |
/// | `.notMinority` | every class but the minority | as `.auto` | as `.auto` |
/// | `.all` | every class | every class | every class |
/// | `.ratio(r)` | two classes only: minority → `r × majority` | two classes only: majority → `minority / r` | an error |
/// | `.counts` | exact totals, each ≥ the current count | exact totals, each ≤ the current count | an error |
public enum SamplingStrategy: Sendable, Hashable, Codable {
    /// Over-samplers: not the majority; under-samplers and cleaning: not the minority.
    case auto
    /// Only the minority class.
    case minority
    /// Every class except the majority.
    case notMajority
    /// Every class except the minority.
    case notMinority
    /// Every class.
    case all
    /// Binary data only: the desired minority/majority ratio after resampling.
    case ratio(Double)
    /// Exact row totals per class index; classes not listed are left as they are.
    case counts([Int: Int])
    /// Exact row totals per class name, resolved against the data's class table when the resampler
    /// runs (what a catalogue specification such as `smote:strategy=R2L=10995;U2R=10052` gives,
    /// since the class table is not known when it is parsed).
    case namedCounts([String: Int])
    /// The named classes only: over-samplers raise them to the majority's count, under-samplers
    /// lower them to the minority's, cleaning methods clean only them (`oss:strategy=Normal;DoS`).
    case selected([String])

    /// What a resampler does with rows, which decides how a strategy is read.
    public enum Purpose: Sendable {
        /// Adds rows (targets ≥ current counts).
        case overSampling
        /// Removes rows to a target count (targets ≤ current counts).
        case underSampling
        /// Removes rows by a rule; the strategy only selects classes.
        case cleaning
    }

    /// Parses `auto`, `minority`, `not-majority`, `not-minority`, `all`, `ratio=R` (or a bare number) or
    /// `CLASS=N,CLASS=N` with class names (or indices).
    /// - Parameters:
    ///   - text: the strategy text from the command line.
    ///   - classNames: the data's class table, to resolve names.
    /// - Throws: ``ResamplingError/invalidStrategy(text:reason:)``.
    public init(parsing text: String, classNames: [String]) throws {
        let t = text.trimmingSpaces
        switch t.lowercased() {
        case "auto": self = .auto; return
        case "minority": self = .minority; return
        case "not-majority", "not_majority", "notmajority": self = .notMajority; return
        case "not-minority", "not_minority", "notminority": self = .notMinority; return
        case "all": self = .all; return
        default: break
        }
        if let r = Double(t) { self = try Self.checkedRatio(r, text: text); return }
        if t.lowercased().hasPrefix("ratio="), let r = Double(t.dropFirst(6)) { self = try Self.checkedRatio(r, text: text); return }
        var counts: [Int: Int] = [:]
        for item in t.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else {
                throw ResamplingError.invalidStrategy(text: text, reason: "expected auto, minority, not-majority, not-minority, all, ratio=R or CLASS=N,… pairs; '\(item)' has no '='")
            }
            let name = String(pair[0]).trimmingSpaces, value = String(pair[1]).trimmingSpaces
            let index: Int
            if let i = classNames.firstIndex(of: name) ?? classNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
                index = i
            } else if let i = Int(name), classNames.indices.contains(i) {
                index = i
            } else {
                throw ResamplingError.invalidStrategy(text: text, reason: "unknown class '\(name)'; classes: \(classNames.joined(separator: ", "))")
            }
            guard let n = Int(value), n >= 0 else {
                throw ResamplingError.invalidStrategy(text: text, reason: "count '\(value)' for class '\(name)' is not a non-negative integer")
            }
            guard counts[index] == nil else {
                throw ResamplingError.invalidStrategy(text: text, reason: "class '\(name)' is given twice")
            }
            counts[index] = n
        }
        guard !counts.isEmpty else { throw ResamplingError.invalidStrategy(text: text, reason: "it is empty") }
        self = .counts(counts)
    }

    private static func checkedRatio(_ r: Double, text: String) throws -> SamplingStrategy {
        guard r.isFinite, r > 0, r <= 1 else {
            throw ResamplingError.invalidStrategy(text: text, reason: "a ratio must be in (0, 1]")
        }
        return .ratio(r)
    }

    /// The row total each class should have after resampling (unchanged classes keep their count).
    /// - Parameters:
    ///   - counts: current rows per class index.
    ///   - classNames: names for error messages.
    ///   - purpose: over- or under-sampling (cleaning methods use ``selectedClasses(counts:classNames:method:)``).
    /// - Returns: target totals, indexed like `counts`.
    /// - Throws: ``ResamplingError`` when the strategy cannot be met, naming class and numbers.
    public func targetCounts(counts: [Int], classNames: [String], purpose: Purpose) throws -> [Int] {
        if case .namedCounts = self {
            return try resolved(classNames: classNames).targetCounts(counts: counts, classNames: classNames, purpose: purpose)
        }
        guard let (majority, minority) = Self.extremes(counts) else { return counts }
        let present = counts.indices.filter { counts[$0] > 0 }
        func name(_ c: Int) -> String { c < classNames.count ? classNames[c] : "\(c)" }
        var targets = counts
        let over = purpose == .overSampling
        switch self {
        case .selected:
            let chosen = try selectedClasses(counts: counts, classNames: classNames, method: "")
            for c in present where chosen[c] { targets[c] = over ? counts[majority] : counts[minority] }
        case .auto, .minority, .notMajority, .notMinority, .all:
            if !over, self == .minority || self == .notMajority {
                throw ResamplingError.invalidStrategy(text: "\(self)", reason: "an under-sampler cannot use it: it would keep the majority and shrink smaller classes")
            }
            let strategy: SamplingStrategy = self == .auto ? (over ? .notMajority : .notMinority) : self
            let selected = try strategy.selectedClasses(counts: counts, classNames: classNames, method: "")
            for c in present where selected[c] { targets[c] = over ? counts[majority] : counts[minority] }
        case .ratio(let r):
            guard present.count == 2 else { throw ResamplingError.ratioNeedsTwoClasses(found: present.count) }
            if over {
                let t = Int(r * Double(counts[majority]))
                guard t >= counts[minority] else {
                    throw ResamplingError.ratioNotAttainable(ratio: r, reason: "the minority '\(name(minority))' would need \(t) rows but already has \(counts[minority])")
                }
                targets[minority] = t
            } else {
                let t = Int(Double(counts[minority]) / r)
                guard t <= counts[majority] else {
                    throw ResamplingError.ratioNotAttainable(ratio: r, reason: "the majority '\(name(majority))' would need \(t) rows but has only \(counts[majority])")
                }
                targets[majority] = t
            }
        case .counts(let requested):
            for (c, n) in requested.sorted(by: { $0.key < $1.key }) {
                guard c >= 0 && c < counts.count else {
                    throw ResamplingError.invalidStrategy(text: "\(self)", reason: "class index \(c) is outside 0..<\(counts.count)")
                }
                guard n >= 0 else { throw ResamplingError.negativeCount(className: name(c), requested: n) }
                if over {
                    guard n >= counts[c] else {
                        throw ResamplingError.overSamplingBelowCurrent(className: name(c), requested: n, current: counts[c])
                    }
                    guard counts[c] > 0 || n == 0 else { throw ResamplingError.classAbsent(className: name(c)) }
                } else {
                    guard n <= counts[c] else {
                        throw ResamplingError.underSamplingAboveCurrent(className: name(c), requested: n, current: counts[c])
                    }
                }
                targets[c] = n
            }
        case .namedCounts:
            preconditionFailure("named counts are resolved above")
        }
        return targets
    }

    /// The strategy with class names resolved to indices of `classNames` (case-insensitively);
    /// any other strategy is returned as it is.
    /// - Throws: ``ResamplingError/invalidStrategy(text:reason:)`` naming an unknown class.
    public func resolved(classNames: [String]) throws -> SamplingStrategy {
        guard case .namedCounts(let named) = self else { return self }
        var counts: [Int: Int] = [:]
        for (name, n) in named.sorted(by: { $0.key < $1.key }) {
            guard let c = classNames.firstIndex(of: name) ?? classNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                throw ResamplingError.invalidStrategy(text: "\(name)=\(n)", reason: "unknown class '\(name)'; classes: \(classNames.joined(separator: ", "))")
            }
            counts[c] = n
        }
        return .counts(counts)
    }

    /// Which classes a cleaning method cleans (or an over-/under-sampler changes).
    /// - Parameters:
    ///   - counts: current rows per class index.
    ///   - classNames: names for error messages.
    ///   - method: the method's name, for error messages.
    /// - Returns: one flag per class index.
    /// - Throws: ``ResamplingError/countsNotSupported(method:)`` for `.ratio` and `.counts`.
    public func selectedClasses(counts: [Int], classNames: [String], method: String) throws -> [Bool] {
        var selected = Array(repeating: false, count: counts.count)
        guard let (majority, minority) = Self.extremes(counts) else { return selected }
        if case .selected(let names) = self {
            for name in names {
                guard let c = classNames.firstIndex(of: name) ?? classNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                    throw ResamplingError.invalidStrategy(text: names.joined(separator: ";"),
                                                          reason: "unknown class '\(name)'; classes: \(classNames.joined(separator: ", "))")
                }
                selected[c] = counts[c] > 0
            }
            return selected
        }
        let present = counts.indices.filter { counts[$0] > 0 }
        for c in present {
            switch self {
            case .auto, .notMinority: selected[c] = c != minority
            case .minority: selected[c] = c == minority
            case .notMajority: selected[c] = c != majority
            case .all: selected[c] = true
            case .ratio, .counts, .namedCounts: throw ResamplingError.countsNotSupported(method: method)
            case .selected: break
            }
        }
        return selected
    }

    /// The majority and minority classes among those with rows (ties → the lower class index), or
    /// `nil` when no class has rows.
    public static func extremes(_ counts: [Int]) -> (majority: Int, minority: Int)? {
        let present = counts.indices.filter { counts[$0] > 0 }
        guard let majority = present.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
              let minority = present.min(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 < $1) })
        else { return nil }
        return (majority, minority)
    }
}
