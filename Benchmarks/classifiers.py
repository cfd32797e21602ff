"""Detectors on NSL-KDD: scikit-learn DT / RF / LR and XGBoost hist against Ballast's, trained on
KDDTrain+ and evaluated on KDDTest+ (5 classes, 122 preprocessed columns, same files for both sides).

Run `python Benchmarks/prepare_kdd.py` first (it writes the train and test matrices), then
`python Benchmarks/classifiers.py [MODEL...] [--seeds N]` with MODEL among dt, rf, lr, xgb, vote
(default: dt rf lr xgb). Randomized models (dt, rf) are run with N seeds (default 3) and reported as
means. Each side runs in a fresh process with 2 threads. Prints fit seconds, predict seconds,
accuracy and macro-F1 for both sides, and the fit-time ratio Ballast / anchor.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "Benchmarks", "results")
BENCH = os.path.join(ROOT, ".build", "release", "ballast-bench")

# name: (anchor description, Python constructor taking the seed, Ballast spec, randomized)
MODELS = {
    "dt": ("sklearn DecisionTreeClassifier", "DecisionTreeClassifier(random_state=seed)", "dt", True),
    "rf": ("sklearn RandomForest(100, n_jobs=2)",
           "RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=seed)", "rf:trees=100", True),
    "lr": ("sklearn LogisticRegression(lbfgs)", "LogisticRegression()", "lr", False),
    "xgb": ("XGBoost hist (200, depth 6, eta 0.3)",
            "XGBClassifier(n_estimators=200, max_depth=6, learning_rate=0.3, tree_method='hist', n_jobs=2, random_state=seed)",
            "gbdt:rounds=200,depth=6,eta=0.3", False),
    "vote": ("sklearn soft Voting(XGBoost, LR)",
             "VotingClassifier([('xgb', XGBClassifier(tree_method='hist', n_jobs=2, random_state=seed)), "
             "('lr', LogisticRegression())], voting='soft')",
             "vote", False),
}

CHILD = r"""
import json, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.tree import DecisionTreeClassifier
from xgboost import XGBClassifier
import warnings
warnings.filterwarnings("ignore")
d, make, seeds = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
X = np.fromfile(d + "/kdd_train_122.f32", dtype="<f4").reshape(-1, 122)
y = np.loadtxt(d + "/kdd_train_labels.txt", dtype=int)
Xt = np.fromfile(d + "/kdd_test_122.f32", dtype="<f4").reshape(-1, 122)
yt = np.loadtxt(d + "/kdd_test_labels.txt", dtype=int)
for seed in seeds:
    model = eval(make)
    t = time.perf_counter(); model.fit(X, y); fit = time.perf_counter() - t
    t = time.perf_counter(); p = model.predict(Xt); predict = time.perf_counter() - t
    print(json.dumps({"seed": seed, "fit_seconds": fit, "predict_seconds": predict,
                      "accuracy": accuracy_score(yt, p), "macro_f1": f1_score(yt, p, average="macro")}), flush=True)
"""


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def run(command, env):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return [json.loads(line) for line in out.strip().splitlines() if line.startswith("{")]


def main():
    args = sys.argv[1:]
    seeds = 3
    if "--seeds" in args:
        i = args.index("--seeds")
        seeds = int(args[i + 1])
        del args[i:i + 2]
    names = args or ["dt", "rf", "lr", "xgb"]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        sys.exit(f"unknown model(s) {unknown}; choose among {', '.join(MODELS)}")
    for f in ["kdd_train_122.f32", "kdd_train_labels.txt", "kdd_test_122.f32", "kdd_test_labels.txt"]:
        if not os.path.exists(os.path.join(DIR, f)):
            sys.exit(f"{f} is missing: run Benchmarks/prepare_kdd.py first")
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product ballast-bench")
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2", BALLAST_THREADS="2")
    print("KDDTrain+ -> KDDTest+, 5 classes, 122 columns; times in seconds, quality in %"
          f" (mean of {seeds} seeds for dt and rf)")
    header = f"{'model':<40} {'fit':>8} {'predict':>8} {'accuracy':>9} {'macro-F1':>9}"
    print(header)
    print("-" * len(header))
    for name in names:
        title, make, spec, randomized = MODELS[name]
        seed_list = [str(s) for s in range(seeds if randomized else 1)]
        anchor = run([sys.executable, "-c", CHILD, DIR, make] + seed_list, env)
        ours = run([BENCH, "classifiers", DIR, spec] + seed_list, env)
        for label, rows in [(title, anchor), (f"Ballast {spec}", ours)]:
            print(f"{label:<40} {mean(rows, 'fit_seconds'):>8.2f} {mean(rows, 'predict_seconds'):>8.3f} "
                  f"{100 * mean(rows, 'accuracy'):>9.2f} {100 * mean(rows, 'macro_f1'):>9.2f}")
        ratio = mean(ours, "fit_seconds") / mean(anchor, "fit_seconds")
        print(f"{'  fit time Ballast / anchor':<40} {ratio:>8.2f}x")


if __name__ == "__main__":
    main()
