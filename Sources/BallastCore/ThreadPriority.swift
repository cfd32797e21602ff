#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Keeps the nice value a process was started with (`nice -n 19 ballast experiment …`) on the
/// threads that do its work.
///
/// The command line runs its commands on a thread of Swift's concurrency pool, and libdispatch on
/// Linux gives its threads the nice value of their quality of service (0 for the default), not the
/// process's; the worker threads are then created from that thread and inherit its value. Where
/// libdispatch may do that (running as root, as in many containers), `nice -n 19 ballast …` computed
/// at normal priority beside the jobs it was meant to yield to. ``captureProcessNice()`` reads the
/// value on the main thread at start-up, and ``adoptProcessNice()`` lowers the calling thread's
/// priority to it. Only ever lowered: a thread already nicer than the process is left alone, and
/// nothing is raised. Without a capture (a library or test process) adopting does nothing.
public enum ThreadPriority {
    #if canImport(Glibc)
    private static let which = __priority_which_t(PRIO_PROCESS.rawValue)
    #else
    private static let which = PRIO_PROCESS
    #endif

    /// Reads the calling thread's nice value as the process's; call it on the main thread before
    /// any work starts.
    public static func captureProcessNice() {
        errno = 0
        let value = getpriority(which, 0)
        if errno == 0, #available(macOS 15, *) { capturedNice.store(Int(value), ordering: .releasing) }
    }

    /// Gives the calling thread the captured nice value if the thread's is lower (a higher
    /// priority). On Linux a thread's nice value is its own, so each working thread calls this; on
    /// macOS the value is the process's, which the threads already share.
    public static func adoptProcessNice() {
        guard #available(macOS 15, *) else { return }
        let target = capturedNice.load(ordering: .acquiring)
        guard target != Int.min else { return }
        errno = 0
        let current = getpriority(which, 0)
        guard errno == 0, Int(current) < target else { return }
        _ = setpriority(which, 0, Int32(target))
    }
}

/// The captured nice value; `Int.min` until ``ThreadPriority/captureProcessNice()`` has run.
@available(macOS 15, *)
private let capturedNice = Atomic<Int>(Int.min)
