import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import BallastServer

@Suite("Server persistence")
struct PersistenceTests {
    @Test("Restarting finds every account, key, model and prediction")
    func restart() async throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keyBox = KeyBox()
        try await withService(testConfiguration(directory), removeData: false) { (_, client) async throws in
            var b = Browser(client)
            try await b.signUp("rita", "persistent pw")
            let key = try await b.createKey()
            keyBox.key = key
            let r = try await client.execute(uri: "/api/v1/predict", method: .post, headers: [.authorization: "Bearer \(key)"],
                                             body: try jsonBody(["records": [TestModel.record]]))
            #expect(r.status == .ok)
        }
        // Reopen without --model: the registry, not the option, supplies the active model.
        try await withService(testConfiguration(directory) { $0.modelPath = nil }, removeData: false) { (service, client) async throws in
            #expect(service.registry.current()?.record.id == 1)
            var b = Browser(client)
            #expect(try await b.logIn("rita", "persistent pw").status == .seeOther)
            try await b.get("/history")
            #expect(b.lastBody.contains("<td>api</td>"))
            let r = try await client.execute(uri: "/api/v1/models", method: .get, headers: [.authorization: "Bearer \(keyBox.key)"])
            #expect(r.status == .ok)
            let version = try await service.database.query("SELECT version FROM schema_version")
            #expect(version.first?.column("version")?.integer == Database.schemaVersion)
            let mode = try await service.database.query("PRAGMA journal_mode")
            #expect(mode.first?.column("journal_mode")?.string == "wal")
        }
    }

    @Test("A model file without a registry row (crash before commit) is removed at start")
    func orphanFiles() async throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withService(testConfiguration(directory), removeData: false) { (_, _) async throws in }
        let orphan = directory + "/models/deadbeef.bundle.tmp"
        _ = FileManager.default.createFile(atPath: orphan, contents: Data("half".utf8))
        try await withService(testConfiguration(directory), removeData: false) { (service, _) async throws in
            #expect(!FileManager.default.fileExists(atPath: orphan))
            #expect(try await service.store.models().count == 1)  // the same bundle is not registered twice
        }
    }

    @Test("An unusable --model is refused with the reason, before serving")
    func badModelOption() async throws {
        let directory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let junk = directory + "-junk.bundle"
        defer { try? FileManager.default.removeItem(atPath: junk) }
        _ = FileManager.default.createFile(atPath: junk, contents: Data("junk".utf8))
        await #expect(throws: ServerError.self) { _ = try await BallastService.open(testConfiguration(directory) { $0.modelPath = junk }) }
        do {
            _ = try await BallastService.open(testConfiguration(directory) { $0.modelPath = directory + "/missing.bundle" })
            Issue.record("a missing bundle was accepted")
        } catch {
            #expect("\(error)".contains("missing.bundle: cannot read the model bundle"))
        }
    }

    @Test("With no model, the demo model is trained at first start")
    func demoModel() async throws {
        try await withService(testConfiguration { $0.modelPath = nil; $0.demoRows = 800 }) { (service, _) async throws in
            let model = try #require(service.registry.current())
            #expect(model.record.name == "simulated-demo.bundle")
            #expect(model.bundle.training.source == "simulated")
            #expect(model.bundle.classNames.count == 5)
        }
    }
}

/// Carries a value out of a `@Sendable` test closure.
final class KeyBox: @unchecked Sendable {
    var key = ""
}
