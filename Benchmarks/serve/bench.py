#!/usr/bin/env python3
"""Load benchmark of `ballast serve` against the anchor (Flask + gunicorn, 2 workers, XGBoost of the
same size), loopback only, bounded runs, same machine, same run.

    python Benchmarks/serve/bench.py [--duration 15] [--connections 64]

Needs: .build/release/ballast, ../shared/datasets/nsl-kdd, wrk (apt-get install wrk), and Flask,
gunicorn, xgboost, scikit-learn, pandas in the Python running this script. It trains both models on
KDDTrain+ (Ballast: gbdt rounds=200 depth=6 eta=0.3; anchor: XGBClassifier(200, depth 6, eta 0.3)),
starts both servers, then measures:
  1. POST /api/v1/predict with one KDDTest+ record (JSON, raw features): wrk at N connections,
     requests/s and p50/p99 latency;
  2. POST /api/v1/predict/batch with all of KDDTest+ (22,544 rows) as the body: wall time (best of 3);
  3. peak resident memory of each server (VmHWM; gunicorn: master + workers).
Prints a Markdown table and writes Benchmarks/results/serve.json.
"""
import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KDD = os.path.join(ROOT, "..", "shared", "datasets", "nsl-kdd")
BALLAST = os.path.join(ROOT, ".build", "release", "ballast")
sys.path.insert(0, HERE)
from flask_app import COLUMNS  # noqa: E402


def wait_for(url, proc, seconds=300):
    for _ in range(seconds * 4):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {proc.args}")
            time.sleep(0.25)
    raise SystemExit(f"{url} did not answer")


def ballast_key(base):
    """Signs up through the web form (CSRF token and cookie) and creates an API key."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/signup").read().decode()
    token = re.findall(r'name="csrf" value="([0-9a-f]+)"', page)[-1]
    opener.open(base + "/signup", urllib.parse.urlencode({"csrf": token, "name": "bench", "password": "bench password"}).encode())
    page = opener.open(base + "/keys").read().decode()
    token = re.findall(r'name="csrf" value="([0-9a-f]+)"', page)[-1]
    page = opener.open(base + "/keys", urllib.parse.urlencode({"csrf": token, "name": "bench"}).encode()).read().decode()
    return re.search(r"bk_[0-9a-f]+\.[0-9a-f]+", page).group(0)


def peak_kib(pid):
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                total += int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
        except OSError:
            pass
    return total


def wrk(url, body, headers, duration, connections):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\nwrk.body = ' + json.dumps(body) + "\n")
    for k, v in headers.items():
        script.write(f'wrk.headers["{k}"] = "{v}"\n')
    script.write('done = function(summary, latency, requests)\n'
                 '  io.write(string.format("RESULT %d %d %d %f %f %f\\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.duration, latency:percentile(50), latency:percentile(99), latency.max))\n'
                 'end\n')
    script.close()
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", script.name, url],
                         capture_output=True, text=True).stdout
    os.unlink(script.name)
    fields = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    requests, errors, micros, p50, p99, pmax = fields.groups()
    return {"rps": int(requests) / (int(micros) / 1e6), "errors": int(errors), "p50_ms": float(p50) / 1000, "p99_ms": float(p99) / 1000}


def batch_seconds(url, path, headers):
    data = open(path, "rb").read()
    best = None
    for _ in range(3):
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.loads(response.read())
        elapsed = time.perf_counter() - start
        assert body["rows"] == 22544, body.get("rows")
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    for need in (BALLAST, os.path.join(KDD, "KDDTrain+.txt")):
        if not os.path.exists(need):
            raise SystemExit(f"missing {need}")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    work = tempfile.mkdtemp(prefix="ballast-serve-bench-")
    train, test = os.path.join(KDD, "KDDTrain+.txt"), os.path.join(KDD, "KDDTest+.txt")
    bundle, joblib_path = os.path.join(work, "gbdt.bundle"), os.path.join(work, "xgb.joblib")
    print("training both models on KDDTrain+ …", flush=True)
    subprocess.run([BALLAST, "train", train, "--format", "nsl-kdd", "--model", "gbdt:rounds=200,depth=6,eta=0.3", "-o", bundle],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, os.path.join(HERE, "flask_app.py"), "train", train, joblib_path], check=True)

    with open(test) as f:
        first = f.readline().strip().split(",")
    record = {name: (value if name in ("protocol_type", "service", "flag") else float(value)) for name, value in zip(COLUMNS, first)}
    body = json.dumps({"records": [record]})

    ballast = subprocess.Popen([BALLAST, "serve", "--model", bundle, "--port", "8311", "--data-dir", os.path.join(work, "data")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, BALLAST_FLASK_MODEL=joblib_path, OMP_NUM_THREADS="1")
    gunicorn = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-w", "2", "-b", "127.0.0.1:8312",
                                 "--chdir", HERE, "flask_app:app"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = {}
    try:
        wait_for("http://127.0.0.1:8311/healthz", ballast)
        wait_for_flask = lambda: urllib.request.urlopen(urllib.request.Request(
            "http://127.0.0.1:8312/api/v1/predict", data=body.encode(), headers={"Content-Type": "application/json"}), timeout=2).read()
        for _ in range(240):
            try:
                wait_for_flask()
                break
            except OSError:
                time.sleep(0.5)
        key = ballast_key("http://127.0.0.1:8311")
        sides = {
            "ballast serve": ("http://127.0.0.1:8311", {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}, ballast.pid),
            "Flask + gunicorn (2 workers) + XGBoost": ("http://127.0.0.1:8312", {"Content-Type": "application/json"}, gunicorn.pid),
        }
        for name, (base, headers, pid) in sides.items():
            print(f"measuring {name} …", flush=True)
            single = wrk(base + "/api/v1/predict", body, headers, args.duration, args.connections)
            batch_headers = {k: v for k, v in headers.items() if k != "Content-Type"} | {"Content-Type": "text/csv"}
            batch = batch_seconds(base + "/api/v1/predict/batch", test, batch_headers)
            results[name] = {**single, "batch_s": batch, "peak_mib": peak_kib(pid) / 1024}
    finally:
        for p in (ballast, gunicorn):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n| server | req/s (1 record, {args.connections} conn.) | p50 ms | p99 ms | errors | KDDTest+ batch s | peak MiB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        print(f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} | {r['batch_s']:.2f} | {r['peak_mib']:.0f} |")
    names = list(results)
    print(f"\nratio req/s: {results[names[0]]['rps'] / results[names[1]]['rps']:.1f}x")
    os.makedirs(os.path.join(ROOT, "Benchmarks", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "Benchmarks", "results", "serve.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
