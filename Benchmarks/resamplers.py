"""Classic resamplers on KDDTrain+ (125,973 x 122, preprocessed by prepare_kdd.py): imbalanced-learn
vs Ballast, same data, same run, each method in a fresh process on both sides (so peak memory is
per method).

Default strategy everywhere: over-samplers balance every class to the majority's count, cleaning
methods clean every class but the minority, under-samplers reduce every class to the minority's.

Run:  python Benchmarks/prepare_kdd.py
      python Benchmarks/resamplers.py [--methods smote,adasyn,...] [--skip-anchor svm-smote,smote-enn]
Prints a table (time, speed-up, peak memory, counts per class) and appends every measurement as a
JSON line to Benchmarks/results/resamplers.jsonl.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "Benchmarks", "results")
BENCH = os.path.join(ROOT, ".build", "release", "ballast-bench")

# Ballast catalogue name -> (imbalanced-learn constructor, speed-up target from the issue)
METHODS = {
    "smote": ("from imblearn.over_sampling import SMOTE as M; m = M(random_state=0)", 8),
    "borderline-smote": ("from imblearn.over_sampling import BorderlineSMOTE as M; m = M(random_state=0)", 8),
    "adasyn": ("from imblearn.over_sampling import ADASYN as M; m = M(random_state=0)", 8),
    "smote-enn": ("from imblearn.combine import SMOTEENN as M; m = M(random_state=0)", 8),
    "svm-smote": ("from imblearn.over_sampling import SVMSMOTE as M; m = M(random_state=0)", 3),
    "kmeans-smote": ("from imblearn.over_sampling import KMeansSMOTE as M; m = M(random_state=0)", 3),
    "oss": ("from imblearn.under_sampling import OneSidedSelection as M; m = M(random_state=0)", 3),
    "enn": ("from imblearn.under_sampling import EditedNearestNeighbours as M; m = M()", 3),
    "tomek": ("from imblearn.under_sampling import TomekLinks as M; m = M()", 3),
    "random-over": ("from imblearn.over_sampling import RandomOverSampler as M; m = M(random_state=0)", None),
    "random-under": ("from imblearn.under_sampling import RandomUnderSampler as M; m = M(random_state=0)", None),
    "cluster-centroids": ("from imblearn.under_sampling import ClusterCentroids as M; m = M(random_state=0)", None),
    "smote-tomek": ("from imblearn.combine import SMOTETomek as M; m = M(random_state=0)", None),
    "kmeans-under": (None, None),
}

CHILD = r"""
import json, sys, time
import numpy as np
d, ctor = sys.argv[1], sys.argv[2]
X = np.fromfile(d + "/kdd_train_122.f32", dtype="<f4").reshape(-1, 122)
y = np.loadtxt(d + "/kdd_train_labels.txt", dtype=int)
exec(ctor)
t = time.perf_counter()
try:
    Xr, yr = m.fit_resample(X, y)
    seconds, error = time.perf_counter() - t, None
    counts = np.bincount(yr, minlength=5).tolist()
except Exception as e:
    seconds, error, counts = time.perf_counter() - t, f"{type(e).__name__}: {e}", None
peak = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) * 1024
print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak, "counts": counts, "error": error}))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--skip-anchor", default="", help="methods whose imbalanced-learn side is not run")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(DIR, "kdd_train_122.f32")):
        sys.exit("run Benchmarks/prepare_kdd.py first")
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product ballast-bench")
    import imblearn
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2")
    skip = set(filter(None, args.skip_anchor.split(",")))
    rows = []
    for name in args.methods.split(","):
        ctor, target = METHODS[name]
        anchor = None
        if ctor and name not in skip:
            out = subprocess.run([sys.executable, "-c", CHILD, DIR, ctor], capture_output=True, text=True, env=env)
            if out.returncode != 0:
                sys.exit(f"imbalanced-learn {name} failed:\n{out.stderr}")
            anchor = json.loads(out.stdout.strip().splitlines()[-1])
        out = subprocess.run([BENCH, "resample", DIR, name, "0"], capture_output=True, text=True, env=env)
        if out.returncode != 0:
            sys.exit(f"ballast {name} failed:\n{out.stderr}")
        ours = json.loads(out.stdout.strip().splitlines()[-1])
        record = {"method": name, "imblearn": anchor, "ballast": ours, "target_speedup": target,
                  "imblearn_version": imblearn.__version__, "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
        with open(os.path.join(DIR, "resamplers.jsonl"), "a") as f:
            f.write(json.dumps(record) + "\n")
        rows.append(record)
        print_row(record)


def print_row(r):
    a, b = r["imblearn"], r["ballast"]
    mib = lambda x: f"{x / 2**20:.0f}"
    if a is None:
        print(f"{r['method']:18} {'-':>9} {b['seconds']:8.2f}s {'-':>8} {'-':>7} {'-':>6} {mib(b['peak_rss_bytes']):>6} {b['counts']}")
        return
    speed = a["seconds"] / b["seconds"]
    target = r["target_speedup"]
    verdict = "" if target is None else ("  ok" if speed >= target else f"  MISS (target {target}x)")
    same = "counts equal" if a["counts"] == b["counts"] else f"imblearn {a['counts']} / ballast {b['counts']}"
    if a.get("error"):
        same = f"imblearn error: {a['error']}"
    print(f"{r['method']:18} {a['seconds']:8.2f}s {b['seconds']:8.2f}s {speed:7.1f}x{verdict} "
          f"mem {mib(a['peak_rss_bytes'])}/{mib(b['peak_rss_bytes'])} MiB ({b['peak_rss_bytes'] / a['peak_rss_bytes']:.2f}x)  {same}")


if __name__ == "__main__":
    print(f"{'method':18} {'imblearn':>9} {'ballast':>9} {'speed-up':>8}")
    main()
