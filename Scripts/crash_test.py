"""Crash test of `ballast serve`: SIGKILL (kill -9) in the middle of model uploads, batch uploads and a
burst of API predictions, then a restart on the same data directory, checking that

  * nothing that was answered is lost: every account, API key, model and prediction the server had
    confirmed before the kill is there after the restart (a prediction is answered only once its
    audit row is committed);
  * nothing half-done remains: each upload in flight is either fully registered (file present, its
    SHA-256 matching the registry row) or absent (no row, no file), no stray file is left in the
    models directory, and SQLite's `PRAGMA integrity_check` says `ok`.

    python3 Scripts/crash_test.py [--binary .build/release/ballast] [--port 8198] [--rounds 6]

Uses only the Python standard library. Trains its own small bundles with `ballast train` on a
generated CSV. Exits 0 when every check held, 1 otherwise.
"""
import argparse
import hashlib
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
failures = []


def check(condition, message):
    print(("  ok    " if condition else "  FAIL  ") + message, flush=True)
    if not condition:
        failures.append(message)


def write_csv(path, rows, seed):
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write("duration,bytes,rate,proto,label\n")
        for i in range(rows):
            label = rng.choice(["benign"] * 6 + ["scan"] * 3 + ["exfil"])
            shift = {"benign": 0, "scan": 3, "exfil": 6}[label]
            f.write(f"{rng.expovariate(1) + shift:.4f},{int(rng.expovariate(0.001)) + 100 * shift},"
                    f"{rng.gauss(shift, 1):.4f},{rng.choice(['tcp', 'udp', 'icmp'])},{label}\n")


class Server:
    def __init__(self, binary, data, port, model):
        self.binary, self.data, self.port, self.model = binary, data, port, model
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen([self.binary, "serve", "--model", self.model, "--port", str(self.port),
                                         "--data-dir", self.data], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(600):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("the server exited: " + self.process.stderr.read().decode(errors="replace"))
                time.sleep(0.1)
        raise SystemExit("the server did not answer /healthz")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def get(self, path):
        page = self.opener.open(self.base + path, timeout=30).read().decode()
        tokens = re.findall(r'name="csrf" value="([0-9a-f]+)"', page)
        if tokens:
            self.csrf = tokens[-1]
        return page

    def post(self, path, fields):
        data = urllib.parse.urlencode(dict(fields, csrf=self.csrf)).encode()
        return self.opener.open(self.base + path, data, timeout=60).read().decode()

    def multipart(self, path, field, name, content, fields=None):
        boundary = "----ballastcrash" + hashlib.sha256(content).hexdigest()[:16]
        body, headers = multipart_body(boundary, dict(fields or {}, csrf=self.csrf), field, name, content)
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method="POST")
        return self.opener.open(request, timeout=120).read().decode()

    def cookie_header(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def multipart_body(boundary, fields, field, name, content):
    parts = []
    for k, v in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def raw_post(port, path, headers, body, send_fraction, then):
    """Sends `send_fraction` of a POST's body over a raw socket, runs `then()` (the kill), and closes."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n" + \
        "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    s.sendall(head.encode())
    s.sendall(body[: int(len(body) * send_fraction)])
    then()
    s.close()


def registry_state(data):
    db = sqlite3.connect(os.path.join(data, "ballast.sqlite"))
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        models = {row[0]: row[1] for row in db.execute("SELECT sha256, file FROM models")}
        predictions = db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0]
        batches = db.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
    finally:
        db.close()
    return integrity, models, predictions, batches


def check_registry(data, label, restarted):
    """After a kill: the database is sound and every registered model's file is there and intact. After
    the restart that follows, also: no file without a row (the start removes what a kill left)."""
    integrity, models, predictions, batches = registry_state(data)
    check(integrity == "ok", f"{label}: PRAGMA integrity_check = {integrity}")
    directory = os.path.join(data, "models")
    files = sorted(os.listdir(directory))
    intact = all(os.path.exists(os.path.join(directory, file)) and
                 hashlib.sha256(open(os.path.join(directory, file), "rb").read()).hexdigest() == sha for sha, file in models.items())
    check(intact, f"{label}: each of the {len(models)} registered models has its file, matching its checksum")
    if restarted:
        check(sorted(models.values()) == files, f"{label}: models/ holds only the {len(models)} registered files ({len(files)} present)")
    return models, predictions, batches


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "ballast"))
    parser.add_argument("--port", type=int, default=8198)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        raise SystemExit(f"{args.binary} does not exist; build it first (swift build -c release)")
    work = tempfile.mkdtemp(prefix="ballast-crash-")
    rng = random.Random(11)
    server = None
    try:
        csv = os.path.join(work, "flows.csv")
        write_csv(csv, 600, seed=3)
        bundles = []
        for i, model in enumerate(["dt", "rf:trees=5", "gbdt:rounds=5", "lr", "dt:depth=4", "rf:trees=3", "gbdt:rounds=3", "dt:depth=3"]):
            path = os.path.join(work, f"m{i}.bundle")
            subprocess.run([args.binary, "train", csv, "--label", "label", "--model", model, "-o", path, "--quiet"],
                           check=True, stdout=subprocess.DEVNULL)
            bundles.append(path)
        data = os.path.join(work, "data")
        server = Server(args.binary, data, args.port, bundles[0])
        record = {"duration": 0.5, "bytes": 1200, "rate": 0.1, "proto": "tcp"}

        print("1. confirmed work survives a kill -9 during a model upload's body", flush=True)
        server.start()
        admin = Browser(server.base)
        admin.get("/signup")
        admin.post("/signup", {"name": "admin", "password": "crash test password"})
        admin.get("/keys")
        key = re.search(r"bk_[0-9a-f]+\.[0-9a-f]+", admin.post("/keys", {"name": "k"})).group(0)
        auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        body = json.dumps({"records": [record]}).encode()
        for _ in range(5):
            urllib.request.urlopen(urllib.request.Request(server.base + "/api/v1/predict", data=body, headers=auth), timeout=10).read()
        admin.get("/batch")
        page = admin.multipart("/batch", "file", "few.csv", b"".join(open(csv, "rb").readlines()[:60]))
        check("batch" in page.lower(), "batch upload answered")
        admin.get("/admin/models")
        content = open(bundles[1], "rb").read()
        payload, headers = multipart_body("----crash1", {"csrf": admin.csrf}, "bundle", "m1.bundle", content)
        headers["Cookie"] = admin.cookie_header()
        raw_post(args.port, "/admin/models", headers, payload, 0.5, lambda: (time.sleep(0.3), server.kill()))
        models, predictions, batches = check_registry(data, "after the kill", restarted=False)
        check(predictions == 6 and batches == 1, f"5 API predictions + 1 batch committed before the kill are stored ({predictions}, {batches})")
        server.start()
        check_registry(data, "after the restart", restarted=True)
        again = Browser(server.base)
        again.get("/login")
        again.post("/login", {"name": "admin", "password": "crash test password"})
        history = again.get("/history")
        check(history.count("few.csv") >= 1, "after the restart: the account logs in and its history shows the batch")
        answer = json.loads(urllib.request.urlopen(urllib.request.Request(server.base + "/api/v1/predict", data=body, headers=auth),
                                                   timeout=10).read())
        check("predictions" in answer, "after the restart: the API key still works")
        check(len(models) == 1, f"the interrupted upload left no model ({len(models)} registered)")

        print(f"2. {args.rounds} kills at random moments after a whole model upload was sent", flush=True)
        for r in range(args.rounds):
            content = open(bundles[1 + r % (len(bundles) - 1)], "rb").read()
            sha = hashlib.sha256(content).hexdigest()
            admin = Browser(server.base)
            admin.get("/login")
            admin.post("/login", {"name": "admin", "password": "crash test password"})
            admin.get("/admin/models")
            payload, headers = multipart_body(f"----crash{r}", {"csrf": admin.csrf}, "bundle", f"r{r}.bundle", content)
            headers["Cookie"] = admin.cookie_header()
            delay = rng.uniform(0, 0.05)
            raw_post(args.port, "/admin/models", headers, payload, 1.0, lambda: (time.sleep(delay), server.kill()))
            models, _, _ = check_registry(data, f"round {r} (kill {delay * 1000:.0f} ms after the body)", restarted=False)
            print(f"        round {r}: the upload is {'registered' if sha in models else 'absent'}")
            server.start()
            check_registry(data, f"round {r}, restarted", restarted=True)

        print("3. a kill -9 during a burst of concurrent API predictions loses none that were answered", flush=True)
        _, _, before, _ = registry_state(data)
        answered = [0]
        stop = threading.Event()
        lock = threading.Lock()

        def client():
            while not stop.is_set():
                try:
                    urllib.request.urlopen(urllib.request.Request(server.base + "/api/v1/predict", data=body, headers=auth),
                                           timeout=5).read()
                    with lock:
                        answered[0] += 1
                except (OSError, urllib.error.URLError):
                    return
        threads = [threading.Thread(target=client) for _ in range(16)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        server.kill()
        stop.set()
        for t in threads:
            t.join()
        _, after, _ = check_registry(data, "after the burst", restarted=False)
        check(after - before >= answered[0],
              f"every answered prediction is in the audit trail ({answered[0]} answered, {after - before} stored)")
        server.start()
        check_registry(data, "after the burst, restarted", restarted=True)
        server.kill()
    finally:
        if server and server.process and server.process.poll() is None:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"crash test: {len(failures)} check(s) failed")
        sys.exit(1)
    print("crash test: every check held")


if __name__ == "__main__":
    main()
