"""Scale benchmark (issue 17, part 3): the CLI's steps on simulated files of growing size.

Two kinds of file:
- NSL-KDD format (`--rows`): the simulator (`ballast-bench simulate`) writes a training file and a
  test file of N records each (41 features, 122 columns after one-hot encoding).
- A UNSW-NB15-like wide CSV (`--wide-rows`): Benchmarks/flows10.py's 10-class continuous flows with
  UNSW-NB15's 45 CSV columns (id, 42 features, attack_cat, label), written in blocks of 250,000
  rows with a header; Ballast reads it with `--label attack_cat --drop label`.

Each step runs as a separate `ballast` process under `/usr/bin/time`, which gives its wall time,
CPU time and peak RSS:

    parse         ballast-bench csv TRAIN 1 FORMAT     (the parser alone: MB/s of the file)
    inspect       inspect TRAIN --json
    balance       balance TRAIN --method smote -o balanced.csv    (every class up to the majority's count)
    balance-knn   the same with smote:knn-partition=P (bounded neighbour search, --partition)
    train         train TRAIN --model gbdt -o model.bundle
    evaluate      evaluate model.bundle TEST
    predict       predict model.bundle TEST -o predictions.csv

Peak RSS is compared with the float32 feature matrix of the N input records (N x encoded width,
4 bytes each); the target is peak <= 2.5 x that matrix. For balance, whose output has more rows
than its input, the peak is also given against the output's float32 matrix. The load average
before each step is recorded (the machine is shared). Files are deleted after each size unless --keep.

Run after `swift build -c release --product ballast --product ballast-bench`:

    nice -n 10 /work/venv/bin/python Benchmarks/scale.py --rows 125000,1000000 --work /tmp/scale
    nice -n 10 /work/venv/bin/python Benchmarks/scale.py --rows 5000000 --steps parse,inspect,balance-knn,train,evaluate,predict
    nice -n 10 /work/venv/bin/python Benchmarks/scale.py --rows 0 --wide-rows 2500000 --steps parse,inspect,train,evaluate,predict
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
STEPS = ["parse", "inspect", "balance", "balance-knn", "train", "evaluate", "predict"]
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))


def timed(cmd, log):
    """Runs cmd under /usr/bin/time; returns (seconds, CPU seconds, peak RSS bytes, exit status)."""
    stats = log + ".time"
    with open(log, "w") as out:
        status = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats] + cmd, stdout=out,
                                stderr=subprocess.STDOUT).returncode
    with open(stats) as f:
        last = f.read().strip().splitlines()[-1].split()
    return float(last[0]), float(last[1]) + float(last[2]), int(last[3]) * 1024, status


def step_command(step, work, train, test, wide, partition):
    data = ["--label", "attack_cat", "--drop", "label"] if wide else ["--format", "nsl-kdd"]
    smote = "smote" if step == "balance" else f"smote:knn-partition={partition}"
    return {
        "parse": [BENCH, "csv", train, "1", "csv-header" if wide else "nsl-kdd"],
        "inspect": [BALLAST, "inspect", train] + data + ["--json"],
        "balance": [BALLAST, "balance", train] + data + ["--method", smote, "--seed", "1",
                    "-o", os.path.join(work, "balanced.csv"), "--quiet"],
        "train": [BALLAST, "train", train] + data + ["--model", "gbdt", "--seed", "1",
                  "-o", os.path.join(work, "model.bundle"), "--quiet"],
        "evaluate": [BALLAST, "evaluate", os.path.join(work, "model.bundle"), test, "--quiet"],
        "predict": [BALLAST, "predict", os.path.join(work, "model.bundle"), test, "-o", os.path.join(work, "predictions.csv"),
                    "--quiet"],
    }["balance" if step == "balance-knn" else step]


def write_wide(path, rows, seed):
    """Writes `rows` UNSW-NB15-like records (45 columns with a header) in blocks of 250,000; returns
    the one-hot encoded width of the features (numeric columns + categories seen)."""
    import flows10
    block, written, categories = 250_000, 0, {"proto": set(), "service": set(), "state": set()}
    numeric = 0
    with open(path + ".partial", "w") as out:
        b = 0
        while written < rows:
            n = min(block, rows - written)
            frame = flows10.generate(n, seed * 1000 + b)[:n]
            frame.insert(0, "id", range(written + 1, written + 1 + len(frame)))
            frame["label"] = (frame["attack_cat"] != "Normal").astype(int)
            for column in categories:
                categories[column].update(frame[column].unique())
            numeric = frame.shape[1] - 3 - 3  # id, attack_cat, label; proto, service, state
            frame.to_csv(out, index=False, header=b == 0, float_format="%.9g")
            written += len(frame)
            b += 1
    os.replace(path + ".partial", path)
    return numeric + sum(len(v) for v in categories.values())


def args_width(work):
    with open(os.path.join(work, "width")) as f:
        return int(f.read())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="125000,1000000", help="comma-separated NSL-KDD sizes (default 125000,1000000; 0: none)")
    parser.add_argument("--wide-rows", default="", help="comma-separated sizes of the UNSW-NB15-like wide CSV (default none)")
    parser.add_argument("--work", default="/tmp/ballast-scale", help="directory for the generated files")
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps (default all)")
    parser.add_argument("--partition", type=int, default=4096, help="knn-partition of the balance-knn step (default 4096)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()
    for binary in (BALLAST, BENCH):
        if not os.path.exists(binary):
            sys.exit(f"{binary} is missing; build it: swift build -c release --product ballast --product ballast-bench")
    steps = [s for s in args.steps.split(",") if s]
    results = []
    sizes = [(int(r), False) for r in args.rows.split(",") if r and int(r) > 0]
    sizes += [(int(r), True) for r in args.wide_rows.split(",") if r and int(r) > 0]
    for rows, wide in sizes:
        work = os.path.join(args.work, ("wide-" if wide else "") + str(rows))
        os.makedirs(work, exist_ok=True)
        train, test = os.path.join(work, "train.csv" if wide else "train.txt"), os.path.join(work, "test.csv" if wide else "test.txt")
        t0 = time.time()
        width = ENCODED_WIDTH
        for path, seed in ((train, 1), (test, 1_000_003)):
            if wide:
                if not os.path.exists(path):
                    encoded = write_wide(path, rows, seed)
                    if path == train:
                        with open(os.path.join(work, "width"), "w") as f:
                            f.write(str(encoded))
            elif not os.path.exists(path):
                subprocess.run([BENCH, "simulate", str(rows), str(seed), path], check=True, stdout=subprocess.DEVNULL)
        if wide:
            width = args_width(work)
        matrix = rows * width * 4
        kind = "wide CSV" if wide else "NSL-KDD"
        print(f"{rows} rows ({kind}): files {os.path.getsize(train) / 2**20:.0f} MiB each, written in {time.time() - t0:.0f} s; "
              f"float32 matrix {rows} x {width} = {matrix / 2**20:.0f} MiB", flush=True)
        for step in steps:
            if step.startswith("balance") and os.path.exists(os.path.join(work, "balanced.csv")):
                os.remove(os.path.join(work, "balanced.csv"))
            load = os.getloadavg()[0]
            log = os.path.join(work, step + ".log")
            seconds, cpu, peak, status = timed(step_command(step, work, train, test, wide, args.partition), log)
            entry = {"rows": rows, "wide": wide, "width": width, "step": step, "seconds": seconds, "cpu_seconds": cpu,
                     "peak_rss_bytes": peak, "status": status, "matrix_bytes": matrix, "peak_over_matrix": peak / matrix,
                     "load_before": load, "file_bytes": os.path.getsize(train)}
            extra = ""
            if step == "parse" and status == 0:
                entry["mb_per_s"] = os.path.getsize(train) / 1e6 / seconds
                entry["mb_per_cpu_s"] = os.path.getsize(train) / 1e6 / cpu
                extra = f"  {entry['mb_per_s']:.0f} MB/s wall, {entry['mb_per_cpu_s']:.0f} MB per CPU-s"
            if step.startswith("balance") and status == 0:
                with open(os.path.join(work, "balanced.csv")) as f:
                    entry["rows_out"] = sum(1 for _ in f) - 1
                entry["peak_over_output_matrix"] = peak / (entry["rows_out"] * width * 4)
                extra = f"  output {entry['rows_out']} rows: {entry['peak_over_output_matrix']:.2f} x its matrix"
            results.append(entry)
            print(f"  {step:<11} {seconds:8.1f} s  cpu {cpu:8.1f} s  peak {peak / 2**20:8.0f} MiB  = {peak / matrix:5.2f} x matrix"
                  f"{extra}  (load {load:.2f}){'' if status == 0 else f'  FAILED ({status}), see {log}'}", flush=True)
            if args.json:
                with open(args.json, "w") as f:
                    json.dump(results, f, indent=1)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print()
    print("| file | rows | step | wall s | CPU s | peak RSS MiB | peak / float32 matrix | note | load avg |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for r in results:
        note = ""
        if "mb_per_s" in r:
            note = f"{r['mb_per_s']:.0f} MB/s ({r['mb_per_cpu_s']:.0f} per CPU-s)"
        if "rows_out" in r:
            note = f"{r['rows_out']:,} rows out; {r['peak_over_output_matrix']:.2f} x output matrix"
        print(f"| {'wide' if r['wide'] else 'NSL-KDD'} | {r['rows']:,} | {r['step']} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
              f"{r['peak_rss_bytes'] / 2**20:.0f} | {r['peak_over_matrix']:.2f} | {note} | {r['load_before']:.2f} |")


if __name__ == "__main__":
    main()
