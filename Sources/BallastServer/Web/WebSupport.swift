import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Cookie names.
enum CookieName {
    static let session = "ballast_session"
    static let anonymousCSRF = "ballast_csrf"
}

/// A web request's outcome when it cannot go on (redirect to login, forbidden, bad form).
struct PageExit: Error {
    var response: Response
}

extension BallastService {
    // MARK: responses

    /// A page rendered into the layout.
    func page(_ template: String, title: String, _ values: [String: Any], session: Session?, status: HTTPResponse.Status = .ok,
              flash: String? = nil, cookies: [Cookie] = []) -> Response {
        let content = templates.render(ValueCleaning.forTemplate(values) ?? [:], withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "content": content, "signupOpen": configuration.signupOpen]
        if let session {
            layout["user"] = ["name": session.user.name, "role": session.user.role.rawValue, "isAdmin": session.user.role == .admin,
                              "csrf": session.csrf] as [String: Any]
        }
        if let flash { layout["flash"] = flash }
        let html = templates.render(ValueCleaning.forTemplate(layout) ?? [:], withTemplate: "layout") ?? ""
        var response = Response(status: status, headers: Self.htmlHeaders, body: .init(byteBuffer: ByteBuffer(string: html)))
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    static let htmlHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        .cacheControl: "no-store",
    ]

    /// An error page.
    func errorPage(_ status: HTTPResponse.Status, _ message: String, session: Session?) -> Response {
        page("error", title: status.reasonPhrase, ["heading": "\(status.code) \(status.reasonPhrase)", "message": message],
             session: session, status: status)
    }

    /// A 303 redirect (after a POST, so a reload does not resubmit).
    func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    // MARK: sessions

    /// The request's live session, if any.
    func session(_ request: Request) async throws -> Session? {
        guard let token = request.cookies[CookieName.session]?.value else { return nil }
        return try await store.session(token: token)
    }

    /// The session, or an exit to the login page.
    func requireSession(_ request: Request) async throws -> Session {
        guard let session = try await session(request) else { throw PageExit(response: redirect("/login")) }
        return session
    }

    /// An admin's session, or 403 for anyone else.
    func requireAdmin(_ request: Request) async throws -> Session {
        let session = try await requireSession(request)
        guard session.user.role == .admin else {
            throw PageExit(response: errorPage(.forbidden, "This page is for administrators.", session: session))
        }
        return session
    }

    /// Runs a page handler, turning ``PageExit`` into its response and oversized bodies into 413.
    func handlingExits(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let exit as PageExit {
            return exit.response
        } catch is NIOTooManyBytesError {
            return errorPage(.contentTooLarge, "The upload is larger than the limit of \(Self.bytes(configuration.maxUploadBytes)).", session: nil)
        }
    }

    // MARK: forms

    /// The fields of a URL-encoded form body.
    func formFields(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        guard let fields = FormData.urlEncoded(Array(buffer.readableBytesView)) else {
            throw PageExit(response: errorPage(.badRequest, "The form data is not valid URL encoding.", session: nil))
        }
        return fields
    }

    /// Refuses a form whose CSRF token does not match the session's.
    func checkCSRF(_ fields: [String: String], session: Session) throws {
        guard let token = fields["csrf"], Tokens.constantTimeEquals(token, session.csrf) else {
            throw PageExit(response: errorPage(.forbidden, "The form's security token is missing or stale. Reload the page and try again.",
                                               session: session))
        }
    }

    /// Refuses an anonymous form (login, sign-up) whose token does not match its cookie (double submit).
    func checkAnonymousCSRF(_ fields: [String: String], request: Request) throws {
        guard let cookie = request.cookies[CookieName.anonymousCSRF]?.value, let token = fields["csrf"],
              !cookie.isEmpty, Tokens.constantTimeEquals(token, cookie) else {
            throw PageExit(response: errorPage(.forbidden, "The form's security token is missing or stale. Reload the page and try again.",
                                               session: nil))
        }
    }

    /// The anonymous CSRF token of the request, or a new one with the cookie to set.
    func anonymousCSRF(_ request: Request) -> (token: String, cookie: Cookie?) {
        if let value = request.cookies[CookieName.anonymousCSRF]?.value, value.utf8.count == 48, value.allSatisfy(\.isHexDigit) {
            return (value, nil)
        }
        let token = Tokens.randomHex(bytes: 24)
        return (token, cookie(CookieName.anonymousCSRF, token))
    }

    // MARK: formatting

    static func bytes(_ n: Int) -> String {
        n >= 1 << 20 ? "\(n >> 20) MiB" : n >= 1 << 10 ? "\(n >> 10) KiB" : "\(n) bytes"
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return f.string(from: date)
    }
}
