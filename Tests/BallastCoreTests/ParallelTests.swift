import BallastCore
import Testing

@Suite("Deterministic parallel loops")
struct ParallelTests {
    @Test("Chunks cover the range exactly once, in order, and depend only on the arguments",
          arguments: [0..<0, 0..<1, 5..<17, 0..<1000])
    func chunksCover(range: Range<Int>) {
        for perThread in [1, 3] {
            let chunks = Parallel.chunks(of: range, minimumChunk: 4, chunksPerThread: perThread)
            #expect(chunks.flatMap { Array($0) } == Array(range))
            #expect(chunks == Parallel.chunks(of: range, minimumChunk: 4, chunksPerThread: perThread))
            #expect(chunks.allSatisfy { !$0.isEmpty })
        }
    }

    @Test("mapChunks returns partial results in chunk order; forEachChunk writes every index once")
    func mapAndForEach() {
        let partials = Parallel.mapChunks(0..<10_000, minimumChunk: 100, chunksPerThread: 4) { r in r.reduce(0, +) }
        #expect(partials.reduce(0, +) == (0..<10_000).reduce(0, +))
        let firsts = Parallel.mapChunks(0..<10_000, minimumChunk: 100, chunksPerThread: 4) { $0.lowerBound }
        #expect(firsts == firsts.sorted())
        var hits = [Int](repeating: 0, count: 5000)
        hits.withUnsafeMutableBufferPointer { buf in
            let out = SendableBuffer(buf)
            Parallel.forEachChunk(0..<5000, minimumChunk: 10, chunksPerThread: 3) { r in
                for i in r { out.buffer[i] += 1 }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}
