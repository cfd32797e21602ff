"""The PyTorch anchor of Ballast's network detectors (mlp.py, cnn.py): the same networks, the same
training procedure, the same prepared NSL-KDD files, run beside `ballast-bench mlp|cnn` in one run.

Training procedure on both sides: He-uniform weights and zero biases for Linear/Conv1d (PyTorch's
default for LSTM), softmax cross-entropy (optionally class-weighted, PyTorch's weighted mean); Adam;
seeded shuffled mini-batches (a final single row joins the batch before it); a stratified validation
split; early stopping on the validation loss with patience, restoring the best epoch's weights.

As a script it is the child process of the drivers:
  python Benchmarks/torch_detectors.py train DIR CONFIG_JSON SEED...   one JSON line per seed
  python Benchmarks/torch_detectors.py check DIR CONFIG_JSON WEIGHTS   loads Ballast's weights
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "Benchmarks", "results")
# BALLAST_BENCH overrides the binary (e.g. a copy, so that a rebuild can run meanwhile).
BENCH = os.environ.get("BALLAST_BENCH", os.path.join(ROOT, ".build", "release", "ballast-bench"))
FILES = ["kdd_train_122.f32", "kdd_train_labels.txt", "kdd_test_122.f32", "kdd_test_labels.txt"]


def network(cfg, features, classes):
    """The PyTorch module of cfg["kind"]: Ballast's `mlp` as an nn.Sequential, or `cnn`/`cnn-lstm` as BallastCNN."""
    import torch
    from torch import nn

    def he(layer):
        nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
        nn.init.zeros_(layer.bias)
        return layer

    if cfg["kind"] == "mlp":
        layers, width = [], features
        for w in cfg["widths"]:
            layers.append(he(nn.Linear(width, w)))
            if cfg["batch_norm"]:
                layers.append(nn.BatchNorm1d(w))
            layers.append(nn.ReLU())
            if cfg["dropout"] > 0:
                layers.append(nn.Dropout(cfg["dropout"]))
            width = w
        layers.append(he(nn.Linear(width, classes)))
        return nn.Sequential(*layers)

    class BallastCNN(nn.Module):
        """Ballast's cnn / cnn-lstm detector; load_state_dict reads the safetensors Ballast writes."""

        def __init__(self, features, classes, filters=(32, 64), kernel=3, padding="same", pool=2, batch_norm=True,
                     hidden=None, bidirectional=False, dense=(128,), dropout=0.2):
            super().__init__()
            conv, channels, length = [], 1, features
            pad = (kernel - 1) // 2 if padding == "same" else 0
            for f in filters:
                conv.append(nn.Conv1d(channels, f, kernel, padding=pad))
                if batch_norm:
                    conv.append(nn.BatchNorm1d(f))
                conv += [nn.ReLU(), nn.MaxPool1d(pool)]
                channels, length = f, (length + 2 * pad - kernel + 1) // pool
            self.conv = nn.Sequential(*conv)
            self.lstm = nn.LSTM(channels, hidden, batch_first=True, bidirectional=bidirectional) if hidden else None
            width = hidden * (2 if bidirectional else 1) if hidden else channels * length
            head = [nn.Dropout(dropout)]
            for w in dense:
                head += [nn.Linear(width, w), nn.ReLU(), nn.Dropout(dropout)]
                width = w
            head.append(nn.Linear(width, classes))
            self.head = nn.Sequential(*head)

        def forward(self, x):
            h = self.conv(x.unsqueeze(1))
            if self.lstm is not None:
                _, (last, _) = self.lstm(h.transpose(1, 2))
                h = torch.cat(list(last), dim=1)  # forward direction, then reverse
            return self.head(h.flatten(1))

    model = BallastCNN(features, classes, cfg["filters"], cfg["kernel"], cfg["padding"], cfg["pool"], cfg["batch_norm"],
                       cfg.get("hidden"), cfg.get("bidirectional", False), cfg["dense"], cfg["dropout"])
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv1d)):
            he(m)
    return model


def load(d):
    import numpy as np
    x = np.fromfile(d + "/kdd_train_122.f32", dtype="<f4").reshape(-1, 122)
    y = np.loadtxt(d + "/kdd_train_labels.txt", dtype=np.int64)
    xt = np.fromfile(d + "/kdd_test_122.f32", dtype="<f4").reshape(-1, 122)
    yt = np.loadtxt(d + "/kdd_test_labels.txt", dtype=np.int64)
    return x, y, xt, yt


def train_child(d, cfg, seeds):
    import time
    import numpy as np
    import torch
    from torch import nn
    from sklearn.metrics import accuracy_score, f1_score
    torch.set_num_threads(cfg["torch_threads"])
    X, y, Xt, yt = load(d)
    classes = 5

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
        class_weights = torch.tensor(weights, dtype=torch.float32)
        loss_fn = nn.CrossEntropyLoss(weight=class_weights)
        sum_loss = nn.CrossEntropyLoss(weight=class_weights, reduction="sum")
        Xtr, ytr = torch.from_numpy(X[train_rows]), torch.from_numpy(y[train_rows])
        Xva, yva = torch.from_numpy(X[val_rows]), torch.from_numpy(y[val_rows])
        model = network(cfg, X.shape[1], classes)
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
                total, weight_sum = 0.0, 0.0
                for i in range(0, len(yva), 4096):
                    labels = yva[i:i + 4096]
                    total += sum_loss(model(Xva[i:i + 4096]), labels).item()
                    weight_sum += class_weights[labels].sum().item()
                val = total / weight_sum
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


def check_child(d, cfg, path):
    """Loads Ballast's exported weights (PyTorch names) into the same module and compares its
    KDDTest+ probabilities with Ballast's."""
    import numpy as np
    import torch
    from safetensors.torch import load_file
    torch.set_num_threads(cfg["torch_threads"])
    _, _, Xt, _ = load(d)
    model = network(cfg, Xt.shape[1], 5)
    missing, unexpected = model.load_state_dict(load_file(path), strict=False)
    model.eval()
    with torch.no_grad():
        p = torch.softmax(model(torch.from_numpy(Xt)), dim=1).numpy()
    ours = np.fromfile(path + ".probabilities.f32", dtype="<f4").reshape(p.shape)
    print(json.dumps({"missing": missing, "unexpected": list(unexpected), "max_abs_diff": float(np.abs(p - ours).max()),
                      "argmax_agreement": float((p.argmax(1) == ours.argmax(1)).mean())}))


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def run(command, env):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} ... failed:\n{result.stderr.strip()}")
    return [json.loads(line) for line in result.stdout.strip().splitlines() if line.startswith("{")]


def subset(rows):
    """The results directory, or (rows > 0) a directory holding the first `rows` rows of KDDTrain+
    and all of KDDTest+, which both sides then read."""
    for f in FILES:
        if not os.path.exists(os.path.join(DIR, f)):
            sys.exit(f"{os.path.join(DIR, f)} is missing: run Benchmarks/prepare_kdd.py first")
    if not rows:
        return DIR
    import shutil
    import numpy as np
    d = os.path.join(DIR, f"kdd_first_{rows}")
    os.makedirs(d, exist_ok=True)
    x = np.fromfile(os.path.join(DIR, "kdd_train_122.f32"), dtype="<f4").reshape(-1, 122)[:rows]
    x.tofile(os.path.join(d, "kdd_train_122.f32"))
    with open(os.path.join(DIR, "kdd_train_labels.txt")) as f:
        labels = f.read().split()[:rows]
    with open(os.path.join(d, "kdd_train_labels.txt"), "w") as f:
        f.write("\n".join(labels) + "\n")
    for f in ["kdd_test_122.f32", "kdd_test_labels.txt"]:
        shutil.copyfile(os.path.join(DIR, f), os.path.join(d, f))
    return d


def compare(title, cfg, spec, bench, seeds, torch_threads, rows=0):
    """Runs PyTorch (once per thread count in torch_threads) and Ballast on the same seeds and rows
    (all of KDDTrain+, or its first `rows`), prints the table, the accuracy difference,
    epoch-time ratios and the weight-loading check."""
    data = subset(rows)
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product ballast-bench")
    seeds = [str(s) for s in range(seeds)]
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2", MKL_NUM_THREADS="2", BALLAST_THREADS="2")
    try:
        import torch  # noqa: F401  (only to learn whether the anchor can run)
        have_torch = True
    except ImportError:
        have_torch = False
    print(f"{title} on {'the first %d rows of ' % rows if rows else ''}KDDTrain+ -> KDDTest+, {len(seeds)} seeds; "
          "times in seconds, quality in %")
    print(f"Ballast spec: {spec} (BALLAST_BLAS={env.get('BALLAST_BLAS', 'auto')}, 2 threads)")
    anchors = []
    if have_torch:
        for threads in torch_threads:
            child = dict(cfg, torch_threads=threads)
            anchors.append((f"PyTorch ({threads} thr)", run([sys.executable, __file__, "train", data, json.dumps(child)] + seeds, env)))
    else:
        print(f"PyTorch is not installed for {sys.executable}: only the Ballast side runs (no comparison).")
    export = os.path.join(DIR, f"{bench}_ballast_seed0.safetensors")
    ours = ("Ballast", run([BENCH, bench, data, spec] + seeds + ["--export", export], env))

    header = f"{'side':<22} {'seed':>4} {'fit':>8} {'epochs':>6} {'s/epoch':>8} {'predict':>8} {'accuracy':>9} {'macro-F1':>9}"
    print(header)
    print("-" * len(header))
    for label, rows in anchors + [ours]:
        for r in rows:
            r["epoch_seconds"] = r["fit_seconds"] / max(r["epochs"], 1)
            print(f"{label:<22} {r['seed']:>4} {r['fit_seconds']:>8.2f} {r['epochs']:>6} {r['epoch_seconds']:>8.2f} "
                  f"{r['predict_seconds']:>8.3f} {100 * r['accuracy']:>9.2f} {100 * r['macro_f1']:>9.2f}")
        print(f"{label + ' mean':<22} {'':>4} {mean(rows, 'fit_seconds'):>8.2f} {'':>6} {mean(rows, 'epoch_seconds'):>8.2f} "
              f"{mean(rows, 'predict_seconds'):>8.3f} {100 * mean(rows, 'accuracy'):>9.2f} {100 * mean(rows, 'macro_f1'):>9.2f}")
    for label, anchor in anchors:
        diff = 100 * (mean(ours[1], "accuracy") - mean(anchor, "accuracy"))
        f1 = 100 * (mean(ours[1], "macro_f1") - mean(anchor, "macro_f1"))
        verdict = "within 1 point" if abs(diff) <= 1 else "NOT within 1 point"
        print(f"vs {label}: accuracy {diff:+.2f} points ({verdict}), macro-F1 {f1:+.2f}; "
              f"time per epoch Ballast / PyTorch {mean(ours[1], 'epoch_seconds') / mean(anchor, 'epoch_seconds'):.2f}x")
    if anchors:
        check = run([sys.executable, __file__, "check", data, json.dumps(dict(cfg, torch_threads=torch_threads[0])), export], env)[0]
        ok = not check["missing"] and not check["unexpected"] and check["max_abs_diff"] < 1e-4
        print(f"Ballast seed-0 weights loaded into the PyTorch network: max |p_torch - p_ballast| = "
              f"{check['max_abs_diff']:.2e}, same predicted class on {100 * check['argmax_agreement']:.3f}% of KDDTest+"
              + ("" if ok else f" — MISMATCH (missing {check['missing']}, unexpected {check['unexpected']})"))


if __name__ == "__main__":
    mode, d, cfg = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    if mode == "train":
        train_child(d, cfg, [int(s) for s in sys.argv[4:]])
    elif mode == "check":
        check_child(d, cfg, sys.argv[4])
    else:
        sys.exit(f"unknown mode {mode}: expected train or check")
