#!/usr/bin/env python3
"""Top CPU frames and allocation sites of a JFR recording (JDK 17's `jfr` has no `view`).

usage: jfr-top.py RECORDING.jfr [N] [--filter SUBSTRING]

Prints, from jdk.ExecutionSample: the top N leaf frames (self time) and the top N frames by
inclusive samples (a frame counted once per sample it appears in); from
jdk.ObjectAllocationSample: the top N (class, allocating frame) pairs by sampled weight, where
the allocating frame is the first frame outside java.*/jdk.*/sun.* (falling back to the leaf),
and the top N schoolgate frames (org.schoolgate.*) found anywhere in allocating stacks.
"""
import json
import subprocess
import sys
from collections import Counter

args = [a for a in sys.argv[1:] if not a.startswith("--")]
rec = args[0]
n = int(args[1]) if len(args) > 1 else 25
flt = None
if "--filter" in sys.argv:
    flt = sys.argv[sys.argv.index("--filter") + 1]


def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", kind, rec],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(f):
    m = f["method"]
    return f'{m["type"]["name"]}.{m["name"]}'.replace("/", ".")


def stack(e):
    st = e["values"].get("stackTrace") or {}
    return [frame_name(f) for f in st.get("frames", [])]


raw = events("jdk.ExecutionSample")
threads = Counter((e["values"].get("sampledThread") or {}).get("javaName") or "?" for e in raw)
samples = [stack(e) for e in raw]
samples = [s for s in samples if s and (flt is None or any(flt in f for f in s))]
total = len(samples) or 1
leaf = Counter(s[0] for s in samples)
incl = Counter()
for s in samples:
    for f in set(s):
        incl[f] += 1
print(f"== CPU: {len(samples)} execution samples ==")
print("-- by thread --")
for t, c in threads.most_common(8):
    print(f"{100.0 * c / max(1, len(raw)):6.1f}%  {t}")
print("-- self (leaf frame) --")
for f, c in leaf.most_common(n):
    print(f"{100.0 * c / total:6.1f}%  {f}")
print("-- inclusive --")
for f, c in incl.most_common(n):
    print(f"{100.0 * c / total:6.1f}%  {f}")

alloc = Counter()
sg = Counter()
weight_total = 0
for e in events("jdk.ObjectAllocationSample"):
    v = e["values"]
    w = v.get("weight", 0)
    cls = (v.get("objectClass") or {}).get("name", "?")
    s = stack(e)
    if flt is not None and not any(flt in f for f in s):
        continue
    weight_total += w
    outside = [f for f in s if not f.startswith(("java.", "jdk.", "sun."))]
    site = " < ".join(outside[:3]) if outside else (s[0] if s else "?")
    alloc[(cls, site)] += w
    for f in set(x for x in s if x.startswith("org.schoolgate.")):
        sg[f] += w
weight_total = weight_total or 1
print(f"\n== allocation: {weight_total / 1048576:.0f} MiB sampled weight ==")
for (cls, site), w in alloc.most_common(n):
    print(f"{100.0 * w / weight_total:6.1f}%  {cls:<45} {site}")
print("-- schoolgate frames in allocating stacks (inclusive) --")
for f, w in sg.most_common(n):
    print(f"{100.0 * w / weight_total:6.1f}%  {f}")
