"""Deep-generator training shapes of issue 5, PyTorch CPU (2 threads) beside Ballast, same run.

One epoch over the NSL-KDD training matrix (125,973 x 122 float32, Benchmarks/results/kdd_train_122.f32
from prepare_kdd.py, labels 0..4 as the condition), batch 128, Adam:
  cvae     DCBN-VAE-style conditional VAE: encoder [x, onehot] 127->256 (conditional batch norm, ReLU)
           ->2x32, decoder [z, onehot] 37->256 (conditional batch norm, ReLU)->122 (sigmoid);
           loss = summed squared error per row + KL, averaged over the batch; Adam 1e-3
  cgan     conditional GAN: G [z(100), onehot] 105->128->256->122 (ReLU, sigmoid), D [x, onehot]
           127->256->128->1 (LeakyReLU 0.2); per batch one D step (real + detached fake) and one G step
           through the updated D; BCE with logits; Adam 2e-4, betas (0.5, 0.999)
  realnvp  RealNVP, 8 affine couplings on alternating masks, nets 122->128->128->244 (ReLU),
           s = tanh(.), loss = -mean log-likelihood under N(0, I); Adam 1e-3
  aeflow   AE-Flow (Ballast's ae-flow defaults): encoder 122->64 (LeakyReLU 0.2)->16, batch norm without
           affine part; decoder 16->64 (LeakyReLU 0.2)->122 (sigmoid); 4 affine couplings on the code,
           nets 16->64->64->32 (ReLU, s = tanh(.)); loss = summed squared error per row + 0.1 x the
           flow's negative log-likelihood of the code, both averaged over the batch; Adam 1e-3
Batch policy (both sides): a seeded shuffle per epoch, batches of 128, the last one partial; 3
untimed warm-up steps first. The table shows seconds per epoch, the ratio Ballast / PyTorch (<= 1
means Ballast is at least as fast), and the mean loss of the last 100 batches of each, so that a
broken model cannot pass for a fast one. Ballast runs twice: as installed ("auto": with OpenBLAS when
it is installed, which Ballast limits to one thread of its own and calls for the products its Swift
kernel would run on one thread) and with BALLAST_BLAS=off (the Swift GEMM kernel only; skipped with
--no-swift-gemm). Without OpenBLAS the two runs are the same build doing the same work.

Run: python Benchmarks/nn_shapes.py [--shapes cvae,cgan,realnvp,aeflow] [--rows N] [--no-swift-gemm]
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
FEATURES, CLASSES, BATCH, WARMUP = 122, 5, 128, 3


def have_openblas():
    """Whether the dynamic loader finds the OpenBLAS Ballast would load (libopenblas.so.0)."""
    import ctypes.util
    return ctypes.util.find_library("openblas") is not None


def load(rows):
    path = os.path.join(RESULTS, "kdd_train_122.f32")
    if not os.path.exists(path):
        sys.exit(f"missing {path}: run {sys.executable} Benchmarks/prepare_kdd.py first")
    x = np.fromfile(path, dtype="<f4").reshape(-1, FEATURES)
    y = np.loadtxt(os.path.join(RESULTS, "kdd_train_labels.txt"), dtype=np.int64)
    if rows:
        x, y = x[:rows], y[:rows]
    return x, y


def torch_models(torch, shape):
    nn = torch.nn

    class CBN(nn.Module):
        def __init__(self, features, classes):
            super().__init__()
            self.bn = nn.BatchNorm1d(features, affine=False)
            self.weight = nn.Parameter(torch.ones(classes, features))
            self.bias = nn.Parameter(torch.zeros(classes, features))

        def forward(self, x, labels):
            return self.bn(x) * self.weight[labels] + self.bias[labels]

    if shape == "cvae":
        class CVAE(nn.Module):
            def __init__(self):
                super().__init__()
                self.enc1, self.enc_norm, self.enc2 = nn.Linear(127, 256), CBN(256, CLASSES), nn.Linear(256, 64)
                self.dec1, self.dec_norm, self.dec2 = nn.Linear(37, 256), CBN(256, CLASSES), nn.Linear(256, FEATURES)

            def forward(self, x, c, labels):
                h = torch.relu(self.enc_norm(self.enc1(torch.cat([x, c], 1)), labels))
                stats = self.enc2(h)
                mu, logvar = stats[:, :32], stats[:, 32:]
                z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
                d = torch.relu(self.dec_norm(self.dec1(torch.cat([z, c], 1)), labels))
                recon = torch.sigmoid(self.dec2(d))
                rec = torch.nn.functional.mse_loss(recon, x, reduction="sum") / x.shape[0]
                kl = 0.5 * torch.sum(mu * mu + torch.exp(logvar) - 1 - logvar) / x.shape[0]
                return rec + kl

        model = CVAE()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)

        def step(x, c, labels):
            loss = model(x, c, labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss.item()
        return step

    if shape == "cgan":
        G = nn.Sequential(nn.Linear(105, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, FEATURES), nn.Sigmoid())
        D = nn.Sequential(nn.Linear(127, 256), nn.LeakyReLU(0.2), nn.Linear(256, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
        opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
        bce = nn.BCEWithLogitsLoss()

        def step(x, c, labels):
            b = x.shape[0]
            ones, zeros = torch.ones(b, 1), torch.zeros(b, 1)
            fake = G(torch.cat([torch.randn(b, 100), c], 1))
            loss_d = bce(D(torch.cat([x, c], 1)), ones) + bce(D(torch.cat([fake.detach(), c], 1)), zeros)
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            loss_g = bce(D(torch.cat([fake, c], 1)), ones)
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
            return loss_d.item() + loss_g.item()
        return step

    class RealNVP(nn.Module):
        def __init__(self, dims=FEATURES, couplings=8, width=128):
            super().__init__()
            self.dims = dims
            self.nets = nn.ModuleList(
                nn.Sequential(nn.Linear(dims, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 2 * dims))
                for _ in range(couplings))
            masks = torch.tensor([[float((j + k) % 2) for j in range(dims)] for k in range(couplings)])
            self.register_buffer("masks", masks)

        def forward(self, x):
            h, logdet = x, 0
            for k, net in enumerate(self.nets):
                mask = self.masks[k]
                free = 1 - mask
                out = net(h * mask)
                s = torch.tanh(out[:, :self.dims]) * free
                t = out[:, self.dims:] * free
                h = h * torch.exp(s) + t
                logdet = logdet + s.sum(1)
            log_density = -0.5 * (h * h).sum(1) - 0.5 * self.dims * np.log(2 * np.pi) + logdet
            return -log_density.mean()

    if shape == "aeflow":
        class AEFlow(nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = nn.Sequential(nn.Linear(FEATURES, 64), nn.LeakyReLU(0.2), nn.Linear(64, 16),
                                             nn.BatchNorm1d(16, affine=False))
                self.decoder = nn.Sequential(nn.Linear(16, 64), nn.LeakyReLU(0.2), nn.Linear(64, FEATURES), nn.Sigmoid())
                self.flow = RealNVP(dims=16, couplings=4, width=64)

            def forward(self, x):
                code = self.encoder(x)
                rec = torch.nn.functional.mse_loss(self.decoder(code), x, reduction="sum") / x.shape[0]
                return rec + 0.1 * self.flow(code)

        model = AEFlow()
    else:
        model = RealNVP()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x, c, labels):
        loss = model(x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def run_torch(shape, x, y, seed, threads=2):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    step = torch_models(torch, shape)
    X, Y = torch.from_numpy(x), torch.from_numpy(y)
    C = torch.nn.functional.one_hot(Y, CLASSES).float()
    rng = np.random.default_rng(seed)
    order = torch.from_numpy(rng.permutation(len(x)))
    for w in range(WARMUP):
        idx = order[w * BATCH:(w + 1) * BATCH]
        step(X[idx], C[idx], Y[idx])
    order = torch.from_numpy(rng.permutation(len(x)))
    losses = []
    start = time.perf_counter()
    for b in range(0, len(x), BATCH):
        idx = order[b:b + BATCH]
        losses.append(step(X[idx], C[idx], Y[idx]))
    seconds = time.perf_counter() - start
    return seconds, float(np.mean(losses[-100:]))


def run_ballast(shape, rows, seed, env_extra):
    if not os.path.exists(BENCH):
        sys.exit(f"missing {BENCH}: build it first with `swift build -c release --product ballast-bench`")
    args = [BENCH, "nn", "--shape", shape, "--seed", str(seed), "--warmup", str(WARMUP), "--batch", str(BATCH)]
    if rows:
        args += ["--rows", str(rows)]
    env = dict(os.environ, BALLAST_THREADS="2", **env_extra)
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"ballast-bench nn failed: {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="cvae,cgan,realnvp,aeflow")
    parser.add_argument("--rows", type=int, default=0, help="use only the first N rows (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-swift-gemm", action="store_true", help="skip the BALLAST_BLAS=off run")
    parser.add_argument("--torch-threads", type=int, default=2,
                        help="PyTorch threads (2 is the target; 1 is the fairer anchor on a busy machine, where "
                             "PyTorch's OpenMP workers spin)")
    args = parser.parse_args()
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit(f"PyTorch is not installed in {sys.executable}: pip install torch --index-url https://download.pytorch.org/whl/cpu")
    x, y = load(args.rows)
    configs = [("auto", {})]
    if not args.no_swift_gemm:
        configs.append(("Swift GEMM", {"BALLAST_BLAS": "off"}))
    print(f"{len(x)} rows x {FEATURES}, batch {BATCH}, one epoch; PyTorch with {args.torch_threads} thread(s); Ballast with "
          f"BALLAST_THREADS=2, as installed (BLAS: {'OpenBLAS' if have_openblas() else 'none'}) and with its Swift GEMM only")
    header = f"{'shape':<8} {'PyTorch s':>10}" + "".join(f" {name + ' s':>13} {'ratio':>6}" for name, _ in configs)
    header += f"   {'loss PyTorch':>12} {'loss Ballast':>12}  allocations (Ballast epoch)"
    print(header)
    print("-" * len(header))
    last = None
    for shape in args.shapes.split(","):
        t_sec, t_loss = run_torch(shape, x, y, args.seed, args.torch_threads)
        runs = [run_ballast(shape, args.rows, args.seed, env) for _, env in configs]
        b = last = runs[0]
        cells = "".join(f" {r['seconds']:>13.2f} {r['seconds'] / t_sec:>6.2f}" for r in runs)
        alloc = (f"arena growths {b['arena_growths_in_epoch']}, RSS +{b['rss_growth_bytes'] / 1e6:.1f} MB, "
                 f"{b['tape_nodes_per_step']} tape nodes/step")
        print(f"{shape:<8} {t_sec:>10.2f}{cells}   {t_loss:>12.4f} {b['loss_last100']:>12.4f}  {alloc}")
        sys.stdout.flush()
    if last:
        print(f"Ballast: {last['optimizer']}, BLAS {last['blas']}; ratio = Ballast / PyTorch (<= 1: Ballast at least as "
              f"fast); loss = mean of the last 100 batches")


if __name__ == "__main__":
    main()
