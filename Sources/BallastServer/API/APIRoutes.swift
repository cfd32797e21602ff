import BallastCore
import BallastData
import BallastEval
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A JSON API failure: status and body.
struct APIExit: Error {
    var status: HTTPResponse.Status
    var body: JSONValue

    init(_ status: HTTPResponse.Status, _ message: String, extra: [String: String] = [:]) {
        self.status = status
        self.body = .object(extra.mapValues { .string($0) }.merging(["error": .string(message)]) { a, _ in a })
    }
}

extension BallastService {
    func addAPIRoutes(to router: Router<ServerContext>) {
        router.get("/healthz") { _, _ in
            let model = self.registry.current()
            return Self.jsonResponse(.ok, ["status": "ok", "model": model.map { ["id": $0.record.id, "name": $0.record.name] as [String: Any] } as Any])
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: self.metrics.render())))
        }
        router.get("/api/v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        router.get("/api/v1/models") { request, _ in
            try await self.api(request) { _ in
                let models: [[String: Any]] = try await self.store.models().map {
                    ["id": $0.id, "name": $0.name, "sha256": $0.sha256, "summary": $0.summary, "active": $0.active,
                     "created_at": ISO8601DateFormatter().string(from: $0.createdAt)]
                }
                return Self.jsonResponse(.ok, ["models": models])
            }
        }
        router.post("/api/v1/predict") { request, _ in
            try await self.api(request) { user in try await self.apiPredict(request, user: user) }
        }
        router.post("/api/v1/predict/batch") { request, _ in
            try await self.api(request) { user in try await self.apiBatch(request, user: user) }
        }
    }

    /// Authenticates the bearer key and maps failures to JSON errors.
    func api(_ request: Request, _ body: (User) async throws -> Response) async throws -> Response {
        do {
            guard let header = request.headers[.authorization], let token = Self.bearerToken(header) else {
                throw APIExit(.unauthorized, "missing API key: send 'Authorization: Bearer KEY' (create a key on the API keys page)")
            }
            guard let user = try await store.user(apiKey: token) else {
                throw APIExit(.unauthorized, "invalid or revoked API key")
            }
            return try await body(user)
        } catch let exit as APIExit {
            var response = Self.jsonResponse(exit.status, exit.body)
            if exit.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        } catch is NIOTooManyBytesError {
            return Self.jsonResponse(.contentTooLarge, ["error": "request body larger than the limit"])
        } catch ScoringError.noModel {
            return Self.jsonResponse(.serviceUnavailable, ["error": "no model is active"])
        } catch ScoringError.fields(let errors) {
            let first = errors.errors.first
            return Self.jsonResponse(.unprocessableContent, ["error": errors.description, "field": first?.field as Any,
                                                             "errors": errors.errors.map { ["field": $0.field, "message": $0.message] }])
        } catch ScoringError.unusable(let message) {
            return Self.jsonResponse(.unprocessableContent, ["error": message])
        }
    }

    func apiPredict(_ request: Request, user: User) async throws -> Response {
        guard let model = registry.current() else { throw ScoringError.noModel }
        let bytes = try await Self.body(of: request, limit: configuration.maxJSONBytes, kind: "JSON")
        let object: JSONValue
        do { object = try JSONValue.parse(bytes) } catch {
            throw APIExit(.badRequest, "the body is not valid JSON (\(error)); expected {\"records\": [{\"feature\": value, …}]}")
        }
        guard case .object(let top) = object, let list = top["records"] else {
            throw APIExit(.unprocessableContent, "expected a JSON object with a \"records\" array", extra: ["field": "records"])
        }
        guard case .array(let items) = list, !items.isEmpty else {
            throw APIExit(.unprocessableContent, "\"records\" must be a non-empty array of objects", extra: ["field": "records"])
        }
        guard items.count <= 100_000 else {
            throw APIExit(.unprocessableContent, "at most 100000 records per request; use /api/v1/predict/batch", extra: ["field": "records"])
        }
        var records: [[String: FieldValue]] = []
        records.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .object(let dict) = item else {
                throw APIExit(.unprocessableContent, "records[\(i)]: expected an object of feature values", extra: ["field": "records[\(i)]"])
            }
            records.append(dict.mapValues(FieldValue.init(json:)))
        }
        let scored = try Scored.records(records, model: model, allowUnseen: true) { r, name in "records[\(r)].\(name)" }
        let classNames = model.bundle.classNames
        let predictions: [JSONValue] = (0..<scored.rows).map { r in
            .object(["class": .string(classNames[scored.prediction.labels[r]]),
                     "probabilities": .object(scored.probabilities(row: r).mapValues { .number($0) })])
        }
        let output = scored.rows == 1 ? predictions[0].serialized : Self.json(["counts": Dictionary(uniqueKeysWithValues: zip(classNames, scored.prediction.counts))])
        try await store.recordPrediction(userID: user.id, model: model.record, source: "api", inputSHA256: SHA256.hex(bytes),
                                             rows: scored.rows, summary: scored.summary, output: output)
        metrics.predictions(model: String(model.record.sha256.prefix(12)), classNames: classNames, counts: scored.prediction.counts)
        return Self.jsonResponse(.ok, .object([
            "model": .object(["id": .number(Double(model.record.id)), "name": .string(model.record.name), "sha256": .string(model.record.sha256)]),
            "predictions": .array(predictions),
            "unseen_categories": .object(scored.prediction.unseenCategories.mapValues { .number(Double($0)) }),
        ]))
    }

    func apiBatch(_ request: Request, user: User) async throws -> Response {
        guard let model = registry.current() else { throw ScoringError.noModel }
        let bytes = try await Self.body(of: request, limit: configuration.maxUploadBytes, kind: "CSV")
        guard !bytes.isEmpty else { throw APIExit(.unprocessableContent, "the body is empty; send the CSV file as the request body") }
        let scored = try Scored.file(bytes[...], name: "body", model: model, temporaryDirectory: temporaryDirectory)
        let classNames = model.bundle.classNames
        let counts = Dictionary(uniqueKeysWithValues: zip(classNames, scored.prediction.counts))
        try await store.recordPrediction(userID: user.id, model: model.record, source: "api batch", inputSHA256: SHA256.hex(bytes),
                                             rows: scored.rows, summary: scored.summary, output: Self.json(["counts": counts]))
        metrics.predictions(model: String(model.record.sha256.prefix(12)), classNames: classNames, counts: scored.prediction.counts)
        if request.headers[.accept]?.contains("text/csv") == true {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: scored.csv)))
        }
        let probabilities: [JSONValue] = (0..<scored.rows).map { r in
            .array(classNames.indices.map { .number((Double(scored.prediction.probabilities[r, $0]) * 1e6).rounded() / 1e6) })
        }
        return Self.jsonResponse(.ok, .object([
            "rows": .number(Double(scored.rows)), "classes": JSONValue(any: classNames), "counts": JSONValue(any: counts),
            "predicted": .array(scored.prediction.labels.map { .string(classNames[$0]) }), "probabilities": .array(probabilities),
            "unseen_categories": .object(scored.prediction.unseenCategories.mapValues { .number(Double($0)) }),
        ]))
    }

    /// The key of an `Authorization: Bearer KEY` header (scheme case-insensitive, spaces and tabs
    /// around the key ignored), or nil for another scheme. Works on the UTF-8 bytes: this runs on
    /// every API request.
    static func bearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        guard bytes.count >= 7 else { return nil }
        var i = bytes.startIndex
        for expected in "bearer ".utf8 {
            let b = bytes[i]
            guard b == expected || (expected >= UInt8(ascii: "a") && b == expected - 32) else { return nil }
            i = bytes.index(after: i)
        }
        var end = bytes.endIndex
        while i < end, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i = bytes.index(after: i) }
        while end > i {
            let last = bytes[bytes.index(before: end)]
            guard last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") else { break }
            end = bytes.index(before: end)
        }
        return String(header[i..<end])
    }

    /// The request's body, refused with 413 past `limit` bytes (`kind` names it in the message).
    static func body(of request: Request, limit: Int, kind: String) async throws -> [UInt8] {
        do {
            return Array(try await request.body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIExit(.contentTooLarge, "\(kind) body larger than the limit of \(bytes(limit))")
        }
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        jsonResponse(status, JSONValue(any: object))
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var bytes: [UInt8] = []
        value.write(into: &bytes)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
