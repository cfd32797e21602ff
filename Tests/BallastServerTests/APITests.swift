import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import BallastServer

@Suite("Server JSON API")
struct APITests {
    @Test("The bearer key is read case-insensitively, trimmed of spaces and tabs; other schemes are refused")
    func bearerToken() {
        #expect(BallastService.bearerToken("Bearer bk_1.abc") == "bk_1.abc")
        #expect(BallastService.bearerToken("bEaReR \t bk_1.abc \t ") == "bk_1.abc")
        #expect(BallastService.bearerToken("Bearer ") == "")
        #expect(BallastService.bearerToken("Bearer") == nil)
        #expect(BallastService.bearerToken("Basic dXNlcjpwYXNz") == nil)
        #expect(BallastService.bearerToken("Bearerx key") == nil)
        #expect(BallastService.bearerToken("Bearer ключ") == "ключ")
    }

    @Test("API keys: required, checked, revocable")
    func keys() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            #expect(try await client.execute(uri: "/api/v1/models", method: .get).status == .unauthorized)
            let bad = try await client.execute(uri: "/api/v1/models", method: .get, headers: [.authorization: "Bearer bk_00.00"])
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate] == "Bearer")
            var b = Browser(client)
            try await b.signUp("kim")
            let key = try await b.createKey()
            let ok = try await client.execute(uri: "/api/v1/models", method: .get, headers: [.authorization: "Bearer \(key)"])
            #expect(ok.status == .ok)
            let models = try #require(try jsonObject(ok)["models"] as? [[String: Any]])
            #expect(models.count == 1)
            #expect(models[0]["active"] as? Bool == true)
            let wrongSecret = String(key.dropLast()) + (key.hasSuffix("0") ? "1" : "0")
            #expect(try await client.execute(uri: "/api/v1/models", method: .get, headers: [.authorization: "Bearer \(wrongSecret)"]).status == .unauthorized)
            let id = String(key.prefix { $0 != "." })
            try await b.get("/keys")
            try await b.post("/keys/\(id)/revoke", [:])
            #expect(try await client.execute(uri: "/api/v1/models", method: .get, headers: [.authorization: "Bearer \(key)"]).status == .unauthorized)
        }
    }

    @Test("POST /api/v1/predict returns a class and probabilities per record; bad records name the field")
    func predict() async throws {
        try await withService(testConfiguration()) { (service, client) async throws in
            var b = Browser(client)
            try await b.signUp("lee")
            let key = try await b.createKey()
            let auth: HTTPFields = [.authorization: "Bearer \(key)", .contentType: "application/json"]
            let good = try await client.execute(uri: "/api/v1/predict", method: .post, headers: auth,
                                                body: try jsonBody(["records": [TestModel.record, TestModel.record]]))
            #expect(good.status == .ok, "\(String(buffer: good.body))")
            let predictions = try #require(try jsonObject(good)["predictions"] as? [[String: Any]])
            #expect(predictions.count == 2)
            let p = try #require(predictions[0]["probabilities"] as? [String: Double])
            #expect(Set(p.keys) == Set(TestModel.bundle.classNames))
            #expect(abs(p.values.reduce(0, +) - 1) < 1e-4)
            let cls = try #require(predictions[0]["class"] as? String)
            #expect(p[cls] == p.values.max())
            // Same answer as the bundle itself.
            let record = try JSONDecoder().decode([String: JSONValue].self, from: JSONSerialization.data(withJSONObject: TestModel.record))
            let direct = try TestModel.bundle.predict(try #require(try? RecordDecoder(bundle: TestModel.bundle)
                .decode([record.mapValues(FieldValue.init(json:))], fieldName: { "\($1)" }).get()))
            #expect(cls == TestModel.bundle.classNames[direct.labels[0]])

            var missing = TestModel.record
            missing[TestModel.numericField] = nil
            let r1 = try await client.execute(uri: "/api/v1/predict", method: .post, headers: auth, body: try jsonBody(["records": [TestModel.record, missing]]))
            #expect(r1.status == .unprocessableContent)
            #expect(try jsonObject(r1)["field"] as? String == "records[1].\(TestModel.numericField)")
            var text = TestModel.record
            text[TestModel.numericField] = "twelve"
            let r2 = try await client.execute(uri: "/api/v1/predict", method: .post, headers: auth, body: try jsonBody(["records": [text]]))
            #expect(r2.status == .unprocessableContent)
            #expect((try jsonObject(r2)["error"] as? String)?.contains("'twelve' is not a number") == true)
            var extra = TestModel.record
            extra["no_such_feature"] = 1
            let r3 = try await client.execute(uri: "/api/v1/predict", method: .post, headers: auth, body: try jsonBody(["records": [extra]]))
            #expect(try jsonObject(r3)["field"] as? String == "records[0].no_such_feature")
            var flag = TestModel.record
            flag[TestModel.numericField] = true
            let rb = try await client.execute(uri: "/api/v1/predict", method: .post, headers: auth, body: try jsonBody(["records": [flag]]))
            #expect((try jsonObject(rb)["error"] as? String)?.contains("found a boolean") == true)
            var nested = TestModel.record
            nested[TestModel.categoricalField] = ["a": 1]
            #expect(try await client.execute(uri: "/api/v1/predict", method: .post, headers: auth, body: try jsonBody(["records": [nested]])).status
                == .unprocessableContent)
            for body in ["not json", "[1,2]", "{\"records\": []}", "{\"records\": [1]}", "{\"records\": {}}", "null"] {
                let r = try await client.execute(uri: "/api/v1/predict", method: .post, headers: auth, body: ByteBuffer(string: body))
                #expect(r.status == .badRequest || r.status == .unprocessableContent, "\(body)")
                #expect(try jsonObject(r)["error"] is String)
            }
            let users = try await service.store.users()
            let audit = try await service.store.history(userID: users[0].id)
            #expect(audit.count == 1)  // only the successful request
            #expect(audit[0].rows == 2 && audit[0].source == "api" && audit[0].inputSHA256.count == 64)
        }
    }

    @Test("Concurrent predictions each reach the audit trail before they are answered (group commit)")
    func concurrentAudit() async throws {
        try await withService(testConfiguration()) { (service, client) async throws in
            var b = Browser(client)
            try await b.signUp("ann")
            let key = try await b.createKey()
            let auth: HTTPFields = [.authorization: "Bearer \(key)", .contentType: "application/json"]
            let body = try jsonBody(["records": [TestModel.record]])
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await client.execute(uri: "/api/v1/predict", method: .post, headers: auth, body: body).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.count == 40 && statuses.allSatisfy { $0 == .ok })
            let user = try #require(try await service.store.user(named: "ann"))
            let history = try await service.store.history(userID: user.id)
            #expect(history.filter { $0.source == "api" }.count == 40)
            #expect(Set(history.map(\.id)).count == history.count)
        }
    }

    @Test("POST /api/v1/predict/batch scores a CSV body like `ballast predict`")
    func batch() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var b = Browser(client)
            try await b.signUp("max")
            let key = try await b.createKey()
            let csv = try TestModel.csv(rows: 50)
            let r = try await client.execute(uri: "/api/v1/predict/batch", method: .post, headers: [.authorization: "Bearer \(key)"],
                                             body: ByteBuffer(string: csv))
            #expect(r.status == .ok)
            let body = try jsonObject(r)
            #expect(body["rows"] as? Int == 50)
            #expect((body["predicted"] as? [String])?.count == 50)
            #expect((body["counts"] as? [String: Int])?.values.reduce(0, +) == 50)
            let asCSV = try await client.execute(uri: "/api/v1/predict/batch", method: .post,
                                                 headers: [.authorization: "Bearer \(key)", .accept: "text/csv"], body: ByteBuffer(string: csv))
            let lines = String(buffer: asCSV.body).split(separator: "\n")
            #expect(lines.count == 51)
            #expect(lines[0].hasPrefix("predicted,p_"))
            #expect(lines[0].hasSuffix(",label"))
            let broken = try await client.execute(uri: "/api/v1/predict/batch", method: .post, headers: [.authorization: "Bearer \(key)"],
                                                  body: ByteBuffer(string: "a,b\n1,2\n"))
            #expect(broken.status == .unprocessableContent)
            #expect((try jsonObject(broken)["error"] as? String)?.contains("missing") == true)
        }
    }

    @Test("healthz, metrics and the OpenAPI document")
    func operational() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(try jsonObject(health)["status"] as? String == "ok")
            let doc = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            let spec = try jsonObject(doc)
            #expect(spec["openapi"] as? String == "3.1.0")
            let paths = try #require(spec["paths"] as? [String: Any])
            #expect(Set(paths.keys) == ["/api/v1/predict", "/api/v1/predict/batch", "/api/v1/models", "/healthz", "/metrics"])
            var b = Browser(client)
            try await b.signUp("nina")
            let key = try await b.createKey()
            _ = try await client.execute(uri: "/api/v1/predict", method: .post, headers: [.authorization: "Bearer \(key)"],
                                         body: try jsonBody(["records": [TestModel.record]]))
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"ballast_http_requests_total{method="POST",route="/api/v1/predict",status="200"} 1"#))
            #expect(metrics.contains("ballast_http_request_duration_seconds_bucket"))
            #expect(metrics.contains("ballast_predictions_total{"))
        }
    }
}
