"""Trees on continuous, many-class flow data: scikit-learn DecisionTree / RandomForest (100 trees,
n_jobs=2) and XGBoost `hist` against `ballast train --model dt|rf|gbdt`, on the same CSV in the
same run; and the decision tree on NSL-KDD (KDDTrain+ -> KDDTest+ accuracy, seeds 1-3).

Data: Benchmarks/flows10.py's simulated 10-class flow records (UNSW-NB15's shape: 82,332 rows,
39 numeric columns with many distinct float values, 3 symbolic ones -> 192 columns after one-hot).
scikit-learn and XGBoost get the one-hot matrix of the raw values as float32 (what a new user
would give them); Ballast gets the CSV and applies its default preprocessing (one-hot, log1p of
heavy-tailed counters, z-score), as `ballast train` does. Trees do not care about monotone scaling,
so both sides see the same information.

Run from the repository root after `swift build -c release --product ballast`:
    python Benchmarks/trees_continuous.py [--rows N] [--seeds 1,2,3] [--models dt,rf,gbdt]
                                          [--rounds 100] [--smote] [--no-kdd] [--ballast PATH]
Each side runs in a fresh process with 2 threads (Ballast with BALLAST_BLAS=off). Prints, per
model, the mean fit seconds (wall and CPU, all threads) and training accuracy over the seeds, and
the ratios Ballast / anchor. On a machine shared with other jobs, wall times measure the load as much
as the work: compare the CPU column there. --smote adds a forest on the SMOTE-balanced data (imbalanced-learn's SMOTE for
the anchor, `--balance smote` for Ballast; both balance every class to the majority; only the
forest's fit is timed).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "Benchmarks", "results")
KDD = os.path.join(os.path.dirname(ROOT), "shared", "datasets", "nsl-kdd")
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))

ANCHOR = r"""
import json, sys, time
import numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from xgboost import XGBClassifier
path, model, seeds, rounds, smote = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")], int(sys.argv[4]), sys.argv[5] == "1"
frame = pd.read_csv(path)
y = pd.Categorical(frame.pop("attack_cat")).codes.astype(int)
symbolic = [c for c in frame.columns if frame[c].dtype == object]
X = pd.get_dummies(frame, columns=symbolic).to_numpy(dtype=np.float32)
Xfit, yfit = X, y
if smote:
    from imblearn.over_sampling import SMOTE
    Xfit, yfit = SMOTE(random_state=0).fit_resample(X, y)
for seed in seeds:
    m = {"dt": lambda: DecisionTreeClassifier(random_state=seed),
         "rf": lambda: RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=seed),
         "gbdt": lambda: XGBClassifier(n_estimators=rounds, max_depth=6, learning_rate=0.3, tree_method="hist",
                                       max_bin=256, n_jobs=2, random_state=seed)}[model]()
    t, c = time.perf_counter(), time.process_time()
    m.fit(Xfit, yfit)
    fit, cpu = time.perf_counter() - t, time.process_time() - c
    acc = float((m.predict(X) == y).mean())
    print(json.dumps({"seed": seed, "fit_seconds": fit, "fit_cpu_seconds": cpu, "training_accuracy": acc, "rows": int(len(yfit)),
                      "columns": int(X.shape[1])}), flush=True)
"""

KDD_ANCHOR = r"""
import json, sys
import numpy as np
from sklearn.tree import DecisionTreeClassifier
d, seeds = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
X = np.fromfile(d + "/kdd_train_122.f32", dtype="<f4").reshape(-1, 122)
y = np.loadtxt(d + "/kdd_train_labels.txt", dtype=int)
Xt = np.fromfile(d + "/kdd_test_122.f32", dtype="<f4").reshape(-1, 122)
yt = np.loadtxt(d + "/kdd_test_labels.txt", dtype=int)
for seed in seeds:
    m = DecisionTreeClassifier(random_state=seed).fit(X, y)
    print(json.dumps({"seed": seed, "accuracy": float((m.predict(Xt) == yt).mean())}), flush=True)
"""


def env():
    return dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2", BALLAST_THREADS="2", BALLAST_BLAS="off")


def json_lines(text):
    return [json.loads(line) for line in text.strip().splitlines() if line.startswith("{")]


def find_key(obj, key):
    """The first value of `key` in a nested JSON object (depth-first)."""
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        for v in obj.values():
            found = find_key(v, key)
            if found is not None:
                return found
    if isinstance(obj, list):
        for v in obj:
            found = find_key(v, key)
            if found is not None:
                return found
    return None


def ballast_train(binary, data, spec, seed, out, extra=()):
    command = [binary, "train", data, "--model", spec, "--seed", str(seed), "-o", out, "--json", *extra]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env())
    return json.loads(done.stdout[done.stdout.index("{"):])


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=82_332)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--models", default="dt,rf,gbdt")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--smote", action="store_true")
    parser.add_argument("--no-kdd", action="store_true")
    parser.add_argument("--ballast", default=os.path.join(ROOT, ".build", "release", "ballast"))
    args = parser.parse_args()
    if not os.path.exists(args.ballast):
        sys.exit(f"{args.ballast} is missing: swift build -c release --product ballast")
    seeds = [int(s) for s in args.seeds.split(",")]
    os.makedirs(RESULTS, exist_ok=True)
    data = os.path.join(RESULTS, f"flows10_{args.rows}_0.csv")
    if not os.path.exists(data):
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "flows10.py"), str(args.rows), "0", data], check=True)
    specs = {"dt": "dt", "rf": "rf:trees=100", "gbdt": f"gbdt:rounds={args.rounds},depth=6,eta=0.3"}
    titles = {"dt": "sklearn DecisionTreeClassifier", "rf": "sklearn RandomForest(100, n_jobs=2)",
              "gbdt": f"XGBoost hist ({args.rounds}, depth 6, eta 0.3)"}
    runs = [(m, False) for m in args.models.split(",")]
    if args.smote:
        runs.append(("rf", True))
    print(f"simulated 10-class flows ({os.path.basename(data)}), fit seconds and training accuracy %, "
          f"mean of seeds {args.seeds}")
    header = f"{'model':<52} {'rows':>8} {'fit s':>9} {'fit CPU s':>10} {'train acc':>10}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for name, smote in runs:
            model_seeds = seeds if name != "gbdt" else seeds[:1]
            anchor = json_lines(subprocess.run(
                [sys.executable, "-c", ANCHOR, data, name, ",".join(map(str, model_seeds)), str(args.rounds), "1" if smote else "0"],
                check=True, capture_output=True, text=True, env=env()).stdout)
            ours = []
            for seed in model_seeds:
                extra = ["--label", "attack_cat"] + (["--balance", "smote"] if smote else [])
                result = ballast_train(args.ballast, data, specs[name], seed, os.path.join(tmp, "m.bundle"), extra)
                ours.append({"fit_seconds": result["fit_seconds"], "fit_cpu_seconds": result["fit_cpu_seconds"],
                             "training_accuracy": result["training_accuracy"],
                             "rows": sum(result["fitted_rows"])})
            suffix = " + SMOTE" if smote else ""
            for label, rows in [(titles[name] + suffix, anchor), (f"Ballast {specs[name]}{suffix}", ours)]:
                print(f"{label:<52} {rows[0]['rows']:>8} {mean(rows, 'fit_seconds'):>9.2f} "
                      f"{mean(rows, 'fit_cpu_seconds'):>10.2f} {100 * mean(rows, 'training_accuracy'):>10.2f}", flush=True)
            ratio = mean(ours, "fit_seconds") / mean(anchor, "fit_seconds")
            cpu_ratio = mean(ours, "fit_cpu_seconds") / mean(anchor, "fit_cpu_seconds")
            gap = 100 * (mean(ours, "training_accuracy") - mean(anchor, "training_accuracy"))
            print(f"{'  Ballast / anchor (wall, CPU), accuracy gap':<52} {'':>8} {ratio:>8.2f}x {cpu_ratio:>9.2f}x {gap:>+10.2f}",
                  flush=True)

        if args.no_kdd:
            return
        train, test = os.path.join(KDD, "KDDTrain+.txt"), os.path.join(KDD, "KDDTest+.txt")
        if not (os.path.exists(train) and os.path.exists(test)):
            print(f"NSL-KDD not found under {KDD}: skipping the KDDTest+ comparison")
            return
        if not os.path.exists(os.path.join(RESULTS, "kdd_test_122.f32")):
            subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "prepare_kdd.py"), train], check=True)
        anchor = json_lines(subprocess.run([sys.executable, "-c", KDD_ANCHOR, RESULTS, args.seeds], check=True,
                                           capture_output=True, text=True, env=env()).stdout)
        ours = []
        for seed in seeds:
            bundle = os.path.join(tmp, f"dt{seed}.bundle")
            ballast_train(args.ballast, train, "dt", seed, bundle)
            done = subprocess.run([args.ballast, "evaluate", bundle, test, "--json"], check=True, capture_output=True,
                                  text=True, env=env())
            ours.append({"seed": seed, "accuracy": find_key(json.loads(done.stdout[done.stdout.index("{"):]), "accuracy")})
        print()
        print("NSL-KDD KDDTrain+ -> KDDTest+, decision tree accuracy % per seed and mean")
        for label, rows in [("sklearn DecisionTreeClassifier (min-max, prepare_kdd.py)", anchor),
                            ("Ballast `train --model dt` + `evaluate` (default preprocessing)", ours)]:
            per = " ".join(f"{100 * r['accuracy']:.2f}" for r in rows)
            print(f"{label:<64} {per}  mean {100 * mean(rows, 'accuracy'):.2f}")


if __name__ == "__main__":
    main()
