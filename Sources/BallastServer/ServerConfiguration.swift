import Foundation

/// How `ballast serve` runs: address, data directory, model and security limits.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The TCP port (0 lets the system choose).
    public var port: Int
    /// Where the database, model bundles and temporary files live.
    public var dataDirectory: String
    /// A bundle to register and activate at start, if given.
    public var modelPath: String?
    /// Whether new accounts may be created (the first account can always be created).
    public var signupOpen: Bool
    /// The bcrypt cost (work factor) for new password hashes; 12 unless a test lowers it.
    public var bcryptCost: UInt8
    /// How long a session lasts, in seconds, from login.
    public var sessionLifetime: TimeInterval
    /// The largest request body accepted (uploads, batch CSV), in bytes; larger ones get 413.
    public var maxUploadBytes: Int
    /// The largest JSON body accepted by `POST /api/v1/predict`, in bytes.
    public var maxJSONBytes: Int
    /// Whether cookies are marked `Secure` (set when served behind TLS).
    public var secureCookies: Bool
    /// Failed logins (per address or account) allowed before back-off starts.
    public var freeLoginAttempts: Int
    /// Rows of the simulated data the demo model is trained on at first start.
    public var demoRows: Int

    /// Creates a configuration with the defaults of `ballast serve`.
    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "ballast-data", modelPath: String? = nil,
                signupOpen: Bool = true, bcryptCost: UInt8 = 12, sessionLifetime: TimeInterval = 8 * 3600,
                maxUploadBytes: Int = 64 << 20, maxJSONBytes: Int = 4 << 20, secureCookies: Bool = false,
                freeLoginAttempts: Int = 5, demoRows: Int = 6000) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.modelPath = modelPath
        self.signupOpen = signupOpen
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.maxUploadBytes = maxUploadBytes
        self.maxJSONBytes = maxJSONBytes
        self.secureCookies = secureCookies
        self.freeLoginAttempts = freeLoginAttempts
        self.demoRows = demoRows
    }

    /// Checks option values.
    /// - Throws: ``ServerError/configuration(_:)`` naming the option.
    public func validate() throws {
        guard (0...65535).contains(port) else { throw ServerError.configuration("--port \(port): expected 0...65535") }
        guard (4...31).contains(bcryptCost) else { throw ServerError.configuration("bcrypt cost \(bcryptCost): expected 4...31") }
        guard maxUploadBytes > 0, maxJSONBytes > 0 else { throw ServerError.configuration("upload limits must be positive") }
        guard demoRows >= 500 else { throw ServerError.configuration("demo rows \(demoRows): expected at least 500") }
        guard !dataDirectory.isEmpty else { throw ServerError.configuration("--data-dir: expected a directory path") }
    }
}
