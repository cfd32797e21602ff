"""GEMM throughput: numpy (its bundled OpenBLAS) vs Ballast's Swift kernel, per shape and thread count.

Usage: /work/venv/bin/python Benchmarks/gemm.py [--threads 1,2] [--rounds 3] [--repeats 5]
                                                [--shapes 1024x1024x1024:NN,...] [--square-only]

Shapes are M x K x N (op(A) is M x K, op(B) is K x N) with two letters for A and B: N as stored,
T transposed. The default list is 1024^3 and the products of a 122 -> 256 -> 256 -> 122 MLP layer
with batch 128 (forward, input gradient and weight gradient) in every transpose combination.

For each thread count, numpy runs under threadpoolctl's limit and Ballast runs as
`.build/release/ballast-bench gemm-shapes` with BALLAST_THREADS set, always with the Swift kernel.
The two sides alternate for --rounds rounds so both see the same machine load; each side times
--repeats batches of at least 40 ms per shape and keeps the best time per product. The table gives
GFLOP/s from wall time and, for one thread, from process CPU time (fairer on a loaded machine);
the ratio is Ballast / numpy. Build the Swift side first with
`swift build -c release --product ballast-bench`.
"""
import argparse
import json
import os
import subprocess
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "2")  # the largest thread count; threadpoolctl lowers it per run

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "ballast-bench")
NEURAL = ["128x122x256", "128x256x256", "128x256x122", "256x128x122"]
SQUARE = "1024x1024x1024"


def default_shapes() -> list:
    shapes = [f"{SQUARE}:NN"]
    for dims in NEURAL:
        shapes += [f"{dims}:{ta}{tb}" for ta in "NT" for tb in "NT"]
    return shapes


def parse(spec: str):
    dims, flags = spec.split(":") if ":" in spec else (spec, "NN")
    m, k, n = (int(x) for x in dims.split("x"))
    return m, k, n, flags[0] == "T", flags[1] == "T"


def numpy_side(shapes: list, repeats: int) -> dict:
    results = {}
    rng = np.random.default_rng(2026)
    for spec in shapes:
        m, k, n, ta, tb = parse(spec)
        a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
        opa, opb = (a.T if ta else a), (b.T if tb else b)
        c = np.empty((m, n), dtype=np.float32)

        def run(count):
            for _ in range(count):
                np.matmul(opa, opb, out=c)

        count = 1
        while True:
            start = time.perf_counter()
            run(count)
            t = time.perf_counter() - start
            if t >= 0.04:
                break
            count = count * 10 if t <= 0 else max(count * 2, int(count * 0.05 / t))
        best_wall = best_cpu = float("inf")
        for _ in range(repeats):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            run(count)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            best_wall, best_cpu = min(best_wall, wall / count), min(best_cpu, cpu / count)
        results[spec] = {"seconds": best_wall, "cpu_seconds": best_cpu}
    return results


def ballast_side(shapes: list, repeats: int, threads: int) -> dict:
    env = dict(os.environ, BALLAST_THREADS=str(threads), BALLAST_BLAS="off")
    out = subprocess.run([BINARY, "gemm-shapes", str(repeats), *shapes], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"ballast-bench failed ({out.returncode}): {out.stderr.strip()}")
    results = {}
    for line in out.stdout.splitlines():
        if line.strip().startswith("{"):
            record = json.loads(line)
            results[record["spec"]] = record
    return results


def merge(best: dict, new: dict) -> None:
    for spec, record in new.items():
        old = best.setdefault(spec, dict(record))
        old["seconds"] = min(old["seconds"], record["seconds"])
        old["cpu_seconds"] = min(old["cpu_seconds"], record["cpu_seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--shapes", default=None, help="comma-separated MxKxN:TT list")
    parser.add_argument("--square-only", action="store_true", help=f"only {SQUARE}:NN")
    parser.add_argument("--json", action="store_true", help="also print one JSON line per row")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit(f"{BINARY} is missing: run `swift build -c release --product ballast-bench` first")
    shapes = args.shapes.split(",") if args.shapes else ([f"{SQUARE}:NN"] if args.square_only else default_shapes())
    for spec in shapes:
        parse(spec)
    threads = [int(t) for t in args.threads.split(",")]

    print(f"GEMM float32, numpy {np.__version__} (bundled OpenBLAS) vs Ballast Swift kernel (BALLAST_BLAS=off); "
          f"best of {args.rounds} rounds x {args.repeats} batches; load average {os.getloadavg()[0]:.2f}")
    print(f"{'shape MxKxN:TT':<20} {'thr':>3} {'numpy':>8} {'Ballast':>8} {'ratio':>6}   "
          f"{'numpy cpu':>9} {'Ballast cpu':>11} {'ratio':>6}")
    worst = {}
    for t in threads:
        ours, theirs = {}, {}
        for _ in range(args.rounds):
            with threadpool_limits(limits=t, user_api="blas"):
                merge(theirs, numpy_side(shapes, args.repeats))
            merge(ours, ballast_side(shapes, args.repeats, t))
        for spec in shapes:
            m, k, n, _, _ = parse(spec)
            flops = 2.0 * m * k * n
            g_np, g_b = flops / theirs[spec]["seconds"] / 1e9, flops / ours[spec]["seconds"] / 1e9
            c_np, c_b = flops / theirs[spec]["cpu_seconds"] / 1e9, flops / ours[spec]["cpu_seconds"] / 1e9
            worst[t] = min(worst.get(t, 9e9), g_b / g_np)
            print(f"{spec:<20} {t:>3} {g_np:>8.1f} {g_b:>8.1f} {g_b / g_np:>6.2f}   {c_np:>9.1f} {c_b:>11.1f} {c_b / c_np:>6.2f}")
            if args.json:
                print(json.dumps({"spec": spec, "threads": t, "numpy_gflops": g_np, "ballast_gflops": g_b,
                                  "numpy_cpu_gflops": c_np, "ballast_cpu_gflops": c_b}))
    print("lowest wall-time ratio per thread count: " + ", ".join(f"{t}: {r:.2f}" for t, r in worst.items())
          + f"; load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
