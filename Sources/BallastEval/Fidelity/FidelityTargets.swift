/// The thresholds a class's synthetic rows must meet to pass, and the verdict they give.
///
/// The defaults are the product targets of Ballast's issue 13: median KS per numeric column ≤ 0.05,
/// worst ≤ 0.15, detection ROC-AUC ≤ 0.7; plus no copying (at most 1% exact copies of real rows,
/// SDMetrics' `NewRowSynthesis` ≥ 0.9) and valid values (every validity share ≥ 0.99).
public struct FidelityTargets: Sendable, Equatable, Codable {
    /// The largest acceptable median KS statistic over numeric columns.
    public var medianKS: Double
    /// The largest acceptable KS statistic of any numeric column.
    public var worstKS: Double
    /// The largest acceptable detection ROC-AUC (first detector).
    public var detectionAUC: Double
    /// The largest acceptable share of exact copies of real rows.
    public var exactCopyShare: Double
    /// The smallest acceptable `NewRowSynthesis`.
    public var newRowSynthesis: Double
    /// The smallest acceptable validity share (boundary, category, integer, flag, one-hot).
    public var validity: Double

    /// Creates targets (the defaults are the issue's).
    public init(medianKS: Double = 0.05, worstKS: Double = 0.15, detectionAUC: Double = 0.7, exactCopyShare: Double = 0.01,
                newRowSynthesis: Double = 0.9, validity: Double = 0.99) {
        self.medianKS = medianKS
        self.worstKS = worstKS
        self.detectionAUC = detectionAUC
        self.exactCopyShare = exactCopyShare
        self.newRowSynthesis = newRowSynthesis
        self.validity = validity
    }

    /// The targets a group misses, each as a short key and a sentence.
    /// - Parameter group: a validated group.
    public func failures(of group: GroupFidelity) -> [FidelityVerdict.Failure] {
        var out: [FidelityVerdict.Failure] = []
        func f(_ x: Double) -> String { FidelityReport.number(x) }
        if let m = group.shapes.medianKS, m > medianKS {
            out.append(.init(key: "KS", reason: "median KS \(f(m)) > \(f(medianKS))"))
        }
        if let w = group.shapes.worstKS, w > worstKS {
            out.append(.init(key: "KS", reason: "worst KS \(f(w)) > \(f(worstKS)) (\(group.shapes.worstKSColumn ?? "?"))"))
        }
        if let auc = group.detection?.auc, auc > detectionAUC {
            out.append(.init(key: "AUC", reason: "detection AUC \(f(auc)) > \(f(detectionAUC))"))
        }
        if let p = group.privacy {
            if p.exactCopyShare > exactCopyShare {
                out.append(.init(key: "copies", reason: "\(f(p.exactCopyShare * 100))% exact copies of real rows"))
            }
            if p.newRowSynthesis < newRowSynthesis {
                out.append(.init(key: "copies", reason: "NewRowSynthesis \(f(p.newRowSynthesis)) < \(f(newRowSynthesis))"))
            }
        }
        let v = group.validity
        let lowest = ([v.score, v.integerValidity, v.flagValidity] + v.oneHotGroups.map { Optional($0.validShare) }).compactMap { $0 }.min()
        if let lowest, lowest < validity {
            out.append(.init(key: "validity", reason: "validity share \(f(lowest)) < \(f(validity))"))
        }
        return out
    }
}
