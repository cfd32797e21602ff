"""Writes KDDTrain+ preprocessed to 122 float32 columns for the kNN and k-means benchmarks.

Both the Python anchor and Ballast read this same file, so the benchmarks measure the algorithms,
not the loaders: one-hot of protocol_type/service/flag (3 + 70 + 11 columns) and min-max scaling of
the 38 numeric columns, as the literature does.

Output (gitignored): Benchmarks/results/kdd_train_122.f32 (row-major little-endian float32) and
Benchmarks/results/kdd_train_labels.txt (0 Normal, 1 DoS, 2 Probe, 3 R2L, 4 U2R, one per line).
Run: python Benchmarks/prepare_kdd.py [PATH_TO_KDDTrain+.txt]
"""
import os
import sys

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT = os.path.join(os.path.dirname(ROOT), "shared", "datasets", "nsl-kdd", "KDDTrain+.txt")
OUT = os.path.join(ROOT, "Benchmarks", "results")

CATEGORY = {"normal": 0}
for name in "apache2 back land mailbomb neptune pod processtable smurf teardrop udpstorm worm".split():
    CATEGORY[name] = 1
for name in "ipsweep mscan nmap portsweep saint satan".split():
    CATEGORY[name] = 2
for name in ("ftp_write guess_passwd imap multihop named phf sendmail snmpgetattack snmpguess spy "
             "warezclient warezmaster xlock xsnoop").split():
    CATEGORY[name] = 3
for name in "buffer_overflow httptunnel loadmodule perl ps rootkit sqlattack xterm".split():
    CATEGORY[name] = 4


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    df = pd.read_csv(path, header=None)
    labels = df[41].map(CATEGORY).to_numpy()
    features = df.drop(columns=[41, 42])
    symbolic = [1, 2, 3]
    numeric = features.drop(columns=symbolic).astype(np.float64)
    span = (numeric.max() - numeric.min()).replace(0, 1)
    numeric = (numeric - numeric.min()) / span
    onehot = pd.get_dummies(features[symbolic].astype(str)).astype(np.float64)
    matrix = np.hstack([numeric.to_numpy(), onehot.to_numpy()]).astype("<f4")
    os.makedirs(OUT, exist_ok=True)
    matrix.tofile(os.path.join(OUT, "kdd_train_122.f32"))
    np.savetxt(os.path.join(OUT, "kdd_train_labels.txt"), labels, fmt="%d")
    print(f"wrote {matrix.shape[0]} x {matrix.shape[1]} to {OUT}")


if __name__ == "__main__":
    main()
