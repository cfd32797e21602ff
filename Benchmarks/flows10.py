"""A seeded, simulated stand-in for a 10-class flow dataset with continuous features (UNSW-NB15's
shape: 39 numeric columns — durations, packet and byte counts, rates, loads, jitters, TCP sequence
bases, round-trip times, connection counters — and 3 symbolic ones, proto, service and state, which
one-hot encode to ~150 columns; 10 classes at UNSW-NB15's testing-set imbalance). Labelled
"simulated": it imitates the shape and the difficulty (many distinct float values per column, heavy
tails, classes that overlap and records that repeat across classes), not the real traffic.

Used by Benchmarks/trees_continuous.py (`write_split`: one simulated population split into a
training and a test file); also runnable alone:
    python Benchmarks/flows10.py [ROWS] [SEED] [OUT.csv]
"""
import os
import sys

import numpy as np
import pandas as pd

CLASSES = ["Normal", "Generic", "Exploits", "Fuzzers", "DoS", "Reconnaissance", "Analysis", "Backdoor",
           "Shellcode", "Worms"]
# UNSW-NB15 testing set: 37,000 / 18,871 / 11,132 / 6,062 / 4,089 / 3,496 / 677 / 583 / 378 / 44 of 82,332.
COUNTS = [37000, 18871, 11132, 6062, 4089, 3496, 677, 583, 378, 44]
PROTOS = ["tcp", "udp", "unas", "arp", "ospf", "sctp", "icmp", "igmp"] + [f"p{i}" for i in range(123)]
SERVICES = ["-", "http", "ftp", "ftp-data", "smtp", "pop3", "dns", "snmp", "ssl", "dhcp", "irc", "radius", "ssh"]
STATES = ["FIN", "INT", "CON", "REQ", "RST", "ACC", "CLO", "ECO", "PAR"]


def profile(c, rng):
    """Per-class location parameters (log scale) of the continuous columns, drawn once per seed."""
    base = {
        "dur": rng.normal(-1.0, 1.5), "spkts": rng.normal(2.0, 0.8), "dpkts": rng.normal(1.5, 1.0),
        "ssize": rng.normal(5.0, 0.8), "dsize": rng.normal(5.5, 1.2), "jit": rng.normal(3.0, 1.5),
        "rtt": rng.normal(-3.5, 0.8), "ttl": rng.choice([31, 62, 254, 29, 60, 252]),
    }
    if c == 0:  # Normal: longer, larger, mostly tcp services
        base.update(dur=0.0, spkts=3.0, dpkts=3.2, dsize=6.5)
    if c == 1:  # Generic: short udp dns bursts
        base.update(dur=-6.0, spkts=0.7, dpkts=0.0, ssize=4.0)
    return base


def generate(n=82_332, seed=0):
    """A DataFrame of about `n` simulated records (the class counts scaled from COUNTS), label column
    `attack_cat`."""
    rng = np.random.default_rng(seed)
    counts = np.maximum(1, np.round(np.array(COUNTS) * n / sum(COUNTS)).astype(int))
    labels = np.repeat(np.arange(10), counts)
    rng.shuffle(labels)
    n = len(labels)
    profiles = [profile(c, rng) for c in range(10)]
    p = {k: np.array([profiles[c][k] for c in labels], dtype=float) for k in profiles[0]}

    # Symbolic columns: class-dependent mixtures over overlapping vocabularies.
    proto_weights = np.ones((10, len(PROTOS))) * 0.02
    proto_weights[:, 0] += 6; proto_weights[:, 1] += 3
    proto_weights[0, 0] += 30; proto_weights[1, 1] += 40
    proto_weights[2:, 8:] += rng.gamma(0.3, 1.0, size=(8, len(PROTOS) - 8))
    service_weights = rng.gamma(0.6, 1.0, size=(10, len(SERVICES))) + 0.05
    service_weights[1, 6] += 20; service_weights[0, 1:6] += 2
    state_weights = rng.gamma(0.8, 1.0, size=(10, len(STATES))) + 0.05
    state_weights[0, 0] += 8; state_weights[1, 1] += 10

    def pick(weights, vocab):
        w = weights[labels] / weights[labels].sum(axis=1, keepdims=True)
        u = rng.random(n)[:, None]
        return np.array(vocab)[(w.cumsum(axis=1) < u).sum(axis=1).clip(0, len(vocab) - 1)]

    proto, service, state = pick(proto_weights, PROTOS), pick(service_weights, SERVICES), pick(state_weights, STATES)

    dur = np.where(rng.random(n) < 0.15, 0.0, np.exp(rng.normal(p["dur"], 1.6)))
    spkts = 1 + rng.poisson(np.exp(rng.normal(p["spkts"], 0.9)))
    dpkts = rng.poisson(np.exp(rng.normal(p["dpkts"], 1.0)))
    sbytes = np.round(spkts * np.exp(rng.normal(p["ssize"], 0.6)))
    dbytes = np.round(dpkts * np.exp(rng.normal(p["dsize"], 0.7)))
    safe = np.where(dur > 0, dur, 1e-6)
    rate = np.where(dur > 0, (spkts + dpkts - 1) / safe, 0.0)
    sload = np.where(dur > 0, sbytes * 8 / safe, 0.0)
    dload = np.where(dur > 0, dbytes * 8 / safe, 0.0)
    sttl = np.where(rng.random(n) < 0.85, p["ttl"], rng.choice([0, 31, 62, 254], n))
    dttl = np.where(dpkts > 0, np.where(rng.random(n) < 0.8, 252, 29), 0)
    sloss = rng.binomial(spkts, 0.01)
    dloss = rng.binomial(dpkts, 0.01)
    sinpkt = np.where(spkts > 1, dur * 1000 / np.maximum(spkts - 1, 1) * np.exp(rng.normal(0, 0.3, n)), 0.0)
    dinpkt = np.where(dpkts > 1, dur * 1000 / np.maximum(dpkts - 1, 1) * np.exp(rng.normal(0, 0.3, n)), 0.0)
    sjit = np.where(spkts > 2, np.exp(rng.normal(p["jit"], 2.0)), 0.0)
    djit = np.where(dpkts > 2, np.exp(rng.normal(p["jit"] - 0.5, 2.0)), 0.0)
    tcp = proto == "tcp"
    swin = np.where(tcp, 255, 0)
    dwin = np.where(tcp & (dpkts > 0), 255, 0)
    stcpb = np.where(tcp, rng.integers(1, 2**32 - 1, n), 0).astype(float)
    dtcpb = np.where(tcp & (dpkts > 0), rng.integers(1, 2**32 - 1, n), 0).astype(float)
    synack = np.where(tcp, np.exp(rng.normal(p["rtt"], 0.9)), 0.0)
    ackdat = np.where(tcp, np.exp(rng.normal(p["rtt"] + 0.3, 0.9)), 0.0)
    tcprtt = synack + ackdat
    smean = np.round(sbytes / spkts)
    dmean = np.where(dpkts > 0, np.round(dbytes / np.maximum(dpkts, 1)), 0)
    http = service == "http"
    trans_depth = np.where(http, rng.poisson(1.2, n), 0)
    response_body_len = np.where(http & (rng.random(n) < 0.6), np.round(np.exp(rng.normal(8, 2.5, n))), 0)
    level = np.where(labels == 1, 25.0, np.where(labels == 0, 3.0, 8.0))
    ct = {name: 1 + rng.poisson(level * np.exp(rng.normal(0, 0.6, n))) for name in
          ["ct_srv_src", "ct_dst_ltm", "ct_src_dport_ltm", "ct_dst_sport_ltm", "ct_dst_src_ltm", "ct_src_ltm", "ct_srv_dst"]}
    ct_state_ttl = rng.integers(0, 7, n)
    ftp = service == "ftp"
    is_ftp_login = np.where(ftp & (rng.random(n) < 0.5), 1, 0)
    ct_ftp_cmd = np.where(ftp, rng.poisson(0.8, n), 0)
    ct_flw_http_mthd = np.where(http, rng.poisson(1.0, n), 0)
    is_sm_ips_ports = (rng.random(n) < 0.01).astype(int)

    frame = pd.DataFrame({
        "dur": dur, "proto": proto, "service": service, "state": state, "spkts": spkts, "dpkts": dpkts,
        "sbytes": sbytes, "dbytes": dbytes, "rate": rate, "sttl": sttl, "dttl": dttl, "sload": sload,
        "dload": dload, "sloss": sloss, "dloss": dloss, "sinpkt": sinpkt, "dinpkt": dinpkt, "sjit": sjit,
        "djit": djit, "swin": swin, "stcpb": stcpb, "dtcpb": dtcpb, "dwin": dwin, "tcprtt": tcprtt,
        "synack": synack, "ackdat": ackdat, "smean": smean, "dmean": dmean, "trans_depth": trans_depth,
        "response_body_len": response_body_len, **ct, "ct_state_ttl": ct_state_ttl,
        "is_ftp_login": is_ftp_login, "ct_ftp_cmd": ct_ftp_cmd, "ct_flw_http_mthd": ct_flw_http_mthd,
        "is_sm_ips_ports": is_sm_ips_ports,
    })
    # Records that repeat across classes, as in the real data (identical udp probes labelled DoS,
    # Exploits, Analysis, Backdoor...): a third of the rarer attack classes' rows copy one of 300
    # shared templates except for their label, so no model can fit every training row.
    shared = np.flatnonzero((labels >= 2) & (rng.random(n) < 0.33))
    templates = rng.choice(shared, size=min(300, len(shared)), replace=False)
    frame.iloc[shared, :] = frame.iloc[rng.choice(templates, size=len(shared))].to_numpy()
    frame["attack_cat"] = np.array(CLASSES)[labels]
    return frame


def write_split(train_rows, test_rows, seed, train_path, test_path):
    """Writes `train_rows` + `test_rows` records of one simulated population (one seed: the same class
    profiles and shared templates) as two CSV files; the labels are shuffled, so the first rows are a
    random split. Each file is written to a temporary name and renamed."""
    frame = generate(train_rows + test_rows, seed)
    for part, path in [(frame.iloc[:train_rows], train_path), (frame.iloc[train_rows:], test_path)]:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        part.to_csv(path + ".tmp", index=False, float_format="%.17g")
        os.replace(path + ".tmp", path)


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 82_332
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    out = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                                             f"flows10_{rows}_{seed}.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    frame = generate(rows, seed)
    frame.to_csv(out + ".tmp", index=False, float_format="%.17g")
    os.replace(out + ".tmp", out)
    print(f"wrote {len(frame)} simulated records x {frame.shape[1] - 1} features to {out}")


if __name__ == "__main__":
    main()
