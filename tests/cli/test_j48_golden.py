#!/usr/bin/python3
"""test_j48_golden.py - `baiot j48 DATA --print-tree --layout 3.6` against
Weka 3.6.14's J48 command-line output (tests/golden/weka/j48, made by
tests/tools/weka/make_j48_golden.sh): the pruned (or unpruned) tree line
for line with its leaf count and size, and the cross-validation's summary,
detailed accuracy by class and confusion matrix, for 12 example data sets
and the default options, -C 0.1, -M 5, -U, -S, -B, -A, seed 42 and 5
folds, and for cases of the differential tester.  Also: 1, 2 and 4 threads give the same output.

Known, explained mismatches (docs/WEKA_COMPAT.md, "J48") are listed in
EXPECTED: they are reported as 'xfail' while they differ, and as 'XPASS'
(not a failure) if they start to match.  Every other difference fails."""
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

SRC = T.SRC
GOLD = os.path.join(SRC, "tests/golden/weka/j48")
TAGS = {"default": [], "C0.1": ["-C", "0.1"], "M5": ["-M", "5"], "U": ["-U"], "S": ["-S"], "B": ["-B"],
        "A": ["-A"], "s42": ["--seed", "42"], "x5": ["--folds", "5"]}
# (data set, option tag, part) pairs that differ from Weka for a known,
# documented reason; none at present.  Cases of the differential tester
# (tests/differential) among the goldens: diff-missing-class (seed 100:
# Weka 3.6.14 takes a threshold from a row whose class is missing) and
# diff-order (seed 3: missing values spread rows over the branches with
# fractional weights, whose sums, and so the ties between the
# cross-validated class probabilities that the ROC areas count, depend on
# Weka's order of a node's rows); labor -U and -B show the same rules on an
# example file (docs/WEKA_COMPAT.md, "J48").
EXPECTED = set()


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
    """T.expect_same, except for the EXPECTED mismatches: 'xfail' while they
    differ, 'XPASS' (not a failure) once they match."""
    if key not in EXPECTED:
        T.expect_same(name, want, got, width=70)
    elif want == got:
        print("XPASS: %s (listed as an expected failure)" % name)
    else:
        print("xfail: %s (known, explained in docs/WEKA_COMPAT.md)" % name)


def body(tmp):
    golds = sorted(glob.glob(os.path.join(GOLD, "*.txt")))
    golds = [g for g in golds if not g.endswith("VERSION.txt")]
    T.check(golds, "no J48 golden files")
    for g in golds:
        base = os.path.basename(g)[:-4]
        tag = next(t for t in TAGS if base.endswith("." + t))
        name = base[:-len(tag) - 1]
        want = open(g).read()
        got = T.out(["j48", os.path.join(SRC, "tests/data/weka", name + ".arff"), "--print-tree", "--layout", "3.6"]
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
    real = os.path.join(T.shared_dir() or os.path.join(SRC, "..", "shared"), "data", "nbaiot", "real")
    if os.path.isdir(real):
        store = os.path.join(tmp, "real.h5")
        T.out(["ingest", "-q"] + [os.path.join(real, "Provision_PT_737E_Security_Camera.gafgyt.%s.zip" % a)
                                  for a in ("tcp", "udp")] + ["-o", store])
        want = open(os.path.join(SRC, "tests/golden/weka/j48_real/real_pt737e_gafgyt_tcp_udp.11class.txt")).read()
        got = T.out(["j48", store, "--task", "11class", "--print-tree", "--layout", "3.6"])
        expect("real PT737E tcp+udp tree", None, tree(want), tree(got))
        for part, start, stop in (("summary", "=== Stratified", "=== Detailed"),
                                  ("details", "=== Detailed Accuracy", "=== Confusion"),
                                  ("matrix", "=== Confusion Matrix ===", None)):
            expect("real PT737E tcp+udp CV %s" % part, None, cv_part(want, start, stop), cv_part(got, start, stop))
        os.remove(store)
    else:
        print("skip: %s absent: the real-data J48 check is not run (it needs ../shared)" % real)

    seg = os.path.join(SRC, "tests/data/weka/segment-challenge.arff")
    outs = [T.out(["j48", seg, "--print-tree"], threads=t) for t in (1, 2, 4)]
    expect("segment-challenge: 1, 2 and 4 threads give the same output", None, outs[0].splitlines(),
           outs[1].splitlines())
    expect("segment-challenge: 1 and 4 threads give the same output", None, outs[0].splitlines(),
           outs[2].splitlines())


if __name__ == "__main__":
    T.main("j48-golden", body)
