import Foundation

extension ComparisonReport {
    /// The comparison table: one row per (balancing, detector) cell, then accuracy, macro-F1,
    /// weighted-F1 and the recall of each class in percent, the training rows the detector saw and
    /// its fit + predict time; with several detectors, a rule separates the balancings. The best value of each metric column is marked with `*` (plain) or
    /// bold (Markdown); a failed cell shows `failed [n]`, with error `n` listed by ``errorNotes()``.
    /// - Parameter markdown: mark best values in bold instead of with `*`.
    public func table(markdown: Bool = false) -> TextTable {
        let metricColumns = columns
        var t = TextTable(columns: [.init("balancing", .left), .init("detector", .left)]
            + metricColumns.map { .init($0.title(classNames: classNames)) }
            + [.init("train rows"), .init("time s")])
        let best = metricColumns.map { Set(bestCells($0)) }
        let footnotes = errorFootnotes()
        let groups = Set(cells.map(\.trainedDetector)).count > 1
        for (i, cell) in cells.enumerated() {
            if groups, i > 0, cells[i - 1].balancing != cell.balancing { t.appendSeparator() }
            var row = [cell.balancing, cell.trainedDetector]
            if let report = cell.report {
                for (j, column) in metricColumns.enumerated() {
                    let value = percent(column.value(in: report))
                    if best[j].contains(i) {
                        row.append(markdown ? "**\(value)**" : value + "*")
                    } else {
                        row.append(markdown ? value : value + " ")
                    }
                }
                row.append(cell.trainRows.map(String.init) ?? "")
                row.append(String(format: "%.2f", cell.fitSeconds + cell.predictSeconds))
            } else {
                let note = cell.error.flatMap { footnotes.index[$0] }.map { "failed [\($0)]" } ?? "failed"
                row.append(note)
                row += Array(repeating: "–", count: metricColumns.count - 1)
                row.append(cell.trainRows.map(String.init) ?? "–")
                row.append("–")
            }
            t.append(row)
        }
        return t
    }

    /// The distinct cell errors, numbered from 1 in table order, with the cells each one stopped.
    public func errorNotes() -> [String] {
        let footnotes = errorFootnotes()
        return footnotes.errors.enumerated().map { n, error in
            let where_ = cells.filter { $0.error == error }.map { "\($0.balancing) × \($0.trainedDetector)" }
            return "[\(n + 1)] \(where_.joined(separator: ", ")): \(error)"
        }
    }

    private func errorFootnotes() -> (errors: [String], index: [String: Int]) {
        var errors: [String] = [], index: [String: Int] = [:]
        for case let error? in cells.map(\.error) where index[error] == nil {
            errors.append(error)
            index[error] = errors.count
        }
        return (errors, index)
    }

    /// The lines above the table: data, seed, quick settings, class counts, feature width.
    public func headerLines() -> [String] {
        var lines = ["dataset: \(dataset)", "seed: \(seed)"]
        if !settingsNote.isEmpty { lines.append(settingsNote) }
        lines.append("classes (train / test rows): " + classNames.indices.map {
            "\(classNames[$0]) \(trainCounts[$0]) / \(testCounts[$0])"
        }.joined(separator: ", "))
        var features = "features after preprocessing (fitted on training rows only): \(featureColumns)"
        if unseenCategoriesInTest > 0 { features += "; test values with categories unseen in training: \(unseenCategoriesInTest)" }
        lines.append(features)
        return lines
    }

    /// The lines below the table: legend, errors, resampler warnings and time.
    public func footerLines(markdown: Bool = false) -> [String] {
        let marker = markdown ? "bold" : "*"
        var lines = ["values in %; \(classNames.joined(separator: ", ")): recall (detection rate) of each class; "
            + "\(marker): best in its column; time: fit + predict"]
        let notes = errorNotes()
        if !notes.isEmpty { lines.append("failed cells:"); lines += notes.map { "  " + $0 } }
        for outcome in balancings where !outcome.warnings.isEmpty {
            lines += outcome.warnings.map { "warning: \($0)" }
        }
        let resampling = balancings.reduce(0) { $0 + $1.seconds }
        let fitting = cells.reduce(0) { $0 + $1.fitSeconds + $1.predictSeconds }
        lines.append(String(format: "time: data + preprocessing %.1f s, balancing %.1f s, detectors %.1f s, total %.1f s",
                            preparationSeconds, resampling, fitting, totalSeconds))
        return lines
    }

    /// Plain-text rendering for a terminal.
    public func renderPlain() -> String {
        headerLines().joined(separator: "\n") + "\n\n" + table().renderPlain() + "\n" + footerLines().joined(separator: "\n") + "\n"
    }

    /// Markdown rendering: the same content as ``renderPlain()``, best values in bold.
    public func renderMarkdown() -> String {
        headerLines().map { "- " + $0 }.joined(separator: "\n") + "\n\n" + table(markdown: true).renderMarkdown() + "\n"
            + footerLines(markdown: true).map { $0.hasPrefix("  ") ? "- " + $0.dropFirst(2) : $0 }.joined(separator: "\n\n") + "\n"
    }

    /// JSON with sorted keys: every field of the report (each cell's full ``ClassificationReport``
    /// with its confusion matrix) plus `best`, the indices of the best cells per column
    /// (`accuracy`, `macroF1`, `weightedF1`, `recall.CLASS`).
    /// - Throws: an encoding error (not expected for finite metrics).
    public func jsonData() throws -> Data {
        let best = Dictionary(uniqueKeysWithValues: columns.map { ($0.key(classNames: classNames), bestCells($0)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(JSONPayload(report: self, best: best))
    }
}

/// The report's fields and the best cells per column, in one JSON object.
private struct JSONPayload: Encodable {
    let report: ComparisonReport
    let best: [String: [Int]]

    private enum Keys: String, CodingKey { case best }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(best, forKey: .best)
    }
}
