import BallastCore
import BallastData
import BallastEval
import BallastLearn
import Foundation
import Testing

/// Model bundles: round trip, and every way a file can be unusable.
@Suite("Model bundle")
struct ModelBundleTests {
    static func trained(model: String = "dt:depth=6", balance: String? = "smote") throws -> (TrainOutcome, LabeledTable) {
        var rng = Xoshiro256StarStar(seed: 2)
        let data = try TrafficSimulator(rowCount: 1500).generate(using: &rng)
        let outcome = try TrainJob(model: model, balance: balance).run(data, format: "csv", labelColumn: "class",
                                                                       labelMode: "5class", seed: 9)
        return (outcome, data)
    }

    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ballast-bundle-\(UUID().uuidString).bundle").path
    }

    @Test("a written bundle reads back and predicts identically, with options and fingerprint kept")
    func roundTrip() throws {
        let (outcome, data) = try Self.trained()
        let file = Self.path()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try outcome.bundle.write(to: file)
        let back = try ModelBundle.read(from: file)
        #expect(back.options == outcome.bundle.options)
        #expect(back.training == outcome.bundle.training)
        #expect(back.options.balance == "smote" && back.options.model == "dt:depth=6")
        #expect(outcome.after.allSatisfy { $0 == outcome.after[0] }, "smote balances every class")
        let a = try outcome.bundle.predict(data.features), b = try back.predict(data.features)
        #expect(a.probabilities == b.probabilities && a.labels == b.labels)
        let evaluation = try back.evaluate(data.features, labels: data.labels.map { data.classNames[$0] })
        #expect(evaluation.report.accuracy > 0.6 && evaluation.unknownLabels.isEmpty)
    }

    @Test("truncated, altered, foreign and newer files are refused with a message saying which")
    func refusals() throws {
        let (outcome, _) = try Self.trained(model: "lr", balance: nil)
        let bytes = try outcome.bundle.encoded()
        #expect(throws: BundleError.checksumMismatch(path: "t")) { try ModelBundle.decode(bytes.prefix(bytes.count - 10), path: "t") }
        var altered = bytes
        altered[altered.count - 20] ^= 0x01
        #expect(throws: BundleError.checksumMismatch(path: "a")) { try ModelBundle.decode(altered, path: "a") }
        #expect(throws: BundleError.notABundle(path: "f")) { try ModelBundle.decode(Data("duration,protocol\n1,tcp\n".utf8), path: "f") }
        let newer = Data("BALLAST-BUNDLE 99\n".utf8) + bytes.drop { $0 != UInt8(ascii: "\n") }.dropFirst()
        do {
            _ = try ModelBundle.decode(newer, path: "n")
            Issue.record("a newer bundle was accepted")
        } catch let error as BundleError {
            #expect(error == .newerFormat(path: "n", found: 99, supported: ModelBundle.currentFormatVersion))
            #expect(error.description.contains("newer") && error.description.contains("upgrade"))
        }
        #expect(throws: DataError.self) { try ModelBundle.read(from: "/nonexistent/model.bundle") }
    }

    @Test("records with a missing feature column are refused naming it; labels the model never saw are left out and counted")
    func wrongColumnsAndUnknownLabels() throws {
        let (outcome, data) = try Self.trained(model: "dt", balance: nil)
        var missing = data.features
        let removed = missing.columns.remove(at: 4)
        #expect(throws: PreprocessingError.missingColumn(removed.name)) { try outcome.bundle.predict(missing) }
        var labels = data.labels.map { data.classNames[$0] }
        labels[0] = "worm"
        labels[1] = "worm"
        let evaluation = try outcome.bundle.evaluate(data.features, labels: labels)
        #expect(evaluation.unknownLabels == ["worm": 2])
        #expect(evaluation.report.total == data.rowCount - 2)
        #expect(evaluation.renderPlain().contains("worm (2)"))
    }

    @Test("--class-weight is passed to the classifier and conflicts are refused")
    func classWeight() throws {
        let job = TrainJob(model: "dt:depth=3", classWeight: "balanced")
        #expect(try job.modelSpecification().description == "dt:class-weight=balanced,depth=3")
        #expect(throws: CatalogError.self) { try TrainJob(model: "dt:class-weight=none", classWeight: "balanced").modelSpecification() }
    }
}

/// Every catalogue detector survives the bundle file round trip with identical predictions.
@Suite("Model bundle round trip per detector")
struct ModelBundleCatalogTests {
    @Test("bundle → file → bundle predicts identically", arguments: Catalog.classifiers.map(\.name))
    func roundTrip(name: String) throws {
        let spec = ["rf": "rf:trees=5", "gbdt": "gbdt:rounds=5", "vote": "vote"][name] ?? name
        var rng = Xoshiro256StarStar(seed: 4)
        let data = try TrafficSimulator(rowCount: 600).generate(using: &rng)
        let outcome = try TrainJob(model: spec).run(data, format: "csv", labelColumn: "class", labelMode: "5class", seed: 1)
        let back = try ModelBundle.decode(try outcome.bundle.encoded(), path: name)
        #expect(back.model.kind == outcome.bundle.model.kind)
        let a = try outcome.bundle.predict(data.features), b = try back.predict(data.features)
        #expect(a.probabilities == b.probabilities)
    }
}

/// Evaluation scores the records block by block (bounded memory, progress); the result is the
/// result of one whole prediction.
@Suite("Model bundle evaluation in blocks")
struct ModelBundleBlockEvaluationTests {
    @Test("any block size gives the same report, unseen categories and progress up to every record")
    func blocks() throws {
        let (outcome, data) = try ModelBundleTests.trained(model: "gbdt:rounds=5", balance: nil)
        let labels = data.labels.map { data.classNames[$0] }
        let whole = try outcome.bundle.evaluate(data.features, labels: labels, blockRows: data.rowCount)
        let reports = ProgressLog()
        let blocked = try WorkProgress.reporting(to: { _, done, total in reports.add(done, total) }) {
            try outcome.bundle.evaluate(data.features, labels: labels, blockRows: 97)
        }
        #expect(blocked.report == whole.report)
        #expect(blocked.unseenCategories == whole.unseenCategories && blocked.rows == whole.rows)
        #expect(reports.values.count == (data.rowCount + 96) / 97)
        #expect(reports.values.last.map { $0 == (data.rowCount, data.rowCount) } == true)
    }
}

private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(Int, Int)] = []
    func add(_ done: Int, _ total: Int) { lock.lock(); stored.append((done, total)); lock.unlock() }
    var values: [(Int, Int)] { lock.lock(); defer { lock.unlock() }; return stored }
}
