"""Semi-supervised detection on NSL-KDD: Ballast's `ssflow` against scikit-learn's
SelfTrainingClassifier (XGBoost base) and LabelSpreading (kNN kernel), on the same splits.

KDDTrain+ keeps the labels of a stratified fraction of its rows (1%, 5%, 10%; at least one row per
class, as `ballast train --labelled-fraction`); the other rows are unlabelled. Every method is
evaluated on KDDTest+. Rows of the table:

  ssflow            Ballast ssflow on labelled + unlabelled rows
  ssflow-no-em      ablation: priors not re-estimated (em=false)
  ssflow-no-adapt   ablation: one pseudo-label threshold (adaptive=false)
  ssflow-no-graph   ablation: no manifold term (manifold-weight=0)
  flow-supervised   the same flow on the labelled rows only (no unlabelled rows, no graph)
  gbdt, mlp         Ballast gbdt / mlp on the labelled rows only
  self-training     sklearn SelfTrainingClassifier(XGBClassifier hist, threshold 0.9)
  label-spreading   sklearn LabelSpreading(kernel='knn', n_neighbors=10, alpha=0.2)
  gbdt-all          Ballast gbdt with every KDDTrain+ label (the ceiling)

The unlabelled rows given to the semi-supervised methods (Python and Ballast alike) are a seeded
random subset of at most --max-unlabelled (default 20000) of the rows whose labels were hidden: the
machine is shared, and LabelSpreading's graph grows with them. Same subset for every method.

Run `python Benchmarks/prepare_kdd.py` first, build `swift build -c release --product ballast-bench`,
then: python Benchmarks/semi_supervised.py [--fractions 0.01,0.05,0.1] [--seeds 1,2,3]
[--max-unlabelled 20000] [--ablations] [--bench PATH]. Writes Benchmarks/results/ssl/results.jsonl
and prints a Markdown table (means over seeds).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "Benchmarks", "results")
OUT = os.path.join(DIR, "ssl")
CLASSES = ["Normal", "DoS", "Probe", "R2L", "U2R"]


def load(name):
    x = np.fromfile(os.path.join(DIR, f"{name}_122.f32"), dtype="<f4").reshape(-1, 122)
    y = np.loadtxt(os.path.join(DIR, f"{name}_labels.txt"), dtype=int)
    return x, y


def split(y, fraction, seed, max_unlabelled):
    """Stratified labelled rows (at least one per class) and a seeded subset of the rest."""
    rng = np.random.RandomState(seed)
    labelled = []
    for c in sorted(set(y)):
        rows = np.flatnonzero(y == c)
        rng.shuffle(rows)
        keep = min(len(rows), max(1, int(round(fraction * len(rows)))))
        labelled.extend(rows[:keep])
    labelled = np.sort(np.array(labelled))
    rest = np.setdiff1d(np.arange(len(y)), labelled)
    if len(rest) > max_unlabelled:
        rest = np.sort(rng.choice(rest, max_unlabelled, replace=False))
    return labelled, rest


def metrics(truth, predicted):
    from sklearn.metrics import accuracy_score, f1_score, recall_score
    recalls = recall_score(truth, predicted, labels=range(5), average=None, zero_division=0)
    out = {"accuracy": accuracy_score(truth, predicted),
           "macro_f1": f1_score(truth, predicted, average="macro", zero_division=0),
           "weighted_f1": f1_score(truth, predicted, average="weighted", zero_division=0)}
    for name, r in zip(CLASSES, recalls):
        out[f"recall_{name}"] = float(r)
    return out


def python_rows(x, y, xt, yt, labelled, unlabelled, seed):
    from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier
    from xgboost import XGBClassifier
    xs = np.vstack([x[labelled], x[unlabelled]])
    ys = np.concatenate([y[labelled], -np.ones(len(unlabelled), dtype=int)])
    rows = []
    models = {
        "self-training": lambda: SelfTrainingClassifier(
            XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.3, tree_method="hist", n_jobs=2,
                          random_state=seed), threshold=0.9, max_iter=10),
        "label-spreading": lambda: LabelSpreading(kernel="knn", n_neighbors=10, alpha=0.2, max_iter=30, n_jobs=2),
    }
    for name, make in models.items():
        model = make()
        start = time.perf_counter()
        model.fit(xs, ys)
        seconds = time.perf_counter() - start
        row = {"method": name, "seed": seed, "labelled": len(labelled), "unlabelled": len(unlabelled),
               "fit_seconds": seconds}
        row.update(metrics(yt, model.predict(xt)))
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fractions", default="0.01,0.05,0.1")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--max-unlabelled", type=int, default=20000)
    parser.add_argument("--ablations", action="store_true")
    parser.add_argument("--skip-python", action="store_true")
    parser.add_argument("--skip-all", action="store_true", help="skip the gbdt-all ceiling")
    parser.add_argument("--ssflow", default="ssflow", help="the ssflow specification")
    parser.add_argument("--methods", default="", help="comma-separated subset of the Ballast rows")
    parser.add_argument("--bench", default=os.path.join(ROOT, ".build", "release", "ballast-bench"))
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    x, y = load("kdd_train")
    xt, yt = load("kdd_test")
    results = os.path.join(OUT, "results.jsonl")
    spec = args.ssflow
    sep = "," if ":" in spec else ":"
    swift_models = {
        "ssflow": f"semi:{spec}",
        "flow-supervised": f"labelled:{spec}{sep}manifold-weight=0",
        "gbdt": "labelled:gbdt",
        "mlp": "labelled:mlp",
    }
    if args.ablations:
        swift_models.update({"ssflow-no-em": f"semi:{spec}{sep}em=false",
                             "ssflow-no-adapt": f"semi:{spec}{sep}adaptive=false",
                             "ssflow-no-graph": f"semi:{spec}{sep}manifold-weight=0"})
    if args.methods:
        keep = set(args.methods.split(","))
        swift_models = {k: v for k, v in swift_models.items() if k in keep}
    seeds = [int(s) for s in args.seeds.split(",")]
    with open(results, "a") as log:
        for seed in seeds:
            for fraction in [float(f) for f in args.fractions.split(",")]:
                labelled, unlabelled = split(y, fraction, seed, args.max_unlabelled)
                lab_path = os.path.join(OUT, f"labelled_{fraction}_{seed}.txt")
                unl_path = os.path.join(OUT, f"unlabelled_{fraction}_{seed}.txt")
                np.savetxt(lab_path, labelled, fmt="%d")
                np.savetxt(unl_path, unlabelled, fmt="%d")
                rows = []
                if swift_models:
                    command = [args.bench, "ssl", DIR, lab_path, unl_path, str(seed)] + \
                        [f"{k}={v}" for k, v in swift_models.items()]
                    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
                    rows += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
                if not args.skip_python:
                    rows += python_rows(x, y, xt, yt, labelled, unlabelled, seed)
                for row in rows:
                    row["fraction"] = fraction
                    log.write(json.dumps(row) + "\n")
                    log.flush()
                    print(f"{fraction:5} seed {seed} {row['method']:16} macro-F1 {row['macro_f1']:.4f} "
                          f"acc {row['accuracy']:.4f} fit {row['fit_seconds']:.1f}s", flush=True)
            if not args.skip_all:
                command = [args.bench, "ssl", DIR, lab_path, unl_path, str(seed), "gbdt-all=all:gbdt"]
                out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
                for line in out.splitlines():
                    if line.startswith("{"):
                        row = json.loads(line)
                        row["fraction"] = 1.0
                        log.write(json.dumps(row) + "\n")
                        print(f"  1.0 seed {seed} gbdt-all         macro-F1 {row['macro_f1']:.4f}", flush=True)
    table(results)


def table(path):
    """Means over seeds per (fraction, method), as Markdown."""
    groups = {}
    for line in open(path):
        row = json.loads(line)
        groups.setdefault((row["fraction"], row["method"]), []).append(row)
    columns = ["accuracy", "macro_f1", "weighted_f1"] + [f"recall_{c}" for c in CLASSES] + ["fit_seconds"]
    print("| labels | method | seeds | " + " | ".join(c.replace("_", " ") for c in columns) + " |")
    print("| --- | --- | --- |" + " --- |" * len(columns))
    for (fraction, method), rows in sorted(groups.items()):
        cells = []
        for c in columns:
            values = [r[c] for r in rows if c in r]
            mean = sum(values) / len(values) if values else float("nan")
            if c == "fit_seconds":
                cells.append(f"{mean:.1f}")
            elif c == "macro_f1" and len(values) > 1:
                cells.append(f"{100 * mean:.1f} ± {100 * np.std(values):.1f}")
            else:
                cells.append(f"{100 * mean:.1f}")
        print(f"| {fraction:.0%} | {method} | {len(rows)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--table":
        table(sys.argv[2] if len(sys.argv) > 2 else os.path.join(OUT, "results.jsonl"))
    else:
        main()
