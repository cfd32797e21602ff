"""CSV loading: pandas.read_csv vs Ballast's CSVReader on NSL-KDD KDDTrain+.

Run as `/work/venv/bin/python Benchmarks/csv_load.py [PATH] [REPEATS]` after
`swift build -c release --product ballast-bench`. Each side runs in a fresh subprocess so that
peak RSS (VmHWM) measures one load; times are the best of REPEATS loads.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PATH = os.path.join(os.path.dirname(ROOT), "shared", "datasets", "nsl-kdd", "KDDTrain+.txt")
BENCH = os.path.join(ROOT, ".build", "release", "ballast-bench")

PANDAS_CHILD = r"""
import json, sys, time
import pandas as pd
path, repeats = sys.argv[1], int(sys.argv[2])
best = float("inf")
for _ in range(repeats):
    t = time.perf_counter()
    df = pd.read_csv(path, header=None)
    best = min(best, time.perf_counter() - t)
    rows = len(df)
    del df
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0
print(json.dumps({"seconds": best, "rows": rows, "peak_rss_bytes": peak()}))
"""

PANDAS_BASELINE = r"""
import json
import pandas as pd
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(json.dumps({"peak_rss_bytes": int(line.split()[1]) * 1024}))
"""


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_PATH
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if not os.path.exists(path):
        sys.exit(f"dataset not found: {path}")
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing; build it first: swift build -c release --product ballast-bench")

    pandas = run_json([sys.executable, "-c", PANDAS_CHILD, path, str(repeats)])
    pandas_import = run_json([sys.executable, "-c", PANDAS_BASELINE])
    # Peak RSS of one load: a fresh process, one repeat.
    pandas_once = run_json([sys.executable, "-c", PANDAS_CHILD, path, "1"])
    ballast = run_json([BENCH, "csv", path, str(repeats)])
    ballast_once = run_json([BENCH, "csv", path, "1"])

    mib = 1024 * 1024
    rows = [
        ("pandas.read_csv", pandas["seconds"], pandas_once["peak_rss_bytes"] / mib, pandas["rows"]),
        ("Ballast CSVReader", ballast["seconds"], ballast_once["peak_rss_bytes"] / mib, ballast["rows"]),
    ]
    print(f"CSV load of {os.path.basename(path)}, best of {repeats}")
    print(f"{'implementation':<20} {'seconds':>9} {'peak RSS MiB':>13} {'rows':>9}")
    for name, sec, rss, n in rows:
        print(f"{name:<20} {sec:>9.4f} {rss:>13.1f} {n:>9}")
    print(f"speed-up (pandas / Ballast): {pandas['seconds'] / ballast['seconds']:.2f}x")
    print(f"peak RSS ratio (Ballast / pandas): {ballast_once['peak_rss_bytes'] / pandas_once['peak_rss_bytes']:.2f}"
          f"  (pandas import alone: {pandas_import['peak_rss_bytes'] / mib:.1f} MiB)")
    if pandas["rows"] != ballast["rows"]:
        sys.exit(f"row counts differ: pandas {pandas['rows']}, Ballast {ballast['rows']}")


if __name__ == "__main__":
    main()
