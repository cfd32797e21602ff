import BallastCore
import Foundation

/// `ballast-bench gemm [SIZE] [REPEATS] [BACKEND]`: square single-precision GEMM throughput.
///
/// Multiplies two seeded `SIZE × SIZE` matrices (default 1024) `REPEATS` times (default 5) after one
/// warm-up run and prints one JSON line per backend with the best time and GFLOP/s
/// (`2 · SIZE³ / seconds`). `BACKEND` is `swift`, `blas` or `all` (default): BLAS is reported as
/// unavailable when no library was loaded.
func benchGEMM(_ arguments: [String]) throws {
    let size = try arguments.count > 0 ? positiveInt(arguments[0], name: "SIZE") : 1024
    let repeats = try arguments.count > 1 ? positiveInt(arguments[1], name: "REPEATS") : 5
    let choice = arguments.count > 2 ? arguments[2] : "all"
    let backends: [(String, GEMM.Backend)]
    switch choice {
    case "swift": backends = [("swift", .swift)]
    case "blas": backends = [("blas", .blas)]
    case "all": backends = [("swift", .swift), ("blas", .blas)]
    default: throw BenchError("BACKEND must be swift, blas or all, got '\(choice)'")
    }

    var rng = Xoshiro256StarStar(seed: 2026)
    let a = (0..<size * size).map { _ in rng.nextUniformFloat() * 2 - 1 }
    let b = (0..<size * size).map { _ in rng.nextUniformFloat() * 2 - 1 }
    var c = [Float](repeating: 0, count: size * size)
    let flops = 2 * Double(size) * Double(size) * Double(size)

    for (name, backend) in backends {
        if backend == .blas && GEMM.blasLibrary == nil {
            report(["benchmark": "gemm", "backend": name, "size": size, "available": false,
                    "threads": Parallel.threadCount])
            continue
        }
        var times: [Double] = []
        for _ in 0...repeats {
            times.append(seconds {
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            GEMM.multiply(transposeA: .none, transposeB: .none, m: size, n: size, k: size,
                                          alpha: 1, a: ap.baseAddress!, lda: size, b: bp.baseAddress!, ldb: size,
                                          beta: 0, c: cp.baseAddress!, ldc: size, backend: backend)
                        }
                    }
                }
            })
        }
        let best = times.dropFirst().min() ?? times[0]
        var fields: [String: Any] = [
            "benchmark": "gemm", "backend": name, "size": size, "available": true,
            "seconds": best, "gflops": flops / best / 1e9, "repeats": repeats,
            "threads": Parallel.threadCount, "checksum": Double(c[0]) + Double(c[size * size - 1]),
        ]
        if backend == .blas, let library = GEMM.blasLibrary { fields["library"] = library }
        report(fields)
    }
}

/// Parses a positive integer command-line argument.
private func positiveInt(_ text: String, name: String) throws -> Int {
    guard let value = Int(text), value > 0 else {
        throw BenchError("\(name) must be a positive integer, got '\(text)'")
    }
    return value
}
