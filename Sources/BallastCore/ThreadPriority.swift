#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// nothing is raised.
public enum ThreadPriority {
    /// The main thread's nice value when first read (nil where it cannot be read).
    private static let processNice: Int32? = {
        errno = 0
        let value = getpriority(which, 0)
        return errno == 0 ? value : nil
    }()

    #if canImport(Glibc)
    private static let which = __priority_which_t(PRIO_PROCESS.rawValue)
    #else
    private static let which = PRIO_PROCESS
    #endif

    /// Reads the process's nice value; call it on the main thread before any work starts.
    public static func captureProcessNice() { _ = processNice }

    /// Gives the calling thread the process's nice value if the thread's is lower (a higher
    /// priority). On Linux a thread's nice value is its own, so each working thread calls this.
    public static func adoptProcessNice() {
        guard let target = processNice else { return }
        errno = 0
        let current = getpriority(which, 0)
        guard errno == 0, current < target else { return }
        _ = setpriority(which, 0, target)
    }
}
