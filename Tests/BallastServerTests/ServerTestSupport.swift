import BallastCore
import BallastData
import BallastEval
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import BallastServer

/// A small model trained once per test process (simulated traffic, 20 boosting rounds).
enum TestModel {
    static let bundle: ModelBundle = {
        var rng = Xoshiro256StarStar(seed: 11)
        // The simulator and training are deterministic and cannot fail for these sizes.
        let data = try? TrafficSimulator(rowCount: 1500).generate(using: &rng)
        return try! TrainJob(model: "gbdt:rounds=20").run(data!, format: "csv", labelColumn: "label", labelMode: "5class", seed: 11).bundle
    }()

    /// The bundle written to a file (once).
    static let path: String = {
        let path = NSTemporaryDirectory() + "ballast-server-test-\(ProcessInfo.processInfo.processIdentifier).bundle"
        try? bundle.write(to: path)
        return path
    }()

    /// A labelled CSV of `rows` simulated records with the bundle's columns.
    static func csv(rows: Int, seed: UInt64 = 5) throws -> String {
        var rng = Xoshiro256StarStar(seed: seed)
        let data = try TrafficSimulator(rowCount: max(rows, 500)).generate(using: &rng)
        let part = data.gatherRows(0..<rows)
        return CSVWriter.render(part.features, labels: part.labels, classNames: part.classNames)
    }

    /// One valid record as JSON-ready values (training medians / most frequent categories).
    static var record: [String: Any] {
        var out: [String: Any] = [:]
        for c in bundle.preprocessor.columns {
            out[c.name] = c.kind == .categorical ? c.categories[Int(c.imputationValue)] : c.imputationValue
        }
        return out
    }

    static var numericField: String { bundle.preprocessor.columns.first { $0.kind != .categorical }!.name }
    static var categoricalField: String { bundle.preprocessor.columns.first { $0.kind == .categorical }!.name }
}

/// A fresh data directory, removed by the caller.
func temporaryDataDirectory() -> String {
    NSTemporaryDirectory() + "ballast-serve-\(UUID().uuidString)"
}

/// A configuration for tests: cheap bcrypt, the shared test model, a fresh data directory.
func testConfiguration(_ directory: String = temporaryDataDirectory(), change: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
    var c = ServerConfiguration(dataDirectory: directory, modelPath: TestModel.path, bcryptCost: 4)
    change(&c)
    return c
}

/// Opens a service, runs `body` against its router in process, closes it.
func withService(_ configuration: ServerConfiguration, removeData: Bool = true,
                 _ body: @escaping @Sendable (BallastService, any TestClientProtocol) async throws -> Void) async throws {
    let service = try await BallastService.open(configuration)
    let app = Application(router: service.router())
    do {
        try await app.test(.router) { client in try await body(service, client) }
    } catch {
        try? await service.close()
        throw error
    }
    try await service.close()
    if removeData { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
}

/// A browser-like client: keeps cookies and the last page's CSRF token.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf: String?
    var lastBody = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    mutating func request(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestResponse {
        var h = headers
        if !cookies.isEmpty { h[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        let response = try await client.execute(uri: uri, method: method, headers: h, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        lastBody = String(buffer: response.body)
        if let token = Self.csrfToken(in: lastBody) { csrf = token }
        return response
    }

    @discardableResult
    mutating func get(_ uri: String) async throws -> TestResponse { try await request(.get, uri) }

    /// Posts a URL-encoded form, adding the current CSRF token unless `csrf: false`.
    @discardableResult
    mutating func post(_ uri: String, _ fields: [String: String], csrf withToken: Bool = true) async throws -> TestResponse {
        var all = fields
        if withToken, let csrf { all["csrf"] = csrf }
        let body = all.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await request(.post, uri, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }

    /// Posts a multipart form with one file.
    @discardableResult
    mutating func upload(_ uri: String, field: String, fileName: String, bytes: [UInt8], extra: [String: String] = [:]) async throws -> TestResponse {
        let boundary = "----ballast-test-boundary"
        var body: [UInt8] = []
        var fields: [String: String] = [:]
        if let csrf { fields["csrf"] = csrf }
        fields.merge(extra) { _, given in given }
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return try await request(.post, uri, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(bytes: body))
    }

    /// Signs up (loading the form first for its CSRF cookie and token).
    @discardableResult
    mutating func signUp(_ name: String, _ password: String = "correct horse") async throws -> TestResponse {
        try await get("/signup")
        let response = try await post("/signup", ["name": name, "password": password])
        if response.status == .seeOther { try await get("/dashboard") }  // a page with the session's CSRF token
        return response
    }

    @discardableResult
    mutating func logIn(_ name: String, _ password: String = "correct horse") async throws -> TestResponse {
        try await get("/login")
        let response = try await post("/login", ["name": name, "password": password])
        if response.status == .seeOther { try await get("/dashboard") }
        return response
    }

    /// Creates an API key on the keys page and returns it.
    mutating func createKey() async throws -> String {
        try await get("/keys")
        try await post("/keys", ["name": "test"])
        guard let range = lastBody.range(of: #"bk_[0-9a-f]+\.[0-9a-f]+"#, options: .regularExpression) else {
            Issue.record("no key on the page")
            return ""
        }
        return String(lastBody[range])
    }

    static func csrfToken(in html: String) -> String? {
        // The last token on the page: the header's logout form (session token) comes before a page's own form.
        let marker = #"name="csrf" value=""#
        guard let start = html.ranges(of: marker).last?.upperBound else { return nil }
        let token = html[start...].prefix { $0.isHexDigit }
        return token.isEmpty ? nil : String(token)
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

/// A JSON body as a dictionary.
func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}

/// A JSON request body.
func jsonBody(_ object: Any) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}
