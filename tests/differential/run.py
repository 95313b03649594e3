#!/usr/bin/python3
"""run.py - randomized differential tester of baiot against Weka 3.6.14:
for each seed, gen.py's random ARFF file goes through Weka (one persistent
JVM running WekaBatch.java) and through baiot (one process per case), for
J48 (under several option sets), OneR, OneRAttributeEval + Ranker and EM
(-N 3 and -N -1, classes to clusters); every section both print is compared
as the golden tests do (tests/cli/test_{j48,oner,rank,em}_golden.py).

    cd /work/wt-diff   # a build with build/baiot
    /usr/bin/python3 tests/differential/run.py --seeds 1-50
    /usr/bin/python3 tests/differential/run.py --algos j48,oner,rank,em3,emauto \\
        --j48-opts default,U,C0.1,M5,A,S,B --seeds 1-5000 --budget 3600 --out /tmp/diff-out

What is compared (a difference in any one is a divergence):
  j48    the tree (every line, leaves, size), then the cross-validation's
         summary, detailed accuracy by class and confusion matrix
         (baiot j48 F --print-tree --layout 3.6 OPTS vs J48 -t F -i OPTS)
  oner   the rule, then the CV summary, details and matrix
  rank   the ranked list (merit, number, name, order)
  em3 / emauto  number of clusters; priors, means, std devs and the mean
         log-likelihood at 1e-6 relative (Weka's model at full precision);
         the classes-to-clusters block and incorrectly clustered count
         (identical); last, Weka's whole printed text.
An EM difference is re-run on a JVM with StrictMath's exp/log; when Weka's
own result changes there, the case counts as "weka-unstable", not as a
divergence (ALT_JVM_FLAGS, --no-unstable-check).
A baiot crash (signal) or timeout (--timeout, 60 s) is a divergence of its
own, so is an error on one side only; an error on both sides is counted as
"both-reject", not a divergence.  The kind of a divergence is its first
differing part with a coarse sub-kind (e.g. "details:roc" when only the ROC
areas differ, "tree:numbers" when only numbers in the tree differ).

Each divergence is saved as OUT/<algo>.<opt>.<seed>/ (case.arff, weka.txt,
baiot.txt, diff.txt, kind.txt; weka.tsv and baiot.json for EM).  The first
--shrink-per-kind divergences of each (algorithm, options, kind) are then
shrunk: halves, quarters, ... and single rows are dropped, then attributes,
keeping each removal that still shows the same kind (at most
--shrink-attempts runs), giving shrunk.arff and shrunk.*.txt.  The summary
table (also OUT/summary.txt) lists cases run per algorithm and option set and
the divergences by kind.  --budget stops starting new seeds after that many
seconds.  One JVM and one baiot process run at a time."""
import argparse
import difflib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

J48_OPTS = {"default": [], "U": ["-U"], "C0.1": ["-C", "0.1"], "M5": ["-M", "5"], "A": ["-A"], "S": ["-S"],
            "B": ["-B"]}
EM_OPTS = ["-S", "100", "-I", "100", "-c", "last"]
REL = 1e-6  # the EM golden test's relative tolerance


# ---------------------------------------------------------------- Weka side

class Weka:
    """The persistent WekaBatch JVM: one job at a time, restarted after a timeout."""

    def __init__(self, jar, timeout, jvm_flags=(), xmx="2g"):
        self.jar, self.timeout, self.jvm_flags, self.xmx = jar, timeout, list(jvm_flags), xmx
        self.cls = tempfile.mkdtemp(prefix="wekabatch.")
        subprocess.run(["javac", "-cp", jar, "-d", self.cls, os.path.join(HERE, "WekaBatch.java")], check=True)
        self.proc = None
        self.errlog = open(os.path.join(self.cls, "stderr.txt"), "w")

    def start(self):
        self.proc = subprocess.Popen(["java", "-Xmx" + self.xmx] + self.jvm_flags + ["-cp", self.jar + ":" + self.cls,
                                                                          "WekaBatch"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errlog, text=True,
                                     bufsize=1)

    def stop(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def run(self, algo, arff, out, opts):
        """Runs one job; returns (text, seconds) or ("WEKA-TIMEOUT", seconds)."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        for p in (out, out + ".tsv"):
            if os.path.exists(p):
                os.remove(p)
        t0 = time.time()
        self.proc.stdin.write("\t".join([algo, arff, out] + opts) + "\n")
        self.proc.stdin.flush()
        while True:
            left = self.timeout - (time.time() - t0)
            r, _, _ = select.select([self.proc.stdout], [], [], max(0.0, left))
            if not r:
                self.stop()
                return "WEKA-TIMEOUT after %d s\n" % self.timeout, time.time() - t0
            line = self.proc.stdout.readline()
            if not line:  # the JVM died
                self.stop()
                return "WEKA-ERROR: the JVM exited\n", time.time() - t0
            if line.strip() == "DONE":
                break
        with open(out) as f:
            return f.read(), time.time() - t0

    def close(self):
        if self.proc:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.stop()
        shutil.rmtree(self.cls, ignore_errors=True)


# --------------------------------------------------------------- baiot side

def run_baiot(binary, args, timeout):
    """(status, stdout, stderr): status is "ok", "error N", "crash SIGxxx" or "timeout"."""
    env = dict(os.environ, OMP_NUM_THREADS="1")
    try:
        p = subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout, env=env,
                           errors="replace")
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode("utf-8", "replace") if isinstance(e.stdout, bytes) else \
            (e.stdout or ""), ""
    if p.returncode < 0:
        return "crash " + signal.Signals(-p.returncode).name, p.stdout, p.stderr
    if p.returncode:
        return "error %d" % p.returncode, p.stdout, p.stderr
    return "ok", p.stdout, p.stderr


# ------------------------------------------------------- sections of the text

def lines_between(text, start_pred, stop_pred, include_stop=False):
    """The lines from the first that start_pred accepts to (before) stop_pred's; None if no start."""
    lines = text.splitlines()
    for i, l in enumerate(lines):
        if start_pred(l):
            out = []
            for m in lines[i:]:
                if out and stop_pred(m):
                    if include_stop:
                        out.append(m.rstrip())
                    break
                out.append(m.rstrip())
            while out and not out[-1]:
                out.pop()
            return out
    return None


def j48_tree(text):
    return lines_between(text, lambda l: l.startswith("J48 ") and l.endswith(" tree"),
                         lambda l: l.startswith("Size of the tree"), include_stop=True)


def cv_parts(text):
    """The CV's summary (without its title), details and matrix, as the golden tests cut them."""
    i = text.find("=== Stratified cross-validation ===")
    if i < 0:
        return None, None, None
    cv = text[i:]
    out = []
    for start, stop in (("=== Stratified", "=== Detailed"), ("=== Detailed Accuracy", "=== Confusion"),
                        ("=== Confusion Matrix ===", None)):
        part, on = [], False
        for line in cv.splitlines():
            if line.startswith(start):
                on = True
            elif on and stop and line.startswith(stop):
                break
            if on and line.strip() and not line.startswith("=== Summary"):
                part.append(line.rstrip())
        out.append(part if on else None)
    return tuple(out)


def oner_rule(text):
    lines = text.splitlines()
    for i, l in enumerate(lines):
        if l.endswith(":") and not l.startswith("===") and not l.startswith("\t"):
            for j in range(i, len(lines)):
                if "instances correct)" in lines[j]:
                    return [x.rstrip() for x in lines[i:j + 1]]
            return None
    return None


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
    return out if on else None


def c2c_block(text):
    lines = text.splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("Class attribute:"))
        end = next(i for i, l in enumerate(lines) if l.startswith("Incorrectly clustered"))
    except StopIteration:
        return None
    return [l.rstrip() for l in lines[start:end + 1]]


NUM = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?|NaN|-?Infinity|\?")


def numbers_only(a, b):
    """Same lines once every number is replaced by '#'?"""
    return a is not None and b is not None and len(a) == len(b) and \
        [NUM.sub("#", x) for x in a] == [NUM.sub("#", x) for x in b]


def details_sub(w, b):
    """'roc' when only the ROC Area column differs, else 'rates'."""
    if w is None or b is None or len(w) != len(b):
        return "rates"
    cols = set()
    for x, y in zip(w, b):
        tx, ty = x.split(), y.split()
        if len(tx) != len(ty):
            return "rates"
        for i, (p, q) in enumerate(zip(tx, ty)):
            if p != q:
                cols.add(i - len(tx))  # from the right: ..., ROC = -2 on class rows
    # class rows end "... ROC Class", the weighted row "... ROC": accept either last numeric
    return "roc" if cols and all(c in (-2, -1) for c in cols) and all(
        x.split()[:-2] == y.split()[:-2] for x, y in zip(w, b)) else "rates"


def summary_sub(w, b):
    if w is None or b is None:
        return "missing"
    cw = [l for l in w if l.startswith("Correctly") or l.startswith("Incorrectly") or l.startswith("Total")]
    cb = [l for l in b if l.startswith("Correctly") or l.startswith("Incorrectly") or l.startswith("Total")]
    return "counts" if cw != cb else "errors"


# ------------------------------------------------------------ comparisons

def compare_classifier(algo, wtext, btext):
    """[(part, sub, weka_lines, baiot_lines)] of the differing parts, in order."""
    diffs = []
    if algo == "j48":
        first = [("tree", j48_tree(wtext), j48_tree(btext))]
    else:
        first = [("rule", oner_rule(wtext), oner_rule(btext))]
    ws, wd, wm = cv_parts(wtext)
    bs, bd, bm = cv_parts(btext)
    for part, w, b in first + [("summary", ws, bs), ("details", wd, bd), ("matrix", wm, bm)]:
        if w != b:
            if part in ("tree", "rule"):
                sub = "numbers" if numbers_only(w, b) else "shape"
            elif part == "summary":
                sub = summary_sub(w, b)
            elif part == "details":
                sub = details_sub(w, b)
            else:
                sub = "cells"
            diffs.append((part, sub, w, b))
    return diffs


def compare_rank(wtext, btext):
    w, b = ranked_lines(wtext), ranked_lines(btext)
    if w == b:
        return []
    sub = "order" if w is not None and b is not None and sorted(w) == sorted(b) else "merit"
    return [("ranking", sub, w, b)]


def read_tsv(text):
    g = {"prior": {}, "mean": {}, "sd": {}, "assign": {}}
    for line in text.splitlines():
        f = line.split("\t")
        if f[0] == "clusters":
            g["clusters"] = int(f[1])
        elif f[0] == "loglik":
            g["loglik"] = float(f[1])
        elif f[0] in ("prior", "assign"):
            g[f[0]][int(f[1])] = float(f[2])
        elif f[0] in ("mean", "sd"):
            g[f[0]][(int(f[1]), int(f[2]))] = float(f[3])
    return g


def rel_err(a, b):
    if a == b:
        return 0.0
    if a != a or b != b:
        return float("inf")
    return abs(a - b) / max(abs(a), abs(b))


def compare_em(wtext, wtsv, btext, bjson):
    diffs = []
    try:
        g = read_tsv(wtsv)
        j = json.loads(bjson)
    except (ValueError, KeyError, IndexError) as e:
        return [("model", "unreadable", [str(e)], [])]
    if "clusters" not in g:
        return [("model", "weka-model-error", wtsv.splitlines(), [])]
    k = j["clusters"]
    if k != g["clusters"]:
        return [("clusters", "count", ["clusters %d" % g["clusters"]], ["clusters %d" % k])]
    bad = [c for c in range(k) if rel_err(j["priors"][c], g["prior"][c]) > REL]
    worst, where = 0.0, None
    for a, att in enumerate(j["attributes"]):
        if "mean" not in att:
            continue
        for c in range(k):
            for key, jk in (("mean", "mean"), ("sd", "std_dev")):
                if (c, a) not in g[key]:
                    continue
                e = rel_err(g[key][(c, a)], att[jk][c])
                if e > worst:
                    worst, where = e, (key, c, att["name"], g[key][(c, a)], att[jk][c])
    if bad or worst > REL:
        w = ["prior %d %r" % (c, g["prior"][c]) for c in bad]
        b = ["prior %d %r" % (c, j["priors"][c]) for c in bad]
        if worst > REL:
            w.append("%s cluster %d %s %r" % (where[0], where[1], where[2], where[3]))
            b.append("%s cluster %d %s %r (rel. error %.3g)" % (where[0], where[1], where[2], where[4], worst))
        diffs.append(("params", "priors" if bad else "means-sds", w, b))
    if rel_err(g["loglik"], j["log_likelihood"]) > REL:
        diffs.append(("loglik", "value", ["loglik %r" % g["loglik"]], ["loglik %r" % j["log_likelihood"]]))
    wc, bc = c2c_block(wtext), c2c_block(btext)
    if wc != bc:
        diffs.append(("c2c", "matrix", wc, bc))
    wl = [l.rstrip() for l in wtext.splitlines()]
    bl = [l.rstrip() for l in btext.splitlines()]
    while wl and not wl[-1]:
        wl.pop()
    while bl and not bl[-1]:
        bl.pop()
    if wl != bl:
        diffs.append(("text", "numbers" if numbers_only(wl, bl) else "layout", wl, bl))
    return diffs


# EM only: a divergence is re-run through a second JVM whose Math.exp and
# Math.log are the portable StrictMath ones instead of HotSpot's x86_64
# intrinsics (they differ in the last bit on ~0.2% of arguments).  When that
# changes Weka's own EM result, the digits compared are the rounding noise of
# the JVM's math library (an ill-conditioned variance: docs/WEKA_COMPAT.md),
# not Weka's algorithm, and the case counts as "weka-unstable", not as a
# divergence.
ALT_JVM_FLAGS = ["-XX:+UnlockDiagnosticVMOptions", "-XX:-UseLibmIntrinsic"]


def weka_unstable(wtext, wtsv, atext, atsv):
    """True when two Weka EM runs (default JVM, ALT_JVM_FLAGS) differ in what compare_em compares."""
    if atext.startswith("WEKA-"):
        return False
    g, h = read_tsv(wtsv), read_tsv(atsv)
    if g.get("clusters") != h.get("clusters") or rel_err(g.get("loglik", 0), h.get("loglik", 0)) > REL:
        return True
    for key in ("prior", "mean", "sd"):
        if set(g[key]) != set(h[key]) or any(rel_err(g[key][i], h[key][i]) > REL for i in g[key]):
            return True
    return c2c_block(wtext) != c2c_block(atext) or wtext.rstrip() != atext.rstrip()


# ------------------------------------------------------------ one case

class Config:
    def __init__(self, algo, opt):
        self.algo, self.opt = algo, opt
        self.name = "%s.%s" % (algo, opt)

    def weka_job(self):
        if self.algo == "j48":
            return "j48", J48_OPTS[self.opt]
        if self.algo == "oner":
            return "oner", []
        if self.algo == "rank":
            return "rank", ["-F", "10", "-S", "1", "-B", "6"]
        return "em", ["-N", "3" if self.algo == "em3" else "-1"] + EM_OPTS

    def baiot_args(self, arff):
        if self.algo == "j48":
            return ["j48", arff, "--print-tree", "--layout", "3.6"] + J48_OPTS[self.opt]
        if self.algo == "oner":
            return ["oner", arff, "--layout", "3.6"]
        if self.algo == "rank":
            return ["rank", arff, "--folds", "10", "--seed", "1"]
        return ["em", arff, "--clusters", "3" if self.algo == "em3" else "auto", "--classes-to-clusters"]


def run_case(cfg, arff, work, weka, a):
    """Runs both sides; returns a result dict with 'kind' (None when equal)."""
    algo, wopts = cfg.weka_job()
    wout = os.path.join(work, "weka.out")
    wtext, wsec = weka.run(algo, arff, wout, wopts)
    wtsv = ""
    if algo == "em" and os.path.exists(wout + ".tsv"):
        wtsv = open(wout + ".tsv").read()
    t0 = time.time()
    bstat, btext, berr = run_baiot(a.baiot, cfg.baiot_args(arff), a.timeout)
    bjson = ""
    if algo == "em" and bstat == "ok":
        bstat2, bjson, berr2 = run_baiot(a.baiot, cfg.baiot_args(arff) + ["--json"], a.timeout)
        if bstat2 != "ok":
            bstat, berr = bstat2 + " (--json)", berr2
    bsec = time.time() - t0
    res = {"weka": wtext, "weka_tsv": wtsv, "baiot": btext, "baiot_err": berr, "baiot_json": bjson,
           "baiot_status": bstat, "weka_sec": wsec, "baiot_sec": bsec, "diffs": [], "kind": None}
    werr = wtext.startswith("WEKA-ERROR") or wtext.startswith("WEKA-TIMEOUT")
    if bstat.startswith("crash"):
        res["kind"] = "crash:" + bstat.split()[1]
    elif bstat == "timeout":
        res["kind"] = "baiot-timeout"
    elif wtext.startswith("WEKA-TIMEOUT"):
        res["kind"] = "weka-timeout"
    elif werr and bstat != "ok":
        res["both_reject"] = True
    elif werr:
        res["kind"] = "weka-error:" + wtext.split(":")[1].strip().split(".")[-1]
    elif bstat != "ok":
        res["kind"] = "baiot-error"
    else:
        if algo in ("j48", "oner"):
            d = compare_classifier(algo, wtext, btext)
        elif algo == "rank":
            d = compare_rank(wtext, btext)
        else:
            d = compare_em(wtext, wtsv, btext, bjson)
            if d and weka.alt is not None:
                atext, _ = weka.alt.run(algo, arff, wout + ".alt", wopts)
                atsv = open(wout + ".alt.tsv").read() if os.path.exists(wout + ".alt.tsv") else ""
                if weka_unstable(wtext, wtsv, atext, atsv):
                    res["weka_unstable"] = True
                    d = []
        res["diffs"] = d
        if d:
            res["kind"] = "%s:%s" % (d[0][0], d[0][1])
    return res


def side_by_side(w, b):
    w, b = w or ["(absent)"], b or ["(absent)"]
    out = []
    for x, y in zip(w + [""] * len(b), b + [""] * len(w)):
        if x or y:
            out.append("%s %-70s| %s" % (" " if x == y else "*", x, y))
    return out


def save_case(d, res, arff_text, prefix=""):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, prefix + "case.arff" if not prefix else prefix + "arff"), "w") as f:
        f.write(arff_text)
    with open(os.path.join(d, prefix + "weka.txt"), "w") as f:
        f.write(res["weka"])
    with open(os.path.join(d, prefix + "baiot.txt"), "w") as f:
        f.write(res["baiot"])
        if res["baiot_status"] != "ok":
            f.write("\n--- baiot %s; stderr:\n%s" % (res["baiot_status"], res["baiot_err"]))
    if res["weka_tsv"]:
        with open(os.path.join(d, prefix + "weka.tsv"), "w") as f:
            f.write(res["weka_tsv"])
    if res["baiot_json"]:
        with open(os.path.join(d, prefix + "baiot.json"), "w") as f:
            f.write(res["baiot_json"])
    with open(os.path.join(d, prefix + "diff.txt"), "w") as f:
        f.write("kind: %s\n" % res["kind"])
        for part, sub, w, b in res["diffs"]:
            f.write("\n== %s (%s): Weka | baiot\n" % (part, sub))
            f.write("\n".join(side_by_side(w, b)) + "\n")
        f.write("\n== unified diff of the whole outputs (Weka -> baiot)\n")
        f.writelines(difflib.unified_diff(res["weka"].splitlines(True), res["baiot"].splitlines(True),
                                          "weka", "baiot", n=1))


# ------------------------------------------------------------ shrinking

def split_arff(text):
    lines = text.splitlines()
    i = next(n for n, l in enumerate(lines) if l.strip().lower() == "@data")
    return lines[:i + 1], [l for l in lines[i + 1:] if l.strip()]


def join_arff(head, rows):
    return "\n".join(head + rows) + "\n"


def drop_attribute(head, rows, idx):
    """Removes the idx-th @attribute (0-based) from the header and every row."""
    atts = [n for n, l in enumerate(head) if l.lower().startswith("@attribute")]
    h = [l for n, l in enumerate(head) if n != atts[idx]]
    r = []
    for row in rows:
        f = row.split(",")
        del f[idx]
        r.append(",".join(f))
    return h, r


def shrink(cfg, arff_text, kind, work, weka, a):
    """Drops row chunks (halves down to single rows), then attributes, while
    the same kind of divergence shows; returns (text, result, attempts)."""
    head, rows = split_arff(arff_text)
    path = os.path.join(work, "shrink.arff")
    attempts = [0]
    t_end = time.time() + a.shrink_seconds

    def same(h, r):
        if attempts[0] >= a.shrink_attempts or time.time() > t_end or not r:
            return False
        attempts[0] += 1
        with open(path, "w") as f:
            f.write(join_arff(h, r))
        return run_case(cfg, path, work, weka, a)["kind"] == kind

    def rows_pass(h, r):
        size = len(r) // 2
        while size >= 1:
            i = 0
            while i < len(r):
                cand = r[:i] + r[i + size:]
                if cand and same(h, cand):
                    r = cand
                else:
                    i += size
                if attempts[0] >= a.shrink_attempts or time.time() > t_end:
                    return r
            size //= 2
        return r

    rows = rows_pass(head, rows)
    n_att = sum(1 for l in head if l.lower().startswith("@attribute")) - 1
    idx = n_att - 1
    while idx >= 0 and n_att > 1:
        h2, r2 = drop_attribute(head, rows, idx)
        if same(h2, r2):
            head, rows, n_att = h2, r2, n_att - 1
        idx -= 1
    rows = rows_pass(head, rows)
    text = join_arff(head, rows)
    with open(path, "w") as f:  # rerun the result to keep its outputs
        f.write(text)
    return text, run_case(cfg, path, work, weka, a), attempts[0]


# ------------------------------------------------------------ main

def parse_seeds(s):
    out = []
    for part in s.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            out += range(int(lo), int(hi) + 1)
        else:
            out.append(int(part))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--algos", default="j48,oner,rank,em3,emauto")
    ap.add_argument("--j48-opts", default="default,U,C0.1,M5,A,S,B")
    ap.add_argument("--seeds", default="1-50")
    ap.add_argument("--budget", type=float, default=0, help="seconds; 0 = no limit")
    ap.add_argument("--out", default="/tmp/diff-out")
    ap.add_argument("--baiot", default=os.environ.get("BAIOT_BIN", "build/baiot"))
    ap.add_argument("--jar", default=os.environ.get("WEKA_JAR", "/usr/share/java/weka.jar"))
    ap.add_argument("--timeout", type=float, default=60, help="baiot's timeout per run (s)")
    ap.add_argument("--weka-timeout", type=float, default=120)
    ap.add_argument("--weka-xmx", default="2g", help="the JVM's heap (java -Xmx); 8g for the 208,521 real rows")
    ap.add_argument("--shrink-per-kind", type=int, default=1)
    ap.add_argument("--shrink-attempts", type=int, default=120)
    ap.add_argument("--shrink-seconds", type=float, default=180)
    ap.add_argument("--files", help="comma-separated ARFF files to run instead of generated seeds")
    ap.add_argument("--no-huge", action="store_true", help="skip the seeds of the 'huge' family")
    ap.add_argument("--no-unstable-check", action="store_true",
                    help="EM: count every difference, even where Weka's own result depends on the JVM's exp/log")
    a = ap.parse_args()
    a.baiot = os.path.abspath(a.baiot)
    configs = []
    for algo in a.algos.split(","):
        if algo == "j48":
            configs += [Config("j48", o) for o in a.j48_opts.split(",")]
        elif algo in ("oner", "rank", "em3", "emauto"):
            configs.append(Config(algo, "-"))
        else:
            raise SystemExit("unknown algorithm %s" % algo)
    os.makedirs(a.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="work.", dir=a.out)
    weka = Weka(a.jar, a.weka_timeout, xmx=a.weka_xmx)
    weka.alt = None if a.no_unstable_check else Weka(a.jar, a.weka_timeout, ALT_JVM_FLAGS, a.weka_xmx)
    stats = {c.name: {"cases": 0, "huge": 0, "div": {}, "both_reject": 0, "unstable": [], "weka_s": 0.0,
                      "baiot_s": 0.0} for c in configs}
    shrunk_per = {}
    log = open(os.path.join(a.out, "log.txt"), "a")
    t_start = time.time()
    seeds = a.files.split(",") if a.files else parse_seeds(a.seeds)
    done_seeds = []
    try:
        for seed in seeds:
            if a.budget and time.time() - t_start > a.budget:
                break
            if a.files:
                text, tags = open(seed).read(), [os.path.basename(seed)]
            else:
                text, tags = gen.generate(seed)
            huge = "HUGE" in tags
            if huge and a.no_huge:
                continue
            arff = os.path.join(work, "seed%s.arff" % (seed if not a.files else "file"))
            with open(arff, "w") as f:
                f.write(text)
            for cfg in configs:
                res = run_case(cfg, arff, work, weka, a)
                st = stats[cfg.name]
                st["cases"] += 1
                st["huge"] += huge
                st["weka_s"] += res["weka_sec"]
                st["baiot_s"] += res["baiot_sec"]
                if a.files:  # one line per case: the times of each file
                    log.write("%s %s: weka %.1f s, baiot %.1f s, %s\n" % (
                        cfg.name, os.path.basename(seed), res["weka_sec"], res["baiot_sec"],
                        res["kind"] or ("weka-unstable" if res.get("weka_unstable") else
                                        "both-reject" if res.get("both_reject") else "equal")))
                    log.flush()
                if res.get("both_reject"):
                    st["both_reject"] += 1
                    log.write("%s seed %s: both reject (Weka %s)\n" % (cfg.name, seed, res["weka"].strip()[:200]))
                if res.get("weka_unstable"):
                    st["unstable"].append(seed)
                    log.write("%s seed %s: weka-unstable (Weka's result depends on the JVM's exp/log)\n" % (
                        cfg.name, seed))
                if not res["kind"]:
                    continue
                kind = res["kind"] + (" [huge]" if huge else "")
                st["div"].setdefault(kind, []).append(seed)
                d = os.path.join(a.out, "%s.%s" % (cfg.name.replace(".-", ""), seed if not a.files else
                                                   os.path.basename(seed)[:-5]))
                save_case(d, res, text)
                msg = "%s seed %s: %s (families: %s)" % (cfg.name, seed, kind, " ".join(tags))
                print(msg, flush=True)
                log.write(msg + "\n")
                log.flush()
                key = (cfg.name, kind)
                if shrunk_per.get(key, 0) < a.shrink_per_kind:
                    shrunk_per[key] = shrunk_per.get(key, 0) + 1
                    stext, sres, n = shrink(cfg, text, res["kind"], work, weka, a)
                    save_case(d, sres, stext, prefix="shrunk.")
                    _, srows = split_arff(stext)
                    msg = "  shrunk in %d runs to %d rows, %d attributes: %s (%s)" % (
                        n, len(srows), sum(1 for l in split_arff(stext)[0] if l.lower().startswith("@attribute")) - 1,
                        os.path.join(d, "shrunk.arff"), sres["kind"])
                    print(msg, flush=True)
                    log.write(msg + "\n")
            os.remove(arff)
            done_seeds.append(seed)
            if len(done_seeds) % 25 == 0:
                print("... %d seeds (last %s), %.0f s" % (len(done_seeds), seed, time.time() - t_start), flush=True)
    finally:
        weka.close()
        if weka.alt is not None:
            weka.alt.close()
        shutil.rmtree(work, ignore_errors=True)
    lines = ["differential run: seeds %s (%d run: %s..%s), %.0f s, baiot %s" % (
        ("files " + a.files) if a.files else a.seeds, len(done_seeds), done_seeds[0] if done_seeds else "-", done_seeds[-1] if done_seeds else "-",
        time.time() - t_start, a.baiot), "",
        "%-14s %6s %5s %6s %6s %8s %8s %8s" % ("config", "cases", "huge", "div", "bothrej", "unstable", "weka s",
                                               "baiot s")]
    for c in configs:
        st = stats[c.name]
        lines.append("%-14s %6d %5d %6d %6d %8d %8.0f %8.0f" % (c.name, st["cases"], st["huge"],
                                                               sum(len(v) for v in st["div"].values()),
                                                               st["both_reject"], len(st["unstable"]), st["weka_s"],
                                                               st["baiot_s"]))
    for c in configs:
        if stats[c.name]["unstable"]:
            lines.append("%s weka-unstable seeds: %s" % (c.name, " ".join(map(str, stats[c.name]["unstable"]))))
    lines += ["", "divergences by kind (config, kind: count, first seeds)"]
    for c in configs:
        for kind, ss in sorted(stats[c.name]["div"].items()):
            lines.append("  %-14s %-32s %5d  %s" % (c.name, kind, len(ss), " ".join(map(str, ss[:12]))))
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    with open(os.path.join(a.out, "summary.txt"), "a") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
