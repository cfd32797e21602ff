import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLiteNIO
import Testing
@testable import BallastServer

@Suite("Server accounts and sessions")
struct AccountTests {
    @Test("The first account is admin, later ones analysts; admin pages refuse analysts")
    func rolesAndAdminPages() async throws {
        try await withService(testConfiguration()) { (service, client) async throws in
            var admin = Browser(client)
            let r = try await admin.signUp("alice")
            #expect(r.status == .seeOther)
            #expect(try await admin.get("/admin/users").status == .ok)
            #expect(admin.lastBody.contains("alice"))
            var analyst = Browser(client)
            try await analyst.signUp("bob")
            #expect(try await analyst.get("/dashboard").status == .ok)
            #expect(analyst.lastBody.contains("bob (analyst)"))
            #expect(try await analyst.get("/admin/users").status == .forbidden)
            #expect(try await analyst.get("/admin/models").status == .forbidden)
            try await analyst.get("/dashboard")
            #expect(try await analyst.post("/admin/users/2/role", ["role": "admin"]).status == .forbidden)
            #expect(try await analyst.upload("/admin/models", field: "bundle", fileName: "x.bundle", bytes: Array("x".utf8)).status == .forbidden)
            let users = try await service.store.users()
            #expect(users.map(\.role) == [.admin, .analyst])
        }
    }

    @Test("Passwords are stored only as bcrypt hashes; the service's default cost is 12")
    func bcryptOnly() async throws {
        try await withService(testConfiguration()) { (service, client) async throws in
            var b = Browser(client)
            try await b.signUp("carol", "secret password 1")
            let rows = try await service.database.query("SELECT password_hash FROM users")
            let hash = try #require(rows.first?.column("password_hash")?.string)
            #expect(hash.hasPrefix("$2b$04$"))
            #expect(!hash.contains("secret password 1"))
        }
        #expect(ServerConfiguration().bcryptCost == 12)
        try await withService(testConfiguration { $0.bcryptCost = 12 }) { (service, _) async throws in
            #expect(try await service.hashPassword("x1234567").hasPrefix("$2b$12$"))
        }
    }

    @Test("Session cookies are HttpOnly and SameSite=Strict, rotated at login, and logout ends them")
    func sessionCookies() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var b = Browser(client)
            let signup = try await b.signUp("dave")
            let header = try #require(signup.headers[values: .setCookie].first { $0.hasPrefix("ballast_session=") })
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Strict"))
            #expect(!header.contains("Secure"))
            let first = try #require(b.cookies["ballast_session"])
            try await b.logIn("dave")
            let second = try #require(b.cookies["ballast_session"])
            #expect(first != second)
            var stale = Browser(client)
            stale.cookies["ballast_session"] = first
            #expect(try await stale.get("/dashboard").status == .seeOther)  // the old session was deleted at login
            #expect(try await b.get("/dashboard").status == .ok)
            #expect(try await b.post("/logout", [:]).status == .seeOther)
            var replay = Browser(client)
            replay.cookies["ballast_session"] = second
            #expect(try await replay.get("/dashboard").headers[.location] == "/login")
        }
        try await withService(testConfiguration { $0.secureCookies = true }) { (_, client) async throws in
            var b = Browser(client)
            let signup = try await b.signUp("erin")
            #expect(signup.headers[values: .setCookie].contains { $0.hasPrefix("ballast_session=") && $0.contains("Secure") })
        }
    }

    @Test("Sessions expire on the server")
    func sessionExpiry() async throws {
        try await withService(testConfiguration { $0.sessionLifetime = -1 }) { (_, client) async throws in
            var b = Browser(client)
            try await b.signUp("frank")
            #expect(b.cookies["ballast_session"] != nil)
            let r = try await b.get("/dashboard")
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/login")
        }
    }

    @Test("--no-signup allows only the first account")
    func signupClosed() async throws {
        try await withService(testConfiguration { $0.signupOpen = false }) { (_, client) async throws in
            var first = Browser(client)
            #expect(try await first.signUp("gina").status == .seeOther)
            var second = Browser(client)
            #expect(try await second.get("/signup").status == .forbidden)
            #expect(try await second.post("/signup", ["name": "hank", "password": "long enough"], csrf: false).status == .forbidden)
        }
    }

    @Test("Sign-up validates names and passwords and refuses a taken name")
    func signupValidation() async throws {
        try await withService(testConfiguration()) { (_, client) async throws in
            var b = Browser(client)
            #expect(try await b.signUp("ivan", "short").status == .unprocessableContent)
            #expect(b.lastBody.contains("at least 8 characters"))
            #expect(try await b.signUp("", "long enough pw").status == .unprocessableContent)
            #expect(try await b.signUp("ivan").status == .seeOther)
            var other = Browser(client)
            #expect(try await other.signUp("IVAN").status == .conflict)
            #expect(try await other.logIn("ivan", "wrong password").status == .unauthorized)
            #expect(other.lastBody.contains("Wrong user name or password"))
        }
    }
}
