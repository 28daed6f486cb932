"""multipart/form-data in Python: wireframe.multipart against python-multipart, same bodies
(written by wireframe-bench-multipart), same callbacks (a byte count), 64 KiB writes,
interleaved repetitions. Prints one JSON line per body.

usage: python bench.py BODIES_DIR [REPS]
"""

import json
import sys
import time

import python_multipart

from wireframe import multipart as wm

READ = 64 * 1024


def run(cls, boundary, chunks):
    total = [0]

    def on_data(data, start, end):
        total[0] += end - start

    def on_end():
        total[0] += 1

    p = cls(boundary, {"on_part_data": on_data, "on_part_end": on_end})
    for chunk in chunks:
        p.write(chunk)
    p.finalize()
    return total[0]


def rate(cls, boundary, chunks, size, target=0.3):
    start = time.perf_counter()
    passes = 0
    while passes < 1 or time.perf_counter() - start < target:
        run(cls, boundary, chunks)
        passes += 1
    return size * passes / (time.perf_counter() - start) / 1e6


def main():
    d = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    boundary = open(f"{d}/boundary", "rb").read()
    for name in ("large", "small"):
        body = open(f"{d}/{name}.bin", "rb").read()
        # The reads, sliced once: the timing covers parsing, not the harness's copies.
        chunks = [body[i : i + READ] for i in range(0, len(body), READ)]
        ours_cls = lambda b, cb: wm.MultipartParser(b, cb, max_parts=100_000)  # noqa: E731
        assert run(ours_cls, boundary, chunks) == run(python_multipart.MultipartParser, boundary, chunks)
        ours, theirs = [], []
        for _ in range(reps):
            ours.append(rate(ours_cls, boundary, chunks, len(body)))
            theirs.append(rate(python_multipart.MultipartParser, boundary, chunks, len(body)))
        o, t = sorted(ours)[reps // 2], sorted(theirs)[reps // 2]
        print(json.dumps({"body": name, "wireframe_mb_s": round(o, 1),
                          "python_multipart_mb_s": round(t, 1), "ratio": round(o / t, 2)}))


if __name__ == "__main__":
    main()
