"""Scale benchmark (issue 17, part 3): the CLI's steps on simulated NSL-KDD files of growing size.

For each size N the simulator (`ballast-bench simulate`) writes a training file and a test file
of N records each in NSL-KDD's format, then each step runs as a separate `ballast` process under
`/usr/bin/time`, which gives its wall time and peak RSS:

    inspect TRAIN --format nsl-kdd --json
    balance TRAIN --method smote -o balanced.csv          (every class up to the majority's count)
    train TRAIN --model gbdt -o model.bundle
    evaluate model.bundle TEST
    predict model.bundle TEST -o predictions.csv

Peak RSS is compared with the float32 feature matrix of the N records (N x 122 after one-hot
encoding, 4 bytes each); the target is peak <= 2.5 x that matrix. The load average before each step
is recorded (the machine is shared). Files are deleted after each size unless --keep.

Run after `swift build -c release --product ballast --product ballast-bench`:

    nice -n 10 /work/venv/bin/python Benchmarks/scale.py --rows 125000,1000000 --work /tmp/scale
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# BALLAST_BIN / BENCH_BIN: copies of the binaries, so that a rebuild during a long run changes nothing.
BALLAST = os.environ.get("BALLAST_BIN", os.path.join(ROOT, ".build", "release", "ballast"))
BENCH = os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release", "ballast-bench"))
# NSL-KDD's 41 features after one-hot encoding: 38 numeric + 3 protocols + 70 services + 11 flags.
ENCODED_WIDTH = 122
STEPS = ["inspect", "balance", "train", "evaluate", "predict"]


def timed(cmd, log):
    """Runs cmd under /usr/bin/time; returns (seconds, peak RSS bytes, exit status)."""
    stats = log + ".time"
    with open(log, "w") as out:
        status = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", stats] + cmd, stdout=out, stderr=subprocess.STDOUT).returncode
    with open(stats) as f:
        last = f.read().strip().splitlines()[-1].split()
    return float(last[0]), int(last[1]) * 1024, status


def step_command(step, work, train, test):
    return {
        "inspect": [BALLAST, "inspect", train, "--format", "nsl-kdd", "--json"],
        "balance": [BALLAST, "balance", train, "--format", "nsl-kdd", "--method", "smote", "--seed", "1",
                    "-o", os.path.join(work, "balanced.csv"), "--quiet"],
        "train": [BALLAST, "train", train, "--format", "nsl-kdd", "--model", "gbdt", "--seed", "1",
                  "-o", os.path.join(work, "model.bundle"), "--quiet"],
        "evaluate": [BALLAST, "evaluate", os.path.join(work, "model.bundle"), test],
        "predict": [BALLAST, "predict", os.path.join(work, "model.bundle"), test, "-o", os.path.join(work, "predictions.csv"),
                    "--quiet"],
    }[step]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="125000,1000000", help="comma-separated sizes (default 125000,1000000)")
    parser.add_argument("--work", default="/tmp/ballast-scale", help="directory for the generated files")
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps (default all)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    for binary in (BALLAST, BENCH):
        if not os.path.exists(binary):
            sys.exit(f"{binary} is missing; build it: swift build -c release --product ballast --product ballast-bench")
    steps = [s for s in args.steps.split(",") if s]
    results = []
    for rows in [int(r) for r in args.rows.split(",")]:
        work = os.path.join(args.work, str(rows))
        os.makedirs(work, exist_ok=True)
        train, test = os.path.join(work, "train.txt"), os.path.join(work, "test.txt")
        t0 = time.time()
        for path, seed in ((train, 1), (test, 1_000_003)):
            if not os.path.exists(path):
                subprocess.run([BENCH, "simulate", str(rows), str(seed), path], check=True, stdout=subprocess.DEVNULL)
        matrix = rows * ENCODED_WIDTH * 4
        print(f"{rows} rows: files {os.path.getsize(train) / 2**20:.0f} MiB each, written in {time.time() - t0:.0f} s; "
              f"float32 matrix {matrix / 2**20:.0f} MiB", flush=True)
        for step in steps:
            load = os.getloadavg()[0]
            log = os.path.join(work, step + ".log")
            seconds, peak, status = timed(step_command(step, work, train, test), log)
            entry = {"rows": rows, "step": step, "seconds": seconds, "peak_rss_bytes": peak, "status": status,
                     "matrix_bytes": matrix, "peak_over_matrix": peak / matrix, "load_before": load,
                     "file_bytes": os.path.getsize(train)}
            if step == "balance" and status == 0:
                with open(os.path.join(work, "balanced.csv")) as f:
                    entry["rows_out"] = sum(1 for _ in f) - 1
            results.append(entry)
            print(f"  {step:<9} {seconds:8.1f} s  peak {peak / 2**20:8.0f} MiB  = {peak / matrix:5.2f} x matrix"
                  f"  (load {load:.2f}){'' if status == 0 else f'  FAILED ({status}), see {log}'}", flush=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print()
    print("| rows | step | wall s | peak RSS MiB | peak / float32 matrix | load avg |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['rows']:,} | {r['step']} | {r['seconds']:.1f} | {r['peak_rss_bytes'] / 2**20:.0f} | "
              f"{r['peak_over_matrix']:.2f} | {r['load_before']:.2f} |")


if __name__ == "__main__":
    main()
