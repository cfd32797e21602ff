import Foundation
import Hummingbird
import Prometheus

/// The `/metrics` registry: requests by route and status, request latency, predictions per class.
///
/// A registry owned by the application (not the process-wide `MetricsSystem`), so two servers in
/// one process (tests) keep separate counts.
public struct ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        .map { Duration.nanoseconds(Int64($0 * 1e9)) }

    /// Counts a finished request and records its latency.
    func request(method: String, route: String, status: Int, seconds: Double) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(name: "ballast_http_requests_total", labels: labels).increment()
        registry.makeDurationHistogram(name: "ballast_http_request_duration_seconds", labels: [("route", route)],
                                       buckets: Self.latencyBuckets)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Counts predicted records per class.
    func predictions(model: String, classNames: [String], counts: [Int]) {
        for (name, n) in zip(classNames, counts) where n > 0 {
            registry.makeCounter(name: "ballast_predictions_total", labels: [("model", model), ("class", name)]).increment(by: Int64(n))
        }
    }

    /// The Prometheus text exposition.
    func render() -> String { registry.emitToString() }
}

/// Measures every request for ``ServiceMetrics``, labelled by the matched route (not the raw path,
/// so ids and hostile paths do not create new series).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = context.endpointPath ?? "unmatched"
        do {
            let response = try await next(request, context)
            metrics.request(method: request.method.rawValue, route: context.endpointPath ?? route, status: response.status.code,
                            seconds: Self.seconds(since: start))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(method: request.method.rawValue, route: context.endpointPath ?? route, status: status,
                            seconds: Self.seconds(since: start))
            throw error
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
