import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
@testable import BallastServer

@Suite("Server security")
struct SecurityTests {
    @Test("Every form refuses a request without the CSRF token")
    func csrf() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var b = Browser(client)
            try await b.get("/login")
            #expect(try await b.post("/signup", ["name": "a", "password": "long enough"], csrf: false).status == .forbidden)
            #expect(try await b.post("/login", ["name": "a", "password": "long enough"], csrf: false).status == .forbidden)
            try await b.signUp("mallory-target")
            var fields: [String: String] = [:]
            for (k, v) in TestModel.record { fields[k] = "\(v)" }
            for path in ["/predict", "/keys", "/logout", "/admin/models/1/activate", "/admin/users/1/role"] {
                #expect(try await b.post(path, fields, csrf: false).status == .forbidden, "\(path)")
                #expect(try await b.post(path, fields.merging(["csrf": String(repeating: "0", count: 48)]) { a, _ in a }, csrf: false).status == .forbidden, "\(path)")
            }
            #expect(try await b.upload("/batch", field: "file", fileName: "a.csv", bytes: Array(try TestModel.csv(rows: 3).utf8),
                                       extra: ["csrf": "bad"]).status == .forbidden)
            #expect(try await b.get("/dashboard").status == .ok)  // still logged in: logout without a token did nothing
        }
    }

    @Test("Login is rate limited per account and address with back-off; sign-up per address")
    func rateLimit() async throws {
        try await withService(testConfiguration { $0.freeLoginAttempts = 2 }) { (_, client) async throws in
            var owner = Browser(client)
            try await owner.signUp("olga", "right password")
            var attacker = Browser(client)
            // Wrong guesses: refused (401), then deferred (429) once back-off starts.
            var statuses: [HTTPResponse.Status] = []
            for i in 0..<4 { statuses.append(try await attacker.logIn("olga", "guess \(i)").status) }
            #expect(statuses.prefix(2) == [.unauthorized, .unauthorized])
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests })
            // Back-off now lasts at least 2^3 s: even the right password is deferred.
            let blocked = try await attacker.logIn("olga", "right password")
            #expect(blocked.status == .tooManyRequests)
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(attacker.cookies["ballast_session"] == nil)
            // Per address too: from the same address, another account is deferred as well.
            var sprayer = Browser(client)
            #expect(try await sprayer.logIn("bob", "any password").status == .tooManyRequests)
            // Sign-ups from one address: every attempt counts (olga's was the first); back-off after 2.
            var signups: [HTTPResponse.Status] = []
            for i in 0..<5 {
                var visitor = Browser(client)
                signups.append(try await visitor.signUp("visitor\(i)").status)
            }
            #expect(signups[0] == .seeOther)
            #expect(signups.suffix(2) == [.tooManyRequests, .tooManyRequests])
        }
        let limiter = RateLimiter(freeAttempts: 2)
        let t0 = Date(timeIntervalSince1970: 1000)
        await limiter.fail(["k"], now: t0)
        #expect(await limiter.retryAfter(["k"], now: t0) == 0)
        await limiter.fail(["k"], now: t0)
        #expect(await limiter.retryAfter(["k"], now: t0) == 2)
        await limiter.fail(["k"], now: t0)
        #expect(await limiter.retryAfter(["k"], now: t0) == 4)  // doubles
        #expect(await limiter.retryAfter(["k"], now: t0 + 5) == 0)
        await limiter.succeed(["k"])
        #expect(await limiter.retryAfter(["k"], now: t0) == 0)
        // A success clears only the keys it is given: the address's count survives the account's.
        for _ in 0..<3 { await limiter.fail(["addr", "name"], now: t0) }
        await limiter.succeed(["name"])
        #expect(await limiter.retryAfter(["name"], now: t0) == 0)
        #expect(await limiter.retryAfter(["addr"], now: t0) > 0)
    }

    @Test("SQL-injection strings are plain data as user names, feature values and file names")
    func sqlInjection() async throws {
        try await withService(testConfiguration()) { (service, client) async throws in
            let evil = "x'); DROP TABLE users; --"
            var b = Browser(client)
            #expect(try await b.signUp(evil, "long enough pw").status == .seeOther)
            #expect(try await b.logIn(evil, "long enough pw").status == .seeOther)
            #expect(try await b.logIn("' OR '1'='1", "' OR '1'='1").status == .unauthorized)
            let key = try await b.createKey()
            var record = TestModel.record
            record[TestModel.categoricalField] = "' OR 1=1; DELETE FROM predictions; --"
            let r = try await client.execute(uri: "/api/v1/predict", method: .post, headers: [.authorization: "Bearer \(key)"],
                                             body: try jsonBody(["records": [record]]))
            #expect(r.status == .ok)
            let body = try jsonObject(r)
            #expect((body["unseen_categories"] as? [String: Int])?[TestModel.categoricalField] == 1)
            let upload = try await b.upload("/batch", field: "file", fileName: "a'; DROP TABLE predictions; --.csv",
                                            bytes: Array(try TestModel.csv(rows: 5).utf8))
            #expect(upload.status == .ok)
            let users = try await service.store.users()
            #expect(users.map(\.name) == [evil])
            #expect(try await service.store.history(userID: users[0].id).count == 2)
            try await b.get("/history")
            #expect(b.lastBody.contains("a&#39;; DROP TABLE predictions; --.csv"), "\(b.lastBody.suffix(800))")
        }
    }

    @Test("User strings are HTML-escaped")
    func escaping() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var b = Browser(client)
            try await b.signUp("<script>alert(1)</script>", "long enough pw")
            try await b.get("/dashboard")
            #expect(!b.lastBody.contains("<script>"))
            #expect(b.lastBody.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            try await b.upload("/batch", field: "file", fileName: "<img src=x onerror=alert(1)>.csv", bytes: Array(try TestModel.csv(rows: 3).utf8))
            #expect(!b.lastBody.contains("<img src=x"))
            try await b.get("/history")
            #expect(!b.lastBody.contains("<img src=x"))
            #expect(b.lastBody.contains("&lt;img src=x"))
            try await b.post("/keys", ["name": "<b>key</b>"])
            #expect(!b.lastBody.contains("<b>key</b>"))
        }
    }

    @Test("Uploads over the limit get a clear 413")
    func uploadLimit() async throws {
        try await withService(testConfiguration { $0.maxUploadBytes = 2000; $0.maxJSONBytes = 500 }) { (_, client) async throws in
            var b = Browser(client)
            try await b.signUp("ursula")
            let big = Array(try TestModel.csv(rows: 200).utf8)
            let page = try await b.upload("/batch", field: "file", fileName: "big.csv", bytes: big)
            #expect(page.status == .contentTooLarge)
            #expect(b.lastBody.contains("larger than the limit"))
            try await b.get("/batch")
            let key = try await b.createKey()
            let api = try await client.execute(uri: "/api/v1/predict/batch", method: .post, headers: [.authorization: "Bearer \(key)"],
                                               body: ByteBuffer(bytes: big))
            #expect(api.status == .contentTooLarge)
            #expect(String(buffer: api.body).contains("limit"))
            let json = try await client.execute(uri: "/api/v1/predict", method: .post, headers: [.authorization: "Bearer \(key)"],
                                                body: try jsonBody(["records": Array(repeating: TestModel.record, count: 20)]))
            #expect(json.status == .contentTooLarge)
        }
    }

    @Test("A user never sees another user's history or batch files")
    func historyIsolation() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var a = Browser(client)
            try await a.signUp("anna")
            try await a.upload("/batch", field: "file", fileName: "anna-secret.csv", bytes: Array(try TestModel.csv(rows: 4).utf8))
            #expect(try await a.get("/batch/1.csv").status == .ok)
            var b = Browser(client)
            try await b.signUp("ben")
            try await b.get("/history")
            #expect(!b.lastBody.contains("anna-secret"))
            #expect(b.lastBody.contains("No predictions yet"))
            #expect(try await b.get("/batch/1.csv").status == .notFound)
            try await a.get("/history")
            #expect(a.lastBody.contains("anna-secret"))
        }
    }

    @Test("Tokens compare in constant time and malformed tokens are refused")
    func tokens() {
        #expect(Tokens.constantTimeEquals("abc", "abc"))
        #expect(!Tokens.constantTimeEquals("abc", "abd"))
        #expect(!Tokens.constantTimeEquals("abc", "abcd"))
        #expect(Tokens.split("a.b")?.id == "a")
        #expect(Tokens.split("a.b")?.secret == "b")
        #expect(Tokens.split("ab") == nil)
        #expect(Tokens.split("a.b.c") == nil)
        #expect(Tokens.split(String(repeating: "a", count: 200) + ".b") == nil)
        #expect(Tokens.split(".b") == nil && Tokens.split("a.") == nil && Tokens.split(".") == nil)
        #expect(Tokens.split("ключ.секрет")?.secret == "секрет")
        let (token, id, hash) = Tokens.make(prefix: "bk_")
        #expect(token.hasPrefix(id + "."))
        #expect(Tokens.sha256(String(token.dropFirst(id.count + 1))) == hash)
    }
}
