"""GEMM throughput: numpy (its bundled OpenBLAS) vs Ballast's Swift kernel and Ballast via system BLAS.

Usage: /work/venv/bin/python Benchmarks/gemm.py [SIZE] [REPEATS]

Runs, in the same process run and on the same machine, numpy float32 matmul of SIZE x SIZE matrices
(default 1024) with 2 BLAS threads, then `.build/release/ballast-bench gemm SIZE REPEATS all` with
BALLAST_THREADS=2, and prints a table of GFLOP/s (best of REPEATS after one warm-up) and the ratio
to numpy. Build the Swift side first with `swift build -c release --product ballast-bench`.
"""
import json
import os
import subprocess
import sys
import time

THREADS = "2"
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = THREADS  # must be set before numpy loads its BLAS

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "ballast-bench")


def numpy_gflops(size: int, repeats: int) -> float:
    rng = np.random.default_rng(2026)
    a = rng.uniform(-1, 1, (size, size)).astype(np.float32)
    b = rng.uniform(-1, 1, (size, size)).astype(np.float32)
    a @ b  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2.0 * size ** 3 / best / 1e9


def ballast_results(size: int, repeats: int) -> dict:
    env = dict(os.environ, BALLAST_THREADS=THREADS)
    out = subprocess.run([BINARY, "gemm", str(size), str(repeats), "all"], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"ballast-bench failed ({out.returncode}): {out.stderr.strip()}")
    results = {}
    for line in out.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            record = json.loads(line)
            results[record["backend"]] = record
    return results


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if not os.path.exists(BINARY):
        sys.exit(f"{BINARY} is missing: run `swift build -c release --product ballast-bench` first")

    reference = numpy_gflops(size, repeats)
    ballast = ballast_results(size, repeats)

    print(f"GEMM float32 {size}x{size}x{size}, {THREADS} threads, best of {repeats} after a warm-up")
    print(f"{'implementation':<34} {'GFLOP/s':>9} {'vs numpy':>9}")
    print(f"{'numpy ' + np.__version__ + ' (bundled OpenBLAS)':<34} {reference:>9.1f} {1.0:>9.2f}")
    swift = ballast.get("swift")
    if swift is not None:
        print(f"{'Ballast (Swift kernel)':<34} {swift['gflops']:>9.1f} {swift['gflops'] / reference:>9.2f}")
    blas = ballast.get("blas")
    if blas is not None and blas.get("available"):
        label = f"Ballast (BLAS: {blas.get('library', '?')})"
        print(f"{label:<34} {blas['gflops']:>9.1f} {blas['gflops'] / reference:>9.2f}")
    else:
        print(f"{'Ballast (BLAS)':<34} {'n/a':>9} {'':>9}  (no libopenblas/libcblas found)")


if __name__ == "__main__":
    main()
