"""Trees on continuous, many-class flow data: scikit-learn DecisionTree / RandomForest (100 trees,
n_jobs=2) and XGBoost `hist` against `ballast train --model dt|rf|gbdt`, on the same CSV files in
the same run; and the decision tree and forest on NSL-KDD (KDDTrain+ -> KDDTest+ accuracy and
macro-F1, seeds 1-3; scikit-learn on prepare_kdd.py's min-max matrix and on the raw values).

Data: Benchmarks/flows10.py's simulated 10-class flow records (UNSW-NB15's shape: 39 numeric
columns with many distinct float values -- rates, loads, jitters, TCP sequence bases -- and 3
symbolic ones, ~190 columns after one-hot), one population split into a training file (82,332 rows
by default) and a test file (half as many). scikit-learn and XGBoost get the one-hot matrix of the
raw values as float32 (what a new user would give them); Ballast gets the CSV and applies its
default preprocessing (one-hot, log1p of heavy-tailed counters, z-score), as `ballast train` does.

Run from the repository root after `swift build -c release --product ballast`:
    python Benchmarks/trees_continuous.py [--rows N] [--test-rows N] [--seeds 1,2,3]
        [--models dt,rf,gbdt] [--rounds 100] [--gbdt-seeds 1] [--smote] [--smote-seeds 1] [--no-kdd]
        [--kdd-models dt,rf]
        [--ballast PATH]
Every (model, seed) runs both sides one after the other, each in a fresh process with 2 threads
(Ballast with BALLAST_BLAS=off), alternating which side goes first, and prints the load average
around the pair: on a machine shared with other jobs, wall times measure the load as much as the
work, so compare the CPU column there (all threads: `time.process_time` / `getrusage`). Fit time
excludes loading and preprocessing on both sides. Training accuracy is on the rows each side fitted
(the raw training rows); test accuracy on the test file (`ballast evaluate`). `--smote` adds a
forest on SMOTE-balanced data (imbalanced-learn's SMOTE for the anchor, `--balance smote` for
Ballast; every class raised to the majority; only the forest's fit is timed). Results also go to
Benchmarks/results/trees_continuous.json.
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
train, test, model, seed, rounds, smote = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"
frames = [pd.read_csv(train), pd.read_csv(test)]
labels = pd.Categorical(pd.concat([f["attack_cat"] for f in frames]))
y, yt = labels.codes[:len(frames[0])].astype(int), labels.codes[len(frames[0]):].astype(int)
for f in frames:
    f.pop("attack_cat")
symbolic = [c for c in frames[0].columns if frames[0][c].dtype == object]
X = pd.get_dummies(frames[0], columns=symbolic)
Xt = pd.get_dummies(frames[1], columns=symbolic).reindex(columns=X.columns, fill_value=0)
X, Xt = X.to_numpy(dtype=np.float32), Xt.to_numpy(dtype=np.float32)
Xfit, yfit = X, y
if smote:
    from imblearn.over_sampling import SMOTE
    Xfit, yfit = SMOTE(random_state=0).fit_resample(X, y)
if model == "dt":
    from sklearn.tree import DecisionTreeClassifier
    m = DecisionTreeClassifier(random_state=seed)
elif model == "rf":
    from sklearn.ensemble import RandomForestClassifier
    m = RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=seed)
else:
    from xgboost import XGBClassifier
    m = XGBClassifier(n_estimators=rounds, max_depth=6, learning_rate=0.3, tree_method="hist", max_bin=256,
                      n_jobs=2, random_state=seed)
t, c = time.perf_counter(), time.process_time()
m.fit(Xfit, yfit)
fit, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"seed": seed, "fit_seconds": fit, "fit_cpu_seconds": cpu, "rows": int(len(yfit)),
                  "columns": int(X.shape[1]), "training_accuracy": float((m.predict(X) == y).mean()),
                  "test_accuracy": float((m.predict(Xt) == yt).mean())}), flush=True)
"""

KDD_ANCHOR = r"""
import json, sys
import numpy as np, pandas as pd
from sklearn.metrics import f1_score
results, kdd, model, variant, seed = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
if variant == "minmax":
    X = np.fromfile(results + "/kdd_train_122.f32", dtype="<f4").reshape(-1, 122)
    y = np.loadtxt(results + "/kdd_train_labels.txt", dtype=int)
    Xt = np.fromfile(results + "/kdd_test_122.f32", dtype="<f4").reshape(-1, 122)
    yt = np.loadtxt(results + "/kdd_test_labels.txt", dtype=int)
else:
    sys.path.insert(0, sys.argv[6])
    from prepare_kdd import CATEGORY
    frames = [pd.read_csv(kdd + "/KDDTrain+.txt", header=None), pd.read_csv(kdd + "/KDDTest+.txt", header=None)]
    y, yt = (f[41].map(CATEGORY).to_numpy() for f in frames)
    numeric = [f.drop(columns=[1, 2, 3, 41, 42]).to_numpy(dtype=np.float64) for f in frames]
    onehot = pd.get_dummies(frames[0][[1, 2, 3]].astype(str)).astype(np.float64)
    onehot_t = pd.get_dummies(frames[1][[1, 2, 3]].astype(str)).astype(np.float64).reindex(columns=onehot.columns, fill_value=0.0)
    X, Xt = np.hstack([numeric[0], onehot.to_numpy()]), np.hstack([numeric[1], onehot_t.to_numpy()])
if model == "dt":
    from sklearn.tree import DecisionTreeClassifier
    m = DecisionTreeClassifier(random_state=seed)
else:
    from sklearn.ensemble import RandomForestClassifier
    m = RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=seed)
p = m.fit(X, y).predict(Xt)
print(json.dumps({"seed": seed, "accuracy": float((p == yt).mean()), "macro_f1": float(f1_score(yt, p, average="macro"))}), flush=True)
"""


def env():
    return dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2", BALLAST_THREADS="2", BALLAST_BLAS="off")


def run_json(command):
    """Runs `command` and returns the JSON object it prints last (the part from its first `{`)."""
    done = subprocess.run(command, capture_output=True, text=True, env=env())
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} ... failed ({done.returncode}):\n{done.stderr[-2000:]}")
    out = done.stdout
    return json.loads(out[out.index("{"):])


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


def ballast(binary, train, test, spec, seed, bundle, extra=()):
    """`ballast train` then `ballast evaluate`: fit seconds (wall, CPU), training and test accuracy."""
    trained = run_json([binary, "train", train, "--model", spec, "--seed", str(seed), "-o", bundle, "--json", *extra])
    evaluated = run_json([binary, "evaluate", bundle, test, "--json"])
    return {"seed": seed, "fit_seconds": trained["fit_seconds"], "fit_cpu_seconds": trained["fit_cpu_seconds"],
            "rows": sum(trained["fitted_rows"]), "training_accuracy": trained["training_accuracy"],
            "test_accuracy": find_key(evaluated, "accuracy")}


def load():
    return "%.1f" % os.getloadavg()[0]


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=82_332)
    parser.add_argument("--test-rows", type=int, default=41_166)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--gbdt-seeds", default="1", help="seeds for gbdt / XGBoost (deterministic without subsampling)")
    parser.add_argument("--models", default="dt,rf,gbdt")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--smote", action="store_true")
    parser.add_argument("--smote-seeds", default="1", help="seeds for the forest on SMOTE-balanced data")
    parser.add_argument("--no-kdd", action="store_true")
    parser.add_argument("--kdd-models", default="dt,rf", help="tree models compared on NSL-KDD (dt, rf)")
    parser.add_argument("--ballast", default=os.path.join(ROOT, ".build", "release", "ballast"))
    args = parser.parse_args()
    if not os.path.exists(args.ballast):
        sys.exit(f"{args.ballast} is missing: swift build -c release --product ballast")
    os.makedirs(RESULTS, exist_ok=True)
    train = os.path.join(RESULTS, f"flows10_train_{args.rows}_{args.test_rows}.csv")
    test = os.path.join(RESULTS, f"flows10_test_{args.rows}_{args.test_rows}.csv")
    if not (os.path.exists(train) and os.path.exists(test)):
        import flows10
        flows10.write_split(args.rows, args.test_rows, 0, train, test)
    specs = {"dt": "dt", "rf": "rf:trees=100", "gbdt": f"gbdt:rounds={args.rounds},depth=6,eta=0.3"}
    titles = {"dt": "sklearn DecisionTreeClassifier", "rf": "sklearn RandomForest(100, n_jobs=2)",
              "gbdt": f"XGBoost hist ({args.rounds}, depth 6, eta 0.3, 256 bins)"}
    runs = [(m, False) for m in args.models.split(",") if m]
    if args.smote:
        runs.append(("rf", True))
    print(f"simulated 10-class flows: {os.path.basename(train)} -> {os.path.basename(test)}; "
          f"fit seconds, training and test accuracy %, mean over seeds; load average {load()} at start")
    header = f"{'model':<50} {'rows':>8} {'fit s':>8} {'fit CPU s':>10} {'train acc':>10} {'test acc':>9}"
    print(header)
    print("-" * len(header))
    report = {"train": train, "test": test, "models": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name, smote in runs:
            seeds = [int(s) for s in (args.gbdt_seeds if name == "gbdt" else args.smote_seeds if smote else args.seeds).split(",")]
            anchor, ours, loads = [], [], []
            for i, seed in enumerate(seeds):
                before = load()
                extra = ["--label", "attack_cat"] + (["--balance", "smote"] if smote else [])
                sides = [
                    lambda: anchor.append(run_json([sys.executable, "-c", ANCHOR, train, test, name, str(seed),
                                                    str(args.rounds), "1" if smote else "0"])),
                    lambda: ours.append(ballast(args.ballast, train, test, specs[name], seed,
                                                os.path.join(tmp, "m.bundle"), extra)),
                ]
                for side in (sides if i % 2 == 0 else sides[::-1]):
                    side()
                loads.append(f"{before}-{load()}")
            suffix = " + SMOTE" if smote else ""
            for label, rows in [(titles[name] + suffix, anchor), (f"Ballast {specs[name]}{suffix}", ours)]:
                print(f"{label:<50} {rows[0]['rows']:>8} {mean(rows, 'fit_seconds'):>8.2f} "
                      f"{mean(rows, 'fit_cpu_seconds'):>10.2f} {100 * mean(rows, 'training_accuracy'):>10.2f} "
                      f"{100 * mean(rows, 'test_accuracy'):>9.2f}", flush=True)
            ratio = mean(ours, "fit_seconds") / mean(anchor, "fit_seconds")
            cpu_ratio = mean(ours, "fit_cpu_seconds") / mean(anchor, "fit_cpu_seconds")
            gap = 100 * (mean(ours, "training_accuracy") - mean(anchor, "training_accuracy"))
            test_gap = 100 * (mean(ours, "test_accuracy") - mean(anchor, "test_accuracy"))
            print(f"{'  Ballast / anchor: wall, CPU, accuracy gaps':<50} {'':>8} {ratio:>7.2f}x {cpu_ratio:>9.2f}x "
                  f"{gap:>+10.2f} {test_gap:>+9.2f}   (load {', '.join(loads)})", flush=True)
            report["models"].append({"model": name, "smote": smote, "anchor": anchor, "ballast": ours, "load": loads,
                                     "wall_ratio": ratio, "cpu_ratio": cpu_ratio})

        if not args.no_kdd:
            kdd_train, kdd_test = os.path.join(KDD, "KDDTrain+.txt"), os.path.join(KDD, "KDDTest+.txt")
            if not (os.path.exists(kdd_train) and os.path.exists(kdd_test)):
                print(f"NSL-KDD not found under {KDD}: skipping the KDDTest+ comparison")
            else:
                if not os.path.exists(os.path.join(RESULTS, "kdd_test_122.f32")):
                    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "prepare_kdd.py"), kdd_train], check=True)
                print()
                print("NSL-KDD KDDTrain+ -> KDDTest+: accuracy % per seed, mean accuracy and mean macro-F1 %")
                report["kdd"] = {}
                for name in [m for m in args.kdd_models.split(",") if m]:
                    sides = {"minmax": [], "raw": [], "ballast": []}
                    for seed in [int(s) for s in args.seeds.split(",")]:
                        for variant in ("minmax", "raw"):
                            sides[variant].append(run_json([sys.executable, "-c", KDD_ANCHOR, RESULTS, KDD, name, variant,
                                                            str(seed), os.path.join(ROOT, "Benchmarks")]))
                        bundle = os.path.join(tmp, f"{name}{seed}.bundle")
                        run_json([args.ballast, "train", kdd_train, "--model", specs[name], "--seed", str(seed), "-o", bundle, "--json"])
                        evaluated = run_json([args.ballast, "evaluate", bundle, kdd_test, "--json"])
                        sides["ballast"].append({"seed": seed, "accuracy": find_key(evaluated, "accuracy"),
                                                 "macro_f1": (find_key(evaluated, "macro") or {}).get("f1")})
                    anchor = titles[name].split(" (")[0]
                    for label, rows in [(f"{anchor} on prepare_kdd.py's min-max matrix", sides["minmax"]),
                                        (f"{anchor} on the raw values (float64)", sides["raw"]),
                                        (f"Ballast `train --model {specs[name]}` + `evaluate`", sides["ballast"])]:
                        per = " ".join(f"{100 * r['accuracy']:.2f}" for r in rows)
                        f1 = f"{100 * mean(rows, 'macro_f1'):.2f}" if all(r.get("macro_f1") is not None for r in rows) else "-"
                        print(f"{label:<72} {per}  mean {100 * mean(rows, 'accuracy'):.2f}  macro-F1 {f1}", flush=True)
                    report["kdd"][name] = sides
    print(f"load average {load()} at the end")
    out = os.path.join(RESULTS, "trees_continuous.json")
    with open(out + ".tmp", "w") as f:
        json.dump(report, f, indent=1)
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
