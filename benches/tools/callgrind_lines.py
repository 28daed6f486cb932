#!/usr/bin/env python3
"""Top source lines by self cost (Ir) in a callgrind output file, with file:line.

callgrind_annotate shows per-line costs inside whole annotated files; this lists the hottest
lines across all files, which is what a profile of a fully inlined parser needs.

Usage: callgrind_lines.py FILE.out [--top N] [--per N] [--root DIR] [--regions]
  --per N     divide costs by N (e.g. the number of messages parsed) and show that column too
  --root      directory that relative source paths are read from (for the source text)
  --regions   sum the costs by region instead: the enclosing Rust `fn`, and inside a state
              machine's `match` the enclosing `State::X =>` arm (for wireframe's Parser::run);
              other files by file name
"""
import argparse
import collections
import os
import re


def sub(tok, prev):
    """A compressed subposition: absolute, +N / -N relative to prev, or * (same)."""
    if tok == "*":
        return prev
    if tok[0] in "+-":
        n = int(tok[1:], 0)
        return prev + n if tok[0] == "+" else prev - n
    return int(tok, 0)


def parse(path):
    names = {"fl": {}, "fn": {}}
    cost = collections.Counter()
    positions = ["line"]
    cur_file = None
    fn_file = None
    last = {}
    skip_next = False
    name_re = re.compile(r"^\((\d+)\)(?: (.*))?$")

    def resolve(kind, value):
        m = name_re.match(value)
        if not m:
            return value
        ident, name = m.group(1), m.group(2)
        table = names["fl" if kind in ("fl", "fi", "fe", "cfi", "cfl") else "fn"]
        if name is not None:
            table[ident] = name
        return table.get(ident, "?")

    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("positions:"):
                positions = line.split()[1:]
                last = {p: 0 for p in positions}
                continue
            head = line[0]
            if head.isdigit() or head in "+-*":
                toks = line.split()
                pos = {}
                for i, p in enumerate(positions):
                    pos[p] = sub(toks[i], last.get(p, 0))
                last.update(pos)
                if skip_next:
                    skip_next = False
                    continue
                ir = int(toks[len(positions)]) if len(toks) > len(positions) else 0
                cost[(cur_file, pos["line"])] += ir
                continue
            key, _, value = line.partition("=")
            if key == "fl":
                fn_file = cur_file = resolve("fl", value)
            elif key in ("fi", "fe"):
                cur_file = resolve(key, value)
            elif key == "fn":
                resolve("fn", value)
                cur_file = fn_file
            elif key in ("cfi", "cfl"):
                resolve(key, value)
            elif key == "cfn":
                resolve("fn", value)
            elif key == "calls":
                skip_next = True
    return cost


def source_line(root, path, n, cache={}):
    if path not in cache:
        full = path if os.path.isabs(path) else os.path.join(root, path)
        try:
            with open(full) as f:
                cache[path] = f.read().split("\n")
        except OSError:
            cache[path] = []
    lines = cache[path]
    return lines[n - 1].strip() if 0 < n <= len(lines) else ""


def region_map(root, path):
    """For each line of a Rust file: the enclosing fn, refined by the enclosing State arm."""
    full = path if os.path.isabs(path) else os.path.join(root, path)
    try:
        with open(full) as f:
            lines = f.read().split("\n")
    except OSError:
        return None
    labels = []
    fn = "?"
    arm = None
    arm_indent = None
    fn_re = re.compile(r"^(\s*)(?:pub(?:\([a-z]+\))? )?(?:const )?(?:unsafe )?(?:extern \"C\" )?fn (\w+)")
    arm_re = re.compile(r"^(\s*)State::(\w+)(?:\s*\|\s*State::\w+)*\s*=>")
    for text in lines:
        m = fn_re.match(text)
        if m:
            fn, arm, arm_indent = m.group(2), None, None
        m = arm_re.match(text)
        if m and (arm_indent is None or len(m.group(1)) <= arm_indent):
            arm, arm_indent = m.group(2), len(m.group(1))
        labels.append(f"{fn}/{arm}" if arm else fn)
    return labels


def regions(cost, root):
    maps = {}
    out = collections.Counter()
    for (path, line), ir in cost.items():
        path = path or "?"
        short = os.path.basename(path)
        if path.endswith(".rs") and not path.startswith("/rustc/"):
            if path not in maps:
                maps[path] = region_map(root, path)
            m = maps[path]
            if m and 0 < line <= len(m):
                out[f"{short}:{m[line - 1]}"] += ir
                continue
        if path.startswith("/rustc/"):
            out[f"rust core/std ({short}, inlined)"] += ir
        else:
            out[short] += ir
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--per", type=float, default=0)
    ap.add_argument("--root", default=".")
    ap.add_argument("--regions", action="store_true")
    a = ap.parse_args()
    cost = parse(a.file)
    if a.regions:
        total = sum(cost.values())
        print(f"total Ir {total:,}" + (f", {total / a.per:,.1f} per unit" if a.per else ""))
        for name, ir in regions(cost, a.root).most_common(a.top):
            per = f"{ir / a.per:9.1f} " if a.per else ""
            print(f"{ir:>13,} {ir * 100 / total:5.1f}% {per}{name}")
        return
    total = sum(cost.values())
    print(f"total Ir {total:,}" + (f", {total / a.per:,.1f} per unit" if a.per else ""))
    for (path, line), ir in cost.most_common(a.top):
        short = re.sub(r"^/rustc/[0-9a-f]+/", "rustc:", path or "?")
        per = f"{ir / a.per:9.1f} " if a.per else ""
        text = source_line(a.root, path or "", line)[:70]
        print(f"{ir:>13,} {ir * 100 / total:5.1f}% {per}{short}:{line}  {text}")


if __name__ == "__main__":
    main()
