#!/usr/bin/python3
"""real_subsets.py - real N-BaIoT rows through the differential tester
(issue 16 item 3): writes deterministic ARFF data sets made of the real
Provision_PT_737E_Security_Camera gafgyt tcp + udp rows (and the four
299-row heads) into a folder under /tmp, then runs (or, without --run,
prints) tests/differential/run.py --files on them for J48 (default options),
the OneR ranking and EM -N 3 (EM -N -1 only where rows x columns <=
100,000: Weka's CV over the number of clusters is slow).

What it guarantees:
  * every value is the CSV's own text, byte for byte (the field as it stands
    in the file, no re-formatting), so Weka and baiot parse the same decimal
    strings; the data sets depend only on the seed list and the files
    (numpy's default_rng(seed)), never on the machine;
  * nothing is written inside the source tree: the ARFF files hold real rows
    (third-party data) and go under --out (default /tmp/real-subsets).
Not covered by CTest (it needs Java, Weka and the shared data); the fixes it
led to have their own goldens (docs/WEKA_COMPAT.md, "Real rows (issue 16
item 3)").

The data sets (OUT/manifest.tsv lists rows, columns, class counts):
  full       all 208,521 tcp + udp rows (tcp file first, then udp, file
             order), 115 columns, classes tcp / udp.
  r20k, h20k 20,000 rows x 115 columns, tcp / udp (the issue's 20,000-row
             case): r20k drawn uniformly (default_rng(20000)), h20k the first
             10,000 rows of each file.
  s<seed>    for each seed of --seeds: n rows, n log-uniform in
             [1,000, 50,000]; columns: the top 10 of the OneR ranking of the
             whole real data (`baiot rank full.arff --top 10`, 10 folds, seed
             1; cached as OUT/top10.txt) with probability 0.5, 10 random
             columns (in file order) 0.2, all 115 columns 0.3; k classes,
             k uniform in 2..11.
Class construction (real labels give only tcp and udp, plus four heads):
  h = uniform in 0..min(4, k-2) head files (benign, gafgyt udp and gafgyt
  scan of unnamed devices, Ecobee mirai udp) each become one class
  (head_benign, head_gafgyt_udp, head_gafgyt_scan, head_mirai_udp) holding
  30-299 of its rows (uniform, drawn without replacement); the other k - h
  classes are time segments of the two PT737E files: the tcp file is cut
  into s_tcp consecutive equal parts by row number, the udp file into
  s_udp = k - h - s_tcp parts (s_tcp uniform in 1..k-h-1), and a row's
  class is its part (tcp_1..tcp_s, or plain tcp when s = 1).  So every row
  is real and the classes keep the traffic's time order.  The remaining
  rows are drawn uniformly without replacement from the tcp + udp rows;
  rows are written in file order (tcp, udp, then the heads).

    /usr/bin/python3 tests/differential/real_subsets.py --out /tmp/real-subsets            # write, print commands
    /usr/bin/python3 tests/differential/real_subsets.py --quick --run                     # 4 small subsets, run them (/tmp/real-subsets-quick)
    /usr/bin/python3 tests/differential/real_subsets.py --sets full --run --weka-xmx 8g    # the whole file
"""
import argparse
import math
import os
import subprocess
import sys
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEV = "Provision_PT_737E_Security_Camera"
MAIN = [("tcp", DEV + ".gafgyt.tcp.zip", "tcp.csv", 104510), ("udp", DEV + ".gafgyt.udp.zip", "udp.csv", 104011)]
HEADS = [("head_benign", "benign.unknown_device.head299.csv"),
         ("head_gafgyt_udp", "gafgyt.udp.head299.csv"),
         ("head_gafgyt_scan", "gafgyt.scan.unknown_device.head299.csv"),
         ("head_mirai_udp", "Ecobee_Thermostat.mirai.udp.head299.csv")]
SMALL_EMAUTO = 100000  # rows x columns at most for EM -N -1 (Weka: 5-90 s each there)


def read_lines(data):
    """The CSV's header fields and its data lines (line ends removed, text untouched)."""
    lines = data.decode("ascii").split("\n")
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines[0].split(","), lines[1:]


def load(shared):
    real = os.path.join(shared, "data", "nbaiot", "real")
    files, names = {}, None
    for label, zname, member, nrows in MAIN:
        with zipfile.ZipFile(os.path.join(real, zname)) as z:
            head, rows = read_lines(z.read(member))
        if len(rows) != nrows:
            raise SystemExit("%s: %d rows, expected %d" % (zname, len(rows), nrows))
        names = names or head
        if head != names:
            raise SystemExit("%s: other columns" % zname)
        files[label] = rows
    for label, fname in HEADS:
        with open(os.path.join(real, "heads", fname), "rb") as f:
            head, rows = read_lines(f.read())
        if head != names or len(rows) != 299:
            raise SystemExit("%s: not 299 rows of the 115 columns" % fname)
        files[label] = rows
    return names, files


def write_arff(path, relation, names, cols, classes, parts):
    """parts: [(lines, labels)], written in order; cols None = all columns."""
    with open(path, "w") as f:
        f.write("@relation %s\n\n" % relation)
        for c in (cols if cols is not None else range(len(names))):
            f.write("@attribute %s numeric\n" % names[c])
        f.write("@attribute class {%s}\n\n@data\n" % ",".join(classes))
        for lines, labels in parts:
            for line, lab in zip(lines, labels):
                if cols is None:
                    f.write(line)
                else:
                    fs = line.split(",")
                    f.write(",".join(fs[c] for c in cols))
                f.write("," + lab + "\n")


def seg_labels(base, idx, n_total, s):
    """Labels of rows idx (sorted row numbers) of a file of n_total rows cut into s parts."""
    if s == 1:
        return [base] * len(idx)
    return ["%s_%d" % (base, i * s // n_total + 1) for i in idx]


def make_subset(seed, names, files, top10, out, quick):
    rng = np.random.default_rng(seed)
    lo, hi = (1000, 5000) if quick else (1000, 50000)
    n = int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))
    k = int(rng.integers(2, 12))
    r = rng.random()
    if r < 0.5:
        mode, cols = "top10", [names.index(c) for c in top10]
    elif r < 0.7:
        mode, cols = "random10", sorted(int(c) for c in rng.choice(len(names), 10, replace=False))
    else:
        mode, cols = "all115", None
    h = int(rng.integers(0, min(4, k - 2) + 1))
    heads = sorted(int(x) for x in rng.choice(4, h, replace=False))
    m = k - h
    s_tcp = int(rng.integers(1, m))
    s_udp = m - s_tcp
    head_parts, classes_h = [], []
    for i in heads:
        label = HEADS[i][0]
        cnt = int(rng.integers(30, 300))
        idx = sorted(int(x) for x in rng.choice(299, cnt, replace=False))
        head_parts.append(([files[label][j] for j in idx], [label] * cnt))
        classes_h.append(label)
    n_main = max(n - sum(len(p[0]) for p in head_parts), 2 * m)
    ntcp, nudp = len(files["tcp"]), len(files["udp"])
    pick = np.sort(rng.choice(ntcp + nudp, n_main, replace=False))
    it = [int(x) for x in pick[pick < ntcp]]
    iu = [int(x) - ntcp for x in pick[pick >= ntcp]]
    classes = ([("tcp_%d" % i) for i in range(1, s_tcp + 1)] if s_tcp > 1 else ["tcp"]) + \
              ([("udp_%d" % i) for i in range(1, s_udp + 1)] if s_udp > 1 else ["udp"]) + classes_h
    parts = [([files["tcp"][i] for i in it], seg_labels("tcp", it, ntcp, s_tcp)),
             ([files["udp"][i] for i in iu], seg_labels("udp", iu, nudp, s_udp))] + head_parts
    name = "s%d" % seed
    path = os.path.join(out, name + ".arff")
    write_arff(path, "real_%s" % name, names, cols, classes, parts)
    rows = sum(len(p[0]) for p in parts)
    ncol = 115 if cols is None else 10
    counts = {}
    for _, labs in parts:
        for lab in labs:
            counts[lab] = counts.get(lab, 0) + 1
    desc = "tcp:%d udp:%d heads:%s" % (s_tcp, s_udp, "+".join(HEADS[i][0][5:] for i in heads) or "-")
    return {"name": name, "path": path, "rows": rows, "cols": ncol, "mode": mode, "classes": k,
            "construction": desc, "counts": " ".join("%s=%d" % (c, counts.get(c, 0)) for c in classes)}


def make_20k(kind, names, files, out):
    """The 20,000-row cases of the issue (2 classes, 115 columns): 'r20k' 20,000
    rows drawn uniformly from tcp + udp (default_rng(20000)); 'h20k' the first
    10,000 rows of each file."""
    ntcp, nudp = len(files["tcp"]), len(files["udp"])
    if kind == "r20k":
        pick = np.sort(np.random.default_rng(20000).choice(ntcp + nudp, 20000, replace=False))
        it = [int(x) for x in pick[pick < ntcp]]
        iu = [int(x) - ntcp for x in pick[pick >= ntcp]]
    else:
        it, iu = list(range(10000)), list(range(10000))
    parts = [([files["tcp"][i] for i in it], ["tcp"] * len(it)), ([files["udp"][i] for i in iu], ["udp"] * len(iu))]
    path = os.path.join(out, kind + ".arff")
    write_arff(path, "real_" + kind, names, None, ["tcp", "udp"], parts)
    return {"name": kind, "path": path, "rows": 20000, "cols": 115, "mode": "all115", "classes": 2,
            "construction": "tcp:1 udp:1 heads:- (%s)" % ("random" if kind == "r20k" else "first 10,000 of each"),
            "counts": "tcp=%d udp=%d" % (len(it), len(iu))}


def parse_seeds(s):
    out = []
    for part in s.split(","):
        lo, _, hi = part.partition("-")
        out += range(int(lo), int(hi or lo) + 1)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.environ.get("BAIOT_SHARED", os.path.join(REPO, "..", "shared")))
    ap.add_argument("--out", help="default /tmp/real-subsets (--quick: /tmp/real-subsets-quick)")
    ap.add_argument("--seeds", default="1-24")
    ap.add_argument("--sets", default="full,20k,subsets", help="full, 20k, subsets (comma-separated)")
    ap.add_argument("--quick", action="store_true", help="4 subsets (seeds 1-4) of 1,000-5,000 rows, no full file")
    ap.add_argument("--baiot", default=os.environ.get("BAIOT_BIN", os.path.join(REPO, "build", "baiot")))
    ap.add_argument("--run", action="store_true", help="run run.py (else print its commands)")
    ap.add_argument("--weka-xmx", default="8g")
    ap.add_argument("--weka-timeout", type=float, default=3600)
    a = ap.parse_args()
    a.out = a.out or ("/tmp/real-subsets-quick" if a.quick else "/tmp/real-subsets")
    if not a.out.startswith("/tmp/"):
        raise SystemExit("--out must be under /tmp (the files hold third-party real rows)")
    if a.quick:
        a.seeds, a.sets = "1-4", "subsets"
    sets = a.sets.split(",")
    os.makedirs(a.out, exist_ok=True)
    names, files = load(a.shared)
    full = os.path.join(a.out, "full.arff")
    top10_path = os.path.join(a.out, "top10.txt")
    manifest = []
    if "full" in sets or not os.path.exists(top10_path):
        if not os.path.exists(full):
            write_arff(full + ".part", "real_full", names, None, ["tcp", "udp"],
                       [(files["tcp"], ["tcp"] * len(files["tcp"])), (files["udp"], ["udp"] * len(files["udp"]))])
            os.rename(full + ".part", full)
        if "full" in sets:
            manifest.append({"name": "full", "path": full, "rows": 208521, "cols": 115, "mode": "all115",
                             "classes": 2, "construction": "tcp:1 udp:1 heads:-",
                             "counts": "tcp=104510 udp=104011"})
    if "subsets" in sets:
        if not os.path.exists(top10_path):
            subprocess.run([a.baiot, "rank", full, "--folds", "10", "--seed", "1", "--top", "10", "-o",
                            top10_path, "-q"], check=True, stdout=subprocess.DEVNULL)
        top10 = [l.strip() for l in open(top10_path) if l.strip() and not l.startswith("#")]
        for seed in parse_seeds(a.seeds):
            manifest.append(make_subset(seed, names, files, top10, a.out, a.quick))
    if "20k" in sets:
        manifest += [make_20k(k, names, files, a.out) for k in ("r20k", "h20k")]
    mpath = os.path.join(a.out, "manifest.tsv")
    keep = {}
    if os.path.exists(mpath):  # earlier sets stay listed, rewritten ones replaced
        for line in open(mpath):
            keep[line.split("\t")[0]] = line
    for m in manifest:
        keep[m["name"]] = "\t".join(str(m[k]) for k in ("name", "rows", "cols", "mode", "classes", "construction",
                                                       "counts")) + "\n"
    with open(mpath, "w") as f:
        f.writelines(keep.values())
    for m in manifest:
        print("%-6s %6d rows x %3d cols (%s), %2d classes: %s" % (
            m["name"], m["rows"], m["cols"], m["mode"], m["classes"], m["counts"]))
    run = [sys.executable, os.path.join(HERE, "run.py"), "--baiot", a.baiot, "--j48-opts", "default",
           "--weka-xmx", a.weka_xmx, "--weka-timeout", str(a.weka_timeout), "--timeout", str(a.weka_timeout)]
    cmds = []
    big = [m["path"] for m in manifest if m["name"] == "full"]
    sub = [m["path"] for m in sorted(manifest, key=lambda m: m["rows"] * m["cols"]) if m["name"] != "full"]
    small = [p for p in sub if p in [m["path"] for m in manifest if m["rows"] * m["cols"] <= SMALL_EMAUTO]]
    if big:
        cmds.append(run + ["--algos", "j48,rank,em3", "--shrink-per-kind", "0", "--files", ",".join(big),
                           "--out", os.path.join(a.out, "run-full")])
    if sub:
        cmds.append(run + ["--algos", "j48,rank,em3", "--shrink-seconds", "600", "--files", ",".join(sub),
                           "--out", os.path.join(a.out, "run-subsets")])
    if small:
        cmds.append(run + ["--algos", "emauto", "--shrink-per-kind", "0", "--files", ",".join(small),
                           "--out", os.path.join(a.out, "run-emauto")])
    for c in cmds:
        print(" ".join(c), flush=True)
        if a.run:
            subprocess.run(c, check=True)


if __name__ == "__main__":
    main()
