import Foundation
import Hummingbird

extension BallastService {
    func addAdminRoutes(to router: Router<ServerContext>) {
        router.get("/admin/models") { request, _ in
            try await self.handlingExits { try await self.modelsPage(session: try await self.requireAdmin(request), message: nil) }
        }
        router.post("/admin/models") { request, _ in
            try await self.handlingExits {
                let session = try await self.requireAdmin(request)
                let (fields, parts) = try await self.multipartForm(request, session: session)
                try self.checkCSRF(fields, session: session)
                guard let part = parts["bundle"], !part.body.isEmpty else {
                    return try await self.modelsPage(session: session, message: "Choose a bundle file to upload.", status: .unprocessableContent)
                }
                let name = String((part.fileName ?? "upload.bundle").prefix(200))
                do {
                    let record = try await self.registry.register(bytes: Data(part.body), name: name, uploadedBy: session.user.id,
                                                                  activate: fields["activate"] == "1")
                    return try await self.modelsPage(session: session, message: "Model \(record.id) '\(record.name)' registered"
                        + (record.active ? " and active." : "."))
                } catch let error as ServerError {
                    return try await self.modelsPage(session: session, message: "Upload refused: \(error)", status: .unprocessableContent)
                }
            }
        }
        router.post("/admin/models/:id/:action") { request, context in
            try await self.handlingExits {
                let session = try await self.requireAdmin(request)
                try self.checkCSRF(try await self.formFields(request), session: session)
                guard let id = context.parameters.get("id", as: Int.self) else {
                    return self.errorPage(.notFound, "No such model.", session: session)
                }
                do {
                    switch context.parameters.get("action") {
                    case "activate": try await self.registry.activate(id: id)
                    case "delete": try await self.registry.delete(id: id)
                    default: return self.errorPage(.notFound, "No such action.", session: session)
                    }
                } catch let error as ServerError {
                    return try await self.modelsPage(session: session, message: "\(error)", status: .conflict)
                }
                return self.redirect("/admin/models")
            }
        }
        router.get("/admin/users") { request, _ in
            try await self.handlingExits { try await self.usersPage(session: try await self.requireAdmin(request), message: nil) }
        }
        router.post("/admin/users/:id/:action") { request, context in
            try await self.handlingExits {
                let session = try await self.requireAdmin(request)
                let fields = try await self.formFields(request)
                try self.checkCSRF(fields, session: session)
                guard let id = context.parameters.get("id", as: Int.self), let user = try await self.store.user(id: id) else {
                    return self.errorPage(.notFound, "No such user.", session: session)
                }
                let action = context.parameters.get("action") ?? ""
                let removesAdmin = user.role == .admin && !user.disabled
                    && (action == "disable" || (action == "role" && fields["role"] != User.Role.admin.rawValue))
                if removesAdmin, try await self.store.adminCount() <= 1 {
                    return try await self.usersPage(session: session, message: "\(user.name) is the last administrator; promote another user first.",
                                                    status: .conflict)
                }
                switch action {
                case "role":
                    guard let role = fields["role"].flatMap(User.Role.init) else {
                        return self.errorPage(.unprocessableContent, "role must be admin or analyst.", session: session)
                    }
                    try await self.store.setRole(userID: id, role: role)
                case "disable": try await self.store.setDisabled(userID: id, disabled: true)
                case "enable": try await self.store.setDisabled(userID: id, disabled: false)
                default: return self.errorPage(.notFound, "No such action.", session: session)
                }
                return self.redirect("/admin/users")
            }
        }
    }

    func modelsPage(session: Session, message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let models: [[String: Any]] = try await store.models().map {
            ["id": $0.id, "name": $0.name, "summary": $0.summary, "when": Self.timestamp($0.createdAt), "active": $0.active, "csrf": session.csrf]
        }
        var values: [String: Any] = ["models": models, "csrf": session.csrf, "limit": Self.bytes(configuration.maxUploadBytes)]
        if let message { values["message"] = message }
        return page("models", title: "Models", values, session: session, status: status)
    }

    func usersPage(session: Session, message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let users: [[String: Any]] = try await store.users().map {
            ["id": $0.id, "name": $0.name, "role": $0.role.rawValue, "status": $0.disabled ? "disabled" : "active",
             "otherRole": $0.role == .admin ? "analyst" : "admin", "toggle": $0.disabled ? "enable" : "disable", "csrf": session.csrf]
        }
        var values: [String: Any] = ["users": users]
        if let message { values["message"] = message }
        return page("users", title: "Users", values, session: session, status: status)
    }
}
