#!/usr/bin/python3
"""test_oner_golden.py - `baiot oner` (Weka's OneR, 10-fold CV, seed 1)
against Weka 3.6.14 (golden outputs in tests/golden/weka/eval made by
tests/tools/java/make_eval_golden.sh): the summary, the detailed accuracy by
class and the confusion matrix, printed in the 3.6 layout, must equal Weka's
text; also the same figures for 1 and 2 threads, the rule printed as Weka's,
and the JSON agreeing with the table."""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

SRC = T.SRC
GOLD = os.path.join(SRC, "tests/golden/weka/eval")


def block(text, start, stop):
    lines = text.splitlines()
    out, on = [], False
    for line in lines:
        if line.startswith(start):
            on = True
        elif on and stop and line.startswith(stop):
            break
        if on:
            out.append(line.rstrip())
    while out and not out[-1]:
        out.pop()
    return out


def cv_block(t):
    part = t[t.index("=== Stratified cross-validation ==="):]
    return [l.rstrip() for l in part.splitlines() if l.strip() and not l.startswith("=== Summary")]


def rule_lines(t):
    lines = t.splitlines()
    start = next(i for i, l in enumerate(lines) if l.endswith(":") and not l.startswith("==="))
    end = next(i for i, l in enumerate(lines) if "instances correct" in l)
    return lines[start:end + 1]


def body(tmp):
    names = sorted({os.path.basename(p).split(".OneR.")[0]
                    for p in glob.glob(os.path.join(GOLD, "*.OneR.summary.txt"))})
    T.check(names, "no OneR golden files")
    for name in names:
        arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
        if not os.path.exists(arff):
            arff = os.path.join(SRC, "tests/data/eval", name + ".arff")
        if not os.path.exists(arff):
            print("note: no ARFF for %s" % name)
            continue
        out = T.out(["oner", arff, "--layout", "3.6"])
        for part, start, stop in (("summary", "=== Summary ===", "=== Detailed"),
                                  ("details", "=== Detailed Accuracy", "=== Confusion"),
                                  ("matrix", "=== Confusion Matrix ===", None)):
            want = [l.rstrip() for l in open(os.path.join(GOLD, "%s.OneR.%s.txt" % (name, part))).read().splitlines()]
            while want and not want[-1]:
                want.pop()
            T.expect_same("%s %s" % (name, part), want, block(out, start, stop))

    # the real camera rows (../shared; skipped, saying so, where absent): rule,
    # summary, per-class figures and confusion matrix as Weka's -t -i output
    shared = T.shared_dir()
    real = os.path.join(shared or os.path.join(SRC, "..", "shared"), "data", "nbaiot", "real")
    if os.path.isdir(real):
        store = os.path.join(tmp, "real.h5")
        T.out(["ingest", "-q"] + [os.path.join(real, "Provision_PT_737E_Security_Camera.gafgyt.%s.zip" % a)
                                  for a in ("tcp", "udp")] + ["-o", store])
        got = T.out(["oner", store, "--task", "11class", "--layout", "3.6"])
        want = open(os.path.join(GOLD, "real_pt737e_gafgyt_tcp_udp.11class.OneR.txt")).read()
        T.expect_same("real PT737E tcp+udp OneR 10-fold CV", cv_block(want), cv_block(got))
        T.expect_same("real PT737E tcp+udp OneR rule", rule_lines(want), rule_lines(got))
        os.remove(store)
    else:
        print("skip: %s absent: the real-data OneR check is not run (it needs ../shared)" % real)

    # other folds and seeds: Weka's command-line output (-t -i -x K -s S)
    for g in sorted(glob.glob(os.path.join(SRC, "tests/golden/weka/oner/*.x*.s*.txt"))):
        base = os.path.basename(g)[:-4]
        name, xs, ss = base.rsplit(".", 2)
        got = T.out(["oner", os.path.join(SRC, "tests/data/weka", name + ".arff"), "--layout", "3.6",
                     "--folds", xs[1:], "--seed", ss[1:]])
        T.expect_same("%s %s-fold seed %s" % (name, xs[1:], ss[1:]), cv_block(open(g).read()), cv_block(got))

    # threads, rule and JSON
    iris = os.path.join(SRC, "tests/data/weka/iris.arff")
    a, b = T.out(["oner", iris], threads=1), T.out(["oner", iris], threads=2)
    T.expect_same("1 and 2 threads give the same output", a.splitlines(), b.splitlines())
    T.expect_same("iris rule as Weka prints it",
                  ["petalwidth:", "\t< 0.8\t-> Iris-setosa", "\t< 1.75\t-> Iris-versicolor",
                   "\t>= 1.75\t-> Iris-virginica", "(144/150 instances correct)"],
                  block(a, "petalwidth:", "=== Stratified")[:5])
    j = json.loads(T.out(["oner", iris, "--json"]))
    s = json.dumps(j)
    T.expect("JSON holds the 138 correct rows", "138" in s)


if __name__ == "__main__":
    T.main("oner-golden", body)
