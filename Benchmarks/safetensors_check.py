"""Cross-checks Ballast's safetensors reader and writer against the format, from Python.

The format is small enough to write out here with `struct`, `json` and `numpy` (8-byte little-endian
header length, compact JSON header padded with spaces to 8 bytes, raw little-endian data), following
the reference implementation (huggingface/safetensors). When the `safetensors` package is installed it
is used as well; when `torch` is installed, the Ballast file is loaded into torch tensors.

1. Python writes a file with F32, F64, F16 and BF16 tensors (a scalar, an empty tensor, a 3-D one,
   special values) and metadata; `ballast-bench safetensors` reads it and must report the same
   values (converted to float32) and metadata.
2. Ballast writes the tensors back as F32; Python parses and validates that file and must find the
   same float32 values, the metadata plus `written_by=ballast`, and byte-for-byte the layout the
   reference writer produces (compact JSON, `__metadata__` first, names sorted, header padded).

Run: `python Benchmarks/safetensors_check.py` after `swift build -c release --product ballast-bench`.
Prints one line per check and exits non-zero on a mismatch.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# BALLAST_BENCH overrides the binary (e.g. a copy, so that a rebuild can run meanwhile).
BENCH = os.environ.get("BALLAST_BENCH", os.path.join(ROOT, ".build", "release", "ballast-bench"))


def bf16_bytes(a):
    """bfloat16 bytes of float32 values (round to nearest even on the upper half)."""
    bits = np.ascontiguousarray(a, dtype="<f4").view("<u4").astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("<u2")
    return rounded.tobytes()


def bf16_values(raw):
    return (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view("<f4")


def write(tensors, metadata):
    """The reference writer: tensors is name -> (dtype, shape, raw bytes)."""
    names = sorted(tensors, key=lambda n: n.encode())
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = metadata
    for name in names:
        dtype, shape, raw = tensors[name]
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(tensors[n][2] for n in names)


def read(data):
    """A validating reader returning (name -> float32 array, metadata, header bytes)."""
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    sizes = {"F32": 4, "F64": 8, "F16": 2, "BF16": 2}
    kinds = {"F32": "<f4", "F64": "<f8", "F16": "<f2"}
    out, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        b, e = info["data_offsets"]
        assert b == end, f"{name}: offsets not contiguous"
        count = int(np.prod(info["shape"], dtype=np.int64))
        assert e - b == count * sizes[info["dtype"]], f"{name}: size mismatch"
        raw = body[b:e]
        values = bf16_values(raw) if info["dtype"] == "BF16" else np.frombuffer(raw, dtype=kinds[info["dtype"]])
        out[name] = values.astype(np.float32).reshape(info["shape"])
        end = e
    assert end == len(body), "trailing bytes"
    return out, metadata, data[:8 + n]


def main():
    if not os.path.exists(BENCH):
        sys.exit(f"{BENCH} is missing: swift build -c release --product ballast-bench")
    rng = np.random.default_rng(0)
    special = np.array([0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, 65504.0, 6.1e-5], dtype=np.float32)
    arrays = {
        "encoder.0.weight": ("F32", rng.standard_normal((4, 3)).astype(np.float32)),
        "encoder.0.bias": ("F32", rng.standard_normal(4).astype(np.float32)),
        "scale": ("F32", np.array(3.25, dtype=np.float32)),
        "empty": ("F32", np.zeros((0, 5), dtype=np.float32)),
        "cube": ("F32", rng.standard_normal((2, 3, 4)).astype(np.float32)),
        "double": ("F64", rng.standard_normal((2, 2))),
        "half": ("F16", special.astype(np.float16)),
        "brain": ("BF16", special),
    }
    tensors, expected = {}, {}
    for name, (dtype, a) in arrays.items():
        raw = bf16_bytes(a) if dtype == "BF16" else np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        tensors[name] = (dtype, a.shape, raw)
        expected[name] = bf16_values(raw).reshape(a.shape) if dtype == "BF16" else a.astype(np.float32)
    metadata = {"format": "pt", "note": "quotes \" and é"}
    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += 0 if ok else 1

    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "python.safetensors"), os.path.join(tmp, "ballast.safetensors")
        with open(src, "wb") as f:
            f.write(write(tensors, metadata))
        out = subprocess.run([BENCH, "safetensors", src, dst], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"ballast-bench safetensors failed: {out.stderr.strip()}")
        seen = json.loads(out.stdout.strip().splitlines()[-1])
        check(seen["metadata"] == metadata, "Ballast reads the metadata written by Python")
        for name, want in expected.items():
            got = seen["tensors"].get(name)
            bits = np.array(got["bits"], dtype=np.uint32) if got else None
            ok = got is not None and got["shape"] == list(want.shape) and \
                np.array_equal(bits, want.reshape(-1).view(np.uint32))
            check(ok, f"Ballast reads {arrays[name][0]} tensor '{name}' {list(want.shape)} bit-exactly")

        data = open(dst, "rb").read()
        back, meta, header = read(data)
        check(meta == dict(metadata, written_by="ballast"), "Python reads the metadata written by Ballast")
        for name, want in expected.items():
            check(name in back and back[name].shape == want.shape and
                  np.array_equal(back[name].view(np.uint32), want.view(np.uint32)),
                  f"Python reads Ballast's F32 '{name}' bit-exactly")
        as_f32 = {n: ("F32", want.shape, want.astype("<f4").tobytes()) for n, want in expected.items()}
        check(data == write(as_f32, dict(metadata, written_by="ballast")),
              "Ballast's file is byte-for-byte the reference writer's")

        try:
            from safetensors.numpy import load_file, save_file
        except ImportError:
            print("skip safetensors package not installed (the reference implementation)")
        else:
            loaded = load_file(dst)
            check(sorted(loaded) == sorted(expected) and
                  all(np.array_equal(loaded[n].view(np.uint32), expected[n].view(np.uint32)) for n in expected),
                  "safetensors.numpy.load_file reads Ballast's file bit-exactly")
            ref = os.path.join(tmp, "reference.safetensors")
            save_file({n: a.copy(order="C") for n, a in expected.items()}, ref,
                      metadata=dict(metadata, written_by="ballast"))
            theirs = open(ref, "rb").read()
            (n,) = struct.unpack("<Q", theirs[:8])
            # The reference writes __metadata__ entries in hash-map order; everything else must match exactly.
            same = (theirs[:8] == data[:8] and theirs[8 + n:] == data[8 + n:] and
                    json.loads(theirs[8:8 + n]) == json.loads(data[8:8 + n]) and
                    list(json.loads(theirs[8:8 + n])) == list(json.loads(data[8:8 + n])))
            check(same, "safetensors.numpy.save_file writes the same file as Ballast (up to metadata order)")
            try:
                import torch
                from safetensors.torch import load_file as torch_load, save_file as torch_save
            except ImportError:
                print("skip torch not installed")
            else:
                t = torch_load(dst)
                check(all(torch.equal(t[n], torch.from_numpy(expected[n].copy())) for n in expected),
                      "safetensors.torch.load_file gives the same torch tensors")
                net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
                saved = os.path.join(tmp, "torch.safetensors")
                torch_save(net.state_dict(), saved)
                out = subprocess.run([BENCH, "safetensors", saved, dst], capture_output=True, text=True)
                seen = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else {"tensors": {}}
                want = {k: v for k, v in net.state_dict().items() if v.dtype == torch.float32}
                check(out.returncode == 0 and all(
                    np.array_equal(np.array(seen["tensors"][k]["bits"], dtype=np.uint32), v.numpy().reshape(-1).view(np.uint32))
                    for k, v in want.items()), "Ballast reads a torch state_dict saved by safetensors.torch"
                    + ("" if out.returncode == 0 else f" ({out.stderr.strip()})"))
    if failures:
        sys.exit(f"{failures} check(s) failed")


if __name__ == "__main__":
    main()
