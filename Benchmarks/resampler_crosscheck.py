"""Cross-check against imbalanced-learn on the same small data: which rows Tomek links, ENN and
repeated ENN remove (deterministic algorithms: must be identical), and the per-class counts of every
over- and under-sampler (must be equal, except where imbalanced-learn is known to miss its target).

Continuous seeded data (3 classes of 500/150/40 rows, 6 columns, no ties), so nearest neighbours
are unique and the deterministic methods must agree row for row.
Run: python Benchmarks/resampler_crosscheck.py   (after swift build -c release --product ballast-bench)
Exit status 1 if a deterministic method disagrees or counts differ unexpectedly.
"""
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "Benchmarks", "results", "crosscheck")
BENCH = os.path.join(ROOT, ".build", "release", "ballast-bench")


def data():
    rng = np.random.default_rng(7)
    parts, labels = [], []
    for c, (n, shift) in enumerate([(500, 0.0), (150, 1.2), (40, 2.0)]):
        parts.append(rng.normal(size=(n, 6)) + shift)
        labels += [c] * n
    return np.vstack(parts).astype("<f4"), np.array(labels)


def ballast(method, X):
    prefix = os.path.join(DIR, "out")
    subprocess.run([BENCH, "resample", DIR, method, "0", prefix], check=True, capture_output=True)
    Xr = np.fromfile(prefix + ".f32", dtype="<f4").reshape(-1, X.shape[1])
    yr = np.loadtxt(prefix + ".labels", dtype=int)
    return Xr, yr


def kept_rows(X, Xr):
    index = {row.tobytes(): i for i, row in enumerate(X)}
    return sorted(index[row.tobytes()] for row in Xr)


def main():
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product ballast-bench")
    from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, KMeansSMOTE, RandomOverSampler, SVMSMOTE
    from imblearn.under_sampling import (ClusterCentroids, EditedNearestNeighbours, RandomUnderSampler,
                                         RepeatedEditedNearestNeighbours, TomekLinks)
    os.makedirs(DIR, exist_ok=True)
    X, y = data()
    X.tofile(os.path.join(DIR, "X.f32"))
    open(os.path.join(DIR, "X.cols"), "w").write("6\n")
    np.savetxt(os.path.join(DIR, "y.txt"), y, fmt="%d")
    failures = 0
    print("Deterministic cleaning methods: rows removed")
    for name, anchor in [("tomek", TomekLinks()), ("enn", EditedNearestNeighbours()),
                         ("renn", RepeatedEditedNearestNeighbours())]:
        Xa, _ = anchor.fit_resample(X, y)
        Xb, _ = ballast(name, X)
        a, b = kept_rows(X, Xa), kept_rows(X, Xb)
        same = a == b
        failures += not same
        print(f"  {name:6} imbalanced-learn removes {len(X) - len(a):4}, Ballast {len(X) - len(b):4}: "
              f"{'identical rows' if same else 'DIFFERENT rows'}")
    print("Counts per class")
    for name, anchor, note in [
        ("random-over", RandomOverSampler(random_state=0), None),
        ("smote", SMOTE(random_state=0), None),
        ("borderline-smote", BorderlineSMOTE(random_state=0), None),
        ("borderline-smote:kind=2", BorderlineSMOTE(kind="borderline-2", random_state=0), None),
        ("svm-smote", SVMSMOTE(random_state=0), None),
        ("adasyn", ADASYN(random_state=0), "imbalanced-learn rounds per row, so its total can miss the target"),
        ("kmeans-smote", KMeansSMOTE(random_state=0, cluster_balance_threshold=0.1),
         "imbalanced-learn rounds up per cluster (#1186)"),
        ("random-under", RandomUnderSampler(random_state=0), None),
        ("cluster-centroids", ClusterCentroids(random_state=0), None),
    ]:
        spec = name if name != "kmeans-smote" else "kmeans-smote:balance-threshold=0.1"
        try:
            _, ya = anchor.fit_resample(X, y)
            a = np.bincount(ya).tolist()
        except Exception as e:  # imbalanced-learn itself fails on some inputs
            a = f"error: {e}"
        _, yb = ballast(spec, X)
        b = np.bincount(yb).tolist()
        ok = a == b
        if not ok and note is None:
            failures += 1
        print(f"  {name:24} imbalanced-learn {a}  Ballast {b}  {'equal' if ok else ('differs: ' + note if note else 'DIFFERS')}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
