import Foundation

/// Deterministic data-parallel loops over index ranges.
///
/// Work is cut into chunks whose boundaries depend only on the range, the grain and
/// ``Parallel/threadCount``, never on scheduling, so a loop whose chunks write disjoint outputs (or
/// whose per-chunk partial results are combined in chunk order) gives bit-identical output for the
/// same thread count.
public enum Parallel {
    /// The number of worker threads: `BALLAST_THREADS` when set to a positive integer, otherwise
    /// the number of active processors. Read once per process.
    public static let threadCount: Int = {
        if let text = ProcessInfo.processInfo.environment["BALLAST_THREADS"], let n = Int(text), n > 0 {
            return n
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Splits `range` into at most `threadCount * chunksPerThread` contiguous chunks of at least
    /// `minimumChunk` indices. The same arguments always give the same chunks.
    public static func chunks(of range: Range<Int>, minimumChunk: Int = 1, chunksPerThread: Int = 1) -> [Range<Int>] {
        let n = range.count
        guard n > 0 else { return [] }
        let maxChunks = max(1, threadCount * max(1, chunksPerThread))
        let count = max(1, min(maxChunks, n / max(1, minimumChunk)))
        var result: [Range<Int>] = []
        result.reserveCapacity(count)
        for c in 0..<count {
            let lo = range.lowerBound + n * c / count
            let hi = range.lowerBound + n * (c + 1) / count
            if hi > lo { result.append(lo..<hi) }
        }
        return result
    }

    /// Runs `body` once per chunk of `range`, on up to ``threadCount`` threads, and returns when all
    /// chunks are done. With one chunk, runs inline on the calling thread. Chunks run on the
    /// persistent workers of ``WorkerPool`` (no thread wake-up per loop) unless another loop holds
    /// them, then on Dispatch's pool.
    ///
    /// - Parameters:
    ///   - range: the indices to cover.
    ///   - minimumChunk: the smallest chunk worth a thread (amortizes dispatch overhead).
    ///   - body: called with each chunk; must only write state owned by that chunk.
    public static func forEachChunk(
        _ range: Range<Int>, minimumChunk: Int = 1, chunksPerThread: Int = 1,
        _ body: @Sendable (Range<Int>) -> Void
    ) {
        let parts = chunks(of: range, minimumChunk: minimumChunk, chunksPerThread: chunksPerThread)
        if parts.count <= 1 {
            if let only = parts.first { body(only) }
            return
        }
        if #available(macOS 15, *), WorkerPool.shared.run(tasks: parts.count, { body(parts[$0]) }) { return }
        DispatchQueue.concurrentPerform(iterations: parts.count) { i in
            ThreadPriority.adoptProcessNice()  // Dispatch's threads keep `nice -n N` too
            body(parts[i])
        }
    }

    /// Runs `body` over `0..<count` for a short kernel (an element-wise pass of a training step):
    /// in up to ``threadCount`` contiguous chunks of at least `minimumChunk` indices on the
    /// persistent workers of ``WorkerPool`` when they are awake and free, otherwise in one call on
    /// the calling thread. Unlike ``forEachChunk(_:minimumChunk:chunksPerThread:_:)`` it never wakes
    /// a parked worker or falls back to Dispatch (both cost more than such a kernel), and `body`
    /// need not be `Sendable`: the caller guarantees that chunks write disjoint memory.
    ///
    /// Which chunks run where does not change what is computed, so an element-wise `body` gives the
    /// same bits on any number of threads; a reduction across chunks must not be written this way.
    ///
    /// `wakingWorkers: true` wakes a parked worker instead of running alone: for a job of
    /// milliseconds (a whole LSTM recurrence), where a wake-up of tens of microseconds is cheap.
    @inline(__always)
    public static func split(_ count: Int, minimumChunk: Int, wakingWorkers: Bool = false, _ body: (Range<Int>) -> Void) {
        let parts = Swift.min(threadCount, count / Swift.max(1, minimumChunk))
        if parts >= 2, #available(macOS 15, *),
           WorkerPool.shared.run(tasks: parts, onlyIfAwake: !wakingWorkers, { c in body(count * c / parts ..< count * (c + 1) / parts) }) {
            return
        }
        if count > 0 { body(0..<count) }
    }

    /// Maps each chunk of `range` to a partial result, in parallel, and returns the partial results in
    /// chunk order (so a reduction over them is deterministic).
    public static func mapChunks<T: Sendable>(
        _ range: Range<Int>, minimumChunk: Int = 1, chunksPerThread: Int = 1,
        _ body: @Sendable (Range<Int>) -> T
    ) -> [T] {
        let parts = chunks(of: range, minimumChunk: minimumChunk, chunksPerThread: chunksPerThread)
        if parts.count <= 1 { return parts.map(body) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: parts.count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let out = SendableBuffer(results)
        let fill: @Sendable (Int) -> Void = { i in out.buffer[i] = body(parts[i]) }
        if #available(macOS 15, *), WorkerPool.shared.run(tasks: parts.count, fill) {
        } else {
            DispatchQueue.concurrentPerform(iterations: parts.count) { i in
                ThreadPriority.adoptProcessNice()  // Dispatch's threads keep `nice -n N` too
                out.buffer[i] = body(parts[i])
            }
        }
        return results.map { $0! }
    }
}

/// Wraps a buffer pointer so that disjoint parts of it can be written from parallel chunks.
///
/// The caller guarantees that no two chunks write the same element and that the memory outlives the
/// loop; this is the one place where Ballast opts out of Sendable checking.
public struct SendableBuffer<Element>: @unchecked Sendable {
    /// The wrapped buffer.
    public let buffer: UnsafeMutableBufferPointer<Element>
    /// Wraps `buffer`.
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
    /// The base address (`nil` for an empty buffer).
    public var baseAddress: UnsafeMutablePointer<Element>? { buffer.baseAddress }
}

/// A read-only counterpart of ``SendableBuffer``.
public struct SendableReadBuffer<Element>: @unchecked Sendable {
    /// The wrapped buffer.
    public let buffer: UnsafeBufferPointer<Element>
    /// Wraps `buffer`.
    public init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }
    /// The base address (`nil` for an empty buffer).
    public var baseAddress: UnsafePointer<Element>? { buffer.baseAddress }
}
