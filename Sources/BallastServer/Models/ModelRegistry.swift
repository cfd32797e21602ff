import BallastCore
import BallastData
import BallastEval
import Foundation

/// A loaded model: its registry row and the decoded bundle.
public struct LoadedModel: Sendable {
    public var record: ModelRecord
    public var bundle: ModelBundle
    /// The bundle's field checks, built once per activation rather than per request.
    public let decoder: RecordDecoder

    public init(record: ModelRecord, bundle: ModelBundle) {
        self.record = record
        self.bundle = bundle
        decoder = RecordDecoder(bundle: bundle)
    }
}

/// The model bundles the service knows: files under `DATA/models/`, rows in the `models` table, and
/// the active bundle decoded in memory.
///
/// An upload is verified (``ModelBundle/decode(_:path:)`` checks header, checksum and consistency),
/// written to a temporary file and renamed into place, and only then recorded in the database in
/// one transaction; a file without a row (a crash between the two) is removed at the next start.
public actor ModelRegistry {
    private let store: Store
    private let directory: String
    /// The active model, behind a lock rather than the actor: every request reads it, and a read
    /// must not queue behind an upload being verified (the actor's other work).
    private nonisolated let activeModel = ActiveModel()
    private var active: LoadedModel? {
        get { activeModel.value }
        set { activeModel.value = newValue }
    }

    init(store: Store, directory: String) {
        self.store = store
        self.directory = directory
    }

    /// The active model, if any (read without a hop to the actor).
    public nonisolated func current() -> LoadedModel? { activeModel.value }

    /// Loads the active model's bundle and removes files no row refers to.
    func start() async throws {
        let records = try await store.models()
        let known = Set(records.map(\.file))
        if let files = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for file in files where !known.contains(file) {
                try? FileManager.default.removeItem(atPath: directory + "/" + file)
            }
        }
        if let record = try await store.activeModel() { try await load(record) }
    }

    private func load(_ record: ModelRecord) async throws {
        let path = directory + "/" + record.file
        do {
            active = LoadedModel(record: record, bundle: try ModelBundle.read(from: path))
        } catch {
            throw ServerError.model("model \(record.id) '\(record.name)': \(error)")
        }
    }

    /// Verifies, stores and registers a bundle.
    /// - Parameters:
    ///   - bytes: the bundle file's bytes.
    ///   - name: the name shown in the registry (the uploaded file name).
    ///   - activate: whether it becomes the active model.
    /// - Returns: the registry row (the existing one when the same bundle was registered before).
    /// - Throws: ``ServerError/model(_:)`` with the reason a bundle is refused.
    @discardableResult
    func register(bytes: Data, name: String, uploadedBy: Int?, activate: Bool) async throws -> ModelRecord {
        let bundle: ModelBundle
        do {
            bundle = try ModelBundle.decode(bytes, path: name)
        } catch {
            throw ServerError.model("\(error)")
        }
        let sha = SHA256.hex(bytes)
        if let existing = try await store.model(sha256: sha) {
            if activate { try await self.activate(id: existing.id) }
            return try await store.model(id: existing.id) ?? existing
        }
        let file = sha + ".bundle"
        let path = directory + "/" + file
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw ServerError.storage("cannot store the model: \(error)")
        }
        let id: Int
        do {
            id = try await store.insertModel(name: name, file: file, sha256: sha, summary: Self.summary(bundle), uploadedBy: uploadedBy,
                                             activate: activate)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        guard let record = try await store.model(id: id) else { throw ServerError.storage("model \(id) vanished after insert") }
        if activate { active = LoadedModel(record: record, bundle: bundle) }
        return record
    }

    /// Makes a registered model the active one.
    /// - Throws: ``ServerError/model(_:)`` when there is no such model or its file cannot be read.
    func activate(id: Int) async throws {
        guard let record = try await store.model(id: id) else { throw ServerError.model("no model with id \(id)") }
        let path = directory + "/" + record.file
        let bundle: ModelBundle
        do { bundle = try ModelBundle.read(from: path) } catch { throw ServerError.model("model \(id): \(error)") }
        try await store.activateModel(id: id)
        var activeRecord = record
        activeRecord.active = true
        active = LoadedModel(record: activeRecord, bundle: bundle)
    }

    /// Deletes a model that is not active (row first, then file).
    /// - Throws: ``ServerError/model(_:)`` for the active model or an unknown id.
    func delete(id: Int) async throws {
        guard let record = try await store.model(id: id) else { throw ServerError.model("no model with id \(id)") }
        guard !record.active else { throw ServerError.model("model \(id) is active; activate another model before deleting it") }
        try await store.deleteModel(id: id)
        try? FileManager.default.removeItem(atPath: directory + "/" + record.file)
    }

    /// A one-line description of a bundle for the registry list.
    static func summary(_ bundle: ModelBundle) -> String {
        let classes = zip(bundle.classNames, bundle.training.classCounts).map { "\($0) \($1)" }.joined(separator: ", ")
        return "\(bundle.options.model)\(bundle.options.balance.map { " + \($0)" } ?? ""), \(bundle.training.rows) rows "
            + "(\(bundle.training.source)): \(classes)"
    }

    /// Trains the demo model on simulated traffic (the data `ballast demo` uses).
    static func trainDemo(rows: Int, seed: UInt64 = 7) throws -> ModelBundle {
        var rng = Xoshiro256StarStar(seed: seed)
        let data = try TrafficSimulator(rowCount: rows).generate(using: &rng)
        return try TrainJob(model: "gbdt:rounds=60").run(data, format: "csv", labelColumn: "label", labelMode: "5class", seed: seed).bundle
    }
}

/// The active model, guarded by a lock: read by every request, replaced on activation.
private final class ActiveModel: @unchecked Sendable {
    private let lock = NSLock()
    private var model: LoadedModel?

    var value: LoadedModel? {
        get { lock.withLock { model } }
        set { lock.withLock { model = newValue } }
    }
}
