import Foundation

/// Wall time since creation, in seconds.
struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Seconds elapsed.
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
