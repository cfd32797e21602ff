import BallastEval
import Foundation
import Hummingbird
import Mustache

/// The web application and JSON API of `ballast serve`: storage, model registry, metrics and routes.
///
/// `open` prepares the data directory (database, models) and the active model; `router()` builds
/// the routes, which tests drive in process with HummingbirdTesting; `run()` serves until stopped.
public struct BallastService: Sendable {
    public let configuration: ServerConfiguration
    let database: Database
    let store: Store
    public let registry: ModelRegistry
    let metrics = ServiceMetrics()
    let loginLimiter: RateLimiter
    let signupLimiter: RateLimiter
    let templates: MustacheLibrary
    let temporaryDirectory: String

    /// Opens the data directory and loads (or creates) the active model.
    /// - Parameters:
    ///   - configuration: options.
    ///   - log: receives start-up messages (training the demo model, registering `--model`).
    /// - Throws: ``ServerError`` naming the file or option at fault.
    public static func open(_ configuration: ServerConfiguration, log: @Sendable (String) -> Void = { _ in }) async throws -> BallastService {
        try configuration.validate()
        let root = configuration.dataDirectory
        let models = root + "/models", temporary = root + "/tmp"
        do {
            for dir in [root, models, temporary] {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
            for leftover in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] {
                try? FileManager.default.removeItem(atPath: temporary + "/" + leftover)
            }
        } catch {
            throw ServerError.storage("\(root): cannot create the data directory: \(error.localizedDescription)")
        }
        let database = try await Database.open(path: root + "/ballast.sqlite")
        // The connection must be closed before it is released, also when a later step fails.
        do {
            let store = Store(db: database)
            let registry = ModelRegistry(store: store, directory: models)
            try await registry.start()
            if let path = configuration.modelPath {
                let bytes: Data
                do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                    throw ServerError.model("\(path): cannot read the model bundle: \(error.localizedDescription)")
                }
                let record = try await registry.register(bytes: bytes, name: (path as NSString).lastPathComponent, uploadedBy: nil, activate: true)
                log("model \(record.id) '\(record.name)' is active")
            } else if registry.current() == nil, try await store.models().isEmpty {
                log("no model yet: training the demo model (gbdt on \(configuration.demoRows) simulated records)…")
                let bundle = try ModelRegistry.trainDemo(rows: configuration.demoRows)
                let record = try await registry.register(bytes: try bundle.encoded(), name: "simulated-demo.bundle", uploadedBy: nil, activate: true)
                log("demo model \(record.id) is active (simulated traffic; train your own with `ballast train` and upload it)")
            }
            return BallastService(configuration: configuration, database: database, store: store, registry: registry,
                                  loginLimiter: RateLimiter(freeAttempts: configuration.freeLoginAttempts),
                                  signupLimiter: RateLimiter(freeAttempts: configuration.freeLoginAttempts),
                                  templates: try Templates.library(), temporaryDirectory: temporary)
        } catch {
            try? await database.close()
            throw error
        }
    }

    /// Every route of the service.
    public func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        addWebRoutes(to: router)
        addAdminRoutes(to: router)
        addAPIRoutes(to: router)
        return router
    }

    /// The Hummingbird application listening on the configured address.
    public func application() -> some ApplicationProtocol {
        Application(router: router(),
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ballast"))
    }

    /// Serves until the process is interrupted (SIGINT/SIGTERM), then closes the database.
    public func run() async throws {
        do {
            try await application().runService()
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }

    /// Closes the database (tests that reopen the data directory).
    public func close() async throws {
        try await database.close()
    }
}
