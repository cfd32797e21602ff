@testable import BallastCore
import Foundation
import Testing

@Suite("Spinning worker pool")
struct WorkerPoolTests {
    @Test("Every task runs exactly once per job, with more or fewer tasks than threads, across many back-to-back jobs and after the workers park")
    func partsRunOnce() throws {
        let pool = WorkerPool(workers: 3)
        for round in 0..<2000 {
            let parts = 1 + round % 7
            var hits = [Int](repeating: 0, count: parts)
            let ran = hits.withUnsafeMutableBufferPointer { buf in
                let out = SendableBuffer(buf)
                return pool.run(tasks: parts) { part in out.buffer[part] += 1 }
            }
            #expect(ran)
            #expect(hits == [Int](repeating: 1, count: parts), "round \(round)")
            // Now and then, let the workers outlast their spin window and park.
            if round % 500 == 499 { usleep(UInt32(WorkerPool.spinWindow / 1000) * 3) }
        }
    }

    @Test("An empty job, a pool without workers, and a job submitted from inside a job are declined, not run")
    func declines() {
        #expect(!WorkerPool(workers: 0).run(tasks: 2) { _ in Issue.record("a job ran without workers") })
        let pool = WorkerPool(workers: 1)
        #expect(!pool.run(tasks: 0) { _ in Issue.record("an empty job ran") })
        let inner = SendableBuffer(UnsafeMutableBufferPointer<Bool>.allocate(capacity: 2))
        defer { inner.buffer.deallocate() }
        inner.buffer.initialize(repeating: true)
        #expect(pool.run(tasks: 2) { part in inner.buffer[part] = pool.run(tasks: 2) { _ in } })
        #expect(inner.buffer[0] == false && inner.buffer[1] == false)
        // Still usable afterwards.
        #expect(pool.run(tasks: 2) { _ in })
    }

    @Test("Submitters on several threads at once each get their job done, by the pool or declined")
    func concurrentSubmitters() {
        let pool = WorkerPool(workers: 1)
        let totals = SendableBuffer(UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * 2))
        defer { totals.buffer.deallocate() }
        totals.buffer.initialize(repeating: 0)
        DispatchQueue.concurrentPerform(iterations: 4) { submitter in
            for _ in 0..<500 {
                let slots = totals.buffer.baseAddress! + submitter * 2
                if !pool.run(tasks: 2, { part in slots[part] += 1 }) {
                    slots[0] += 1
                    slots[1] += 1
                }
            }
        }
        #expect(Array(totals.buffer) == [Int](repeating: 500, count: 8))
    }
}
