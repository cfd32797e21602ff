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

    // Computed: the descriptor type is not Sendable, so it cannot be a shared constant.
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "ballast", metricName: "http_requests", unitName: "total",
                             helpText: "HTTP requests by method, matched route and status")
    }
    static var latency: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "ballast", metricName: "http_request_duration", unitName: "seconds",
                             helpText: "Time to answer a request, by matched route")
    }
    static var predicted: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "ballast", metricName: "predictions", unitName: "total",
                             helpText: "Records predicted, by model (checksum prefix) and predicted class")
    }

    /// Counts a finished request and records its latency.
    func request(method: String, route: String, status: Int, seconds: Double) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route)], buckets: Self.latencyBuckets)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Counts predicted records per class.
    func predictions(model: String, classNames: [String], counts: [Int]) {
        for (name, n) in zip(classNames, counts) where n > 0 {
            registry.makeCounter(descriptor: Self.predicted, labels: [("model", model), ("class", name)]).increment(by: Int64(n))
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
