import BallastCore

/// `ballast-bench gemm [SIZE] [REPEATS]`: GFLOP/s of a SIZE³ Float product, best of REPEATS after a
/// warm-up, on the Swift kernel and (when loaded) on BLAS.
func benchGEMM(_ arguments: [String]) throws {
    let size = arguments.count > 0 ? Int(arguments[0]) ?? 1024 : 1024
    let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5
    var rng = Xoshiro256StarStar(seed: 1)
    let a = Matrix(rows: size, columns: size) { _, _ in rng.nextUniformFloat() - 0.5 }
    let b = Matrix(rows: size, columns: size) { _, _ in rng.nextUniformFloat() - 0.5 }
    var c = Matrix(rows: size, columns: size)
    var backends: [(String, GEMM.Backend)] = [("swift", .swift)]
    if let name = GEMM.blasLibrary { backends.append(("blas:\(name)", .blas)) }
    for (label, backend) in backends {
        var best = Double.infinity
        for _ in 0...repeats {
            let t = seconds {
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            GEMM.multiply(transposeA: .none, transposeB: .none, m: size, n: size, k: size, alpha: 1,
                                          a: ap.baseAddress!, lda: size, b: bp.baseAddress!, ldb: size, beta: 0,
                                          c: cp.baseAddress!, ldc: size, backend: backend)
                        }
                    }
                }
            }
            best = min(best, t)
        }
        let flops = 2.0 * Double(size) * Double(size) * Double(size)
        report(["benchmark": "gemm", "backend": label, "size": size, "seconds": best,
                "gflops": flops / best / 1e9, "threads": Parallel.threadCount])
    }
}
