import BallastCore
import BallastTestSupport
import Testing

/// The naive Double reference: `alpha * op(A) op(B) + beta * C`.
private func reference(_ ta: Transpose, _ tb: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                       _ a: [Float], _ lda: Int, _ b: [Float], _ ldb: Int, _ beta: Float, _ c: [Float], _ ldc: Int) -> [Double] {
    var out = [Double](repeating: 0, count: m * ldc)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let av = ta == .none ? a[i * lda + p] : a[p * lda + i]
                let bv = tb == .none ? b[p * ldb + j] : b[j * ldb + p]
                s += Double(av) * Double(bv)
            }
            out[i * ldc + j] = Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j]))
        }
    }
    return out
}

struct GEMMCase: Sendable, CustomTestStringConvertible {
    var m, n, k: Int
    var testDescription: String { "\(m)×\(n)×\(k)" }
}

@Suite("GEMM")
struct GEMMTests {
    static let shapes = [GEMMCase(m: 1, n: 1, k: 1), GEMMCase(m: 7, n: 13, k: 5), GEMMCase(m: 1, n: 300, k: 1),
                         GEMMCase(m: 1000, n: 3, k: 2), GEMMCase(m: 3, n: 1000, k: 17), GEMMCase(m: 130, n: 67, k: 259),
                         GEMMCase(m: 61, n: 33, k: 600),
                         // Several column blocks (split by columns), several row blocks (split by rows).
                         GEMMCase(m: 20, n: 1100, k: 300), GEMMCase(m: 700, n: 40, k: 70),
                         // A neural layer: the last panel has 10 columns (26 with AVX-512's 32-column
                         // panels: vector + scalar write-back), the last sliver 2 rows; m or n = 1 on
                         // the packed path; a last panel of exactly one vector (48 = 32 + 16).
                         GEMMCase(m: 128, n: 122, k: 256), GEMMCase(m: 1, n: 257, k: 200),
                         GEMMCase(m: 300, n: 1, k: 90), GEMMCase(m: 37, n: 25, k: 13), GEMMCase(m: 13, n: 48, k: 40)]

    static let backends: [GEMM.Backend] = GEMM.blasLibrary == nil ? [.swift] : [.swift, .blas]

    @Test("Every transpose combination, α/β and padding strides match a Double reference",
          arguments: shapes, [GEMM.Backend.swift, .blas])
    func matchesReference(shape: GEMMCase, backend: GEMM.Backend) {
        if backend == .blas && GEMM.blasLibrary == nil {
            print("skipped BLAS path for \(shape.testDescription): no BLAS library found (install libopenblas0)")
            return
        }
        let (m, n, k) = (shape.m, shape.n, shape.k)
        var rng = Xoshiro256StarStar(seed: UInt64(m * 31 + n * 7 + k))
        for ta in [Transpose.none, .transposed] {
            for tb in [Transpose.none, .transposed] {
                for (alpha, beta) in [(Float(1), Float(0)), (0.5, 2), (-1.5, 1)] {
                    let lda = (ta == .none ? k : m) + 3, ldb = (tb == .none ? n : k) + 1, ldc = n + 2
                    let a = (0..<((ta == .none ? m : k) * lda)).map { _ in Float(rng.nextNormal()) }
                    let b = (0..<((tb == .none ? k : n) * ldb)).map { _ in Float(rng.nextNormal()) }
                    var c = (0..<(m * ldc)).map { _ in Float(rng.nextNormal()) }
                    let expected = reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
                    a.withUnsafeBufferPointer { ap in
                        b.withUnsafeBufferPointer { bp in
                            c.withUnsafeMutableBufferPointer { cp in
                                GEMM.multiply(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha,
                                              a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                                              beta: beta, c: cp.baseAddress!, ldc: ldc, backend: backend)
                            }
                        }
                    }
                    // Float accumulation error grows like sqrt(k) · |terms|; 1e-4 · (k + 1) is generous
                    // for unit-normal data and far below any indexing mistake.
                    let tolerance = 1e-4 * Double(k + 1)
                    var worst = 0.0
                    for i in 0..<m { for j in 0..<n { worst = max(worst, abs(Double(c[i * ldc + j]) - expected[i * ldc + j])) } }
                    #expect(worst < tolerance, "\(ta) \(tb) α=\(alpha) β=\(beta): max error \(worst)")
                }
            }
        }
    }

    @Test("β = 0 overwrites C without reading it (NaN does not leak)")
    func betaZeroIgnoresNaN() {
        let a = TestData.normalMatrix(rows: 40, columns: 30, seed: 1)
        let b = TestData.normalMatrix(rows: 30, columns: 50, seed: 2)
        var c = [Float](repeating: .nan, count: 40 * 50)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    GEMM.multiply(transposeA: .none, transposeB: .none, m: 40, n: 50, k: 30, alpha: 1,
                                  a: ap.baseAddress!, lda: 30, b: bp.baseAddress!, ldb: 50, beta: 0,
                                  c: cp.baseAddress!, ldc: 50, backend: .swift)
                }
            }
        }
        #expect(c.allSatisfy { $0.isFinite })
    }

    @Test("β = 0 never reads C on the packed, threaded path with several k blocks",
          arguments: [(Transpose.none, Transpose.none), (.transposed, .transposed)])
    func betaZeroIgnoresNaNAcrossBlocks(ta: Transpose, tb: Transpose) {
        let (m, n, k) = (70, 90, 600)
        let a = TestData.normalMatrix(rows: m, columns: k, seed: 7).storage
        let b = TestData.normalMatrix(rows: k, columns: n, seed: 8).storage
        // Stored transposed when asked, so op(A) and op(B) are the same matrices either way.
        let storedA = ta == .none ? a : (0..<(k * m)).map { a[($0 % m) * k + $0 / m] }
        let storedB = tb == .none ? b : (0..<(n * k)).map { b[($0 % k) * n + $0 / k] }
        let expected = reference(.none, .none, m, n, k, 1, a, k, b, n, 0, [Float](repeating: 0, count: m * n), n)
        var c = [Float](repeating: .nan, count: m * n)
        storedA.withUnsafeBufferPointer { ap in
            storedB.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    GEMM.multiply(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 1,
                                  a: ap.baseAddress!, lda: ta == .none ? k : m, b: bp.baseAddress!,
                                  ldb: tb == .none ? n : k, beta: 0, c: cp.baseAddress!, ldc: n, backend: .swift)
                }
            }
        }
        let worst = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? .nan
        #expect(worst < 1e-4 * Double(k), "max error \(worst)")
    }

    @Test("k = 0 or α = 0 leaves β · C (C untouched when β = 1, zeros when β = 0)")
    func emptyInnerDimension() {
        let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [7, 8, 9, 10, 11, 12]
        for (k, alpha) in [(0, Float(1)), (2, Float(0))] {
            for beta in [Float(0), 1, -2] {
                var c: [Float] = [1, -2, 3, .nan, 5, 6]
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            GEMM.multiply(transposeA: .none, transposeB: .none, m: 2, n: 3, k: k, alpha: alpha,
                                          a: ap.baseAddress!, lda: max(k, 1), b: bp.baseAddress!, ldb: 3,
                                          beta: beta, c: cp.baseAddress!, ldc: 3, backend: .swift)
                        }
                    }
                }
                let expected: [Float] = beta == 0 ? [0, 0, 0, 0, 0, 0] : [1, -2, 3, .nan, 5, 6].map { beta * $0 }
                #expect(zip(c, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) },
                        "k=\(k) α=\(alpha) β=\(beta): \(c)")
            }
        }
    }

    @Test("Results are bit-identical run to run on the threaded path")
    func deterministic() {
        let a = TestData.normalMatrix(rows: 300, columns: 280, seed: 3)
        let b = TestData.normalMatrix(rows: 280, columns: 290, seed: 4)
        #expect(a.matmul(b) == a.matmul(b))
        // The same product on the calling thread alone: the split across threads does not change a bit.
        var serial = [Float](repeating: 0, count: 300 * 290)
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                serial.withUnsafeMutableBufferPointer { cp in
                    GEMM.multiply(transposeA: .none, transposeB: .none, m: 300, n: 290, k: 280, alpha: 1,
                                  a: ap.baseAddress!, lda: 280, b: bp.baseAddress!, ldb: 290, beta: 0,
                                  c: cp.baseAddress!, ldc: 290, backend: .swift, parallel: false)
                }
            }
        }
        if GEMM.blasLibrary == nil { #expect(serial == a.matmul(b).storage) }
        #expect(a.matmul(b).storage.allSatisfy { $0.isFinite })
    }

    @Test("matmul agrees with the transposed formulation")
    func matmulTransposes() {
        let a = TestData.normalMatrix(rows: 50, columns: 40, seed: 5)
        let b = TestData.normalMatrix(rows: 60, columns: 40, seed: 6)
        let viaFlag = a.matmul(b, transposeOther: .transposed)
        let viaCopy = a.matmul(b.transposed())
        let diff = zip(viaFlag.storage, viaCopy.storage).map { abs($0 - $1) }.max() ?? 0
        #expect(viaFlag.rows == 50 && viaFlag.columns == 60)
        #expect(diff < 1e-4)
    }
}
