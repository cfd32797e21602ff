import Foundation
import SQLiteNIO

/// The audit trail's writer for single predictions: group commit.
///
/// A request's audit row must be stored before its answer is sent, but one transaction per request
/// serialises every request on the database (four statements, each a hop to SQLite's thread). Rows
/// that arrive while a write is in flight wait together and are stored by the next write as one
/// multi-row `INSERT` (its own transaction); each request still returns only after its row is stored,
/// and a failed write fails every request whose row it carried.
actor PredictionLog {
    /// One audit row.
    struct Entry: Sendable {
        var userID: Int
        var modelID: Int
        var modelSHA256: String
        var createdAt: Double
        var source: String
        var inputSHA256: String
        var rows: Int
        var summary: String
        var output: String

        /// The `predictions` columns, in the order of ``binds``.
        static let columns = "user_id, model_id, model_sha256, created_at, source, input_sha256, rows, summary, output"
        static let placeholders = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"

        var binds: [SQLiteData] {
            [.integer(userID), .integer(modelID), .text(modelSHA256), .float(createdAt), .text(source), .text(inputSHA256),
             .integer(rows), .text(summary), .text(output)]
        }
    }

    /// Rows per statement: 9 values each stays under SQLite's historical 999-variable limit.
    static let rowsPerStatement = 110

    private let db: Database
    private var pending: [(Entry, CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(db: Database) {
        self.db = db
    }

    /// Stores `entry`; returns once it is committed.
    func append(_ entry: Entry) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.append((entry, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    /// Writes what is pending, statement by statement, until nothing is left.
    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.rowsPerStatement))
            pending.removeFirst(batch.count)
            let placeholders = Array(repeating: Entry.placeholders, count: batch.count).joined(separator: ", ")
            do {
                try await db.query("INSERT INTO predictions(\(Entry.columns)) VALUES \(placeholders)", batch.flatMap { $0.0.binds })
                for (_, continuation) in batch { continuation.resume() }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
