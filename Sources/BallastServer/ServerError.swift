import Foundation

/// Why the service could not start or could not carry out a request.
public enum ServerError: Error, Equatable, CustomStringConvertible {
    /// The database could not be opened, migrated or written.
    case storage(String)
    /// The configuration is unusable (a bad option value).
    case configuration(String)
    /// A model bundle could not be used.
    case model(String)

    public var description: String {
        switch self {
        case .storage(let m), .configuration(let m), .model(let m): return m
        }
    }
}
