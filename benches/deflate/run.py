#!/usr/bin/env python3
"""permessage-deflate throughput: wireframe against Node's zlib as `ws` uses it and Python's
zlib as `websockets` uses it, in one run, on text-like and binary-like messages of 1 KiB,
16 KiB and 1 MiB.

Each peer is measured with its library's default settings, and wireframe with the same ones:
`ws` compresses with window bits 15, memLevel 8, level 6 (zlib's defaults); `websockets` with
window bits 12, memLevel 5, level 6. Each measurement runs one operation on one input for
--ms milliseconds over a cycle of distinct messages (more than a window's worth, so the
shared window does not turn repeats into back-references), each cycle from a fresh context.
Decompression inflates the same compressed stream for every implementation (written by
Python's zlib with the configuration's settings). Repetitions are interleaved (the order
rotates), the median is reported, and ratios are wireframe's throughput over the peer's.

    python3 benches/deflate/run.py WIREFRAME_BIN [--reps 5] [--ms 250] [--json OUT]
"""
import argparse
import json
import os
import random
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TAIL = b"\x00\x00\xff\xff"
SIZES = [("1 KiB", 1024, 64), ("16 KiB", 16 * 1024, 8), ("1 MiB", 1024 * 1024, 2)]
CONFIGS = {"ws": (15, 8, 6), "websockets": (12, 5, 6)}
WORDS = ("the quick brown fox jumps over a lazy dog message socket frame deflate window "
         "server client header payload \"id\": \"name\": \"value\": true false null {} [] , :").split()


def text_like(n, seed):
    r = random.Random(seed)
    out = []
    size = 0
    while size < n:
        w = r.choice(WORDS) if r.random() < 0.9 else str(r.randrange(100000))
        out.append(w)
        size += len(w) + 1
    return " ".join(out).encode()[:n]


def binary_like(n, seed):
    """Records of little-endian numbers: a slowly drifting sensor value, a counter, flags and a
    random 32-bit field (compresses, but far less than text)."""
    r = random.Random(seed)
    buf = bytearray()
    v = 1000.0
    i = 0
    while len(buf) < n:
        v += r.gauss(0, 2)
        buf += struct.pack("<fIHHI", v, i, r.randrange(4), 0xBEEF, r.getrandbits(32))
        i += 1
    return bytes(buf[:n])


def records(msgs):
    return b"".join(struct.pack("<I", len(m)) + m for m in msgs)


def py_compress(msgs, bits, mem, level):
    """websockets' encoder: a persistent compressobj, compress + flush(Z_SYNC_FLUSH), tail cut."""
    enc = zlib.compressobj(level, zlib.DEFLATED, -bits, mem)
    out = []
    for m in msgs:
        data = enc.compress(m) + enc.flush(zlib.Z_SYNC_FLUSH)
        assert data[-4:] == TAIL
        out.append(data[:-4])
    return out


def py_measure(op, msgs, bits, mem, level, ms):
    budget = ms / 1000
    total = 0
    start = time.perf_counter()
    max_size = 2 << 20
    while time.perf_counter() - start < budget:
        if op == "compress":
            enc = zlib.compressobj(level, zlib.DEFLATED, -bits, mem)
            for m in msgs:
                data = enc.compress(m) + enc.flush(zlib.Z_SYNC_FLUSH)
                total += len(m)
                assert data[-4:] == TAIL
        else:
            # websockets' decoder: the tail appended to short messages, fed separately after
            # long ones; max_length guards against bombs.
            dec = zlib.decompressobj(wbits=-bits)
            for z in msgs:
                if len(z) < 2044:
                    data = dec.decompress(z + TAIL, max_size)
                else:
                    data = dec.decompress(z, max_size)
                    dec.decompress(TAIL, 1)
                total += len(data)
    return total / (time.perf_counter() - start)


def external(cmd, op, path, bits, mem, level, ms):
    out = subprocess.run(cmd + [op, path, str(bits), str(mem), str(level), str(ms)],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {out.stderr}")
    return float(out.stdout.split()[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wireframe_bin")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--ms", type=int, default=250)
    ap.add_argument("--json")
    args = ap.parse_args()
    wf = [args.wireframe_bin]
    node = ["node", os.path.join(HERE, "node_zlib.js")]
    tmp = tempfile.mkdtemp(prefix="wireframe-deflate-bench-")
    cases = []  # (label, op, {config: path})
    for label, size, count in SIZES:
        for kind, gen in (("text", text_like), ("binary", binary_like)):
            msgs = [gen(size, seed) for seed in range(count)]
            name = f"{kind}-{size}"
            plain = os.path.join(tmp, name + ".msgs")
            with open(plain, "wb") as f:
                f.write(records(msgs))
            comp = {}
            for cfg, (bits, mem, level) in CONFIGS.items():
                comp[cfg] = os.path.join(tmp, f"{name}.{cfg}.z")
                with open(comp[cfg], "wb") as f:
                    f.write(records(py_compress(msgs, bits, mem, level)))
            ratio = sum(map(len, py_compress(msgs, 15, 8, 6))) / sum(map(len, msgs))
            cases.append((f"{kind} {label}", "compress", {c: plain for c in CONFIGS}, msgs, ratio))
            cases.append((f"{kind} {label}", "decompress", comp, None, ratio))

    def runners(case):
        label, op, paths, msgs, _ = case
        def py(cfg):
            bits, mem, level = CONFIGS[cfg]
            data = msgs if op == "compress" else None
            if data is None:
                with open(paths[cfg], "rb") as f:
                    raw = f.read()
                data, at = [], 0
                while at < len(raw):
                    n = struct.unpack_from("<I", raw, at)[0]
                    data.append(raw[at + 4:at + 4 + n])
                    at += 4 + n
            return py_measure(op, data, bits, mem, level, args.ms)
        return {
            "wireframe@ws": lambda: external(wf, op, paths["ws"], *CONFIGS["ws"], args.ms),
            "node-zlib": lambda: external(node, op, paths["ws"], *CONFIGS["ws"], args.ms),
            "wireframe@websockets": lambda: external(wf, op, paths["websockets"], *CONFIGS["websockets"], args.ms),
            "python-zlib": lambda: py("websockets"),
        }

    results = {(c[0], c[1]): {} for c in cases}
    for rep in range(args.reps):
        for case in cases:
            rs = list(runners(case).items())
            k = rep % len(rs)
            for name, fn in rs[k:] + rs[:k]:
                results[(case[0], case[1])].setdefault(name, []).append(fn())
    rows = []
    print(f"permessage-deflate throughput, MB/s of uncompressed data (median of {args.reps}, "
          f"{args.ms} ms each); ratio = wireframe / peer")
    print(f"{'message':<16}{'op':<11}{'wireframe':>10}{'node zlib':>10}{'ratio':>7}"
          f"{'wireframe':>11}{'py zlib':>9}{'ratio':>7}   zlib ratio")
    print(f"{'':<16}{'':<11}{'(ws settings: 15/8/6)':>27}{'(websockets settings: 12/5/6)':>34}")
    worst = 10.0
    for label, op, _, _, ratio in cases:
        r = {k: statistics.median(v) / 1e6 for k, v in results[(label, op)].items()}
        a = r["wireframe@ws"] / r["node-zlib"]
        b = r["wireframe@websockets"] / r["python-zlib"]
        worst = min(worst, a, b)
        rows.append({"message": label, "op": op, "mbps": r, "ratio_node": a, "ratio_python": b})
        print(f"{label:<16}{op:<11}{r['wireframe@ws']:>10.0f}{r['node-zlib']:>10.0f}{a:>6.2f}x"
              f"{r['wireframe@websockets']:>11.0f}{r['python-zlib']:>9.0f}{b:>6.2f}x   {ratio:.3f}")
    print(f"lowest ratio: {worst:.2f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"reps": args.reps, "ms": args.ms, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
