"""The MLP detector ("DNN") on NSL-KDD: the same network and training procedure in PyTorch (CPU,
2 threads) and in Ballast (`mlp` from the Catalog), trained on KDDTrain+ and evaluated on KDDTest+
(5 classes, the 122 prepared columns, the same files for both sides), for several seeds.

Network: Linear(122, w1) [BatchNorm1d] ReLU Dropout ... Linear(w_last, 5), He-uniform weights and
zero biases; softmax cross-entropy (optionally class-weighted, PyTorch's weighted mean); Adam; seeded
shuffled mini-batches; a stratified validation split; early stopping on the validation loss with
patience, restoring the best epoch's weights.

Run `python Benchmarks/prepare_kdd.py` and `swift build -c release --product ballast-bench` first, then
`python Benchmarks/mlp.py [--seeds 3] [--epochs 20] [--widths 256x128] [--batch 128] [--lr 0.001]
[--dropout 0.2] [--batch-norm] [--class-weight none|balanced] [--patience 5] [--validation 0.1]
[--torch-threads 2]`. BALLAST_BENCH=PATH runs another ballast-bench binary.
Prints, per seed and as means: fit seconds, epochs run, KDDTest+ accuracy and macro-F1 for both sides,
then the mean accuracy difference Ballast − PyTorch (target: within 1 point) and the fit-time ratio.
Finally the weights Ballast trained with seed 0 (exported as safetensors under PyTorch's names) are
loaded into the PyTorch network, whose KDDTest+ probabilities must match Ballast's (within 1e-4).
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "Benchmarks", "results")
# BALLAST_BENCH overrides the binary (e.g. a copy, so that a rebuild can run meanwhile).
BENCH = os.environ.get("BALLAST_BENCH", os.path.join(ROOT, ".build", "release", "ballast-bench"))

COMMON = r"""
import json, sys, time
import numpy as np
import torch
from torch import nn
d, cfg = sys.argv[1], json.loads(sys.argv[2])
torch.set_num_threads(cfg["torch_threads"])
X = np.fromfile(d + "/kdd_train_122.f32", dtype="<f4").reshape(-1, 122)
y = np.loadtxt(d + "/kdd_train_labels.txt", dtype=np.int64)
Xt = np.fromfile(d + "/kdd_test_122.f32", dtype="<f4").reshape(-1, 122)
yt = np.loadtxt(d + "/kdd_test_labels.txt", dtype=np.int64)
classes = 5

def network():
    layers, width = [], X.shape[1]
    for w in cfg["widths"]:
        linear = nn.Linear(width, w)
        nn.init.kaiming_uniform_(linear.weight, nonlinearity="relu")
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if cfg["batch_norm"]:
            layers.append(nn.BatchNorm1d(w))
        layers.append(nn.ReLU())
        if cfg["dropout"] > 0:
            layers.append(nn.Dropout(cfg["dropout"]))
        width = w
    out = nn.Linear(width, classes)
    nn.init.kaiming_uniform_(out.weight, nonlinearity="relu")
    nn.init.zeros_(out.bias)
    layers.append(out)
    return nn.Sequential(*layers)
"""

CHILD = COMMON + r"""
from sklearn.metrics import accuracy_score, f1_score
seeds = [int(s) for s in sys.argv[3:]]

def stratified_split(rng):
    validation = []
    for c in range(classes):
        rows = np.flatnonzero(y == c)
        take = min(len(rows) - 1, int(round(cfg["validation"] * len(rows))))
        if take > 0:
            validation.extend(rng.permutation(rows)[:take])
    mask = np.zeros(len(y), dtype=bool)
    mask[validation] = True
    return np.flatnonzero(~mask), np.flatnonzero(mask)

for seed in seeds:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    train_rows, val_rows = stratified_split(rng)
    counts = np.bincount(y[train_rows], minlength=classes)
    if cfg["class_weight"] == "balanced":
        present = (counts > 0).sum()
        weights = np.where(counts > 0, len(train_rows) / (present * np.maximum(counts, 1)), 0.0)
    else:
        weights = np.ones(classes)
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32))
    Xtr, ytr = torch.from_numpy(X[train_rows]), torch.from_numpy(y[train_rows])
    Xva, yva = torch.from_numpy(X[val_rows]), torch.from_numpy(y[val_rows])
    model = network()
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    best, best_state, since, epochs_run = float("inf"), None, 0, 0
    gen = torch.Generator().manual_seed(seed)
    n, b = len(train_rows), cfg["batch"]
    for epoch in range(cfg["epochs"]):
        model.train()
        order = torch.randperm(n, generator=gen)
        starts = list(range(0, n, b))
        if len(starts) > 1 and n - starts[-1] == 1:
            starts.pop()  # a final single row joins the batch before it, as Ballast's trainer does
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else n
            idx = order[s:e]
            opt.zero_grad(set_to_none=False)
            loss = loss_fn(model(Xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        epochs_run += 1
        if len(val_rows) == 0 or cfg["patience"] is None:
            continue
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(Xva), yva).item()
        if val < best:
            best, since = val, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            since += 1
            if since >= cfg["patience"]:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    fit = time.perf_counter() - t0
    model.eval()
    t = time.perf_counter()
    with torch.no_grad():
        p = model(torch.from_numpy(Xt)).argmax(1).numpy()
    predict = time.perf_counter() - t
    print(json.dumps({"seed": seed, "fit_seconds": fit, "predict_seconds": predict, "epochs": epochs_run,
                      "accuracy": accuracy_score(yt, p), "macro_f1": f1_score(yt, p, average="macro")}), flush=True)
"""

# Loads Ballast's exported weights (PyTorch names) into the same nn.Sequential and compares its
# KDDTest+ probabilities with Ballast's.
CHECK = COMMON + r"""
import struct
path = sys.argv[3]
try:
    from safetensors.torch import load_file
    state = load_file(path)
except ImportError:
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    state = {k: torch.from_numpy(np.frombuffer(data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]],
                                               dtype="<f4").reshape(v["shape"]).copy()) for k, v in header.items()}
model = network()
missing, unexpected = model.load_state_dict(state, strict=False)
model.eval()
with torch.no_grad():
    p = torch.softmax(model(torch.from_numpy(Xt)), dim=1).numpy()
ours = np.fromfile(path + ".probabilities.f32", dtype="<f4").reshape(p.shape)
print(json.dumps({"missing": missing, "unexpected": list(unexpected), "max_abs_diff": float(np.abs(p - ours).max()),
                  "argmax_agreement": float((p.argmax(1) == ours.argmax(1)).mean())}))
"""


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def run(command, env):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} ... failed:\n{result.stderr.strip()}")
    return [json.loads(line) for line in result.stdout.strip().splitlines() if line.startswith("{")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--widths", default="256x128")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--batch-norm", action="store_true")
    ap.add_argument("--class-weight", choices=["none", "balanced"], default="none")
    ap.add_argument("--patience", type=int, default=5, help="0 disables early stopping")
    ap.add_argument("--validation", type=float, default=0.1)
    ap.add_argument("--torch-threads", type=int, default=2,
                    help="PyTorch threads (2 as the target; its OpenMP spinning suffers on a busy machine, where 1 is fairer)")
    a = ap.parse_args()

    for f in ["kdd_train_122.f32", "kdd_train_labels.txt", "kdd_test_122.f32", "kdd_test_labels.txt"]:
        if not os.path.exists(os.path.join(DIR, f)):
            sys.exit(f"{os.path.join(DIR, f)} is missing: run Benchmarks/prepare_kdd.py first")
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product ballast-bench")
    patience = a.patience if a.patience > 0 else None
    cfg = {"widths": [int(w) for w in a.widths.split("x")], "batch": a.batch, "lr": a.lr, "dropout": a.dropout,
           "batch_norm": a.batch_norm, "class_weight": a.class_weight, "patience": patience,
           "validation": a.validation, "epochs": a.epochs, "torch_threads": a.torch_threads}
    spec = (f"mlp:widths={a.widths},epochs={a.epochs},batch={a.batch},lr={a.lr},dropout={a.dropout},"
            f"batch-norm={'true' if a.batch_norm else 'false'},class-weight={a.class_weight},"
            f"patience={patience if patience else 'none'},validation={a.validation}")
    seeds = [str(s) for s in range(a.seeds)]
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2", MKL_NUM_THREADS="2", BALLAST_THREADS="2")

    try:
        import torch  # noqa: F401  (only to learn whether the anchor can run)
        have_torch = True
    except ImportError:
        have_torch = False
    print(f"MLP {a.widths} on KDDTrain+ -> KDDTest+, {a.seeds} seeds; times in seconds, quality in %")
    print(f"Ballast spec: {spec}")
    sides = []
    if have_torch:
        sides.append((f"PyTorch ({a.torch_threads} thr)", run([sys.executable, "-c", CHILD, DIR, json.dumps(cfg)] + seeds, env)))
    else:
        print(f"PyTorch is not installed for {sys.executable}: only the Ballast side runs (no comparison).")
    export = os.path.join(DIR, "mlp_ballast_seed0.safetensors")
    sides.append(("Ballast", run([BENCH, "mlp", DIR, spec] + seeds + ["--export", export], env)))

    header = f"{'side':<22} {'seed':>4} {'fit':>8} {'epochs':>6} {'accuracy':>9} {'macro-F1':>9}"
    print(header)
    print("-" * len(header))
    for label, rows in sides:
        for r in rows:
            print(f"{label:<22} {r['seed']:>4} {r['fit_seconds']:>8.2f} {r.get('epochs', '?'):>6} "
                  f"{100 * r['accuracy']:>9.2f} {100 * r['macro_f1']:>9.2f}")
        print(f"{label + ' mean':<22} {'':>4} {mean(rows, 'fit_seconds'):>8.2f} {'':>6} "
              f"{100 * mean(rows, 'accuracy'):>9.2f} {100 * mean(rows, 'macro_f1'):>9.2f}")
    if len(sides) == 2:
        (_, anchor), (_, ours) = sides
        diff = 100 * (mean(ours, "accuracy") - mean(anchor, "accuracy"))
        verdict = "within 1 point" if abs(diff) <= 1 else "NOT within 1 point"
        print(f"accuracy Ballast - PyTorch: {diff:+.2f} points ({verdict}); "
              f"fit time Ballast / PyTorch: {mean(ours, 'fit_seconds') / mean(anchor, 'fit_seconds'):.2f}x")
        check = run([sys.executable, "-c", CHECK, DIR, json.dumps(cfg), export], env)[0]
        ok = not check["missing"] and not check["unexpected"] and check["max_abs_diff"] < 1e-4
        print(f"Ballast seed-0 weights loaded into the PyTorch network: max |p_torch - p_ballast| = "
              f"{check['max_abs_diff']:.2e}, same predicted class on {100 * check['argmax_agreement']:.3f}% of KDDTest+"
              + ("" if ok else f" — MISMATCH (missing {check['missing']}, unexpected {check['unexpected']})"))


if __name__ == "__main__":
    main()
