"""Writes KDDTrain+ (and KDDTest+) preprocessed to 122 float32 columns for the kNN, k-means and
classifier benchmarks.

Both the Python anchor and Ballast read this same file, so the benchmarks measure the algorithms,
not the loaders: one-hot of protocol_type/service/flag (3 + 70 + 11 columns) and min-max scaling of
the 38 numeric columns, as the literature does.

Output (gitignored): Benchmarks/results/kdd_train_122.f32 (row-major little-endian float32) and
Benchmarks/results/kdd_train_labels.txt (0 Normal, 1 DoS, 2 Probe, 3 R2L, 4 U2R, one per line);
when KDDTest+.txt sits beside the training file, also kdd_test_122.f32 and kdd_test_labels.txt,
transformed with the training set's min/max and categories (unseen categories → all-zero one-hot).
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
    low = numeric.min()
    span = (numeric.max() - low).replace(0, 1)
    numeric = (numeric - low) / span
    onehot = pd.get_dummies(features[symbolic].astype(str)).astype(np.float64)
    matrix = np.hstack([numeric.to_numpy(), onehot.to_numpy()]).astype("<f4")
    os.makedirs(OUT, exist_ok=True)
    matrix.tofile(os.path.join(OUT, "kdd_train_122.f32"))
    np.savetxt(os.path.join(OUT, "kdd_train_labels.txt"), labels, fmt="%d")
    print(f"wrote {matrix.shape[0]} x {matrix.shape[1]} to {OUT}")

    test_path = os.path.join(os.path.dirname(path), "KDDTest+.txt")
    if not os.path.exists(test_path):
        return
    test = pd.read_csv(test_path, header=None)
    unknown = sorted(set(test[41]) - set(CATEGORY))
    if unknown:
        sys.exit(f"KDDTest+ has attack names without a category: {unknown}")
    test_labels = test[41].map(CATEGORY).to_numpy()
    tf = test.drop(columns=[41, 42])
    test_numeric = (tf.drop(columns=symbolic).astype(np.float64) - low) / span
    test_onehot = pd.get_dummies(tf[symbolic].astype(str)).astype(np.float64).reindex(columns=onehot.columns, fill_value=0.0)
    test_matrix = np.hstack([test_numeric.to_numpy(), test_onehot.to_numpy()]).astype("<f4")
    test_matrix.tofile(os.path.join(OUT, "kdd_test_122.f32"))
    np.savetxt(os.path.join(OUT, "kdd_test_labels.txt"), test_labels, fmt="%d")
    print(f"wrote {test_matrix.shape[0]} x {test_matrix.shape[1]} test rows to {OUT}")


if __name__ == "__main__":
    main()
