import BallastCore
import BallastData
import BallastEval
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOCore
import NIOPosix

extension BallastService {
    func addWebRoutes(to router: Router<ServerContext>) {
        router.get("/") { request, _ in
            try await self.session(request) == nil ? self.redirect("/login") : self.redirect("/dashboard")
        }
        router.get("/signup") { request, _ in try await self.handlingExits { try await self.signupForm(request) } }
        router.post("/signup") { request, context in try await self.handlingExits { try await self.signup(request, context) } }
        router.get("/login") { request, _ in try await self.handlingExits { try await self.loginForm(request, message: nil) } }
        router.post("/login") { request, context in try await self.handlingExits { try await self.login(request, context) } }
        router.post("/logout") { request, _ in
            try await self.handlingExits {
                let session = try await self.requireSession(request)
                try self.checkCSRF(try await self.formFields(request), session: session)
                try await self.store.deleteSession(id: session.id)
                return self.redirect("/login", cookies: [self.cookie(CookieName.session, "", maxAge: 0)])
            }
        }
        router.get("/dashboard") { request, _ in try await self.handlingExits { try await self.dashboard(request) } }
        router.get("/predict") { request, _ in
            try await self.handlingExits {
                let session = try await self.requireSession(request)
                guard let model = self.registry.current() else { return self.noModelPage(session) }
                return self.predictForm(session: session, model: model, values: [:], errors: [:])
            }
        }
        router.post("/predict") { request, _ in try await self.handlingExits { try await self.predictFromForm(request) } }
        router.get("/batch") { request, _ in
            try await self.handlingExits {
                let session = try await self.requireSession(request)
                return self.page("batch", title: "Batch", ["csrf": session.csrf, "limit": Self.bytes(self.configuration.maxUploadBytes)],
                                 session: session)
            }
        }
        router.post("/batch") { request, _ in try await self.handlingExits { try await self.batchUpload(request) } }
        router.get("/batch/:file") { request, context in
            try await self.handlingExits {
                let session = try await self.requireSession(request)
                let file = context.parameters.get("file") ?? ""
                guard file.hasSuffix(".csv"), let id = Int(file.dropLast(4)),
                      let batch = try await self.store.batchCSV(id: id, userID: session.user.id) else {
                    return self.errorPage(.notFound, "No such batch among your predictions.", session: session)
                }
                let name = batch.fileName.filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
                return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                       .contentDisposition: "attachment; filename=\"predictions-\(name.isEmpty ? "batch" : name)\""],
                                body: .init(byteBuffer: batch.bytes))
            }
        }
        router.get("/history") { request, _ in try await self.handlingExits { try await self.historyPage(request) } }
        router.get("/keys") { request, _ in
            try await self.handlingExits { try await self.keysPage(session: try await self.requireSession(request), newKey: nil) }
        }
        router.post("/keys") { request, _ in
            try await self.handlingExits {
                let session = try await self.requireSession(request)
                let fields = try await self.formFields(request)
                try self.checkCSRF(fields, session: session)
                let name = String((fields["name"] ?? "").trimmingCharacters(in: .whitespaces).prefix(64))
                let token = try await self.store.createAPIKey(userID: session.user.id, name: name.isEmpty ? "key" : name)
                return try await self.keysPage(session: session, newKey: token)
            }
        }
        router.post("/keys/:id/revoke") { request, context in
            try await self.handlingExits {
                let session = try await self.requireSession(request)
                try self.checkCSRF(try await self.formFields(request), session: session)
                try await self.store.revokeAPIKey(id: context.parameters.get("id") ?? "", userID: session.user.id)
                return self.redirect("/keys")
            }
        }
    }

    // MARK: accounts

    func signupForm(_ request: Request, name: String = "", message: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let session = try await self.session(request)
        guard try await signupAllowed() else {
            return errorPage(.forbidden, "Sign-up is closed on this server. Ask an administrator for an account.", session: session)
        }
        let (token, cookie) = anonymousCSRF(request)
        var values: [String: Any] = ["heading": "Sign up", "action": "/signup", "csrf": token, "name": name, "signup": true,
                                     "autocomplete": "new-password"]
        if let message { values["message"] = message }
        return page("account", title: "Sign up", values, session: session, status: status, cookies: cookie.map { [$0] } ?? [])
    }

    /// Whether an account may be created now (always for the first account).
    func signupAllowed() async throws -> Bool {
        if configuration.signupOpen { return true }
        return try await store.userCount() == 0
    }

    func signup(_ request: Request, _ context: ServerContext) async throws -> Response {
        let fields = try await formFields(request)
        try checkAnonymousCSRF(fields, request: request)
        guard try await signupAllowed() else { return errorPage(.forbidden, "Sign-up is closed on this server.", session: nil) }
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let password = fields["password"] ?? ""
        let keys = ["addr:" + context.clientAddress, "name:" + name.lowercased()]
        let wait = await signupLimiter.retryAfter(keys)
        guard wait == 0 else { return tooManyAttempts(wait, session: nil) }
        await signupLimiter.fail(keys)  // every attempt counts: sign-ups are rate limited, not only failures
        if let problem = Self.accountProblem(name: name, password: password) {
            return try await signupForm(request, name: name, message: problem, status: .unprocessableContent)
        }
        let hash = try await hashPassword(password)
        guard let user = try await store.createUser(name: name, passwordHash: hash) else {
            return try await signupForm(request, name: name, message: "That user name is taken.", status: .conflict)
        }
        let (token, _) = try await store.createSession(userID: user.id, lifetime: configuration.sessionLifetime, replacing: nil)
        return redirect("/dashboard", cookies: [cookie(CookieName.session, token)])
    }

    /// What is wrong with a new account's name or password, if anything.
    static func accountProblem(name: String, password: String) -> String? {
        if name.isEmpty || name.count > 64 { return "The user name must have 1 to 64 characters." }
        if name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) { return "The user name cannot contain control characters." }
        if password.count < 8 { return "The password must have at least 8 characters." }
        if password.utf8.count > 72 { return "The password must be at most 72 bytes (bcrypt's limit)." }
        return nil
    }

    /// A bcrypt hash computed on the blocking thread pool, not on an event loop.
    func hashPassword(_ password: String) async throws -> String {
        let cost = configuration.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash to verify against when the account does not exist, so both cases cost the same.
    static let decoyHash = Bcrypt.hash("decoy password", cost: 12)

    func loginForm(_ request: Request, name: String = "", message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (token, cookie) = anonymousCSRF(request)
        var values: [String: Any] = ["heading": "Log in", "action": "/login", "csrf": token, "name": name, "autocomplete": "current-password"]
        if let message { values["message"] = message }
        return page("account", title: "Log in", values, session: try await session(request), status: status, cookies: cookie.map { [$0] } ?? [])
    }

    func login(_ request: Request, _ context: ServerContext) async throws -> Response {
        let fields = try await formFields(request)
        try checkAnonymousCSRF(fields, request: request)
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let password = fields["password"] ?? ""
        let keys = ["addr:" + context.clientAddress, "name:" + name.lowercased()]
        let wait = await loginLimiter.retryAfter(keys)
        guard wait == 0 else { return tooManyAttempts(wait, session: nil) }
        let user = name.count <= 64 && password.utf8.count <= 72 ? try await store.user(named: name) : nil
        let ok = try await verifyPassword(password, hash: user?.passwordHash ?? Self.decoyHash) && user != nil
        guard ok, let user, !user.disabled else {
            await loginLimiter.fail(keys)
            return try await loginForm(request, name: name, message: "Wrong user name or password.", status: .unauthorized)
        }
        // Only the account's count is cleared: clearing the address's would let one owned account
        // reset the back-off of a password spray across other accounts from the same address.
        await loginLimiter.succeed([keys[1]])
        // Rotation: the session the browser came with (if any) is deleted and a new id issued.
        let old = (request.cookies[CookieName.session]?.value).flatMap { Tokens.split($0)?.id }
        let (token, _) = try await store.createSession(userID: user.id, lifetime: configuration.sessionLifetime, replacing: old)
        return redirect("/dashboard", cookies: [cookie(CookieName.session, token)])
    }

    func tooManyAttempts(_ seconds: Int, session: Session?) -> Response {
        var response = errorPage(.tooManyRequests, "Too many attempts. Try again in \(seconds) s.", session: session)
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    // MARK: pages

    func dashboard(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        var values: [String: Any] = ["predictionCount": try await store.history(userID: session.user.id, limit: 100_000).count]
        if let model = registry.current() {
            let b = model.bundle
            values["model"] = [
                "name": model.record.name, "spec": b.options.model, "balance": b.options.balance as Any, "rows": b.training.rows,
                "source": b.training.source, "seed": String(b.options.seed), "version": b.ballastVersion, "sha256": model.record.sha256,
                "featureCount": b.preprocessor.columns.count,
                "classes": b.classNames.indices.map { c in
                    ["name": b.classNames[c], "training": b.training.classCounts.indices.contains(c) ? b.training.classCounts[c] : 0,
                     "fitted": b.training.fittedClassCounts.indices.contains(c) ? b.training.fittedClassCounts[c] : 0] as [String: Any]
                },
            ] as [String: Any]
        }
        return page("dashboard", title: "Dashboard", values, session: session)
    }

    func noModelPage(_ session: Session) -> Response {
        errorPage(.serviceUnavailable, "No model is active. An administrator can upload or activate one under Models.", session: session)
    }

    /// The form built from the model's schema; `values` and `errors` are keyed by field name.
    func predictForm(session: Session, model: LoadedModel, values: [String: String], errors: [String: String],
                     status: HTTPResponse.Status = .ok) -> Response {
        let columns = model.bundle.preprocessor.columns
        let fields: [[String: Any]] = columns.enumerated().map { i, c in
            let defaultValue = c.kind == .categorical
                ? (c.categories.indices.contains(Int(c.imputationValue)) ? c.categories[Int(c.imputationValue)] : c.categories.first ?? "")
                : CSVWriter.number(c.imputationValue)
            let value = values[c.name] ?? defaultValue
            var field: [String: Any] = ["index": i, "name": c.name, "value": value, "kind": c.kind.rawValue,
                                        "min": CSVWriter.number(c.observedMin), "max": CSVWriter.number(c.observedMax)]
            if c.kind == .categorical {
                field["isSelect"] = true
                field["options"] = c.categories.map { ["value": $0, "selected": $0 == value] as [String: Any] }
            }
            if let e = errors[c.name] { field["error"] = e }
            return field
        }
        return page("predict", title: "Predict", ["csrf": session.csrf, "modelName": model.record.name, "fields": fields,
                                                  "hasErrors": !errors.isEmpty], session: session, status: status)
    }

    func predictFromForm(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        var fields = try await formFields(request)
        try checkCSRF(fields, session: session)
        fields["csrf"] = nil
        guard let model = registry.current() else { return noModelPage(session) }
        let record = fields.mapValues { FieldValue.text($0) }
        let scored: Scored
        do {
            scored = try Scored.records([record], model: model, allowUnseen: false) { _, name in name }
        } catch ScoringError.fields(let errors) {
            let byField = Dictionary(errors.errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
            let known = Set(model.bundle.preprocessor.columns.map(\.name))
            let unknown = byField.keys.filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty {
                return errorPage(.unprocessableContent, "Unknown fields: \(unknown.joined(separator: ", ")).", session: session)
            }
            return predictForm(session: session, model: model, values: fields, errors: byField, status: .unprocessableContent)
        } catch ScoringError.unusable(let message) {
            return errorPage(.unprocessableContent, message, session: session)
        }
        let predicted = model.bundle.classNames[scored.prediction.labels[0]]
        let probabilities = scored.probabilities(row: 0)
        let output = Self.json(["class": predicted, "probabilities": probabilities])
        try await store.recordPrediction(userID: session.user.id, model: model.record, source: "form",
                                             inputSHA256: Tokens.sha256(Self.json(fields)), rows: 1, summary: predicted, output: output)
        metrics.predictions(model: model.record.sha256.prefix(12).description, classNames: model.bundle.classNames,
                            counts: scored.prediction.counts)
        let bars: [[String: Any]] = model.bundle.classNames.enumerated().map { c, name in
            let p = probabilities[name] ?? 0
            return ["name": name, "y": 8 + c * 28, "textY": 22 + c * 28, "width": String(format: "%.1f", max(1, p * 360)),
                    "labelX": String(format: "%.1f", 118 + p * 360), "percent": String(format: "%.1f %%", p * 100),
                    "color": c == scored.prediction.labels[0] ? "#b3261e" : "#5b7fa6"]
        }
        return page("result", title: "Prediction", [
            "predicted": predicted, "modelName": model.record.name, "confidence": String(format: "%.3f", probabilities[predicted] ?? 0),
            "bars": bars, "height": 16 + 28 * bars.count, "unseen": scored.unseenText as Any,
        ], session: session)
    }

    func batchUpload(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let (fields, parts) = try await multipartForm(request, session: session)
        try checkCSRF(fields, session: session)
        guard let model = registry.current() else { return noModelPage(session) }
        let values: [String: Any] = ["csrf": session.csrf, "limit": Self.bytes(configuration.maxUploadBytes)]
        guard let file = parts["file"], !file.body.isEmpty else {
            return page("batch", title: "Batch", values.merging(["message": "Choose a CSV file to upload."]) { a, _ in a },
                        session: session, status: .unprocessableContent)
        }
        let fileName = String((file.fileName ?? "upload.csv").prefix(200))
        let scored: Scored
        do {
            scored = try Scored.file(file.body, name: fileName, model: model, temporaryDirectory: temporaryDirectory)
        } catch ScoringError.unusable(let message) {
            return page("batch", title: "Batch", values.merging(["message": message]) { a, _ in a }, session: session,
                        status: .unprocessableContent)
        }
        let csv = Array(scored.csv.utf8)
        let ids = try await store.recordBatchPrediction(userID: session.user.id, model: model.record, source: "batch: " + fileName,
                                                   inputSHA256: SHA256.hex(file.body), rows: scored.rows, summary: scored.summary,
                                                   output: Self.json(Dictionary(uniqueKeysWithValues: zip(model.bundle.classNames, scored.prediction.counts))),
                                                   csv: (fileName, csv))
        metrics.predictions(model: model.record.sha256.prefix(12).description, classNames: model.bundle.classNames,
                            counts: scored.prediction.counts)
        let counts = zip(model.bundle.classNames, scored.prediction.counts).map { ["name": $0, "count": $1] as [String: Any] }
        return page("batch", title: "Batch", values.merging(["result": [
            "fileName": fileName, "rows": scored.rows, "counts": counts, "batchID": ids.batch, "unseen": scored.unseenText as Any,
        ] as [String: Any]]) { a, _ in a }, session: session)
    }

    /// Text fields and file parts of a multipart form, within the upload limit.
    func multipartForm(_ request: Request, session: Session) async throws -> ([String: String], [String: FormData.Part]) {
        guard let boundary = request.headers[.contentType].flatMap(FormData.boundary) else {
            throw PageExit(response: errorPage(.unsupportedMediaType, "Expected a multipart/form-data upload.", session: session))
        }
        let body = try await request.body.collect(upTo: configuration.maxUploadBytes)
        guard let parts = FormData.multipart(Array(body.readableBytesView), boundary: boundary) else {
            throw PageExit(response: errorPage(.badRequest, "The upload is not well-formed multipart data.", session: session))
        }
        var fields: [String: String] = [:]
        for (name, part) in parts where part.fileName == nil { fields[name] = String(decoding: part.body, as: UTF8.self) }
        return (fields, parts)
    }

    func historyPage(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let items: [[String: Any]] = try await store.history(userID: session.user.id).map {
            ["when": Self.timestamp($0.createdAt), "source": $0.source, "modelID": $0.modelID, "rows": $0.rows,
             "summary": $0.summary, "batchID": $0.batchID as Any]
        }
        return page("history", title: "History", ["items": items, "empty": items.isEmpty], session: session)
    }

    func keysPage(session: Session, newKey: String?) async throws -> Response {
        let keys: [[String: Any]] = try await store.apiKeys(userID: session.user.id).map {
            ["id": $0.id, "name": $0.name, "when": Self.timestamp($0.createdAt), "revoked": $0.revoked,
             "status": $0.revoked ? "revoked" : "active", "csrf": session.csrf]
        }
        var values: [String: Any] = ["keys": keys, "csrf": session.csrf]
        if let newKey { values["newKey"] = newKey }
        return page("keys", title: "API keys", values, session: session)
    }

    /// Compact JSON text of a JSON-compatible value (sorted keys).
    static func json(_ object: Any) -> String {
        JSONValue(any: object).serialized
    }
}
