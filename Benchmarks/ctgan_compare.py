"""Ballast's `ctgan` generator beside the `ctgan` package (PyPI, sdv-dev/CTGAN) on KDDTrain+.

Both sides get the same rows: the raw 41 NSL-KDD columns of KDDTrain+ with the 5-class label.
The package takes them as a DataFrame with the label, the three symbolic columns and the five
binary flags declared discrete (the label first: the package's conditional sampling only finds
the first discrete column). Ballast takes the same file and preprocesses it itself (log1p and
z-score of the numeric columns, one-hot of the symbolic ones: 122 columns); its CTGAN then
models the same 33 continuous columns with modes and the same 3 one-hot groups and 5 flags as
categories, and is conditioned on the class. Same epochs, batch (500), layer sizes (generator
256x256 residual, critic 256x256, pac 10), learning rates and Adam settings on both sides; both
run with 2 threads (BALLAST_BLAS=off for Ballast; torch.set_num_threads for the package).

Three measurements:
  1. Fit time per epoch, the training loop only: the package fits E2 epochs (default 3) and its
     data transformer's fit and transform and its data sampler's set-up are timed apart and left
     out (they take minutes and vary with the machine's load far more than an epoch); Ballast runs
     `ballast balance` with E1 and E2 epochs (default 1 and 3) and the difference is divided by
     E2 - E1, which leaves out loading, preprocessing, mode fitting, sampling and writing.
  2. Quality per raised class (R2L and U2R): per numeric raw column the two-sample KS statistic
     (mean and max over the 38 columns), the total-variation distance of the 3 symbolic columns,
     and the mean absolute difference of the Pearson correlation matrices (numeric columns),
     real class rows vs generated rows. The package's rows for a class are drawn with
     condition_column="label" and only rows whose generated label is that class are kept (its
     acceptance rate is printed).
  3. Downstream: the same Ballast detector (`rf`, seed 1) trained on KDDTrain+ alone and on
     KDDTrain+ plus each side's rows (R2L and U2R raised to --count rows each), evaluated on
     KDDTest+: accuracy, macro-F1, R2L and U2R recall.

Run: swift build -c release --product ballast; then
  BALLAST_BLAS=off python Benchmarks/ctgan_compare.py [--epochs 300] [--timing-epochs 1,3]
      [--count 10000] [--skip-timing] [--skip-quality] [--data DIR] [--out DIR]
Results go to Benchmarks/results/ctgan/ (gitignored) and a summary table is printed.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BALLAST = os.path.join(ROOT, ".build", "release", "ballast")
DATA = os.path.join(os.path.dirname(ROOT), "shared", "datasets", "nsl-kdd")
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
from prepare_kdd import CATEGORY  # noqa: E402

COLUMNS = ("duration protocol_type service flag src_bytes dst_bytes land wrong_fragment urgent hot "
           "num_failed_logins logged_in num_compromised root_shell su_attempted num_root num_file_creations "
           "num_shells num_access_files num_outbound_cmds is_host_login is_guest_login count srv_count "
           "serror_rate srv_serror_rate rerror_rate srv_rerror_rate same_srv_rate diff_srv_rate "
           "srv_diff_host_rate dst_host_count dst_host_srv_count dst_host_same_srv_rate dst_host_diff_srv_rate "
           "dst_host_same_src_port_rate dst_host_srv_diff_host_rate dst_host_serror_rate "
           "dst_host_srv_serror_rate dst_host_rerror_rate dst_host_srv_rerror_rate").split()
SYMBOLIC = ["protocol_type", "service", "flag"]
FLAGS = ["land", "logged_in", "root_shell", "is_host_login", "is_guest_login"]
CLASSES = ["Normal", "DoS", "Probe", "R2L", "U2R"]
RAISED = ["R2L", "U2R"]


def load(path):
    """An NSL-KDD file as a DataFrame of the 41 columns plus `label` (5-class name)."""
    df = pd.read_csv(path, header=None)
    df.columns = COLUMNS + ["attack", "difficulty"]
    df["label"] = df["attack"].map(CATEGORY).map(lambda c: CLASSES[c])
    return df[COLUMNS + ["label"]]


def package_fit(train, epochs, threads, seed):
    """The fitted package model, the whole fit's seconds and the seconds of its training loop alone
    (the fit minus the data transformer's fit and transform and the data sampler's set-up, timed
    by wrapping them)."""
    import torch
    import ctgan.synthesizers.ctgan as package
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    np.random.seed(seed)
    outside = [0.0]

    def timed(function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                outside[0] += time.perf_counter() - start
        return wrapper

    saved = package.DataTransformer.fit, package.DataTransformer.transform, package.DataSampler.__init__
    package.DataTransformer.fit, package.DataTransformer.transform = timed(saved[0]), timed(saved[1])
    package.DataSampler.__init__ = timed(saved[2])
    try:
        frame = train[["label"] + COLUMNS]
        model = package.CTGAN(epochs=epochs, batch_size=500, pac=10, embedding_dim=128, generator_dim=(256, 256),
                              discriminator_dim=(256, 256), generator_lr=2e-4, discriminator_lr=2e-4,
                              generator_decay=1e-6, discriminator_decay=1e-6)
        start = time.perf_counter()
        model.fit(frame, discrete_columns=["label"] + SYMBOLIC + FLAGS)
        total = time.perf_counter() - start
    finally:
        package.DataTransformer.fit, package.DataTransformer.transform, package.DataSampler.__init__ = saved
    return model, total, total - outside[0]


def package_sample(model, cls, count):
    """`count` rows whose generated label is `cls`, and the share of drawn rows that had it."""
    kept, drawn = [], 0
    while sum(len(k) for k in kept) < count and drawn < 50 * count:
        rows = model.sample(max(count, 1000), condition_column="label", condition_value=cls)
        drawn += len(rows)
        kept.append(rows[rows["label"] == cls])
    rows = pd.concat(kept)[COLUMNS + ["label"]].head(count)
    return rows, sum(len(k) for k in kept) / max(drawn, 1)


def ballast_balance(train_path, out, epochs, count, seed, extra=""):
    method = f"ctgan:epochs={epochs},validation=0,patience=none{extra}"
    strategy = ",".join(f"{c}={count}" for c in RAISED)
    start = time.perf_counter()
    subprocess.run([BALLAST, "balance", train_path, "-o", out, "--method", method, "--strategy", strategy,
                    "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def quality(real, fake):
    """Per-column KS (numeric), TVD (symbolic) and correlation difference, real vs generated rows."""
    from scipy.stats import ks_2samp
    numeric = [c for c in COLUMNS if c not in SYMBOLIC]
    ks = [ks_2samp(real[c].astype(float), fake[c].astype(float)).statistic for c in numeric]
    tvd = [0.5 * (real[c].value_counts(normalize=True).sub(fake[c].value_counts(normalize=True), fill_value=0).abs().sum())
           for c in SYMBOLIC]
    with np.errstate(invalid="ignore", divide="ignore"):
        a = real[numeric].astype(float).corr().to_numpy()
        b = fake[numeric].astype(float).corr().to_numpy()
    both = ~np.isnan(a) & ~np.isnan(b)
    off = both & ~np.eye(len(numeric), dtype=bool)
    return {"mean_ks": float(np.mean(ks)), "max_ks": float(np.max(ks)), "worst": numeric[int(np.argmax(ks))],
            "symbolic_tvd": float(np.mean(tvd)), "corr_diff": float(np.abs(a - b)[off].mean()),
            "corr_pairs": int(off.sum() // 2)}


def detector(train_csv, test_csv, out_dir, name, seed):
    bundle = os.path.join(out_dir, name + ".bundle")
    subprocess.run([BALLAST, "train", train_csv, "--label", "label", "--model", "rf", "--seed", str(seed), "-o", bundle],
                   check=True, stdout=subprocess.DEVNULL)
    result = subprocess.run([BALLAST, "evaluate", bundle, test_csv, "--json"], check=True, capture_output=True, text=True)
    report = json.loads(result.stdout)["report"]
    recall = {c["name"]: c["recall"] for c in report["perClass"]}
    return {"accuracy": report["accuracy"], "macro_f1": report["macro"]["f1"], "R2L": recall["R2L"], "U2R": recall["U2R"]}


def plain(value):
    """JSON for numpy scalars (the package reports some sizes as numpy integers)."""
    return value.item() if hasattr(value, "item") else str(value)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=DATA)
    p.add_argument("--out", default=os.path.join(ROOT, "Benchmarks", "results", "ctgan"))
    p.add_argument("--epochs", type=int, default=300, help="epochs of the quality and downstream run")
    p.add_argument("--timing-epochs", default="1,3")
    p.add_argument("--count", type=int, default=10000, help="rows of R2L and of U2R after balancing")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--skip-timing", action="store_true")
    p.add_argument("--skip-quality", action="store_true")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    env_note = {"BALLAST_BLAS": os.environ.get("BALLAST_BLAS"), "BALLAST_THREADS": os.environ.get("BALLAST_THREADS")}
    if env_note["BALLAST_BLAS"] != "off":
        print("note: BALLAST_BLAS is not 'off'; the comparison is meant for the default build without BLAS", file=sys.stderr)
    train_path = os.path.join(args.data, "KDDTrain+.txt")
    train, test = load(train_path), load(os.path.join(args.data, "KDDTest+.txt"))
    test_csv, none_csv = os.path.join(args.out, "test.csv"), os.path.join(args.out, "train_none.csv")
    test.to_csv(test_csv, index=False)
    train.to_csv(none_csv, index=False)
    results = {"rows": len(train), "epochs": args.epochs, "env": env_note}

    if not args.skip_timing:
        e1, e2 = (int(e) for e in args.timing_epochs.split(","))
        model, package_total, package_loop = package_fit(train, e2, args.threads, args.seed)
        ballast_times = {e: ballast_balance(train_path, os.path.join(args.out, "timing.csv"), e, args.count, args.seed)
                         for e in (e1, e2)}
        per_epoch = {"package": package_loop / e2, "ballast": (ballast_times[e2] - ballast_times[e1]) / (e2 - e1)}
        per_epoch["ratio"] = per_epoch["ballast"] / per_epoch["package"]
        results["timing"] = {"package_fit_seconds": package_total, "package_loop_seconds": package_loop, "package_epochs": e2,
                             "package_generator_parameters": sum(p.numel() for p in model._generator.parameters()),
                             "package_data_width": model._transformer.output_dimensions,
                             "ballast_run_seconds": ballast_times, "per_epoch": per_epoch, "load_average": os.getloadavg()}
        print(json.dumps({"timing": results["timing"]}, default=plain), flush=True)

    if not args.skip_quality:
        model, fit_seconds, _ = package_fit(train, args.epochs, args.threads, args.seed)
        generated, acceptance = [], {}
        for cls in RAISED:
            missing = args.count - int((train["label"] == cls).sum())
            rows, acceptance[cls] = package_sample(model, cls, missing)
            generated.append(rows)
        package_rows = pd.concat(generated)
        package_csv = os.path.join(args.out, "train_package.csv")
        pd.concat([train, package_rows]).to_csv(package_csv, index=False)
        ballast_csv = os.path.join(args.out, "train_ballast.csv")
        ballast_seconds = ballast_balance(train_path, ballast_csv, args.epochs, args.count, args.seed)
        ballast_rows = pd.read_csv(ballast_csv).iloc[len(train):]
        results["fit_seconds"] = {"package": fit_seconds, "ballast_balance": ballast_seconds}
        results["package_acceptance"] = acceptance
        results["quality"] = {side: {cls: quality(train[train["label"] == cls], rows[rows["label"] == cls]) for cls in RAISED}
                              for side, rows in (("package", package_rows), ("ballast", ballast_rows))}
        results["downstream"] = {name: detector(path, test_csv, args.out, name, 1)
                                 for name, path in (("none", none_csv), ("package", package_csv), ("ballast", ballast_csv))}
        print(json.dumps({"quality": results["quality"], "downstream": results["downstream"],
                          "package_acceptance": acceptance}, default=plain), flush=True)

    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1, default=plain)
    if "timing" in results:
        t = results["timing"]["per_epoch"]
        print(f"\nfit time per epoch: ctgan package {t['package']:.2f} s, Ballast {t['ballast']:.2f} s, ratio {t['ratio']:.2f}")
    if "quality" in results:
        print("\nclass  side     mean KS  max KS  symbolic TVD  corr diff")
        for cls in RAISED:
            for side in ("package", "ballast"):
                q = results["quality"][side][cls]
                print(f"{cls:5}  {side:7}  {q['mean_ks']:7.3f}  {q['max_ks']:6.3f}  {q['symbolic_tvd']:12.3f}  {q['corr_diff']:9.3f}")
        print("\nbalancing  accuracy  macro-F1  R2L recall  U2R recall")
        for name, d in results["downstream"].items():
            print(f"{name:9}  {d['accuracy']:8.4f}  {d['macro_f1']:8.4f}  {d['R2L']:10.4f}  {d['U2R']:10.4f}")


if __name__ == "__main__":
    main()
