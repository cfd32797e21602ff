import Foundation
import NIOCore
import SQLiteNIO

/// A user account.
public struct User: Sendable, Equatable {
    /// Roles: an admin manages models and users; an analyst predicts.
    public enum Role: String, Sendable { case admin, analyst }
    public var id: Int
    public var name: String
    public var role: Role
    public var disabled: Bool
    var passwordHash: String
}

/// A logged-in session.
struct Session: Sendable {
    var id: String
    var user: User
    var csrf: String
    var expiresAt: Date
}

/// A registered model (the bundle file is under the data directory).
public struct ModelRecord: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var file: String
    public var sha256: String
    public var summary: String
    public var createdAt: Date
    public var active: Bool
}

/// One audited prediction (a single record or a batch).
public struct PredictionRecord: Sendable, Equatable {
    public var id: Int
    public var userID: Int
    public var modelID: Int
    public var createdAt: Date
    public var source: String
    public var inputSHA256: String
    public var rows: Int
    public var summary: String
    public var output: String
    public var batchID: Int?
}

/// An API key's public description (the secret is shown once, at creation).
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var createdAt: Date
    public var revoked: Bool
}

/// The service's queries. Every value is bound, never spliced into SQL text.
public struct Store: Sendable {
    let db: Database
    /// API keys verified in the last seconds (cleared by every change that can withdraw one).
    let verifiedKeys: APIKeyCache
    /// Group commit of single-prediction audit rows.
    let predictionLog: PredictionLog

    init(db: Database, keyCacheLifetime: TimeInterval = 10) {
        self.db = db
        verifiedKeys = APIKeyCache(lifetime: keyCacheLifetime)
        predictionLog = PredictionLog(db: db)
    }

    // MARK: users

    func userCount() async throws -> Int {
        try await db.query("SELECT COUNT(*) AS n FROM users").first?.column("n")?.integer ?? 0
    }

    /// Creates a user; the first user of the database becomes admin (decided inside the transaction).
    /// - Returns: nil when the name is taken.
    func createUser(name: String, passwordHash: String) async throws -> User? {
        try await db.transaction { c in
            if try await !c.query("SELECT id FROM users WHERE name = ?", [.text(name)]).isEmpty { return nil }
            let count = try await c.query("SELECT COUNT(*) AS n FROM users", []).first?.column("n")?.integer ?? 0
            let role: User.Role = count == 0 ? .admin : .analyst
            _ = try await c.query("INSERT INTO users(name, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                                  [.text(name), .text(passwordHash), .text(role.rawValue), .float(Date().timeIntervalSince1970)])
            let id = try await c.lastAutoincrementID()
            return User(id: id, name: name, role: role, disabled: false, passwordHash: passwordHash)
        }
    }

    func user(named name: String) async throws -> User? {
        try await db.query("SELECT * FROM users WHERE name = ?", [.text(name)]).first.flatMap(Self.user)
    }

    func user(id: Int) async throws -> User? {
        try await db.query("SELECT * FROM users WHERE id = ?", [.integer(id)]).first.flatMap(Self.user)
    }

    func users() async throws -> [User] {
        try await db.query("SELECT * FROM users ORDER BY id").compactMap(Self.user)
    }

    func setRole(userID: Int, role: User.Role) async throws {
        try await db.query("UPDATE users SET role = ? WHERE id = ?", [.text(role.rawValue), .integer(userID)])
        verifiedKeys.clear()
    }

    /// Disables or enables an account; disabling ends its sessions and revokes its keys.
    func setDisabled(userID: Int, disabled: Bool) async throws {
        try await db.transaction { c in
            _ = try await c.query("UPDATE users SET disabled = ? WHERE id = ?", [.integer(disabled ? 1 : 0), .integer(userID)])
            if disabled {
                _ = try await c.query("DELETE FROM sessions WHERE user_id = ?", [.integer(userID)])
                _ = try await c.query("UPDATE api_keys SET revoked = 1 WHERE user_id = ?", [.integer(userID)])
            }
        }
        verifiedKeys.clear()
    }

    func adminCount() async throws -> Int {
        try await db.query("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").first?.column("n")?.integer ?? 0
    }

    static func user(_ row: SQLiteRow) -> User? {
        guard let id = row.column("id")?.integer, let name = row.column("name")?.string,
              let role = row.column("role")?.string.flatMap(User.Role.init), let hash = row.column("password_hash")?.string
        else { return nil }
        return User(id: id, name: name, role: role, disabled: (row.column("disabled")?.integer ?? 0) != 0, passwordHash: hash)
    }

    // MARK: sessions

    /// Creates a session; `replacing` (the session the request came with, if any) is deleted in the same transaction.
    func createSession(userID: Int, lifetime: TimeInterval, replacing old: String?) async throws -> (token: String, csrf: String) {
        let (token, id, hash) = Tokens.make()
        let csrf = Tokens.randomHex(bytes: 24)
        let now = Date().timeIntervalSince1970
        try await db.transaction { c in
            if let old { _ = try await c.query("DELETE FROM sessions WHERE id = ?", [.text(old)]) }
            _ = try await c.query("DELETE FROM sessions WHERE expires_at < ?", [.float(now)])
            _ = try await c.query("INSERT INTO sessions(id, secret_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                                  [.text(id), .text(hash), .integer(userID), .text(csrf), .float(now), .float(now + lifetime)])
        }
        return (token, csrf)
    }

    /// The live session of a cookie value: secret compared in constant time, expiry and account checked.
    func session(token: String) async throws -> Session? {
        guard let (id, secret) = Tokens.split(token) else { return nil }
        let rows = try await db.query("""
            SELECT s.secret_hash, s.csrf, s.expires_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?
            """, [.text(id)])
        guard let row = rows.first, let hash = row.column("secret_hash")?.string, let csrf = row.column("csrf")?.string,
              let expires = row.column("expires_at")?.double, let user = Self.user(row) else { return nil }
        guard Tokens.constantTimeEquals(hash, Tokens.sha256(secret)) else { return nil }
        guard expires > Date().timeIntervalSince1970, !user.disabled else {
            try await db.query("DELETE FROM sessions WHERE id = ?", [.text(id)])
            return nil
        }
        return Session(id: id, user: user, csrf: csrf, expiresAt: Date(timeIntervalSince1970: expires))
    }

    func deleteSession(id: String) async throws {
        try await db.query("DELETE FROM sessions WHERE id = ?", [.text(id)])
    }

    // MARK: API keys

    /// Creates a key for a user; the returned token is shown once and stored only as a hash.
    func createAPIKey(userID: Int, name: String) async throws -> String {
        let (token, id, hash) = Tokens.make(prefix: "bk_")
        try await db.query("INSERT INTO api_keys(id, secret_hash, user_id, name, created_at) VALUES (?, ?, ?, ?, ?)",
                           [.text(id), .text(hash), .integer(userID), .text(name), .float(Date().timeIntervalSince1970)])
        return token
    }

    func apiKeys(userID: Int) async throws -> [APIKeyRecord] {
        try await db.query("SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at", [.integer(userID)]).compactMap { row in
            guard let id = row.column("id")?.string, let name = row.column("name")?.string, let t = row.column("created_at")?.double
            else { return nil }
            return APIKeyRecord(id: id, name: name, createdAt: Date(timeIntervalSince1970: t), revoked: (row.column("revoked")?.integer ?? 0) != 0)
        }
    }

    func revokeAPIKey(id: String, userID: Int) async throws {
        try await db.query("UPDATE api_keys SET revoked = 1 WHERE id = ? AND user_id = ?", [.text(id), .integer(userID)])
        verifiedKeys.clear()
    }

    /// The user a bearer token belongs to, if the key exists, is not revoked and its secret matches.
    func user(apiKey token: String) async throws -> User? {
        guard let (id, secret) = Tokens.split(token) else { return nil }
        let tokenHash = Tokens.sha256(token)
        if let user = verifiedKeys.user(tokenHash: tokenHash) { return user }
        let rows = try await db.query("SELECT k.secret_hash, k.revoked, u.* FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?",
                                      [.text(id)])
        guard let row = rows.first, let hash = row.column("secret_hash")?.string, let user = Self.user(row) else { return nil }
        guard Tokens.constantTimeEquals(hash, Tokens.sha256(secret)), row.column("revoked")?.integer == 0, !user.disabled else { return nil }
        verifiedKeys.remember(tokenHash: tokenHash, user: user)
        return user
    }

    // MARK: models

    func models() async throws -> [ModelRecord] {
        try await db.query("SELECT * FROM models ORDER BY id").compactMap(Self.model)
    }

    func model(id: Int) async throws -> ModelRecord? {
        try await db.query("SELECT * FROM models WHERE id = ?", [.integer(id)]).first.flatMap(Self.model)
    }

    func model(sha256: String) async throws -> ModelRecord? {
        try await db.query("SELECT * FROM models WHERE sha256 = ?", [.text(sha256)]).first.flatMap(Self.model)
    }

    func activeModel() async throws -> ModelRecord? {
        try await db.query("SELECT * FROM models WHERE active = 1 ORDER BY id DESC LIMIT 1").first.flatMap(Self.model)
    }

    /// Inserts a model row (optionally making it the active one) in one transaction.
    func insertModel(name: String, file: String, sha256: String, summary: String, uploadedBy: Int?, activate: Bool) async throws -> Int {
        try await db.transaction { c in
            if activate { _ = try await c.query("UPDATE models SET active = 0", []) }
            _ = try await c.query("INSERT INTO models(name, file, sha256, summary, uploaded_by, created_at, active) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                  [.text(name), .text(file), .text(sha256), .text(summary), uploadedBy.map { .integer($0) } ?? .null,
                                   .float(Date().timeIntervalSince1970), .integer(activate ? 1 : 0)])
            return try await c.lastAutoincrementID()
        }
    }

    func activateModel(id: Int) async throws {
        try await db.transaction { c in
            _ = try await c.query("UPDATE models SET active = 0", [])
            _ = try await c.query("UPDATE models SET active = 1 WHERE id = ?", [.integer(id)])
        }
    }

    func deleteModel(id: Int) async throws {
        try await db.query("DELETE FROM models WHERE id = ?", [.integer(id)])
    }

    static func model(_ row: SQLiteRow) -> ModelRecord? {
        guard let id = row.column("id")?.integer, let name = row.column("name")?.string, let file = row.column("file")?.string,
              let sha = row.column("sha256")?.string, let summary = row.column("summary")?.string,
              let t = row.column("created_at")?.double else { return nil }
        return ModelRecord(id: id, name: name, file: file, sha256: sha, summary: summary, createdAt: Date(timeIntervalSince1970: t),
                           active: row.column("active")?.integer == 1)
    }

    // MARK: predictions

    /// Records a prediction (and, for a batch, its CSV output) in one transaction.
    /// - Returns: the prediction id and the batch id (when `csv` was given).
    /// Adds a prediction to the audit trail; returns once it is stored (rows arriving together are
    /// committed together, see ``PredictionLog``).
    func recordPrediction(userID: Int, model: ModelRecord, source: String, inputSHA256: String, rows: Int, summary: String,
                          output: String) async throws {
        try await predictionLog.append(Self.auditEntry(userID: userID, model: model, source: source, inputSHA256: inputSHA256,
                                                       rows: rows, summary: summary, output: output))
    }

    static func auditEntry(userID: Int, model: ModelRecord, source: String, inputSHA256: String, rows: Int, summary: String,
                           output: String) -> PredictionLog.Entry {
        PredictionLog.Entry(userID: userID, modelID: model.id, modelSHA256: model.sha256, createdAt: Date().timeIntervalSince1970,
                            source: source, inputSHA256: inputSHA256, rows: rows, summary: summary, output: output)
    }

    /// Adds a batch prediction and its output CSV (kept for download) in one transaction.
    /// - Returns: the prediction's id and the stored CSV's id.
    func recordBatchPrediction(userID: Int, model: ModelRecord, source: String, inputSHA256: String, rows: Int, summary: String,
                               output: String, csv: (fileName: String, bytes: [UInt8])) async throws -> (prediction: Int, batch: Int) {
        let entry = Self.auditEntry(userID: userID, model: model, source: source, inputSHA256: inputSHA256, rows: rows,
                                    summary: summary, output: output)
        return try await db.transaction { c in
            _ = try await c.query("INSERT INTO predictions(\(PredictionLog.Entry.columns)) VALUES \(PredictionLog.Entry.placeholders)",
                                  entry.binds)
            let id = try await c.lastAutoincrementID()
            _ = try await c.query("INSERT INTO batches(prediction_id, user_id, file_name, csv) VALUES (?, ?, ?, ?)",
                                  [.integer(id), .integer(userID), .text(csv.fileName), .blob(ByteBuffer(bytes: csv.bytes))])
            return (id, try await c.lastAutoincrementID())
        }
    }

    /// A user's predictions, newest first.
    func history(userID: Int, limit: Int = 200) async throws -> [PredictionRecord] {
        try await db.query("""
            SELECT p.*, b.id AS batch_id FROM predictions p LEFT JOIN batches b ON b.prediction_id = p.id
            WHERE p.user_id = ? ORDER BY p.id DESC LIMIT ?
            """, [.integer(userID), .integer(limit)]).compactMap { row in
            guard let id = row.column("id")?.integer, let user = row.column("user_id")?.integer, let model = row.column("model_id")?.integer,
                  let t = row.column("created_at")?.double, let source = row.column("source")?.string,
                  let input = row.column("input_sha256")?.string, let rows = row.column("rows")?.integer,
                  let summary = row.column("summary")?.string, let output = row.column("output")?.string else { return nil }
            return PredictionRecord(id: id, userID: user, modelID: model, createdAt: Date(timeIntervalSince1970: t), source: source,
                                    inputSHA256: input, rows: rows, summary: summary, output: output, batchID: row.column("batch_id")?.integer)
        }
    }

    /// A batch's CSV, only for its owner.
    func batchCSV(id: Int, userID: Int) async throws -> (fileName: String, bytes: ByteBuffer)? {
        let rows = try await db.query("SELECT file_name, csv FROM batches WHERE id = ? AND user_id = ?", [.integer(id), .integer(userID)])
        guard let row = rows.first, let name = row.column("file_name")?.string, let csv = row.column("csv")?.blob else { return nil }
        return (name, csv)
    }
}
