import BallastCore
import BallastEval
import Foundation

/// `ballast-bench gemm-shapes [--backend swift|blas|automatic] REPEATS SPEC...`: single-precision
/// GEMM throughput per shape.
///
/// Each `SPEC` is `MxKxN:TT` — `op(A)` is `M × K`, `op(B)` is `K × N`, and `TT` is two letters
/// (`N` as stored, `T` transposed) for A and B, e.g. `128x122x256:NT`. Each shape is calibrated to
/// batches of at least 40 ms, then `REPEATS` batches are timed; one JSON line per shape gives the
/// best wall time and the best process CPU time per product and the GFLOP/s of each
/// (`2·M·K·N / seconds`). The Swift kernel on ``Parallel/threadCount`` threads (`BALLAST_THREADS`)
/// unless `--backend` names the loaded BLAS or `GEMM`'s automatic choice.
func benchGEMMShapes(_ arguments: [String]) throws {
    let usage = "usage: ballast-bench gemm-shapes [--backend swift|blas|automatic] REPEATS MxKxN:TT..."
    var arguments = arguments[...]
    var backend = GEMM.Backend.swift
    if arguments.first == "--backend" {
        let names: [String: GEMM.Backend] = ["swift": .swift, "blas": .blas, "automatic": .automatic]
        guard arguments.count > 1, let chosen = names[arguments[arguments.startIndex + 1]] else { throw BenchError(usage) }
        if chosen == .blas && GEMM.blasLibrary == nil { throw BenchError("gemm-shapes: --backend blas, but no BLAS is loaded") }
        backend = chosen
        arguments = arguments.dropFirst(2)
    }
    guard let first = arguments.first, let repeats = Int(first), repeats > 0 else { throw BenchError(usage) }
    for spec in arguments.dropFirst() {
        let shape = try GEMMShape(spec)
        let (m, k, n) = (shape.m, shape.k, shape.n)
        var rng = Xoshiro256StarStar(seed: 2026)
        let a = (0..<m * k).map { _ in rng.nextUniformFloat() * 2 - 1 }
        let b = (0..<k * n).map { _ in rng.nextUniformFloat() * 2 - 1 }
        var c = [Float](repeating: 0, count: m * n)
        let lda = shape.ta == .none ? k : m, ldb = shape.tb == .none ? n : k
        func run(_ count: Int) {
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        for _ in 0..<count {
                            GEMM.multiply(transposeA: shape.ta, transposeB: shape.tb, m: m, n: n, k: k,
                                          alpha: 1, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                                          beta: 0, c: cp.baseAddress!, ldc: n, backend: backend)
                        }
                    }
                }
            }
        }
        var count = 1
        while true {
            let t = seconds { run(count) }
            if t >= 0.04 { break }
            count = t <= 0 ? count * 10 : max(count * 2, Int(Double(count) * 0.05 / t))
        }
        var bestWall = Double.infinity, bestCPU = Double.infinity
        for _ in 0..<repeats {
            let cpu0 = processCPUSeconds()
            let wall = seconds { run(count) }
            let cpu = processCPUSeconds() - cpu0
            bestWall = min(bestWall, wall / Double(count))
            bestCPU = min(bestCPU, cpu / Double(count))
        }
        let flops = 2 * Double(m) * Double(k) * Double(n)
        report([
            "benchmark": "gemm-shapes", "spec": spec, "threads": Parallel.threadCount, "calls": count,
            "backend": "\(backend)",
            "seconds": bestWall, "gflops": flops / bestWall / 1e9, "cpu_seconds": bestCPU,
            "cpu_gflops": flops / bestCPU / 1e9, "checksum": Double(c[0]) + Double(c[m * n - 1]),
        ])
    }
}

/// One `MxKxN:TT` shape of ``benchGEMMShapes(_:)``.
private struct GEMMShape {
    var m, k, n: Int
    var ta, tb: Transpose

    init(_ spec: String) throws {
        let parts = spec.split(separator: ":")
        let sizes = parts.first.map { $0.split(separator: "x").compactMap { Int($0) } } ?? []
        let flags = parts.count == 2 ? Array(parts[1]) : ["N", "N"]
        guard parts.count <= 2, sizes.count == 3, sizes.allSatisfy({ $0 > 0 }), flags.count == 2,
              flags.allSatisfy({ $0 == "N" || $0 == "T" }) else {
            throw BenchError("shape must look like 128x122x256:NT (M x K x N, N/T for A and B), got '\(spec)'")
        }
        (m, k, n) = (sizes[0], sizes[1], sizes[2])
        ta = flags[0] == "T" ? .transposed : .none
        tb = flags[1] == "T" ? .transposed : .none
    }
}
