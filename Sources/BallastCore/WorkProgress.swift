import Foundation

/// Progress of long library work — boosting rounds, trees grown, rows searched for neighbours,
/// bytes parsed — reported to whoever runs it, without a progress parameter on every API.
///
/// The caller installs a handler for the duration of a call with ``reporting(to:_:)`` (the CLI
/// draws its bar from it); library code calls ``report(_:done:of:)`` at natural steps. Nothing is
/// reported when no handler is installed. The handler belongs to the thread that installed it (a
/// thread-local value; Swift's `@TaskLocal` crashed here when bound from synchronous code inlined
/// across modules): code that fans out to worker threads reads ``handler`` before the fan-out, or
/// uses ``WorkProgressCounter``, and the handler must be thread-safe.
public enum WorkProgress {
    /// Receives `(what, done, total)`, e.g. `("rounds", 12, 100)`.
    public typealias Handler = @Sendable (_ what: String, _ done: Int, _ total: Int) -> Void

    private final class Box {
        let handler: Handler?
        init(_ handler: Handler?) { self.handler = handler }
    }

    private static let key = "ballast.WorkProgress.handler"

    /// The handler installed on the current thread, if any.
    public static var handler: Handler? {
        (Thread.current.threadDictionary[key] as? Box)?.handler
    }

    private static func with<R>(_ handler: Handler?, _ body: () throws -> R) rethrows -> R {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[key]
        dictionary[key] = Box(handler)
        defer { dictionary[key] = previous }
        return try body()
    }

    /// Runs `body` with `handler` receiving its progress reports.
    /// - Parameters:
    ///   - handler: called with `(what, done, total)`; may be called from worker threads.
    ///   - body: the work.
    public static func reporting<R>(to handler: @escaping Handler, _ body: () throws -> R) rethrows -> R {
        try with(handler, body)
    }

    /// Runs `body` with every report it makes prefixed by `label` (`"class DoS: neighbour search"`),
    /// or with nothing installed when there is no handler.
    public static func labelled<R>(_ label: String, _ body: () throws -> R) rethrows -> R {
        guard let outer = handler else { return try body() }
        return try with({ what, done, total in outer("\(label): \(what)", done, total) }, body)
    }

    /// Runs `body` with its reports suppressed (inner steps of work that reports its own progress).
    public static func silenced<R>(_ body: () throws -> R) rethrows -> R {
        try with(nil, body)
    }

    /// Reports `done` of `total` units of `what` to the installed handler, if any.
    public static func report(_ what: String, done: Int, of total: Int) {
        handler?(what, done, total)
    }
}

/// Counts units of work finished on several threads and reports the running total to the handler
/// that was installed when the counter was made (create it before fanning out).
public final class WorkProgressCounter: @unchecked Sendable {
    private let handler: WorkProgress.Handler?
    private let what: String
    private let total: Int
    private var done = 0
    private let lock = NSLock()

    /// Creates a counter of `total` units of `what`, reporting to ``WorkProgress/handler``.
    public init(_ what: String, total: Int) {
        handler = WorkProgress.handler
        self.what = what
        self.total = total
    }

    /// Adds `units` finished units and reports the total so far.
    public func advance(by units: Int = 1) {
        guard let handler else { return }
        lock.lock()
        done += units
        let now = done
        lock.unlock()
        handler(what, now, total)
    }
}
