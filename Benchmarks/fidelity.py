"""Synthetic-data validation: SDMetrics vs `ballast validate`, same CSV files, same run.

1. `ballast balance` raises R2L and U2R of KDDTrain+ to 67,343 rows with SMOTE and marks the
   synthetic rows; the rows are split into real.csv (the 125,973 real rows) and synth.csv (the
   133,639 synthetic rows). Both tools read these two files.
2. Agreement: SDMetrics' QualityReport and DiagnosticReport (0.32, metadata: numerical / categorical
   as Ballast types the columns) on the whole files and on each class (R2L, U2R), against Ballast's
   report.json: KSComplement and TVComplement per column, CorrelationSimilarity and
   ContingencySimilarity per pair, Column Shapes, Column Pair Trends and overall quality, Data
   Validity, Data Structure; the pair trends both with the report's thresholds (|r| > 0.5,
   Cramér's V > 0.3) and without (classes only). NewRowSynthesis on the first 2,000 synthetic rows
   of each class. Tolerance 1e-6. SDMetrics' random 50,000-row subsample of contingency pairs is
   switched off (`num_rows_subsample = None`): it is unseeded, so no second program can match it.
3. Speed: the full `ballast validate` (loading, every class and all rows, detection, copying,
   utility, report.json and report.html), and the same without detection and utility, vs SDMetrics'
   QualityReport + DiagnosticReport on the same files (their generate() calls alone, CSV loading not
   counted), best of --repeats, wall and CPU seconds (CPU time is less sensitive to other jobs on the
   machine); SDMetrics both as configured for the agreement check and with its defaults (random
   50,000-row subsample of contingency pairs).

Run:  bash Benchmarks/setup.sh  (or VENV=/work/venv)    swift build -c release --product ballast
      python Benchmarks/fidelity.py [--repeats 3]
Appends the measurements as a JSON line to Benchmarks/results/fidelity.jsonl.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
from sdmetrics.reports.single_table import DiagnosticReport, QualityReport  # noqa: E402
from sdmetrics.single_table import NewRowSynthesis  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BALLAST = os.path.join(ROOT, ".build", "release", "ballast")
KDD = os.path.join(os.path.dirname(ROOT), "shared", "datasets", "nsl-kdd", "KDDTrain+.txt")
RESULTS = os.path.join(ROOT, "Benchmarks", "results")
TOLERANCE = 1e-6
CATEGORICAL = {"protocol_type", "service", "flag"}


def run(args):
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out.stdout


def timed_run(args):
    """Runs a command; returns its wall and CPU (user + system) seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    run(args)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def sdmetrics_reports(real, synth, meta, thresholds=True, subsample=None):
    """QualityReport and DiagnosticReport; returns them with the wall and CPU seconds of both generate() calls."""
    quality = QualityReport()
    quality.num_rows_subsample = subsample
    if not thresholds:
        quality.real_correlation_threshold = 0
        quality.real_association_threshold = 0
    diagnostic = DiagnosticReport()
    t, c = time.perf_counter(), time.process_time()
    quality.generate(real, synth, meta, verbose=False)
    diagnostic.generate(real, synth, meta, verbose=False)
    return quality, diagnostic, time.perf_counter() - t, time.process_time() - c


class Comparison:
    def __init__(self):
        self.rows = []

    def add(self, group, name, sdm, ballast):
        sdm = None if sdm is None or (isinstance(sdm, float) and np.isnan(sdm)) else float(sdm)
        diff = None if sdm is None or ballast is None else abs(sdm - ballast)
        agree = (sdm is None and ballast is None) or (diff is not None and diff <= TOLERANCE)
        self.rows.append((group, name, sdm, ballast, diff, agree))

    def many(self, group, name, pairs):
        """pairs: list of (sdm, ballast); records the worst difference and how many disagree."""
        bad = [(s, b) for s, b in pairs if not ((s is None and b is None) or
               (s is not None and b is not None and abs(s - b) <= TOLERANCE))]
        worst = max((abs(s - b) for s, b in pairs if s is not None and b is not None), default=0.0)
        self.rows.append((group, f"{name} ({len(pairs)} values, {len(bad)} differ)", None, None, worst, not bad))


def nan_to_none(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def compare_group(cmp, label, quality, diagnostic, group, thresholds=True):
    props = quality.get_properties().set_index("Property")["Score"]
    shapes = quality.get_details("Column Shapes")
    ours = {c["column"]: c.get("score") for c in group["shapes"]["columns"]}
    cmp.many(label, "KSComplement/TVComplement per column",
             [(nan_to_none(r.Score), ours.get(r.Column)) for r in shapes.itertuples()])
    pairs = quality.get_details("Column Pair Trends")
    ours_pairs = {(p["column1"], p["column2"]): p for p in group["pairs"]["pairs"]}
    values, counted = [], []
    for r in pairs.itertuples():
        p = ours_pairs[(r[1], r[2])]
        sdm_score = nan_to_none(r.Score)
        meets = bool(r[8]) if not pd.isna(r[8]) else False
        if thresholds:
            counted.append((meets, p["meetsThreshold"]))
            if meets:
                values.append((sdm_score, p.get("score")))
        else:
            values.append((sdm_score, p.get("score")))
    cmp.many(label, "CorrelationSimilarity/ContingencySimilarity per pair" + ("" if thresholds else " (no thresholds)"), values)
    if thresholds:
        same = sum(a == b for a, b in counted)
        cmp.rows.append((label, f"pairs counted by the thresholds ({sum(a for a, _ in counted)} in SDMetrics, "
                         f"{sum(b for _, b in counted)} in Ballast)", None, None, float(len(counted) - same), same == len(counted)))
        cmp.add(label, "Column Shapes", props["Column Shapes"], group["shapes"].get("score"))
        cmp.add(label, "Column Pair Trends", props["Column Pair Trends"], group["pairs"].get("score"))
        shapes_score, pairs_score = group["shapes"].get("score"), group["pairs"].get("score")
        ours_quality = np.nanmean([x for x in (shapes_score, pairs_score) if x is not None])
        cmp.add(label, "quality score", quality.get_score(), float(ours_quality))
        dprops = diagnostic.get_properties().set_index("Property")["Score"]
        cmp.add(label, "Data Validity", dprops["Data Validity"], group["validity"].get("score"))
        cmp.add(label, "Data Structure", dprops["Data Structure"], group["validity"]["structure"])
        cmp.add(label, "diagnostic score", diagnostic.get_score(), group["validity"].get("diagnosticScore"))
    else:
        cmp.add(label, "Column Pair Trends (no thresholds)", quality.get_properties().set_index("Property")["Score"]
                ["Column Pair Trends"], group["pairs"].get("scoreAllPairs"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-whole", action="store_true", help="skip SDMetrics on the whole files (about 20 s)")
    args = parser.parse_args()
    if not os.path.exists(BALLAST):
        sys.exit(f"{BALLAST} is missing: swift build -c release --product ballast")
    if not os.path.exists(KDD):
        sys.exit(f"{KDD} is missing")
    work = tempfile.mkdtemp(prefix="ballast-fidelity-")
    balanced = os.path.join(work, "balanced.csv")
    run([BALLAST, "balance", KDD, "-o", balanced, "--method", "smote", "--strategy", "R2L=67343,U2R=67343", "--mark-synthetic"])
    frame = pd.read_csv(balanced)
    real_csv, synth_csv = os.path.join(work, "real.csv"), os.path.join(work, "synth.csv")
    frame[frame.is_synthetic == 0].drop(columns="is_synthetic").to_csv(real_csv, index=False)
    frame[frame.is_synthetic == 1].drop(columns="is_synthetic").to_csv(synth_csv, index=False)
    real_all, synth_all = pd.read_csv(real_csv), pd.read_csv(synth_csv)
    features = [c for c in real_all.columns if c != "label"]
    meta = {"columns": {c: {"sdtype": "categorical" if c in CATEGORICAL else "numerical"} for c in features}}
    print(f"real.csv {len(real_all)} rows, synth.csv {len(synth_all)} rows "
          f"({synth_all.label.value_counts().to_dict()}), {len(features)} feature columns")

    # Speed: the full Ballast validation, and the same without detection and utility, best of N.
    out_dir = os.path.join(work, "validate")
    full = [timed_run([BALLAST, "validate", real_csv, synth_csv, "--label", "label", "-o", out_dir])
            for _ in range(args.repeats)]
    scores = [timed_run([BALLAST, "validate", real_csv, synth_csv, "--label", "label", "-o", out_dir + "-scores",
                         "--detectors", "none", "--utility-model", "none"]) for _ in range(args.repeats)]
    report = json.load(open(os.path.join(out_dir, "report.json")))
    groups = {g["name"]: g for g in report["groups"]}
    cmp = Comparison()

    sdm = sdm_default = None
    if not args.skip_whole:
        runs = []
        for _ in range(args.repeats):
            q, d, wall, cpu = sdmetrics_reports(real_all[features], synth_all[features], meta)
            runs.append((wall, cpu))
        sdm = min(runs)
        compare_group(cmp, "all rows", q, d, groups["all rows"])
        sdm_default = sdmetrics_reports(real_all[features], synth_all[features], meta, subsample=50000)[2:]
    for cls in ["R2L", "U2R"]:
        r, s = real_all[real_all.label == cls][features], synth_all[synth_all.label == cls][features]
        q, d, _, _ = sdmetrics_reports(r, s, meta)
        compare_group(cmp, cls, q, d, groups[cls])
        q0, d0, _, _ = sdmetrics_reports(r, s, meta, thresholds=False)
        compare_group(cmp, cls, q0, d0, groups[cls], thresholds=False)

    # NewRowSynthesis on the first 2,000 synthetic rows of each class (SDMetrics queries row by row).
    for cls in ["R2L", "U2R"]:
        r = real_all[real_all.label == cls]
        s = synth_all[synth_all.label == cls].head(2000)
        rp, sp = os.path.join(work, f"real_{cls}.csv"), os.path.join(work, f"synth_{cls}.csv")
        r.to_csv(rp, index=False)
        s.to_csv(sp, index=False)
        small = os.path.join(work, f"nrs_{cls}")
        run([BALLAST, "validate", rp, sp, "--label", "label", "-o", small, "--detectors", "none", "--utility-model", "none"])
        ours = next(g for g in json.load(open(os.path.join(small, "report.json")))["groups"] if g["name"] == cls)
        nrs = NewRowSynthesis.compute(r[features], s[features], meta)
        cmp.add(cls, "NewRowSynthesis (first 2,000 synthetic rows)", nrs, ours["privacy"]["newRowSynthesis"])

    print(f"\n{'group':<9} {'measure':<78} {'SDMetrics':>12} {'Ballast':>12} {'|Δ|':>9}  agree")
    for group, name, s, b, diff, ok in cmp.rows:
        fmt = lambda x: "" if x is None else f"{x:.6f}"
        print(f"{group:<9} {name:<78} {fmt(s):>12} {fmt(b):>12} {'' if diff is None else f'{diff:.1e}':>9}  {'yes' if ok else 'NO'}")
    agree = all(r[5] for r in cmp.rows)
    best, best_scores = min(full), min(scores)
    print(f"\nagreement within {TOLERANCE:g}: {'all' if agree else 'NOT all'} of {len(cmp.rows)} checks")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other jobs slow both tools)")
    print(f"ballast validate, full (every class + all rows, detection gbdt+lr, copying, utility, report.json + HTML): "
          f"best {best[0]:.2f} s wall, {best[1]:.2f} s CPU")
    print(f"ballast validate --detectors none --utility-model none (scores, copying, charts): "
          f"best {best_scores[0]:.2f} s wall, {best_scores[1]:.2f} s CPU")
    if sdm is not None:
        print(f"SDMetrics QualityReport + DiagnosticReport, whole files, generate() only: best {sdm[0]:.2f} s wall, "
              f"{sdm[1]:.2f} s CPU; with its default 50,000-row subsample: {sdm_default[0]:.2f} s wall")
        print(f"speed-up of the full validation: {sdm[0] / best[0]:.1f}x wall ({sdm_default[0] / best[0]:.1f}x against the "
              f"subsampling default), {sdm[1] / best[1]:.1f}x CPU; without detection and utility: "
              f"{sdm[0] / best_scores[0]:.1f}x wall, {sdm[1] / best_scores[1]:.1f}x CPU (target >= 10x)")
        parts = sorted(report["partSeconds"].items(), key=lambda kv: -kv[1])
        print("ballast parts (wall s, overlapping: groups run side by side): " + ", ".join(f"{k} {v:.2f}" for k, v in parts))
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "fidelity.jsonl"), "a") as f:
        f.write(json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%S"), "agree": agree, "checks": len(cmp.rows),
                            "load": os.getloadavg()[0], "ballast_full": full, "ballast_scores_only": scores,
                            "sdmetrics": sdm, "sdmetrics_default": sdm_default,
                            "worst_difference": max((r[4] or 0) for r in cmp.rows)}) + "\n")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
