import BallastLearn
import Foundation

extension GeneratorReport {
    /// A readable summary: size and cost, how training ended, and a table of the rows made per
    /// class (distinct share, coverage of the real values, mean and worst column KS).
    /// - Parameter featureNames: names of the preprocessed columns, to name the worst column.
    public func renderPlain(featureNames: [String] = []) -> String {
        let networks = training.count == 1 ? "1 network" : "\(training.count) networks (one per class)"
        var text = "generator \(method): \(networks), \(parameterCount.formatted()) parameters, "
            + "\(flopsPerRow.formatted()) FLOPs per row, fitted in \(String(format: "%.1f", fitSeconds)) s\n"
        for record in training {
            let who = record.classIndex.map { classNames.indices.contains($0) ? classNames[$0] : "class #\($0)" } ?? "all classes"
            var line = "  \(who): \(record.epochs.count) epochs, kept epoch \(record.bestEpoch)"
            if let ks = record.bestValidationKS { line += ", validation KS \(String(format: "%.3f", ks))" }
            if record.stoppedEarly { line += " (stopped early)" }
            if let last = record.epochs.last {
                let values = last.terms ?? [last.trainingLoss]
                line += "; last losses " + zip(record.lossTerms, values).map { "\($0) \(String(format: "%.4g", $1))" }.joined(separator: ", ")
            }
            text += line + "\n"
        }
        var table = TextTable(columns: [.init("class", .left), .init("made"), .init("by", .left), .init("distinct"),
                                        .init("coverage"), .init("mean KS"), .init("worst KS", .left)])
        for c in classes {
            let worstName = featureNames.indices.contains(c.worstColumn) ? featureNames[c.worstColumn] : "column \(c.worstColumn)"
            table.append([c.className, "\(c.syntheticRows)", c.generatedBy, percent(c.distinctFraction), percent(c.rangeCoverage),
                          String(format: "%.3f", c.meanKS), String(format: "%.3f", c.worstKS) + " (\(worstName))"])
        }
        return text + table.renderPlain()
    }

    private func percent(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }
}
