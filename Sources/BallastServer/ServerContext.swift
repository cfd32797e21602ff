import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the client's address (for rate limits).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, or "local" when there is none (in-process tests, Unix sockets).
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// Bodies are collected explicitly with the service's own limits.
    public var maxUploadSize: Int { 256 << 20 }
}
