import Foundation
import Synchronization

/// Persistent worker threads for short parallel jobs, such as a GEMM of a few tens of microseconds.
///
/// `DispatchQueue.concurrentPerform` wakes a pool thread per call; for a product that takes 50 µs
/// the wake-up and the hand-back cost a large share of the product, so at two threads the neural
/// network shapes kept only about 1.4 cores busy. These workers instead spin for a short while
/// (``spinWindow``) after each job, waiting for the next one, and only then park on a condition
/// variable. A training loop issues products back to back, so the next job usually finds its worker
/// awake. The submitting thread takes part in the job and spins until the workers are done.
///
/// A job is a number of tasks; every participant claims the next unclaimed task until none is
/// left, so a job may have more tasks than threads. Which thread runs a task is not deterministic,
/// so tasks must write disjoint outputs (what ``Parallel`` requires of its chunks anyway).
///
/// One job runs at a time: a submitter that finds the pool busy (another thread's job, or a job
/// submitted from inside a job) gets `false` from ``run(tasks:_:)`` and runs its tasks some other
/// way. Workers are created on first use, so a process that never runs a parallel product never
/// starts them.
@available(macOS 15, *)
final class WorkerPool: @unchecked Sendable {
    /// The process-wide pool: ``Parallel/threadCount`` − 1 workers (none with one thread).
    static let shared = WorkerPool(workers: Parallel.threadCount - 1)

    /// How long an idle worker spins before it parks, in nanoseconds. A training step has serial
    /// stretches longer than 0.3 ms (the old window); a parked worker then declined the element-wise
    /// loops that run only on awake workers, and woke late for the next product. With 3 ms a
    /// `cnn-lstm` epoch on 20,000 NSL-KDD rows took 13–17% less time in alternated runs (20 ms gave
    /// the same).
    static let spinWindow: UInt64 = 3_000_000

    /// The number of worker threads (the submitter is one more participant).
    let workers: Int

    /// Bumped once per job; a worker runs a job when it sees a generation it has not run.
    private let generation = Atomic<Int>(0)
    /// Workers that have not yet finished the current job.
    private let pending = Atomic<Int>(0)
    /// Whether a submitter holds the pool.
    private let busy = Atomic<Bool>(false)
    /// Workers parked (or about to park) on `condition`.
    private let sleepers = Atomic<Int>(0)
    /// Whether the worker threads have been started.
    private let started = Atomic<Bool>(false)
    /// The next task of the current job to claim.
    private let nextTask = Atomic<Int>(0)

    // Written by the submitter before `generation` is bumped (release) and read by workers after
    // they observe the bump (acquire); cleared only after every worker has finished.
    private var job: ((Int) -> Void)?
    private var tasks = 0

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(workers: Int) {
        self.workers = max(0, workers)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    /// Runs `body(task)` once for every task in `0..<count`, on the calling thread and the workers,
    /// and returns when all are done. Returns `false` without running anything when the pool is busy
    /// or has no workers, or, with `onlyIfAwake`, when a worker is parked or none has started.
    func run(tasks count: Int, onlyIfAwake: Bool = false, _ body: (Int) -> Void) -> Bool {
        guard count >= 1, workers > 0 else { return false }
        // A job of a few microseconds is not worth waking a parked worker (tens of microseconds).
        if onlyIfAwake && (!started.load(ordering: .relaxed) || sleepers.load(ordering: .relaxed) > 0) { return false }
        if count == 1 {  // nothing to share: no need to wake the workers
            body(0)
            return true
        }
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        startIfNeeded()
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            tasks = count
            nextTask.store(0, ordering: .relaxed)
            pending.store(workers, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
            }
            claimTasks(escapable, count)
            var spins = 0
            while pending.load(ordering: .acquiring) != 0 {
                spins += 1
                if spins & 1023 == 0 { sched_yield() } else { spinPause() }
            }
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func startIfNeeded() {
        guard workers > 0, !started.load(ordering: .acquiring) else { return }
        // Only the submitter holding `busy` gets here, so the threads start once. A worker starts
        // from the generation before the first job: it may begin running after the bump.
        let first = generation.load(ordering: .acquiring)
        for index in 0..<workers {
            let thread = Thread { [self] in self.workerLoop(index: index, seen: first) }
            thread.name = "ballast-worker-\(index + 1)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        started.store(true, ordering: .releasing)
    }

    private func workerLoop(index: Int, seen start: Int) {
        ThreadPriority.adoptProcessNice()  // whichever thread started the pool, keep `nice -n N`
        var seen = start
        while true {
            var current = generation.load(ordering: .acquiring)
            if current == seen {
                let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinWindow
                var spins = 0
                while current == seen {
                    spins += 1
                    if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds > deadline {
                        park(seen: seen)
                        spins = 0
                    } else {
                        spinPause()
                    }
                    current = generation.load(ordering: .acquiring)
                }
            }
            seen = current
            if let job { claimTasks(job, tasks) }
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Runs unclaimed tasks of the current job until none is left.
    @inline(__always)
    private func claimTasks(_ body: (Int) -> Void, _ count: Int) {
        while true {
            let task = nextTask.wrappingAdd(1, ordering: .relaxed).oldValue
            guard task < count else { return }
            body(task)
        }
    }

    /// Sleeps until the generation moves past `seen`.
    private func park(seen: Int) {
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen {
            pthread_cond_wait(condition, mutex)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
    }
}

#if arch(x86_64)
@_silgen_name("llvm.x86.sse2.pause")
private func x86Pause()
#endif

/// A hint to the CPU that this is a spin-wait loop (`pause` on x86-64): it saves power and frees
/// the core's shared resources for a sibling hyperthread.
@inline(__always)
private func spinPause() {
    #if arch(x86_64)
    x86Pause()
    #endif
}
