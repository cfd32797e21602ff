"""The CNN and CNN+LSTM detectors on NSL-KDD: the same network and training procedure in PyTorch
(CPU) and in Ballast (`cnn` / `cnn-lstm` from the Catalog), trained on KDDTrain+ and evaluated on
KDDTest+ (5 classes, the 122 prepared columns, the same files for both sides), for several seeds.

Network (PyTorch module BallastCNN in Benchmarks/torch_detectors.py, the README's loader): the row as
one channel of 122 positions, [Conv1d(k, same padding) BatchNorm1d ReLU MaxPool1d(2)] per filter count,
then for cnn-lstm an LSTM (optionally bidirectional) over the pooled positions whose last hidden state
feeds the head; head: Dropout [Linear ReLU Dropout]... Linear(., 5). Training as mlp.py.

Run `python Benchmarks/prepare_kdd.py` and `swift build -c release --product ballast-bench` first, then
`BALLAST_BLAS=off python Benchmarks/cnn.py [--lstm HIDDEN] [--bidirectional] [--seeds 3] [--epochs 10]
[--filters 32x64] [--kernel 3] [--dense 128] [--batch 128] [--lr 0.001] [--dropout 0.2]
[--class-weight none|balanced] [--patience 5] [--validation 0.1] [--torch-threads 1,2] [--rows N]`.
Prints, per seed and as means: fit seconds, epochs run, seconds per epoch, KDDTest+ prediction seconds,
accuracy and macro-F1 for each side; the accuracy and macro-F1 differences Ballast − PyTorch (target:
within 1 point) and the epoch-time ratio (target ≤ 1) against PyTorch with each thread count; finally
the weights Ballast trained with seed 0 loaded into BallastCNN, whose KDDTest+ probabilities must match
Ballast's (within 1e-4).
"""
import argparse

from torch_detectors import compare


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lstm", type=int, default=0, help="LSTM hidden width: the cnn-lstm detector (0: plain cnn)")
    ap.add_argument("--bidirectional", action="store_true")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--filters", default="32x64")
    ap.add_argument("--kernel", type=int, default=3)
    ap.add_argument("--pool", type=int, default=2)
    ap.add_argument("--dense", default="128")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--class-weight", choices=["none", "balanced"], default="none")
    ap.add_argument("--patience", type=int, default=5, help="0 disables early stopping")
    ap.add_argument("--validation", type=float, default=0.1)
    ap.add_argument("--torch-threads", default="1,2", help="PyTorch thread counts, comma-separated")
    ap.add_argument("--rows", type=int, default=0, help="train both sides on the first ROWS rows of KDDTrain+ (0: all)")
    a = ap.parse_args()
    patience = a.patience if a.patience > 0 else None
    dense = [] if a.dense == "none" else [int(w) for w in a.dense.split("x")]
    cfg = {"kind": "cnn", "filters": [int(f) for f in a.filters.split("x")], "kernel": a.kernel, "padding": "same",
           "pool": a.pool, "batch_norm": True, "hidden": a.lstm or None, "bidirectional": a.bidirectional, "dense": dense,
           "dropout": a.dropout, "batch": a.batch, "lr": a.lr, "class_weight": a.class_weight, "patience": patience,
           "validation": a.validation, "epochs": a.epochs}
    name = "cnn-lstm" if a.lstm else "cnn"
    spec = (f"{name}:filters={a.filters},kernel={a.kernel},pool={a.pool},dense={a.dense},dropout={a.dropout},"
            f"epochs={a.epochs},batch={a.batch},lr={a.lr},class-weight={a.class_weight},"
            f"patience={patience if patience else 'none'},validation={a.validation}")
    if a.lstm:
        spec += f",hidden={a.lstm},bidirectional={'true' if a.bidirectional else 'false'}"
    title = f"{name} {a.filters}" + (f" + {'Bi' if a.bidirectional else ''}LSTM {a.lstm}" if a.lstm else "")
    compare(title, cfg, spec, "cnn", a.seeds, [int(t) for t in a.torch_threads.split(",")], a.rows)


if __name__ == "__main__":
    main()
