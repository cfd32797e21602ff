"""WGAN-GP's gradient penalty (issue 12): Ballast's double backward beside torch.autograd.grad.

1. Cross-check. The same critic weights, real and fake rows and interpolation weights go to both
   sides (a safetensors file). The critic is CTGAN's discriminator without dropout (whose masks
   cannot be shared): `pac` rows packed into one, Linear + LeakyReLU(0.2) per hidden layer, Linear
   to one score. PyTorch computes, in float64 and float32, the penalty as the `ctgan` package's
   `Discriminator.calc_gradient_penalty` does (one alpha per pac group, autograd.grad with
   create_graph=True, the norm over each group's pac x features gradient, (norm - 1)^2 averaged,
   times lambda), the critic loss mean D(fake) - mean D(real) + penalty, and the weight gradients of
   the penalty and of the loss. `ballast-bench gradient-penalty check` computes the same with
   Tape<Double> and Tape<Float>. Printed: the largest error of each against torch float64, relative
   to the largest magnitude of the quantity; Ballast Double must agree to 1e-10, Ballast Float to
   1e-4 (torch float32's own error is printed beside it for scale).
2. Cost (unless --no-time). A plain critic step (critic on real and fake, backward) and a WGAN-GP
   step (plus interpolates, recorded input gradient, penalty), forward and backward only, float32,
   Dropout(0.5) as in CTGAN, random data: milliseconds per step on both sides, PyTorch on
   --torch-threads threads.

Run: `python Benchmarks/gradient_penalty_check.py [--no-time] [--steps 20] [--torch-threads 2]` after
`swift build -c release --product ballast-bench`. BALLAST_BENCH=PATH runs another binary. Exits
non-zero when a cross-check fails.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.environ.get("BALLAST_BENCH", os.path.join(ROOT, ".build", "release", "ballast-bench"))

# (name, rows, features, hidden widths, pac)
CONFIGS = [("small", 16, 5, [8, 8], 1), ("small-pac", 16, 3, [8, 8], 4), ("ctgan", 500, 122, [256, 256], 10)]
LAMBDA = 10.0
# Ballast's activation constants are Float: its LeakyReLU(0.2) has slope float32(0.2) = 0.20000000298...,
# which the float64 reference uses too (0.2 itself differs by 1.5e-8 relative, far above Double rounding).
SLOPE = float(np.float32(0.2))


def make_inputs(rows, features, hidden, pac, seed):
    """Float32 weights (PyTorch's Linear initialisation), batches and one alpha per pac group."""
    gen = torch.Generator().manual_seed(seed)
    widths = [features * pac] + hidden + [1]
    tensors = {}
    for i in range(len(widths) - 1):
        layer = torch.nn.Linear(widths[i], widths[i + 1])
        with torch.no_grad():
            bound = 1 / np.sqrt(widths[i])
            layer.weight.uniform_(-bound, bound, generator=gen)
            layer.bias.uniform_(-bound, bound, generator=gen)
        tensors[f"seq.{3 * i}.weight"] = layer.weight.detach().numpy().copy()
        tensors[f"seq.{3 * i}.bias"] = layer.bias.detach().numpy().copy()
    tensors["real"] = torch.randn(rows, features, generator=gen).numpy()
    tensors["fake"] = torch.randn(rows, features, generator=gen).numpy()
    tensors["epsilon"] = torch.rand(rows // pac, generator=gen).numpy()
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()}


def critic(params, x, pac, dropout=0.0):
    names = sorted({k.rsplit(".", 1)[0] for k in params if k.startswith("seq.")}, key=lambda n: int(n.split(".")[1]))
    h = x.reshape(-1, pac * x.shape[1])
    for name in names[:-1]:
        h = F.leaky_relu(F.linear(h, params[name + ".weight"], params[name + ".bias"]), SLOPE)
        if dropout > 0:
            h = F.dropout(h, dropout, training=True)
    return F.linear(h, params[names[-1] + ".weight"], params[names[-1] + ".bias"])


def gradient_penalty(params, real, fake, epsilon, pac, dropout=0.0):
    """ctgan's Discriminator.calc_gradient_penalty, with alpha given."""
    alpha = epsilon.view(-1, 1, 1).repeat(1, pac, real.size(1)).view(-1, real.size(1))
    interpolates = alpha * real + ((1 - alpha) * fake)
    interpolates.requires_grad_(True)
    scores = critic(params, interpolates, pac, dropout)
    gradients = torch.autograd.grad(outputs=scores, inputs=interpolates, grad_outputs=torch.ones_like(scores),
                                    create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradients_view = gradients.view(-1, pac * real.size(1)).norm(2, dim=1) - 1
    return ((gradients_view) ** 2).mean() * LAMBDA


def torch_results(arrays, pac, dtype):
    params = {k: torch.tensor(v, dtype=dtype, requires_grad=True) for k, v in arrays.items() if k.startswith("seq.")}
    real, fake, epsilon = (torch.tensor(arrays[k], dtype=dtype) for k in ("real", "fake", "epsilon"))
    penalty = gradient_penalty(params, real, fake, epsilon, pac)
    loss = critic(params, fake, pac).mean() - critic(params, real, pac).mean() + penalty
    out = {"penalty": penalty.item(), "loss": loss.item()}
    for name, value in (("penalty_gradients", penalty), ("loss_gradients", loss)):
        grads = torch.autograd.grad(value, list(params.values()), retain_graph=True, allow_unused=True)
        out[name] = {k: (torch.zeros_like(p) if g is None else g).detach().double().numpy().reshape(-1)
                     for (k, p), g in zip(params.items(), grads)}
    return out


def error(reference, other):
    """Largest |difference| of values and of every gradient, relative to the largest magnitude."""
    worst = {}
    for key in ("penalty", "loss"):
        worst[key] = abs(other[key] - reference[key]) / max(abs(reference[key]), 1e-30)
    for key in ("penalty_gradients", "loss_gradients"):
        ref = np.concatenate([reference[key][k] for k in sorted(reference[key])])
        got = np.concatenate([np.asarray(other[key][k], dtype=np.float64) for k in sorted(reference[key])])
        worst[key] = float(np.max(np.abs(got - ref)) / max(np.max(np.abs(ref)), 1e-30))
    return worst


def cross_check():
    failures = 0
    print(f"{'config':<10} {'side':<14} {'penalty':>12} {'rel.err penalty':>15} {'loss':>9} {'grad(penalty)':>13} {'grad(loss)':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for seed, (name, rows, features, hidden, pac) in enumerate(CONFIGS):
            arrays = make_inputs(rows, features, hidden, pac, seed)
            path = os.path.join(tmp, f"{name}.safetensors")
            save_file(arrays, path, metadata={"pac": str(pac), "lambda": str(LAMBDA)})
            out = subprocess.run([BENCH, "gradient-penalty", "check", path], capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"ballast-bench gradient-penalty check failed: {out.stderr.strip()}")
            ballast = json.loads(out.stdout.strip().splitlines()[-1])
            reference = torch_results(arrays, pac, torch.float64)
            sides = [("torch float32", torch_results(arrays, pac, torch.float32), None),
                     ("Ballast Double", ballast["double"], 1e-10), ("Ballast Float", ballast["float"], 1e-4)]
            for side, result, tolerance in sides:
                e = error(reference, result)
                bad = tolerance is not None and max(e.values()) > tolerance
                failures += bad
                print(f"{name:<10} {side:<14} {result['penalty']:>12.6g} {e['penalty']:>15.2e} {e['loss']:>9.1e} "
                      f"{e['penalty_gradients']:>13.1e} {e['loss_gradients']:>11.1e}{'  FAIL' if bad else ''}")
    return failures


def torch_step_ms(rows, features, hidden, pac, steps, warmup):
    torch.manual_seed(0)
    arrays = make_inputs(rows, features, hidden, pac, 0)
    params = {k: torch.tensor(v, requires_grad=True) for k, v in arrays.items() if k.startswith("seq.")}
    real, fake = torch.tensor(arrays["real"]), torch.tensor(arrays["fake"])
    timings = {}
    for mode in ("plain", "penalty"):
        def step():
            loss = critic(params, fake, pac, 0.5).mean() - critic(params, real, pac, 0.5).mean()
            if mode == "penalty":
                loss = loss + gradient_penalty(params, real, fake, torch.rand(rows // pac), pac, 0.5)
            loss.backward()
            for p in params.values():
                p.grad = None
        for _ in range(warmup):
            step()
        start = time.perf_counter()
        for _ in range(steps):
            step()
        timings[mode] = 1000 * (time.perf_counter() - start) / steps
    return timings


def timing(steps, threads):
    torch.set_num_threads(threads)
    print(f"\ncritic step, batch 500, 122 features, 256x256, LeakyReLU(0.2) + Dropout(0.5), forward + backward "
          f"(ms per step; PyTorch {torch.__version__} on {threads} threads)")
    print(f"{'pac':>4} {'side':<8} {'plain':>8} {'penalty':>8} {'ratio':>6}")
    for pac in (1, 10):
        out = subprocess.run([BENCH, "gradient-penalty", "time", "--pac", str(pac), "--steps", str(steps)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"ballast-bench gradient-penalty time failed: {out.stderr.strip()}")
        b = json.loads(out.stdout.strip().splitlines()[-1])
        t = torch_step_ms(500, 122, [256, 256], pac, steps, 3)
        print(f"{pac:>4} {'Ballast':<8} {b['plain_ms']:>8.2f} {b['penalty_ms']:>8.2f} {b['penalty_ms'] / b['plain_ms']:>6.2f}"
              f"   (BLAS {b['blas']}, {b['threads']} threads, {b['penalty_nodes']} tape nodes)")
        print(f"{pac:>4} {'PyTorch':<8} {t['plain']:>8.2f} {t['penalty']:>8.2f} {t['penalty'] / t['plain']:>6.2f}"
              f"   Ballast/PyTorch: plain {b['plain_ms'] / t['plain']:.2f}, penalty {b['penalty_ms'] / t['penalty']:.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-time", action="store_true")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--torch-threads", type=int, default=2)
    args = parser.parse_args()
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product ballast-bench")
    failures = cross_check()
    if not args.no_time:
        timing(args.steps, args.torch_threads)
    if failures:
        sys.exit(f"{failures} cross-check(s) failed")


if __name__ == "__main__":
    main()
