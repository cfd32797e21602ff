"""k = 5 nearest neighbours of the 995 R2L rows among all 125,973 KDDTrain+ rows (122 columns):
scikit-learn NearestNeighbors (n_jobs=2) vs Ballast, same data, same run.

Run `python Benchmarks/prepare_kdd.py` first, then `python Benchmarks/knn.py [REPEATS]`.
Reports best time of REPEATS, peak RSS of each side (fresh processes), the ratio, and how many
queries got the same neighbour set.
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
from sklearn.neighbors import NearestNeighbors
d, repeats, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
X = np.fromfile(d + "/kdd_train_122.f32", dtype="<f4").reshape(-1, 122)
y = np.loadtxt(d + "/kdd_train_labels.txt", dtype=int)
Q = X[y == 3]
best = float("inf")
for _ in range(repeats):
    t = time.perf_counter()
    nn = NearestNeighbors(n_neighbors=5, n_jobs=2).fit(X)
    dist, idx = nn.kneighbors(Q)
    best = min(best, time.perf_counter() - t)
np.savetxt(out, idx, fmt="%d")
peak = 0
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) * 1024
print(json.dumps({"seconds": best, "peak_rss_bytes": peak, "algorithm": nn._fit_method}))
"""


def main():
    repeats = sys.argv[1] if len(sys.argv) > 1 else "3"
    if not os.path.exists(os.path.join(DIR, "kdd_train_122.f32")):
        sys.exit("run Benchmarks/prepare_kdd.py first")
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product ballast-bench")
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2")
    sk_out, ba_out = os.path.join(DIR, "knn_sklearn.txt"), os.path.join(DIR, "knn_ballast.txt")
    sk = json.loads(subprocess.run([sys.executable, "-c", CHILD, DIR, repeats, sk_out], check=True,
                                   capture_output=True, text=True, env=env).stdout.strip().splitlines()[-1])
    ba = json.loads(subprocess.run([BENCH, "knn", DIR, repeats, ba_out], check=True, capture_output=True,
                                   text=True, env=env).stdout.strip().splitlines()[-1])
    import numpy as np
    a = [list(map(int, l.split())) for l in open(sk_out).read().strip().splitlines()]
    b = [list(map(int, l.split())) for l in open(ba_out).read().strip().splitlines()]
    same = sum(set(x) == set(y) for x, y in zip(a, b))
    # Where the sets differ, check in Double that the neighbour distances agree: then the
    # difference is only which of several equally distant rows was returned.
    X = np.fromfile(os.path.join(DIR, "kdd_train_122.f32"), dtype="<f4").reshape(-1, 122).astype(np.float64)
    y = np.loadtxt(os.path.join(DIR, "kdd_train_labels.txt"), dtype=int)
    Q = X[y == 3]
    ties = 0
    for q, (x, z) in enumerate(zip(a, b)):
        if set(x) == set(z):
            continue
        dx = np.sort(((X[x] - Q[q]) ** 2).sum(axis=1))
        dz = np.sort(((X[z] - Q[q]) ** 2).sum(axis=1))
        ties += bool(np.allclose(dx, dz, rtol=1e-4, atol=1e-5))
    mib = 1024 * 1024
    print(f"k=5 neighbours of {ba['queries']} R2L rows among {ba['reference']} rows, best of {repeats}")
    print(f"{'implementation':<34} {'seconds':>8} {'peak RSS MiB':>13}")
    print(f"{'scikit-learn (' + sk['algorithm'] + ', n_jobs=2)':<34} {sk['seconds']:>8.3f} {sk['peak_rss_bytes'] / mib:>13.1f}")
    print(f"{'Ballast NearestNeighbors':<34} {ba['seconds']:>8.3f} {ba['peak_rss_bytes'] / mib:>13.1f}")
    print(f"speed-up (scikit-learn / Ballast): {sk['seconds'] / ba['seconds']:.2f}x")
    print(f"same neighbour set: {same}/{len(a)} queries; of the others, {ties}/{len(a) - same} have the same "
          f"neighbour distances (ties between equally distant rows)")


if __name__ == "__main__":
    main()
