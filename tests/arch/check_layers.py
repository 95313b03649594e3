#!/usr/bin/env python3
"""check_layers.py - holds the layer rule of docs/ARCHITECTURE.md.

Every source folder of the library and the CLI sits on one layer; a file
may include the internal headers of, and call the functions of, only its
own layer and the layers below it.  Checked two ways:
  - includes: every `#include "kernels/..."`, `"io/..."`, `"engine/..."`,
    `"hpc/..."` of every .c/.h (public headers, include/baiot/*.h, are the
    API surface and may be included anywhere);
  - calls: the undefined symbols of every object file (nm) against the
    folder of the object file that defines them, so a call through a
    public header is checked too.
A folder graph with a cycle is reported as the upward edges that make it.
Usage: check_layers.py SOURCE_DIR BUILD_DIR   (exit 0 clean, 1 violations)
Run by ctest as arch_layers (tests/CMakeLists.txt).
"""
import os
import re
import subprocess
import sys

# Bottom first.  A folder not listed here fails the check: a new folder
# must be placed on a layer (docs/ARCHITECTURE.md says how).
LAYERS = [
    "kernels/base",        # allocation hook, status, progress, spreading interface, N-BaIoT facts, the view type
    "kernels",             # pure array compute
    "io/text",             # number parsing/printing, JSON
    "io/files",            # atomic outputs, hashes
    "io/store",            # the HDF5 column store
    "io/sources",          # what users download: N-BaIoT CSV, archives, ARFF
    "io/export",           # ARFF / CSV writers
    "io/capture",          # pcap/pcapng, packet decoding and building, the AfterImage extractor
    "io/plot",             # PLplot figures
    "engine/data",         # views from stores / CSV / ARFF, column selection, ingest
    "engine/weka",         # Java's Random, Weka's folds, sort and number format
    "engine/evaluation",   # accumulators, curves, cross-validation driver, classes-to-clusters
    "engine/models/j48",   # C4.5 / J48
    "engine/models/em",    # k-means and EM
    "engine/models",       # OneR, the ranking, model files
    "engine/detect",       # the benign-only anomaly detector (N-BaIoT's protocol)
    "engine/traffic",      # the simulator and the capture -> features driver
    "engine/watch",        # live detection: packet sources, extractor, models per device, alerts
    "engine/study",        # the study pipeline, reports, bulk
    "hpc",                 # MPI implementation of the spreading interface
    "engine/cli",          # the command line
]
LEVEL = {name: i for i, name in enumerate(LAYERS)}
SRC_EXT = (".c", ".h")


def layer_of(path):
    d = os.path.dirname(path)
    if d in LEVEL:
        return d
    return None


def source_files(src):
    for top in ("kernels", "io", "engine", "hpc"):
        for dp, _, fn in os.walk(os.path.join(src, top)):
            for f in fn:
                if f.endswith(SRC_EXT):
                    yield os.path.relpath(os.path.join(dp, f), src)


def check_includes(src, problems):
    inc = re.compile(r'^\s*#\s*include\s+"((?:kernels|io|engine|hpc)/[^"]+)"', re.M)
    for rel in source_files(src):
        lay = layer_of(rel)
        if lay is None:
            problems.append(f"{rel}: folder {os.path.dirname(rel)} is on no layer (tests/arch/check_layers.py LAYERS)")
            continue
        with open(os.path.join(src, rel), encoding="utf-8") as fh:
            text = fh.read()
        for m in inc.finditer(text):
            target = layer_of(m.group(1))
            if target is None:
                problems.append(f"{rel}: includes {m.group(1)}, which is on no layer")
            elif LEVEL[target] > LEVEL[lay]:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{line}: includes {m.group(1)} ({target}) from below ({lay})")


def object_files(build):
    for dp, _, fn in os.walk(build):
        if not re.search(r"/(baiot_obj|baiot_lib|baiot|baiot_hpc)\.dir(/|$)", dp + "/"):
            continue
        for f in fn:
            if f.endswith(".c.o"):
                full = os.path.join(dp, f)
                rel = full.split(".dir/", 1)[1][:-2]
                yield full, rel


def check_calls(src, build, problems):
    defs, uses = {}, {}
    seen = set()
    for full, rel in object_files(build):
        if rel in seen or not os.path.exists(os.path.join(src, rel)):  # stale objects of moved files
            continue
        seen.add(rel)
        out = subprocess.run(["nm", full], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDBRCV":
                defs[p[2]] = rel
            elif len(p) == 2 and p[0] == "U":
                uses.setdefault(rel, set()).add(p[1])
    if not seen:
        problems.append(f"no object files found under {build}: build first")
        return 0
    edges = {}
    for rel, syms in uses.items():
        for s in syms:
            if s in defs:
                a, b = layer_of(rel), layer_of(defs[s])
                if a is None or b is None or a == b:
                    continue
                edges.setdefault((a, b), []).append((rel, defs[s], s))
    for (a, b), calls in sorted(edges.items()):
        if LEVEL[b] > LEVEL[a]:
            for rel, target, s in sorted(calls)[:5]:
                problems.append(f"{rel}: calls {s} ({target}, layer {b}) from below ({a})")
            if len(calls) > 5:
                problems.append(f"  ... and {len(calls) - 5} more calls from {a} up to {b}")
    return len(seen)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    src, build = sys.argv[1], sys.argv[2]
    problems = []
    check_includes(src, problems)
    n = check_calls(src, build, problems)
    for p in problems:
        print(p)
    print(f"layers: {len(LAYERS)}, object files: {n}, violations: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
