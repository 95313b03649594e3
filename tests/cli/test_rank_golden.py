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
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

SRC = T.SRC


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


def body(tmp):
    # The real camera rows (../shared; skipped, saying so, where absent): the
    # store and its ARFF export must both rank exactly as Weka did.
    real = os.path.join(T.shared_dir() or os.path.join(SRC, "..", "shared"), "data", "nbaiot", "real")
    if os.path.isdir(real):
        store = os.path.join(tmp, "real.h5")
        zips = [os.path.join(real, "Provision_PT_737E_Security_Camera.gafgyt.%s.zip" % a) for a in ("tcp", "udp")]
        T.out(["ingest", "-q"] + zips + ["-o", store])
        T.out(["export", store, "--arff", "--task", "11class", "-o", store + ".arff"])
        want = ranked_lines(open(os.path.join(SRC, "tests/golden/weka/rank/real_pt737e_gafgyt_tcp_udp.11class.txt"))
                            .read())
        for what, args in (("store", [store, "--task", "11class"]), ("ARFF", [store + ".arff"])):
            got = ranked_lines(T.out(["rank"] + args))
            T.expect_same("real PT737E tcp+udp (%s) ranks as Weka 3.6.14 (%d columns)" % (what, len(want)), want, got,
                          width=50)
        for f in os.listdir(tmp):
            os.remove(os.path.join(tmp, f))
    else:
        print("skip: %s absent: the real-data ranking check is not run (it needs ../shared)" % real)

    golden = sorted(glob.glob(os.path.join(SRC, "tests/golden/weka/rank/*.F*.S*.txt")))
    T.check(golden, "no golden files")
    for g in golden:
        m = re.match(r"(.+)\.F(\d+)\.S(\d+)\.txt$", os.path.basename(g))
        name, folds, seed = m.group(1), m.group(2), m.group(3)
        arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
        want = ranked_lines(open(g).read())
        got = ranked_lines(T.out(["rank", arff, "--folds", folds, "--seed", seed]))
        T.expect_same("%s folds %s seed %s (%d attributes)" % (name, folds, seed, len(want)), want, got, width=50)

    # thread count does not change anything; JSON and the selection agree
    arff = os.path.join(SRC, "tests/data/weka/soybean.arff")
    a = T.out(["rank", arff], threads=1)
    b = T.out(["rank", arff], threads=2)
    T.expect("1 and 2 threads give the same output", a == b)
    sel = os.path.join(tmp, "top.txt")
    j = json.loads(T.out(["rank", arff, "--json", "--top", "5", "-o", sel]))
    names = [r["name"] for r in j["ranking"]]
    kept = [l.strip() for l in open(sel) if l.strip() and not l.startswith("#")]
    T.expect("--top/-o/--json agree", kept == names[:5] and j["selected"] == names[:5],
             "%s %s %s" % (kept, names[:5], j["selected"]))
    table = [l.split()[2] for l in ranked_lines(a)]
    T.expect("JSON order is the table's", table == names)


if __name__ == "__main__":
    T.main("rank-golden", body)
