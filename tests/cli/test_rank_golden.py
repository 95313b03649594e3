#!/usr/bin/python3
"""test_rank_golden.py - `baiot rank` against Weka 3.6.14's OneRAttributeEval
+ Ranker (golden outputs in tests/golden/weka/rank, made by
tests/tools/weka/make_rank_golden.sh): for every golden file, the ranked
list (merit to Weka's printed precision, attribute number, name, and the
order, ties included) must be identical line for line; also the same ranking
for 1 and 2 threads, and --json / -o agree with the table."""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

BIN = os.environ.get("BAIOT_BIN", "build/baiot")
SRC = os.environ.get("BAIOT_SRC", ".")
failures = 0
checks = 0


def ranked_lines(text):
    out, on = [], False
    for line in text.splitlines():
        if line.startswith("Ranked attributes:"):
            on = True
            continue
        if on:
            if not line.strip():
                break
            out.append(line.rstrip())
    return out


def run(args, threads=None):
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    p = subprocess.run([BIN] + args, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("FAIL: baiot %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


# The real camera rows (../shared; skipped, saying so, where absent): the
# store and its ARFF export must both rank exactly as Weka did.
shared = os.environ.get("BAIOT_SHARED", os.path.join(SRC, "..", "shared"))
real = os.path.join(shared, "data", "nbaiot", "real")
if os.path.isdir(real):
    tmpd = tempfile.mkdtemp()
    store = os.path.join(tmpd, "real.h5")
    zips = [os.path.join(real, "Provision_PT_737E_Security_Camera.gafgyt.%s.zip" % a) for a in ("tcp", "udp")]
    run(["ingest", "-q"] + zips + ["-o", store])
    run(["export", store, "--arff", "--task", "11class", "-o", store + ".arff"])
    want = ranked_lines(open(os.path.join(SRC, "tests/golden/weka/rank/real_pt737e_gafgyt_tcp_udp.11class.txt")).read())
    for what, args in (("store", [store, "--task", "11class"]), ("ARFF", [store + ".arff"])):
        got = ranked_lines(run(["rank"] + args))
        checks += 1
        if got != want:
            failures += 1
            print("FAIL: real PT737E tcp+udp (%s) ranks differently from Weka" % what)
        else:
            print("ok: real PT737E tcp+udp (%s): 115 columns as Weka 3.6.14" % what)
    for f in os.listdir(tmpd):
        os.remove(os.path.join(tmpd, f))
    os.rmdir(tmpd)
else:
    print("skip: %s absent: the real-data ranking check is not run (it needs ../shared)" % real)

golden = sorted(glob.glob(os.path.join(SRC, "tests/golden/weka/rank/*.F*.S*.txt")))
if not golden:
    print("FAIL: no golden files")
    sys.exit(1)
for g in golden:
    m = re.match(r"(.+)\.F(\d+)\.S(\d+)\.txt$", os.path.basename(g))
    name, folds, seed = m.group(1), m.group(2), m.group(3)
    arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
    want = ranked_lines(open(g).read())
    got = ranked_lines(run(["rank", arff, "--folds", folds, "--seed", seed]))
    checks += 1
    if want != got:
        failures += 1
        print("FAIL: %s folds %s seed %s" % (name, folds, seed))
        for w, h in zip(want + [""] * len(got), got + [""] * len(want)):
            print("   %-50s | %s%s" % (w, h, "" if w == h else "   <--"))
    else:
        print("ok: %s folds %s seed %s (%d attributes)" % (name, folds, seed, len(want)))

# thread count does not change anything; JSON and the selection agree
arff = os.path.join(SRC, "tests/data/weka/soybean.arff")
a = run(["rank", arff], threads=1)
b = run(["rank", arff], threads=2)
checks += 1
if a != b:
    failures += 1
    print("FAIL: 1 and 2 threads differ")
tmp = tempfile.mkdtemp()
sel = os.path.join(tmp, "top.txt")
j = json.loads(run(["rank", arff, "--json", "--top", "5", "-o", sel]))
names = [r["name"] for r in j["ranking"]]
kept = [l.strip() for l in open(sel) if l.strip() and not l.startswith("#")]
checks += 1
if kept != names[:5] or j["selected"] != names[:5]:
    failures += 1
    print("FAIL: --top/-o/--json disagree: %s %s %s" % (kept, names[:5], j["selected"]))
table = [l.split()[2] for l in ranked_lines(a)]
checks += 1
if table != names:
    failures += 1
    print("FAIL: JSON order differs from the table")
os.remove(sel)
os.rmdir(tmp)
print("%d passed, %d failed" % (checks - failures, failures))
sys.exit(1 if failures else 0)
