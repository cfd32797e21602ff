"""k-means, k = 40, on the 67,343 Normal rows of KDDTrain+ (122 columns): scikit-learn
KMeans(n_init=1) vs Ballast, same data, same run.

Run `python Benchmarks/prepare_kdd.py` first, then `python Benchmarks/kmeans.py [REPEATS]`.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "Benchmarks", "results")
BENCH = os.path.join(ROOT, ".build", "release", "ballast-bench")

CHILD = r"""
import json, sys, time
import numpy as np
from sklearn.cluster import KMeans
d, repeats = sys.argv[1], int(sys.argv[2])
X = np.fromfile(d + "/kdd_train_122.f32", dtype="<f4").reshape(-1, 122)
y = np.loadtxt(d + "/kdd_train_labels.txt", dtype=int)
N = X[y == 0]
best, inertia, iters = float("inf"), 0.0, 0
for r in range(repeats):
    t = time.perf_counter()
    km = KMeans(n_clusters=40, n_init=1, random_state=r).fit(N)
    el = time.perf_counter() - t
    if el < best:
        best, inertia, iters = el, float(km.inertia_), int(km.n_iter_)
print(json.dumps({"seconds": best, "inertia": inertia, "iterations": iters}))
"""


def main():
    repeats = sys.argv[1] if len(sys.argv) > 1 else "3"
    if not os.path.exists(os.path.join(DIR, "kdd_train_122.f32")):
        sys.exit("run Benchmarks/prepare_kdd.py first")
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2")
    sk = json.loads(subprocess.run([sys.executable, "-c", CHILD, DIR, repeats], check=True, capture_output=True,
                                   text=True, env=env).stdout.strip().splitlines()[-1])
    ba = json.loads(subprocess.run([BENCH, "kmeans", DIR, "40", repeats], check=True, capture_output=True,
                                   text=True, env=env).stdout.strip().splitlines()[-1])
    print(f"k-means k=40 on {ba['rows']} Normal rows, best of {repeats}")
    print(f"{'implementation':<28} {'seconds':>8} {'iterations':>11} {'inertia':>12}")
    print(f"{'scikit-learn KMeans(n_init=1)':<28} {sk['seconds']:>8.3f} {sk['iterations']:>11} {sk['inertia']:>12.2f}")
    print(f"{'Ballast KMeans':<28} {ba['seconds']:>8.3f} {ba['iterations']:>11} {ba['inertia']:>12.2f}")
    print(f"speed-up (scikit-learn / Ballast): {sk['seconds'] / ba['seconds']:.2f}x")


if __name__ == "__main__":
    main()
