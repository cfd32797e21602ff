import Foundation
import NIOPosix
import SQLiteNIO

/// The service's SQLite database: one file under the data directory, WAL journal, versioned schema.
///
/// One connection is shared; ``exclusive(_:)`` serialises every use of it, so a transaction's
/// statements are never interleaved with another request's. Every statement binds its values
/// (`?` placeholders); no user string is ever spliced into SQL.
public actor Database {
    /// The schema version this build creates and understands.
    public static let schemaVersion = Migrations.all.count

    private let connection: SQLiteConnection
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// - Throws: ``ServerError`` when the file is from a newer Ballast or cannot be opened.
    public static func open(path: String) async throws -> Database {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path))
        } catch {
            throw ServerError.storage("\(path): cannot open the database: \(error)")
        }
        let db = Database(connection: connection)
        do {
            try await db.prepare(path: path)
        } catch {
            try? await connection.close()
            throw error
        }
        return db
    }

    private func prepare(path: String) async throws {
        _ = try await connection.query("PRAGMA journal_mode=WAL", [])
        _ = try await connection.query("PRAGMA foreign_keys=ON", [])
        _ = try await connection.query("PRAGMA synchronous=NORMAL", [])
        _ = try await connection.query("PRAGMA busy_timeout=5000", [])
        try await Migrations.apply(on: connection, path: path)
    }

    /// Runs `body` with the connection while no other caller uses it.
    public func exclusive<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        while busy {
            await withCheckedContinuation { waiters.append($0) }
        }
        busy = true
        defer {
            busy = false
            if !waiters.isEmpty { waiters.removeFirst().resume() }
        }
        return try await body(connection)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    public func transaction<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        try await exclusive { connection in
            _ = try await connection.query("BEGIN IMMEDIATE", [])
            do {
                let value = try await body(connection)
                _ = try await connection.query("COMMIT", [])
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", [])
                throw error
            }
        }
    }

    /// One statement with bound values.
    @discardableResult
    public func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await exclusive { try await $0.query(sql, binds) }
    }

    /// Inserts a row and returns its id.
    public func insert(_ sql: String, _ binds: [SQLiteData]) async throws -> Int {
        try await exclusive { connection in
            _ = try await connection.query(sql, binds)
            return try await connection.lastAutoincrementID()
        }
    }

    /// Closes the connection.
    public func close() async throws {
        try await connection.close()
    }
}

/// Schema migrations, applied in order; `schema_version` holds how many have run.
enum Migrations {
    /// Each entry is one migration's statements.
    static let all: [[String]] = [
        [
            """
            CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
              password_hash TEXT NOT NULL, role TEXT NOT NULL CHECK(role IN ('admin','analyst')),
              created_at REAL NOT NULL, disabled INTEGER NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE sessions(id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL,
              user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              csrf TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL)
            """,
            """
            CREATE TABLE api_keys(id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL,
              user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              name TEXT NOT NULL, created_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE models(id INTEGER PRIMARY KEY, name TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,
              summary TEXT NOT NULL, uploaded_by INTEGER, created_at REAL NOT NULL, active INTEGER NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE predictions(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              model_id INTEGER NOT NULL, model_sha256 TEXT NOT NULL, created_at REAL NOT NULL, source TEXT NOT NULL,
              input_sha256 TEXT NOT NULL, rows INTEGER NOT NULL, summary TEXT NOT NULL, output TEXT NOT NULL)
            """,
            "CREATE INDEX predictions_by_user ON predictions(user_id, id)",
            """
            CREATE TABLE batches(id INTEGER PRIMARY KEY, prediction_id INTEGER NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
              user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, file_name TEXT NOT NULL, csv BLOB NOT NULL)
            """,
        ],
    ]

    static func apply(on connection: SQLiteConnection, path: String) async throws {
        _ = try await connection.query("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)", [])
        let rows = try await connection.query("SELECT version FROM schema_version", [])
        var version = rows.first?.column("version")?.integer ?? 0
        if rows.isEmpty { _ = try await connection.query("INSERT INTO schema_version(version) VALUES (0)", []) }
        guard version <= all.count else {
            throw ServerError.storage("\(path): database schema version \(version) is newer than this ballast understands (≤ \(all.count)); upgrade ballast")
        }
        while version < all.count {
            _ = try await connection.query("BEGIN IMMEDIATE", [])
            do {
                for statement in all[version] { _ = try await connection.query(statement, []) }
                _ = try await connection.query("UPDATE schema_version SET version = ?", [.integer(version + 1)])
                _ = try await connection.query("COMMIT", [])
            } catch {
                _ = try? await connection.query("ROLLBACK", [])
                throw ServerError.storage("\(path): migration \(version + 1) failed: \(error)")
            }
            version += 1
        }
    }
}
