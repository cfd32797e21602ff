import Foundation

extension ExperimentResults {
    /// `summary.md`: the run's settings, then per dataset the tables in the papers' shapes, each
    /// value as `mean ± std` in percent over the seeds (and folds) that succeeded, best in bold:
    /// accuracy and weighted P/R/F1 per balancing (DCBN-VAE Table 2), the other overall metrics,
    /// per-class P/R/F1 (AE-Flow Tables 4–6), class counts before/after balancing (AE-Flow Table 3),
    /// NSL-KDD seen vs novel attacks, times; then every failure with its full error, and warnings.
    public func markdownSummary() -> String {
        let summary = ExperimentSummary(results: self)
        var out = "# Experiment \(summary.name)" + (summary.simulated ? " (simulated data)" : "") + "\n\n"
        if let notice = unfinishedNotice { out += "> **Unfinished run.** " + Self.inline(notice) + "\n\n" }
        out += headerLines(summary).map { "- " + $0 }.joined(separator: "\n") + "\n"
        if let notes = spec.notes, !notes.isEmpty { out += "\n" + notes + "\n" }
        for d in summary.datasets {
            out += "\n## Dataset \(Self.inline(d.label))\n\n"
            out += datasetLines(d).map { "- " + $0 }.joined(separator: "\n") + "\n"
            if !d.hasCells {  // an unfinished run that has not reached this dataset
                out += "\n" + ExperimentSummary.noCellsYet + "\n"
                continue
            }
            if let table = summary.referenceTable(d, references: spec.references, title: "measured vs published") {
                out += "\n### Comparison with published values\n" + Self.markdown(table)
            }
            out += "\n### Accuracy and weighted precision / recall / F1 (DCBN-VAE Table 2 shape)\n"
            for t in d.testSets {
                for detector in d.detectors {
                    out += Self.markdown(summary.overallTable(d, testSet: t, detector: detector,
                                                              title: "\(t) · \(detector) · \(summary.runsPhrase(d))"))
                }
            }
            out += "\n### Other overall metrics: macro averages, balanced accuracy, MCC, G-mean\n"
            for t in d.testSets {
                for detector in d.detectors {
                    out += Self.markdown(summary.overallTable(
                        d, testSet: t, detector: detector,
                        metrics: [.macroPrecision, .macroRecall, .macroF1, .balancedAccuracy, .mcc, .gMean],
                        title: "\(t) · \(detector)"))
                }
            }
            out += "\n### Per-class precision / recall / F1 (AE-Flow Tables 4–6 shape)\n"
            for t in d.testSets {
                for detector in d.detectors {
                    out += Self.markdown(summary.perClassTable(d, testSet: t, detector: detector, title: "\(t) · \(detector)"))
                }
            }
            if let fidelity = fidelityTable(d, title: "synthetic rows per raised class, mean over runs") {
                out += "\n### Fidelity of synthetic rows, beside recall\n" + Self.markdown(fidelity)
            }
            out += "\n### Training rows per class before and after balancing (AE-Flow Table 3 shape)\n"
            out += Self.markdown(summary.countsTable(d, title: "mean over runs"))
            let generated = records(of: d)?.balancings.filter { $0.generators?.isEmpty == false } ?? []
            if !generated.isEmpty {
                out += "\n### Deep generators: size and fidelity of the rows they made (mean column KS: 0 is best)\n"
                out += Self.markdown(ExperimentReport.generatorTable(generated))
            }
            if d.hasAttackGroups {
                out += "\n### NSL-KDD: attacks seen in training vs only in the test set\n"
                for t in d.testSets {
                    out += Self.markdown(summary.attackTable(d, testSet: t, title: t))
                }
            }
            out += "\n### Time\n"
            out += Self.markdown(summary.timeTable(d, title: "seconds, mean ± std over successful runs"))
        }
        out += failureSection(summary)
        let warnings = summary.datasets.flatMap { d in
            d.balancingSummaries.flatMap { s in s.warnings.map { "\(d.name) · \(s.method): \($0)" } }
        }
        if !warnings.isEmpty {
            out += "\n## Warnings\n\n" + warnings.map { "- " + Self.inline($0) }.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// The lines at the top of the summary: version, times, machine, seeds, legend.
    func headerLines(_ summary: ExperimentSummary) -> [String] {
        let overhead = max(0, totalSeconds - workSeconds)
        let share = totalSeconds > 0 ? String(format: " (%.1f%%)", 100 * overhead / totalSeconds) : ""
        var lines = [
            "Ballast \(ballastVersion); started \(startedAt), " + (unfinished.map { "unfinished (\($0.phrase)) as of \(finishedAt)" } ?? "finished \(finishedAt)")
                + (resumedCount > 0 ? "; resumed \(resumedCount) time\(resumedCount == 1 ? "" : "s")" : ""),
            String(format: "time: total %.1f s; balancing, fitting and predicting %.1f s; runner overhead %.1f s",
                   totalSeconds, workSeconds, overhead) + share,
            "machine: \(environment.threads) threads, BLAS \(environment.blas ?? "none (Swift kernels)"), \(environment.operatingSystem)",
        ] + seedLines() + [
            "balancings: " + spec.plannedBalancings.map(\.name).joined(separator: ", ") + "; detectors: "
                + spec.detectors.map(\.text).joined(separator: ", "),
        ]
        if let fractions = spec.labelledFractions {
            lines.append("labelled fractions: " + fractions.map(ExperimentSpec.percentText).joined(separator: ", ")
                + " of each class's training labels kept (stratified, per seed); supervised detectors see only those rows, "
                + "semi-supervised ones also the rest without labels")
        }
        if !summary.errors.isEmpty { lines.append("\(summary.failures.count) failed runs: see Failures") }
        return lines.map(Self.inline) + [
            "values in % (MCC as a coefficient), mean ± sample standard deviation over the runs that succeeded; "
                + "**bold**: best in its column (ties all bold); n/a: the class has no rows in that test set",
        ]
    }

    /// What the reader of an unfinished run's report must know, or `nil` for a finished run.
    var unfinishedNotice: String? {
        guard let unfinished else { return nil }
        return "\(unfinished.phrase) had finished when this was written (\(finishedAt)). The tables hold those cells only, "
            + "and each row's runs column says how many runs its means are over. Running the experiment again with the same "
            + "output directory continues it; when it finishes, it writes its own report and removes this one."
    }

    /// `seeds: 1, 2, 3` (or `seed: 7`), and with quick settings `quick mode: rf trained as
    /// rf:trees=30, …` naming every detector whose trained settings differ from the spec.
    func seedLines() -> [String] {
        var lines = [(spec.seeds.count == 1 ? "seed: " : "seeds: ") + spec.seeds.map(String.init).joined(separator: ", ")]
        if spec.quick {
            var seen: Set<String> = []
            let changed = datasets.flatMap(\.cells).filter { $0.trainedDetector != $0.detector }
                .map { "\($0.detector) trained as \($0.trainedDetector)" }
                .filter { seen.insert($0).inserted }
            lines.append("quick mode: " + (changed.isEmpty ? "on (no detector setting changed)" : changed.joined(separator: ", ")))
        }
        return lines
    }

    /// The warnings about a dataset's data (``DatasetResults/warnings``).
    func dataWarnings(_ d: ExperimentSummary.Dataset) -> [String] {
        datasets.first { $0.name == d.name }?.warnings ?? []
    }

    /// Per test set: the rows left out of every metric because their label never occurs in training.
    func unknownLabelLines(_ d: ExperimentSummary.Dataset) -> [String] {
        guard let data = datasets.first(where: { $0.name == d.name }) else { return [] }
        return data.testSets.compactMap { info in
            guard !info.unknownLabels.isEmpty else { return nil }
            let total = info.unknownLabels.values.reduce(0, +)
            let labels = info.unknownLabels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "test set \(info.name): \(total) rows with labels never seen in training are left out of the metrics (\(labels))"
        }
    }

    func datasetLines(_ d: ExperimentSummary.Dataset) -> [String] {
        let train = datasets.first { $0.name == d.name }?.trainCounts ?? []
        var lines = [d.description]
        lines.append("classes (rows of the training data as loaded, before any split or balancing): " + d.classNames.enumerated().map { c, name in
            c < train.count ? "\(name) \(train[c])" : name
        }.joined(separator: ", "))
        for t in d.testSets {
            if let counts = d.testCounts[t] {
                lines.append("test set \(t): " + zip(d.classNames, counts).map { "\($0) \($1)" }.joined(separator: ", "))
            }
        }
        lines += unknownLabelLines(d)
        lines.append("features after preprocessing (fitted on training rows only): \(d.featureColumns)")
        lines += dataWarnings(d).map { "warning: " + $0 }
        return lines.map(Self.inline)
    }

    private func failureSection(_ summary: ExperimentSummary) -> String {
        guard !summary.failures.isEmpty else { return "" }
        var out = "\n## Failures\n\n"
        for (n, error) in summary.errors.enumerated() {
            let runs = summary.failures.filter { $0.error == error }.map { f in
                "\(f.dataset) · \(f.balancing)" + (f.detector.map { " × \($0)" } ?? " (balancing)")
                    + " · seed \(f.seed)" + (f.fold.map { " · fold \($0)" } ?? "")
                    + (f.labelledFraction.map { " · \(ExperimentSpec.percentText($0)) labels" } ?? "")
            }
            out += "\(n + 1). " + Self.inline(runs.joined(separator: "; ")) + "\n\n"
            out += error.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n") + "\n\n"
        }
        return out
    }

    static func markdown(_ table: ReportTable) -> String {
        var out = "\n**\(inline(table.title))**\n\n" + table.textTable(markdown: true).renderMarkdown()
        if !table.notes.isEmpty { out += "\n" + table.notes.map { inline($0) }.joined(separator: "  \n") + "\n" }
        return out
    }

    static func inline(_ text: String) -> String { ReportTable.markdownInline(text) }
}
