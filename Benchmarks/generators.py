"""Ballast's VAE-family generators (the product code) beside the same networks in PyTorch CPU, same run.

One training epoch over the NSL-KDD training matrix (125,973 x 122 float32 from prepare_kdd.py, labels
0..4), batch 128, Adam, for the catalogue's defaults:
  vae       one network per class: encoder 122->128 (LeakyReLU 0.2)->2x16, decoder 16->128 (LeakyReLU
            0.2)->122 (sigmoid); each class's rows once per epoch; Adam 1e-3
  cvae      one network: encoder [x, onehot] 127->128->2x16, decoder [z, onehot] 21->128->122; Adam 1e-3
  dcbn-vae  cvae with conditional batch norm after each hidden linear layer, latent 20; Adam 1e-4
Loss (both sides): summed squared error per row of the [0, 1]-scaled row + KL, averaged over the batch;
log-variances clamped to [-12, 12]. Ballast is timed by `ballast-bench generator-epoch`, which fits the
catalogued generator for 1 and for 3 epochs without validation and reports half the difference; PyTorch
runs one warm-up epoch, then one timed epoch. The figure that counts is BALLAST_BLAS=off (a fresh
machine has no OpenBLAS). The table shows seconds per epoch, the ratio Ballast / PyTorch (<= 1: Ballast
at least as fast) and the mean loss of the last epoch on each side (a broken model cannot pass for a fast
one).

Run: python Benchmarks/generators.py [--methods vae,cvae,dcbn-vae] [--torch-threads 2]
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "Benchmarks", "results")
BENCH = os.path.join(ROOT, ".build", "release", "ballast-bench")
FEATURES, CLASSES, BATCH = 122, 5, 128
CONFIG = {  # method: (conditional, conditional batch norm, latent, learning rate)
    "vae": (False, False, 16, 1e-3),
    "cvae": (True, False, 16, 1e-3),
    "dcbn-vae": (True, True, 20, 1e-4),
}


def load():
    path = os.path.join(RESULTS, "kdd_train_122.f32")
    if not os.path.exists(path):
        sys.exit(f"missing {path}: run {sys.executable} Benchmarks/prepare_kdd.py first")
    x = np.fromfile(path, dtype="<f4").reshape(-1, FEATURES)
    y = np.loadtxt(os.path.join(RESULTS, "kdd_train_labels.txt"), dtype=np.int64)
    return x, y


def torch_vae(torch, conditional, cbn, latent):
    nn = torch.nn
    k = CLASSES if conditional else 0

    class CBN(nn.Module):
        def __init__(self, features):
            super().__init__()
            self.bn = nn.BatchNorm1d(features, affine=False)
            self.weight = nn.Parameter(torch.ones(CLASSES, features))
            self.bias = nn.Parameter(torch.zeros(CLASSES, features))

        def forward(self, x, labels):
            return self.bn(x) * self.weight[labels] + self.bias[labels]

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc, self.head = nn.Linear(FEATURES + k, 128), nn.Linear(128, 2 * latent)
            self.dec, self.out = nn.Linear(latent + k, 128), nn.Linear(128, FEATURES)
            self.enc_norm, self.dec_norm = (CBN(128), CBN(128)) if cbn else (None, None)
            for layer in (self.enc, self.dec):
                nn.init.kaiming_normal_(layer.weight)
                nn.init.zeros_(layer.bias)

        def hidden(self, layer, norm, h, labels):
            h = layer(h)
            if norm is not None:
                h = norm(h, labels)
            return torch.nn.functional.leaky_relu(h, 0.2)

        def forward(self, x, c, labels):
            inp = torch.cat([x, c], 1) if conditional else x
            stats = self.head(self.hidden(self.enc, self.enc_norm, inp, labels))
            mu, logvar = stats[:, :latent], stats[:, latent:].clamp(-12, 12)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            d = torch.cat([z, c], 1) if conditional else z
            recon = torch.sigmoid(self.out(self.hidden(self.dec, self.dec_norm, d, labels)))
            rec = torch.nn.functional.mse_loss(recon, x, reduction="sum") / x.shape[0]
            kl = 0.5 * torch.sum(mu * mu + torch.exp(logvar) - 1 - logvar) / x.shape[0]
            return rec + kl
    return VAE()


def run_torch(method, x, y, seed, threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    conditional, cbn, latent, lr = CONFIG[method]
    groups = [np.arange(len(x))] if conditional else [np.flatnonzero(y == c) for c in range(CLASSES)]
    parts = []
    for rows in groups:
        glo, ghi = x[rows].min(0), x[rows].max(0)
        scaled = np.where(ghi > glo, (x[rows] - glo) / np.where(ghi > glo, ghi - glo, 1), 0.5).astype(np.float32)
        model = torch_vae(torch, conditional, cbn, latent)
        parts.append((torch.from_numpy(scaled), torch.from_numpy(y[rows]), model, torch.optim.Adam(model.parameters(), lr=lr)))
    rng = np.random.default_rng(seed)

    def epoch():
        losses = []
        for X, Y, model, opt in parts:
            C = torch.nn.functional.one_hot(Y, CLASSES).float()
            order = torch.from_numpy(rng.permutation(len(X)))
            for b in range(0, len(X), BATCH):
                idx = order[b:b + BATCH]
                if len(idx) < 2:
                    continue
                loss = model(X[idx], C[idx], Y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                losses.append((loss.item(), len(idx)))
        return sum(l * n for l, n in losses) / sum(n for _, n in losses)

    epoch()
    start = time.perf_counter()
    loss = epoch()
    return time.perf_counter() - start, loss


def run_ballast(method, seed, env_extra):
    if not os.path.exists(BENCH):
        sys.exit(f"missing {BENCH}: build it first with `swift build -c release --product ballast-bench`")
    env = dict(os.environ, BALLAST_THREADS="2", **env_extra)
    out = subprocess.run([BENCH, "generator-epoch", "--method", method, "--seed", str(seed)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"ballast-bench generator-epoch failed: {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", default="vae,cvae,dcbn-vae")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--torch-threads", type=int, default=2)
    args = parser.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit(f"PyTorch is not installed in {sys.executable}: run Benchmarks/setup.sh")
    x, y = load()
    print(f"{len(x)} rows x {FEATURES}, batch {BATCH}, one epoch; PyTorch with {args.torch_threads} thread(s); "
          f"Ballast with BALLAST_THREADS=2 and BALLAST_BLAS=off (Swift GEMM)")
    header = f"{'method':<9} {'params':>8} {'PyTorch s':>10} {'Ballast s':>10} {'ratio':>6}   {'loss PyTorch':>12} {'loss Ballast':>12}"
    print(header)
    print("-" * len(header))
    for method in args.methods.split(","):
        t_sec, t_loss = run_torch(method, x, y, args.seed, args.torch_threads)
        b = run_ballast(method, args.seed, {"BALLAST_BLAS": "off"})
        print(f"{method:<9} {b['parameters']:>8} {t_sec:>10.2f} {b['seconds']:>10.2f} {b['seconds'] / t_sec:>6.2f}   "
              f"{t_loss:>12.4f} {b['loss_last_epoch']:>12.4f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
