import Foundation

extension ClassificationReport {
    /// The per-class table: recall first (the detection rate a reader looks for), then precision, F1,
    /// support, specificity and false-alarm rate, followed by macro and weighted averages. Values in
    /// percent with two decimals.
    public func table() -> TextTable {
        var t = TextTable(columns: [
            .init("class", .left), .init("recall %"), .init("precision %"), .init("F1 %"),
            .init("support"), .init("specificity %"), .init("false alarm %"),
        ])
        for c in perClass {
            t.append([c.name, percent(c.recall), percent(c.precision), percent(c.f1), "\(c.support)",
                      percent(c.specificity), percent(c.falseAlarmRate)])
        }
        t.appendSeparator()
        t.append(["macro avg", percent(macro.recall), percent(macro.precision), percent(macro.f1), "\(total)"])
        t.append(["weighted avg", percent(weighted.recall), percent(weighted.precision), percent(weighted.f1), "\(total)"])
        return t
    }

    /// One line with the overall scores.
    public func summaryLine() -> String {
        "accuracy \(percent(accuracy))%  balanced accuracy \(percent(balancedAccuracy))%  "
            + "macro-F1 \(percent(macro.f1))%  weighted-F1 \(percent(weighted.f1))%  "
            + "MCC \(String(format: "%.4f", mcc))  G-mean \(String(format: "%.4f", gMean))"
    }

    /// Notes on zero-division cases, or an empty array.
    public func notes() -> [String] {
        var out: [String] = []
        if !undefinedPrecision.isEmpty {
            out.append("never predicted (precision shown as 0): \(undefinedPrecision.joined(separator: ", "))")
        }
        if !undefinedRecall.isEmpty {
            out.append("absent from the truth (recall shown as 0): \(undefinedRecall.joined(separator: ", "))")
        }
        return out
    }

    /// The confusion matrix as a table (rows: true class, columns: predicted class).
    public func confusionTable() -> TextTable {
        var t = TextTable(columns: [.init("true \\ predicted", .left)] + confusion.classNames.map { .init($0) })
        for (i, row) in confusion.counts.enumerated() {
            t.append([confusion.classNames[i]] + row.map(String.init))
        }
        return t
    }

    /// Plain-text rendering for a terminal: per-class table, summary line, notes, confusion matrix.
    public func renderPlain() -> String {
        var s = table().renderPlain()
        s += summaryLine() + "\n"
        for n in notes() { s += "note: \(n)\n" }
        s += "\nconfusion matrix (rows: true class, columns: predicted)\n"
        s += confusionTable().renderPlain()
        return s
    }

    /// Markdown rendering: the same content as ``renderPlain()``.
    public func renderMarkdown() -> String {
        var s = table().renderMarkdown() + "\n" + summaryLine() + "\n"
        for n in notes() { s += "\n> note: \(n)\n" }
        s += "\n**Confusion matrix** (rows: true class, columns: predicted)\n\n" + confusionTable().renderMarkdown()
        return s
    }

    /// JSON with sorted keys (every number, the confusion matrix and the class names).
    /// - Throws: an encoding error (not expected for finite metrics).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// A fraction in [0, 1] as a percentage with two decimals.
public func percent(_ fraction: Double) -> String {
    String(format: "%.2f", fraction * 100)
}
