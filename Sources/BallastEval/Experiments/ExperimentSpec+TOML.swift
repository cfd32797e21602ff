import BallastData
import Foundation

extension ExperimentSpec {
    /// Reads a specification from TOML.
    ///
    /// ```toml
    /// name = "nsl-kdd-table2"
    /// balancings = ["ros", "smote", "borderline-smote", "kmeans-smote", "svm-smote"]
    /// detectors = ["dt"]
    /// seeds = [1, 2, 3]            # or a count: seeds = 3  (→ 1, 2, 3)
    /// labelled-fractions = [0.05]   # optional: keep 5% of the labels (a grid axis like seeds)
    ///
    /// [preprocessing]               # optional
    /// scaling = "zscore"            # zscore | minmax | minmax-sym | none
    ///
    /// [[dataset]]
    /// name = "nsl-kdd"
    /// source = "nsl-kdd"            # nsl-kdd | csv | simulator
    /// directory = "../shared/datasets/nsl-kdd"
    /// tests = ["KDDTest+.txt", "KDDTest-21.txt"]
    /// ```
    ///
    /// Relative paths are resolved against `baseDirectory` (the spec file's directory).
    /// - Parameters:
    ///   - toml: the file's text.
    ///   - file: the file name, for messages.
    ///   - baseDirectory: the directory relative paths are resolved against.
    /// - Throws: ``ExperimentError/specSyntax(file:line:message:)`` for syntax errors, unknown keys,
    ///   values of the wrong type and balancings or detectors the catalogue refuses, naming the line
    ///   (and the entry).
    public init(toml: String, file: String, baseDirectory: String) throws {
        let document = try TOMLDocument(parsing: toml, file: file)
        let reader = TOMLSpecReader(file: file, base: baseDirectory)
        self = try reader.spec(document.root)
    }

    /// Reads a specification file (see ``init(toml:file:baseDirectory:)``).
    /// - Throws: ``ExperimentError`` for syntax and content errors; ``DataError`` when the file cannot be read.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DataError(exists ? .unreadable : .fileNotFound, "\(path): cannot read the experiment specification")
        }
        let text = String(decoding: data, as: UTF8.self)
        try self.init(toml: text, file: path, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

/// Maps a parsed TOML document onto ``ExperimentSpec``, with messages that name the line.
struct TOMLSpecReader {
    let file: String
    let base: String

    typealias Table = TOMLDocument.Table

    func fail(_ table: Table, _ key: String?, _ message: String) -> ExperimentError {
        .specSyntax(file: file, line: key.flatMap { table.lines[$0] } ?? table.headerLine, message: message)
    }

    func checkKeys(_ table: Table, allowed: [String], context: String) throws {
        for key in table.keys where !allowed.contains(key) {
            throw fail(table, key, "unknown key '\(key)' in \(context); accepted: \(allowed.joined(separator: ", "))")
        }
    }

    func string(_ table: Table, _ key: String) throws -> String? {
        switch table[key] {
        case nil: return nil
        case .string(let s): return s
        default: throw fail(table, key, "'\(key)' must be a string in quotes")
        }
    }

    func strings(_ table: Table, _ key: String) throws -> [String]? {
        switch table[key] {
        case nil: return nil
        case .string(let s): return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .array(let items):
            return try items.map {
                guard case .string(let s) = $0 else { throw fail(table, key, "'\(key)' must be a list of strings") }
                return s
            }
        default: throw fail(table, key, "'\(key)' must be a list of strings, e.g. [\"a\", \"b\"]")
        }
    }

    func int(_ table: Table, _ key: String) throws -> Int? {
        switch table[key] {
        case nil: return nil
        case .integer(let v): return v
        default: throw fail(table, key, "'\(key)' must be an integer")
        }
    }

    func double(_ table: Table, _ key: String) throws -> Double? {
        switch table[key] {
        case nil: return nil
        case .integer(let v): return Double(v)
        case .float(let v): return v
        default: throw fail(table, key, "'\(key)' must be a number")
        }
    }

    func bool(_ table: Table, _ key: String) throws -> Bool? {
        switch table[key] {
        case nil: return nil
        case .boolean(let v): return v
        default: throw fail(table, key, "'\(key)' must be true or false")
        }
    }

    func path(_ text: String?) -> String? {
        guard let text else { return nil }
        if text.hasPrefix("/") || base.isEmpty { return text }
        return URL(fileURLWithPath: base).appendingPathComponent(text).standardizedFileURL.path
    }

    func spec(_ root: Table) throws -> ExperimentSpec {
        try checkKeys(root, allowed: ["name", "balancings", "detectors", "seeds", "labelled-fractions", "quick", "preprocessing", "dataset", "reference", "notes"],
                      context: "the experiment")
        var seeds: [UInt64] = [1, 2, 3]
        switch root["seeds"] {
        case nil: break
        case .integer(let count):
            guard (1...1000).contains(count) else { throw fail(root, "seeds", "seeds = \(count): give a count from 1 to 1000 or a list") }
            seeds = (1...count).map { UInt64($0) }
        case .array(let items):
            seeds = try items.map {
                guard case .integer(let v) = $0, v >= 0 else { throw fail(root, "seeds", "seeds must be non-negative integers") }
                return UInt64(v)
            }
        default: throw fail(root, "seeds", "seeds must be a count (3) or a list ([1, 2, 3])")
        }
        var labelledFractions: [Double]?
        switch root["labelled-fractions"] {
        case nil: break
        case .array(let items):
            labelledFractions = try items.map {
                switch $0 {
                case .float(let v): return v
                case .integer(let v): return Double(v)
                default: throw fail(root, "labelled-fractions", "labelled-fractions must be a list of numbers, e.g. [0.01, 0.05, 0.1]")
                }
            }
            do { try ExperimentSpec.validateLabelledFractions(labelledFractions) } catch let error as ExperimentError {
                guard case .invalidSpec(let message) = error else { throw error }
                throw fail(root, "labelled-fractions", message)
            }
        default: throw fail(root, "labelled-fractions", "labelled-fractions must be a list of numbers, e.g. [0.01, 0.05, 0.1]")
        }
        var preprocessing = PreprocessingChoice()
        if let value = root["preprocessing"] {
            guard case .table(let table) = value else { throw fail(root, "preprocessing", "preprocessing must be a [preprocessing] table") }
            try checkKeys(table, allowed: ["scaling", "log", "categorical"], context: "[preprocessing]")
            preprocessing = PreprocessingChoice(scaling: try string(table, "scaling") ?? "zscore", log: try string(table, "log") ?? "auto",
                                                categorical: try string(table, "categorical") ?? "onehot")
        }
        var datasets: [ExperimentDataset] = []
        switch root["dataset"] {
        case nil: break
        case .tables(let tables): datasets = try tables.map(dataset)
        default: throw fail(root, "dataset", "datasets are given as [[dataset]] tables")
        }
        var references: [ReferenceRow] = []
        switch root["reference"] {
        case nil: break
        case .tables(let tables): references = try tables.map(reference)
        default: throw fail(root, "reference", "references are given as [[reference]] tables")
        }
        let balancings = try (strings(root, "balancings") ?? []).map { text in
            do { return try BalancingChoice(parsing: text) } catch { throw fail(root, "balancings", "balancing '\(text)': \(error)") }
        }
        let detectors = try (strings(root, "detectors") ?? []).map { text in
            do { return try DetectorChoice(parsing: text) } catch { throw fail(root, "detectors", "detector '\(text)': \(error)") }
        }
        return ExperimentSpec(name: try string(root, "name") ?? "experiment", datasets: datasets,
                              balancings: balancings, detectors: detectors,
                              seeds: seeds, labelledFractions: labelledFractions, quick: try bool(root, "quick") ?? false, preprocessing: preprocessing,
                              references: references, notes: try string(root, "notes"))
    }

    func reference(_ table: Table) throws -> ReferenceRow {
        let fixed = ["source", "test-set", "balancing", "detector", "tolerance"]
        // Per-class recalls are `recall-CLASS` keys (`recall-U2R = 58.5`).
        let recalls = table.keys.filter { $0.hasPrefix("recall-") && $0.count > 7 }.sorted()
        try checkKeys(table, allowed: fixed + ReferenceRow.metrics + recalls, context: "[[reference]]")
        guard let balancing = try string(table, "balancing") else { throw fail(table, nil, "[[reference]] needs balancing = \"…\"") }
        var values: [String: Double] = [:]
        for metric in ReferenceRow.metrics + recalls {
            if let v = try double(table, metric) { values[metric] = v }
        }
        guard !values.isEmpty else {
            throw fail(table, nil, "[[reference]] for '\(balancing)' gives no values; add e.g. accuracy = 75.88 (percent)")
        }
        return ReferenceRow(source: try string(table, "source") ?? "reference", testSet: try string(table, "test-set") ?? "KDDTest+",
                            balancing: balancing, detector: try string(table, "detector") ?? "dt",
                            tolerance: try double(table, "tolerance"), values: values)
    }

    func dataset(_ table: Table) throws -> ExperimentDataset {
        try checkKeys(table, allowed: ["name", "source", "directory", "train", "tests", "label-mode", "path", "test", "label", "drop",
                                       "rows", "split", "test-fraction", "folds"], context: "[[dataset]]")
        let sourceText = try string(table, "source") ?? "csv"
        guard let source = ExperimentDataset.Source(rawValue: sourceText) else {
            throw fail(table, "source", "source '\(sourceText)': expected nsl-kdd, csv or simulator")
        }
        let defaultSplit: ExperimentDataset.Split = source == .simulator ? .holdout : (source == .csv && table["test"] == nil ? .holdout : .fixed)
        let splitText = try string(table, "split") ?? defaultSplit.rawValue
        guard let split = ExperimentDataset.Split(rawValue: splitText) else {
            throw fail(table, "split", "split '\(splitText)': expected fixed, holdout or kfold")
        }
        var labelMode: NSLKDD.LabelMode?
        if let text = try string(table, "label-mode") {
            guard let mode = NSLKDD.LabelMode(rawValue: text) else {
                throw fail(table, "label-mode", "label-mode '\(text)': expected 5class or binary")
            }
            labelMode = mode
        }
        let name = try string(table, "name") ?? (source == .nslKDD ? "nsl-kdd" : source == .simulator ? "simulated" : "data")
        return ExperimentDataset(
            name: name, source: source, directory: path(try string(table, "directory")), train: try string(table, "train"),
            tests: try strings(table, "tests"), labelMode: labelMode, path: path(try string(table, "path")),
            test: path(try string(table, "test")), label: try string(table, "label"), drop: try strings(table, "drop"),
            rows: try int(table, "rows"), split: split, testFraction: try double(table, "test-fraction"), folds: try int(table, "folds"))
    }
}
