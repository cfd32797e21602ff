import BallastEval
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import BallastServer

@Suite("Server pages")
struct PageTests {
    @Test("The prediction form is built from the bundle's schema and validates each field on the server")
    func predictionForm() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var b = Browser(client)
            #expect(try await b.get("/predict").headers[.location] == "/login")
            try await b.signUp("pat")
            let form = try await b.get("/predict")
            #expect(form.status == .ok)
            let columns = TestModel.bundle.preprocessor.columns
            for c in columns { #expect(b.lastBody.contains("name=\"\(c.name)\""), "\(c.name)") }
            let categorical = try #require(columns.first { $0.kind == .categorical })
            #expect(b.lastBody.contains("<select id=\"f-\(columns.firstIndex { $0.name == categorical.name }!)\" name=\"\(categorical.name)\">"))
            for category in categorical.categories { #expect(b.lastBody.contains("<option value=\"\(category)\"")) }
            #expect(b.lastBody.contains("training range"))
            var fields: [String: String] = [:]
            for (k, v) in TestModel.record { fields[k] = "\(v)" }
            var bad = fields
            bad[TestModel.numericField] = "abc"
            bad[categorical.name] = "not-a-category"
            let rejected = try await b.post("/predict", bad)
            #expect(rejected.status == .unprocessableContent)
            #expect(b.lastBody.contains("&#39;abc&#39; is not a number") || b.lastBody.contains("&#x27;abc&#x27; is not a number"))
            #expect(b.lastBody.contains("is not one of"))
            #expect(b.lastBody.contains("value=\"abc\""))  // what the user typed is kept
            let result = try await b.post("/predict", fields)
            #expect(result.status == .ok)
            #expect(b.lastBody.contains("<svg"))
            #expect(b.lastBody.contains("Prediction: "))
            for name in TestModel.bundle.classNames { #expect(b.lastBody.contains(">\(name)</text>")) }
            try await b.get("/history")
            #expect(b.lastBody.contains("<td>form</td>"))
        }
    }

    @Test("Batch upload shows counts per class and offers the predictions as CSV")
    func batchUpload() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var b = Browser(client)
            try await b.signUp("quinn")
            #expect(try await b.get("/batch").status == .ok)
            let r = try await b.upload("/batch", field: "file", fileName: "flows.csv", bytes: Array(try TestModel.csv(rows: 40).utf8))
            #expect(r.status == .ok)
            #expect(b.lastBody.contains("flows.csv: 40 records"))
            #expect(b.lastBody.contains("/batch/1.csv"))
            let download = try await b.get("/batch/1.csv")
            #expect(download.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(String(buffer: download.body).split(separator: "\n").count == 41)
            let bad = try await b.upload("/batch", field: "file", fileName: "wrong.csv", bytes: Array("x,y\n1,2\n".utf8))
            #expect(bad.status == .unprocessableContent)
            #expect(b.lastBody.contains("wrong.csv"))
            #expect(b.lastBody.contains("missing"))
        }
    }

    @Test("Every page renders for an admin")
    func allPages() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var b = Browser(client)
            for path in ["/login", "/signup"] { #expect(try await b.get(path).status == .ok, "\(path)") }
            #expect(try await b.get("/").headers[.location] == "/login")
            try await b.signUp("root")
            #expect(try await b.get("/").headers[.location] == "/dashboard")
            for path in ["/dashboard", "/predict", "/batch", "/history", "/keys", "/admin/models", "/admin/users"] {
                let r = try await b.get(path)
                #expect(r.status == .ok, "\(path)")
                #expect(r.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(!b.lastBody.contains("<script"), "\(path)")
            }
            try await b.get("/dashboard")
            for name in TestModel.bundle.classNames { #expect(b.lastBody.contains("<td>\(name)</td>")) }
        }
    }

    @Test("Admin: upload (checksum verified), refuse corrupt bundles with the reason, activate, delete, manage users")
    func admin() async throws {
        try await withService(testConfiguration()) { (service, client) async throws in
            var b = Browser(client)
            try await b.signUp("admin")
            try await b.get("/admin/models")
            let garbage = try await b.upload("/admin/models", field: "bundle", fileName: "junk.bundle", bytes: Array("hello".utf8))
            #expect(garbage.status == .unprocessableContent)
            #expect(b.lastBody.contains("not a Ballast model bundle"))
            var bytes = Array(try TestModel.bundle.encoded())
            bytes[bytes.count - 10] ^= 1
            #expect(try await b.upload("/admin/models", field: "bundle", fileName: "flipped.bundle", bytes: bytes).status == .unprocessableContent)
            #expect(b.lastBody.contains("checksum mismatch"))
            let truncated = Array(try TestModel.bundle.encoded().prefix(500))
            #expect(try await b.upload("/admin/models", field: "bundle", fileName: "cut.bundle", bytes: truncated).status == .unprocessableContent)
            let files = try FileManager.default.contentsOfDirectory(atPath: service.configuration.dataDirectory + "/models")
            #expect(files.count == 1)  // nothing half-written
            // A second, different valid bundle.
            var other = TestModel.bundle
            other.options.seed = 99
            let ok = try await b.upload("/admin/models", field: "bundle", fileName: "second.bundle", bytes: Array(try other.encoded()),
                                        extra: ["activate": "1"])
            #expect(ok.status == .ok)
            #expect(b.lastBody.contains("Model 2 &#39;second.bundle&#39; registered and active") || b.lastBody.contains("registered and active"))
            #expect(service.registry.current()?.record.id == 2)
            #expect(try await b.post("/admin/models/2/delete", [:]).status == .conflict)  // the active model stays
            #expect(try await b.post("/admin/models/1/activate", [:]).status == .seeOther)
            #expect(service.registry.current()?.record.id == 1)
            #expect(try await b.post("/admin/models/2/delete", [:]).status == .seeOther)
            #expect(try await service.store.models().map(\.id) == [1])
            #expect(try FileManager.default.contentsOfDirectory(atPath: service.configuration.dataDirectory + "/models").count == 1)
            // Users: the last admin cannot be demoted; an analyst can be promoted and disabled.
            #expect(try await b.post("/admin/users/1/role", ["role": "analyst"]).status == .conflict)
            var c = Browser(client)
            try await c.signUp("analyst")
            try await b.get("/admin/users")
            #expect(try await b.post("/admin/users/2/role", ["role": "admin"]).status == .seeOther)
            #expect(try await service.store.user(id: 2)?.role == .admin)
            #expect(try await b.post("/admin/users/2/disable", [:]).status == .seeOther)
            #expect(try await c.get("/dashboard").status == .seeOther)  // disabled: session ended
        }
    }
}
