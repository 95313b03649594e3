#!/usr/bin/python3
"""test_j48_golden.py - `baiot j48 DATA --print-tree --layout 3.6` against
Weka 3.6.14's J48 command-line output (tests/golden/weka/j48, made by
tests/tools/weka/make_j48_golden.sh): the pruned (or unpruned) tree line
for line with its leaf count and size, and the cross-validation's summary,
detailed accuracy by class and confusion matrix, for 12 example data sets
and the default options, -C 0.1, -M 5, -U, -S, -B, -A, seed 42 and 5
folds.  Also: 1, 2 and 4 threads give the same output.

Known, explained mismatches (docs/WEKA_COMPAT.md, "J48") are listed in
EXPECTED: they are reported as 'xfail' while they differ, and as 'XPASS'
(not a failure) if they start to match.  Every other difference fails."""
import glob
import os
import subprocess
import sys

BIN = os.environ.get("BAIOT_BIN", "build/baiot")
SRC = os.environ.get("BAIOT_SRC", ".")
GOLD = os.path.join(SRC, "tests/golden/weka/j48")
TAGS = {"default": [], "C0.1": ["-C", "0.1"], "M5": ["-M", "5"], "U": ["-U"], "S": ["-S"], "B": ["-B"],
        "A": ["-A"], "s42": ["--seed", "42"], "x5": ["--folds", "5"]}
# (data set, option tag, part): the ROC areas of labor's unpruned tree
# differ in the last digit: its leaf probabilities equal Weka's to 1e-15
# but ties between them break differently (summation order of fractional
# weights; see docs/WEKA_COMPAT.md).
EXPECTED = {("labor", "U", "details")}
checks = failures = 0


def run(args, threads=None):
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    p = subprocess.run([BIN] + args, capture_output=True, text=True, env=env)
    if p.returncode:
        raise SystemExit("FAIL: baiot %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


def tree(text):
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("J48 ") and l.endswith(" tree"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Size of the tree"))
    return [l.rstrip() for l in lines[start:end + 1]]


def cv_part(text, start, stop):
    lines = text[text.index("=== Stratified cross-validation ==="):].splitlines()
    out, on = [], False
    for line in lines:
        if line.startswith(start):
            on = True
        elif on and stop and line.startswith(stop):
            break
        if on and line.strip() and not line.startswith("=== Summary"):
            out.append(line.rstrip())
    return out


def expect(name, key, want, got):
    global checks, failures
    checks += 1
    if want == got:
        print(("XPASS: %s (listed as an expected failure)" if key in EXPECTED else "ok: %s") % name)
        return
    if key in EXPECTED:
        print("xfail: %s (known, explained in docs/WEKA_COMPAT.md)" % name)
        return
    failures += 1
    print("FAIL: %s" % name)
    for w, g in zip(want + [""] * len(got), got + [""] * len(want)):
        print("  %s %-70s|%s" % (" " if w == g else "*", w, g))


golds = sorted(glob.glob(os.path.join(GOLD, "*.txt")))
golds = [g for g in golds if not g.endswith("VERSION.txt")]
if not golds:
    print("FAIL: no J48 golden files")
    sys.exit(1)
for g in golds:
    base = os.path.basename(g)[:-4]
    tag = next(t for t in TAGS if base.endswith("." + t))
    name = base[:-len(tag) - 1]
    want = open(g).read()
    got = run(["j48", os.path.join(SRC, "tests/data/weka", name + ".arff"), "--print-tree", "--layout", "3.6"]
              + TAGS[tag])
    expect("%s %s tree" % (name, tag), (name, tag, "tree"), tree(want), tree(got))
    # Weka's "-i" output: Summary (without its title) / Detailed / Confusion
    for part, start, stop in (("summary", "=== Stratified", "=== Detailed"),
                              ("details", "=== Detailed Accuracy", "=== Confusion"),
                              ("matrix", "=== Confusion Matrix ===", None)):
        expect("%s %s CV %s" % (name, tag, part), (name, tag, part), cv_part(want, start, stop),
               cv_part(got, start, stop))

# The real camera rows (../shared; skipped, saying so, where absent): the tree
# on all 115 columns and the 10-fold CV must be Weka's.
shared = os.environ.get("BAIOT_SHARED", os.path.join(SRC, "..", "shared"))
real = os.path.join(shared, "data", "nbaiot", "real")
if os.path.isdir(real):
    import shutil
    import tempfile
    tmpd = tempfile.mkdtemp()
    store = os.path.join(tmpd, "real.h5")
    subprocess.run([BIN, "ingest", "-q"] + [os.path.join(real, "Provision_PT_737E_Security_Camera.gafgyt.%s.zip" % a)
                                            for a in ("tcp", "udp")] + ["-o", store], check=True)
    want = open(os.path.join(SRC, "tests/golden/weka/j48_real/real_pt737e_gafgyt_tcp_udp.11class.txt")).read()
    got = run(["j48", store, "--task", "11class", "--print-tree", "--layout", "3.6"])
    expect("real PT737E tcp+udp tree", None, tree(want), tree(got))
    for part, start, stop in (("summary", "=== Stratified", "=== Detailed"),
                              ("details", "=== Detailed Accuracy", "=== Confusion"),
                              ("matrix", "=== Confusion Matrix ===", None)):
        expect("real PT737E tcp+udp CV %s" % part, None, cv_part(want, start, stop), cv_part(got, start, stop))
    shutil.rmtree(tmpd)
else:
    print("skip: %s absent: the real-data J48 check is not run (it needs ../shared)" % real)

seg = os.path.join(SRC, "tests/data/weka/segment-challenge.arff")
outs = [run(["j48", seg, "--print-tree"], threads=t) for t in (1, 2, 4)]
expect("segment-challenge: 1, 2 and 4 threads give the same output", None, outs[0].splitlines(),
       outs[1].splitlines())
expect("segment-challenge: 1 and 4 threads give the same output", None, outs[0].splitlines(),
       outs[2].splitlines())
print("%d passed, %d failed" % (checks - failures, failures))
sys.exit(1 if failures else 0)
