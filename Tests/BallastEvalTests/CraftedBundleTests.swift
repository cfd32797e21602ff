import BallastCore
import BallastData
import BallastEval
import BallastLearn
import Foundation
import Testing

/// Bundles edited by hand and re-signed with a valid checksum: the reader must refuse every one
/// with a ``BundleError`` naming the field, never crash, hang or allocate what the file does not hold.
@Suite("Crafted model bundles")
struct CraftedBundleTests {
    /// One edit of the JSON payload: the path from the payload root and the value written there.
    struct Edit: CustomTestStringConvertible, Sendable {
        var model: String
        var path: [String]
        var value: @Sendable (Any) -> Any
        var field: String
        var testDescription: String { "\(model): \(path.joined(separator: ".")) → names \(field)" }
    }

    static let huge = 1 << 62

    static let edits: [Edit] = [
        Edit(model: "knn", path: ["model", "model", "training", "features", "rows"], value: { ($0 as! Int) + 10 }, field: "rows"),
        Edit(model: "knn", path: ["model", "model", "training", "features", "rows"], value: { _ in 1 << 40 }, field: "rows"),
        Edit(model: "knn", path: ["model", "model", "training", "labels", "0"], value: { _ in 99 }, field: "labels"),
        Edit(model: "knn", path: ["model", "model", "k"], value: { _ in 1 << 40 }, field: "k"),
        Edit(model: "knn", path: ["model", "model", "classWeights"], value: { _ in [1.0] }, field: "classWeights"),
        Edit(model: "dt", path: ["model", "model", "tree", "valueWidth"], value: { _ in huge }, field: "valueWidth"),
        Edit(model: "dt", path: ["model", "model", "tree", "featureCount"], value: { _ in huge }, field: "featureCount"),
        Edit(model: "dt", path: ["model", "model", "classNames"], value: { _ in ["a"] }, field: "classNames"),
        Edit(model: "rf:trees=2", path: ["model", "model", "trees", "1", "valueWidth"], value: { _ in huge }, field: "valueWidth"),
        Edit(model: "rf:trees=2", path: ["model", "model", "trees"], value: { _ in [Any]() }, field: "trees"),
        Edit(model: "gbdt:rounds=2", path: ["model", "model", "rounds"], value: { _ in huge }, field: "rounds"),
        Edit(model: "gbdt:rounds=2", path: ["model", "model", "featureCount"], value: { _ in huge }, field: "featureCount"),
        Edit(model: "gbdt:rounds=2", path: ["model", "model", "baseMargins"], value: { _ in [0.0] }, field: "baseMargins"),
        Edit(model: "lr", path: ["model", "model", "featureCount"], value: { _ in huge }, field: "featureCount"),
        Edit(model: "lr", path: ["model", "model", "intercepts"], value: { _ in [0.0] }, field: "intercepts"),
        Edit(model: "mlp:widths=4,epochs=1", path: ["model", "model", "hiddenWidths"], value: { _ in [1 << 40] }, field: "hiddenWidths"),
        Edit(model: "mlp:widths=4,epochs=1", path: ["model", "model", "hiddenWidths"], value: { _ in [huge, huge] }, field: "hiddenWidths"),
        Edit(model: "vote:members=dt+lr", path: ["model", "model", "weights"], value: { _ in [1.0] }, field: "weights"),
        Edit(model: "vote:members=dt+lr", path: ["model", "model", "members"], value: { _ in [Any]() }, field: "members"),
        Edit(model: "dt", path: ["preprocessor", "columns", "1", "imputationValue"], value: { _ in 1e300 }, field: "imputationValue"),
        Edit(model: "dt", path: ["preprocessor", "columns", "1", "imputationValue"], value: { _ in -3.0 }, field: "imputationValue"),
        Edit(model: "dt", path: ["preprocessor", "columns", "0", "factor"], value: { _ in 0.0 }, field: "factor"),
        Edit(model: "dt", path: ["preprocessor", "columns", "0", "outputRange"], value: { _ in [huge - 1, huge] }, field: "outputRange"),
        Edit(model: "dt", path: ["preprocessor", "outputColumns", "0", "sourceColumn"], value: { _ in huge }, field: "sourceColumn"),
        Edit(model: "dt", path: ["preprocessor", "oneHotGroups", "0"], value: { _ in [0, huge] }, field: "oneHotGroups"),
        Edit(model: "dt", path: ["formatVersion"], value: { _ in 2 }, field: "formatVersion"),
    ]

    /// Encoded bundles per model specification, trained once on simulated traffic.
    static let bundles: [String: Data] = {
        var rng = Xoshiro256StarStar(seed: 3)
        guard let data = try? TrafficSimulator(rowCount: 300).generate(using: &rng) else { return [:] }
        var out: [String: Data] = [:]
        for model in Set(edits.map(\.model)) {
            out[model] = try? TrainJob(model: model).run(data, format: "csv", labelColumn: "class", labelMode: "5class", seed: 1)
                .bundle.encoded()
        }
        return out
    }()

    static func bundle(_ model: String) throws -> Data {
        try #require(bundles[model], "\(model) did not train")
    }

    /// The payload of `bundle` with `edit` applied, re-signed.
    static func crafted(_ bundle: Data, _ edit: Edit) throws -> Data {
        let lines = bundle.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        let payload = try JSONSerialization.jsonObject(with: Data(lines[2]))
        let edited = try #require(Self.applying(edit, at: edit.path[...], to: payload), "path \(edit.path) not found")
        let newPayload = try JSONSerialization.data(withJSONObject: edited)
        return Data(lines[0]) + Data("\nsha256 \(SHA256.hex(newPayload))\n".utf8) + newPayload
    }

    static func applying(_ edit: Edit, at path: ArraySlice<String>, to node: Any) -> Any? {
        guard let key = path.first else { return edit.value(node) }
        if var object = node as? [String: Any], let child = object[key] {
            object[key] = applying(edit, at: path.dropFirst(), to: child)
            return object[key] == nil ? nil : object
        }
        if var array = node as? [Any], let i = Int(key), array.indices.contains(i) {
            guard let replaced = applying(edit, at: path.dropFirst(), to: array[i]) else { return nil }
            array[i] = replaced
            return array
        }
        return nil
    }

    @Test("an edited, re-signed bundle is refused naming the field", arguments: edits)
    func refused(edit: Edit) throws {
        let bytes = try Self.crafted(try Self.bundle(edit.model), edit)
        do {
            let bundle = try ModelBundle.decode(bytes, path: "crafted.bundle")
            var rng = Xoshiro256StarStar(seed: 1)
            let records = try TrafficSimulator(rowCount: 20).generate(using: &rng)
            _ = try? bundle.predict(records.features)
            Issue.record("the crafted bundle was accepted")
        } catch let error as BundleError {
            let message = error.description
            #expect(message.hasPrefix("crafted.bundle: "), "\(message)")
            #expect(message.contains(edit.field), "\(message)")
            #expect(!message.contains("Swift.DecodingError"), "\(message)")
        }
    }

    @Test("the unedited bundles of the same models still decode")
    func controls() throws {
        for model in Set(Self.edits.map(\.model)).sorted() {
            _ = try ModelBundle.decode(try Self.bundle(model), path: model)
        }
    }
}
