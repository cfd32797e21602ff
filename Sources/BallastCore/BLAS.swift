#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A BLAS library loaded at run time with `dlopen`, never a build-time dependency.
///
/// Tried in order: `libopenblas.so.0`, `libopenblas.so`, `libcblas.so.3`, `libblas.so.3` — the first
/// that exports `cblas_sgemm` is used. Set `BALLAST_BLAS=off` to disable. Loaded once per process;
/// OpenBLAS is limited to one thread of its own (see ``GEMM/multiply`` for when it is used).
public struct BLAS: Sendable {
    private typealias SGEMM = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
        UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void

    /// The file name of the loaded library.
    public let name: String
    private let function: SGEMM

    /// The process's BLAS, or `nil` when disabled or none is installed.
    public static let shared: BLAS? = {
        if let setting = ProcessInfo.processInfo.environment["BALLAST_BLAS"]?.lowercased(),
           ["off", "0", "no", "false", "none"].contains(setting) {
            return nil
        }
        for library in ["libopenblas.so.0", "libopenblas.so", "libcblas.so.3", "libblas.so.3", "libopenblas.dylib"] {
            guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let symbol = dlsym(handle, "cblas_sgemm") {
                // Ballast supplies the threads (it calls BLAS only for products it runs on one
                // thread, some of them from several threads at once): OpenBLAS's own pool would
                // oversubscribe the cores and spin against Ballast's workers.
                if let limit = dlsym(handle, "openblas_set_num_threads") {
                    unsafeBitCast(limit, to: (@convention(c) (Int32) -> Void).self)(1)
                }
                return BLAS(name: library, function: unsafeBitCast(symbol, to: SGEMM.self))
            }
            dlclose(handle)
        }
        return nil
    }()

    /// Row-major `cblas_sgemm`.
    func sgemm(transposeA: Transpose, transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
               c: UnsafeMutablePointer<Float>, ldc: Int) {
        let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112
        function(rowMajor, transposeA == .none ? noTrans : trans, transposeB == .none ? noTrans : trans,
                 Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
