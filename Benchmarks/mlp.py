"""The MLP detector ("DNN") on NSL-KDD: the same network and training procedure in PyTorch (CPU,
2 threads) and in Ballast (`mlp` from the Catalog), trained on KDDTrain+ and evaluated on KDDTest+
(5 classes, the 122 prepared columns, the same files for both sides), for several seeds.

Network: Linear(122, w1) [BatchNorm1d] ReLU Dropout ... Linear(w_last, 5); the training procedure
and the PyTorch side are in Benchmarks/torch_detectors.py (shared with cnn.py).

Run `python Benchmarks/prepare_kdd.py` and `swift build -c release --product ballast-bench` first, then
`python Benchmarks/mlp.py [--seeds 3] [--epochs 20] [--widths 256x128] [--batch 128] [--lr 0.001]
[--dropout 0.2] [--batch-norm] [--class-weight none|balanced] [--patience 5] [--validation 0.1]
[--torch-threads 2] (or 1,2 for both)`. BALLAST_BENCH=PATH runs another ballast-bench binary.
Prints, per seed and as means: fit seconds, epochs run, seconds per epoch, KDDTest+ prediction seconds, KDDTest+ accuracy and macro-F1 for both sides,
then the mean accuracy difference Ballast − PyTorch (target: within 1 point) and the epoch-time ratio.
Finally the weights Ballast trained with seed 0 (exported as safetensors under PyTorch's names) are
loaded into the PyTorch network, whose KDDTest+ probabilities must match Ballast's (within 1e-4).
"""
import argparse

from torch_detectors import compare


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
    ap.add_argument("--torch-threads", default="2",
                    help="PyTorch thread counts, comma-separated (2 as the target; its OpenMP spinning suffers on a busy machine, where 1 is fairer)")
    a = ap.parse_args()
    patience = a.patience if a.patience > 0 else None
    cfg = {"kind": "mlp", "widths": [int(w) for w in a.widths.split("x")], "batch": a.batch, "lr": a.lr, "dropout": a.dropout,
           "batch_norm": a.batch_norm, "class_weight": a.class_weight, "patience": patience,
           "validation": a.validation, "epochs": a.epochs}
    spec = (f"mlp:widths={a.widths},epochs={a.epochs},batch={a.batch},lr={a.lr},dropout={a.dropout},"
            f"batch-norm={'true' if a.batch_norm else 'false'},class-weight={a.class_weight},"
            f"patience={patience if patience else 'none'},validation={a.validation}")
    compare(f"MLP {a.widths}", cfg, spec, "mlp", a.seeds, [int(t) for t in a.torch_threads.split(",")])


if __name__ == "__main__":
    main()
