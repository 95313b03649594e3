#!/usr/bin/python3
"""bench/bench_render.py - the Markdown of bench/run: the tables written
between the bench/run markers of docs/PERFORMANCE.md and its final section
"Where we stand and what is next", from one results JSON (standard library
only).  `bench/run --render bench/results/X.json` calls it."""
import json
import os
import subprocess
import sys

BEGIN = "<!-- bench/run: begin -->"
END = "<!-- bench/run: end -->"
WHERE = "## Where we stand and what is next"
WEND = "<!-- bench/run: where we stand: end -->"

ORDER = ["ingest", "rank-real", "rank-sim", "tree-real", "tree-sim", "cv-real", "cv-sim", "em-sim", "predict-sim",
         "pipeline-sim", "pipeline-all", "extract"]


def f(x):
    if x is None:
        return "-"
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    if x >= 1:
        return "%.2f" % x
    if x >= 0.01:
        return "%.3f" % x
    return "%.2g" % x


def n(x):
    return "{:,}".format(int(x)) if x is not None else "-"


def engine2(w):
    for c in w.get("contenders", []):
        if c["kind"] == "engine" and c.get("threads") == 2 and c.get("median") and "max-iter" not in c["name"] \
                and "zips" not in c["name"]:
            return c
    return None


def best_peer(w):
    ps = [c for c in w.get("contenders", []) if c["kind"] == "peer" and c.get("median")
          and not (c.get("capped") and c.get("runs")) and "XGBoost" not in c["name"]]
    return min(ps, key=lambda c: c["median"]) if ps else None


def result_text(c, wid):
    m = c.get("metrics") or {}
    out = []
    if "accuracy" in m and m["accuracy"] is not None:
        out.append(("%.4f%%" % m["accuracy"]) + (" CV" if wid.startswith("cv") else
                                                 " right (classes to clusters)" if wid.startswith("em") else
                                                 " on all rows" if wid.startswith("predict") else ""))
    if "train_accuracy" in m:
        out.append("%.4f%% on its training rows" % m["train_accuracy"])
    if "leaves" in m and m["leaves"] is not None:
        out.append("%s leaves" % n(m["leaves"]) + (" (%d trees)" % m["trees"] if m.get("trees") else ""))
    if "iterations" in m and m["iterations"]:
        out.append("%d iterations" % m["iterations"])
    if m.get("per_iteration_s"):
        out.append("%s s/iteration" % f(m["per_iteration_s"]))
    if "log_likelihood" in m and m["log_likelihood"] is not None:
        out.append("log-likelihood %.5f" % m["log_likelihood"])
    if "identical_to_other" in m:
        out.append("ranking identical to Weka's: %s" % ("yes" if m["identical_to_other"] else "**no**"))
    elif m.get("top3"):
        out.append("top: %s" % ", ".join(m["top3"][:2]))
    if m.get("rows_per_s"):
        out.append("%.1f M rows/s%s" % (m["rows_per_s"] / 1e6, ""))
    if m.get("packets_per_s"):
        out.append("%s packets/s" % n(m["packets_per_s"]))
    if m.get("stage_total"):
        st = ", ".join("%s %s" % (k[6:], f(v)) for k, v in m.items() if k.startswith("stage_") and k != "stage_total")
        out.append("stages (s): " + st)
    return "; ".join(out)


def table(w):
    L = []
    e = engine2(w)
    hdr = "| program | threads | time s | runs | vs baiot, 2 threads | peak MB | result |"
    L.append(hdr)
    L.append("|---|---|---|---|---|---|---|")
    for c in w.get("contenders", []):
        if c.get("skipped"):
            L.append("| %s | %s | - | - | - | - | skipped: %s |" % (c["name"], c.get("threads") or "-",
                                                                  c["skipped"].replace("|", "/")))
            continue
        med = c.get("median")
        if c.get("capped") and not c.get("runs"):
            tt = "%s (over the cap)" % f(med)
        elif c.get("capped"):
            tt = "> %s (cap hit)" % f(med)
        else:
            tt = f(med)
        ratio = "-"
        if e and med:
            r = med / e["median"]
            ratio = "1.0x" if c is e else ("%.1fx" % r if r >= 0.995 else "%.2fx" % r)
            if c["kind"] == "peer" and not c.get("capped") and r >= 1:
                ratio = "**%s**" % ratio
        rss = f(c.get("rss_mb")) if c["kind"] == "engine" or "Weka" in c["name"] else "-"
        L.append("| %s | %s | %s | %s | %s | %s | %s |" % (c["name"], c.get("threads") or "-", tt, c.get("runs") or
                                                          "-", ratio, rss, result_text(c, w["id"])))
    notes = {}
    for c in w.get("contenders", []):
        if c.get("note"):
            notes.setdefault(c["note"], []).append(c["name"])
    if notes:
        L.append("")
    for no, nms in notes.items():
        L.append("- %s: %s." % ("; ".join(nms), no))
    if "rankings_identical" in w:
        L.append("- rankings identical (order and merits, all 115 columns): %s." %
                 ("yes" if w["rankings_identical"] else "**no**"))
    return "\n".join(L)


def machine_line(d):
    m = d["machine"]
    return "%s, %s CPUs (%s), %s GiB; commit `%s`; %s; load average at start %s" % (
        m.get("Model name", "?"), m.get("CPU(s)", "?"), m.get("Flags", "?"), m.get("memory_gib", "?"),
        d.get("commit"), d.get("started", "?")[:16].replace("T", " ") + " UTC",
        ", ".join("%.1f" % x for x in m.get("load_at_start", [])))


def floors(d):
    """the floor of each workload on this machine, in seconds, from bench_stream"""
    fl = d.get("floors", {})
    bw = fl.get("stream_triad_2t", {}).get("value")  # MB/s
    bw1 = fl.get("stream_triad_1t", {}).get("value")
    bw = max(x for x in (bw, bw1) if x) if (bw or bw1) else None
    radix = fl.get("sort_radix_1t", {}).get("value")  # Mvalues/s, one thread
    W = {w["id"]: w for w in d["workloads"]}
    out = {}
    if not bw or not radix:
        return out, None, None
    sort2 = radix * 2 * 1e6  # values/s, two threads, ideal
    B = bw * 1e6  # bytes/s

    def sort_s(nv):
        return nv / sort2

    def stream_s(nb):
        return nb / B
    if "ingest" in W and W["ingest"].get("bytes"):
        w = W["ingest"]
        out["ingest"] = (stream_s(w["bytes"] + 8 * w["rows"] * 115),
                         "read the CSV bytes once and write the doubles once at the memory bandwidth")
    for wid in ("rank-real", "rank-sim"):
        if wid in W and W[wid].get("rows"):
            r = W[wid]["rows"]
            out[wid] = (sort_s(r * 115), "one radix sort of each of the 115 columns (%s values)" % n(r * 115))
    for wid in ("tree-real", "tree-sim"):
        if wid in W and W[wid].get("rows"):
            w = W[wid]
            out[wid] = (sort_s(w["rows"] * w["columns"]), "one radix sort of each column (%s values)" %
                        n(w["rows"] * w["columns"]))
    for wid in ("cv-real", "cv-sim"):
        if wid in W and W[wid].get("rows"):
            w = W[wid]
            nv = w["rows"] * w["columns"]
            out[wid] = (sort_s(nv) + 11 * stream_s(8 * nv), "one sort shared by the 11 trees, then one pass over "
                                                            "the columns per tree")
    if "em-sim" in W and W["em-sim"].get("rows"):
        w = W["em-sim"]
        e = engine2(w)
        it = (e or {}).get("metrics", {}).get("iterations") or 1
        per = stream_s(8 * w["rows"] * w["columns"])
        out["em-sim"] = (per * it, "stream the 10 columns once per iteration (%d iterations, %s s each; the "
                                   "k-means start not counted)" % (it, f(per)))
        out["em-iter"] = (per, "stream the 10 columns once")
    if "predict-sim" in W and W["predict-sim"].get("rows"):
        w = W["predict-sim"]
        out["predict-sim"] = (stream_s(8 * w["rows"] * w["columns"]), "stream the 10 columns once")
    if all(k in out for k in ("rank-sim", "cv-sim", "em-sim")):
        out["pipeline-sim"] = (out["rank-sim"][0] + out["cv-sim"][0] + out["em-sim"][0],
                               "the floors of its rank, J48 CV and EM steps summed")
    return out, bw, radix


WHY = {
    "ingest": "the floor counts memory traffic only; the time is number parsing (a quarter of the CPU "
              "samples, 24 million values), and the two ordered stages of the pipeline (reading with SHA-256, "
              "one block at a time; the in-order sink that writes HDF5), which leave the second core idle about "
              "a quarter of the run, plus the kernel's copies into and out of the page cache.",
    "rank-real": "besides the sort, each column is cut into groups of equal values and each of the 10 folds "
                 "builds and scores its rule from them; the 115 columns are read from the store first.",
    "rank-sim": "besides the sort, each column is cut into groups of equal values and each of the 10 folds "
                "builds and scores its rule from them; the 115 columns are read from the store first.",
    "tree-real": "the floor is only the initial sort; growing then visits every column's rows once per level of "
                 "the tree (the C4.5 threshold search with its gain and MDL correction, one stable partition per "
                 "split), and pruning with subtree raising re-classifies the rows of raised subtrees.",
    "tree-sim": "the floor is only the initial sort; growing then visits every column's rows once per level of "
                "the tree (the C4.5 threshold search with its gain and MDL correction, one stable partition per "
                "split), and pruning with subtree raising re-classifies the rows of raised subtrees.",
    "cv-real": "the 11 trainings share one presort, but each grows and prunes a full tree, visiting every "
               "column's rows once per level; the floor counts one pass per tree, as if the trees had depth 1.",
    "cv-sim": "the 11 trainings share one presort, but each grows and prunes a full tree, visiting every "
              "column's rows once per level; the floor counts one pass per tree, as if the trees had depth 1.",
    "em-sim": "the floor is memory bandwidth; the E step is a dgemm over centred row blocks, but each row still "
              "needs a log-sum-exp over the clusters and the M-step sums keep Weka's order (compute, not "
              "bandwidth), and the end-to-end time includes loading and the start Weka prescribes (10 k-means "
              "runs over all rows), which the floor leaves out.",
    "predict-sim": "a tree walk per row is a chain of dependent, branchy loads (one per level), not a "
                   "stream, and on 2 threads the OpenMP team's start is a visible share of 17 ms.",
    "pipeline-sim": "the sum of its steps' reasons, plus loading the store and the report's plots (PNG and SVG "
                    "of the ranking, confusion matrix, ROC curves, EM clusters).",
}

NEXT = {
    "ingest": "move the column transpose out of the in-order sink onto the parse jobs, so only the HDF5 "
              "write stays serial (SHA-256 cannot be split into chunks without changing the stored hash).",
    "rank-real": "read the columns from the store while the first ones are already being sorted; no change to "
                 "the algorithm is needed (it is within a small factor of the sort).",
    "rank-sim": "read the columns from the store while the first ones are already being sorted; no change to "
                "the algorithm is needed (it is within a small factor of the sort).",
    "tree-real": "fewer passes per level (search several nodes of a level in one sweep of a column); "
                 "pruning from class counts kept per node instead of row re-walks.",
    "tree-sim": "fewer passes per level (search several nodes of a level in one sweep of a column); "
                "pruning from class counts kept per node instead of row re-walks.",
    "cv-real": "as for the tree; the 10 folds' trees could also be grown level by level together, sharing each "
               "sweep of a column.",
    "cv-sim": "as for the tree; the 10 folds' trees could also be grown level by level together, sharing each "
              "sweep of a column.",
    "em-sim": "the k-means start (10 runs over all rows) on the same blocked kernels; the M step fused with the "
              "next E step's pass over the rows.",
    "predict-sim": "breadth-first tree layout or several rows walked together to hide load latency.",
    "pipeline-sim": "follows from the steps; the plots could be drawn in parallel with EM.",
}


def where(d):
    fl, bw, radix = floors(d)
    W = {w["id"]: w for w in d["workloads"]}
    L = [WHERE, "",
         "Generated by `bench/run --%s` (bench/bench_render.py) from `%s`; machine: %s." % (
             d.get("mode"), d.get("json_name", "?"), machine_line(d)),
         "Floors measured on the same machine by `build/bench_stream`: memory bandwidth %s MB/s (STREAM triad, "
         "best of 1 and 2 threads), radix sort %s M doubles/s per thread (counted as 2 threads). A floor is "
         "what the workload's unavoidable data movement costs at those rates, not an achievable target." %
         (n(bw) if bw else "-", f(radix) if radix else "-"), "",
         "| workload | baiot, 2 threads | best peer | peer / baiot | floor | baiot / floor |",
         "|---|---|---|---|---|---|"]
    whys = []
    for wid in ORDER:
        w = W.get(wid)
        if not w or w.get("skipped"):
            continue
        e = engine2(w)
        if not e:
            continue
        p = best_peer(w)
        fo = fl.get(wid)
        ratio = "%.1fx" % (p["median"] / e["median"]) if p else "-"
        pn = "%s: %s s" % (p["name"], f(p["median"])) if p else "-"
        if wid == "pipeline-all":
            sk = [c for c in w["contenders"] if c["kind"] == "peer" and c.get("skipped")]
            pn = sk[0]["skipped"] if sk else "-"
        x = e["median"] / fo[0] if fo and fo[0] else None
        label = "%s (%s)" % (w["title"], w["data"])
        L.append("| %s | %s s | %s | %s | %s | %s |" % (label, f(e["median"]), pn, ratio,
                                                       ("%s s: %s" % (f(fo[0]), fo[1])) if fo else "not estimated",
                                                       ("**%.0fx**" % x if x >= 5 else "%.1fx" % x) if x else "-"))
        if x and x > 5 and wid in WHY:
            whys.append("- **%s** is %.0fx above its floor: %s Next: %s" % (label, x, WHY[wid], NEXT.get(wid, "")))
    em = W.get("em-sim")
    if em and "em-iter" in fl:
        e = engine2(em)
        per = (e or {}).get("metrics", {}).get("per_iteration_s")
        sk = [c for c in em["contenders"] if "GaussianMixture" in c["name"] and c.get("median")]
        if per:
            L.append("| EM, one iteration (the same data) | %s s | %s | %s | %s s: %s | %s |" % (
                f(per), ("sklearn GaussianMixture(diag): %s s" % f(sk[0]["metrics"].get("per_iteration_s"))) if sk
                else "-", ("%.1fx" % (sk[0]["metrics"]["per_iteration_s"] / per)) if sk and
                sk[0]["metrics"].get("per_iteration_s") else "-", f(fl["em-iter"][0]), fl["em-iter"][1],
                "**%.0fx**" % (per / fl["em-iter"][0]) if per / fl["em-iter"][0] >= 5 else
                "%.1fx" % (per / fl["em-iter"][0])))
    L.append("")
    L.append("Ratios: the best peer's median over baiot's (2 threads), both from this run. The best peer is the "
             "fastest that computes the same thing (XGBoost's boosted round is a speed reference, not the same "
             "model, and is left out here).")
    L.append("")
    if whys:
        L.append("Workloads more than 5x above their floor, why, and what is next:")
        L.append("")
        L.extend(whys)
    ex = W.get("extract")
    if ex:
        e = engine2(ex)
        if e and e.get("metrics", {}).get("packets_per_s"):
            L.append("- **feature extraction**: %s packets/s end to end (capture read, 115 features per packet, "
                     "store written); no floor from bench_stream: the bound is the per-packet work on five stream "
                     "tables (docs: 0.2-1.4 M packets/s per core depending on how many packets open new streams)."
                     " Next: smaller stream records, the stream tables' growth amortised." %
                     n(e["metrics"]["packets_per_s"]))
    L.append("")
    L.append("Found by this run:")
    L.append("")
    for p in d.get("scale") or []:
        if p.get("seconds") is None and p.get("skipped") and p["threads"] == 2:
            L.append("- scale series, %s, %d columns, %s rows: %s." % (p["workload"], p["columns"], n(p["rows"]),
                                                                    p["skipped"].split(": ", 1)[-1]))
    for wid in ("cv-real", "cv-sim"):
        w = W.get(wid)
        if not w:
            continue
        e = engine2(w)
        sk = [c for c in w["contenders"] if "sklearn" in c["name"] and c.get("metrics", {}).get("accuracy")]
        if e and sk and e["metrics"].get("accuracy") and e["metrics"]["accuracy"] - sk[0]["metrics"]["accuracy"] > 0.5:
            L.append("- %s: scikit-learn's tree is %.2f points less accurate on the same folds (%.4f%% against "
                     "%.4f%%): it converts the features to float32, so nearby values merge and thresholds move." % (
                         w["data"], e["metrics"]["accuracy"] - sk[0]["metrics"]["accuracy"],
                         sk[0]["metrics"]["accuracy"], e["metrics"]["accuracy"]))
    em = W.get("em-sim")
    if em:
        e = engine2(em)
        sk = [c for c in em["contenders"] if "GaussianMixture" in c["name"] and c.get("metrics", {}).get("log_likelihood")]
        have = e and sk and e["metrics"].get("log_likelihood") is not None
        if have and abs(sk[0]["metrics"]["log_likelihood"] - e["metrics"]["log_likelihood"]) < 5e-6:
            L.append("- EM: on this data scikit-learn's GaussianMixture, from its own single k-means start, ends at "
                     "the same log-likelihood per row as Weka and baiot (%.5f); Weka's answer (and baiot's) comes "
                     "from the best of ten k-means starts, which is most of baiot's time." %
                     e["metrics"]["log_likelihood"])
        elif have:
            L.append("- EM: scikit-learn's GaussianMixture from its own k-means start ends at log-likelihood %.5f per "
                     "row against Weka's and baiot's %.5f (the same to every printed digit): faster per iteration "
                     "would not make it the same answer." % (sk[0]["metrics"]["log_likelihood"],
                                                            e["metrics"]["log_likelihood"]))
    L.append("")
    L.append(WEND)
    return "\n".join(L) + "\n"


def scale_section(d, build):
    pts = d.get("scale") or []
    if not pts:
        return ""
    L = ["### Growth with size (baiot alone)", "",
         "The simulated camera at scales 0.012 and 0.12 (about 10^4 and 10^5 rows), at scale 1 (828,260 rows) "
         "and all nine simulated devices (7,062,606 rows); 3 classes; 115 columns or each store's own top 10 "
         "OneR columns; `OMP_NUM_THREADS` 1 and 2. Peak memory: the child's maximum resident set size "
         "(getrusage). Figures are medians of up to %d runs (1 when a run is over %g s, and 1 at the largest size)." % (
             d["config"]["runs"], d["config"]["single_over"]), ""]
    rows = sorted(set(p["rows"] for p in pts))
    L.append("| workload | columns | threads | " + " | ".join(n(r) + " rows" for r in rows) +
             " | time exponent | memory exponent |")
    L.append("|---|---|---|" + "---|" * len(rows) + "---|---|")
    fits = {(x["workload"], x["columns"], x["threads"]): x for x in d.get("scale_fits", [])}
    names = {"rank": "OneR ranking", "tree": "J48 tree", "cv": "J48 10-fold CV + tree", "em": "EM k=3",
             "predict": "predict"}
    keys = []
    for p in pts:
        k = (p["workload"], p["columns"], p["threads"])
        if k not in keys:
            keys.append(k)
    for k in keys:
        cells = []
        for r in rows:
            q = [p for p in pts if (p["workload"], p["columns"], p["threads"]) == k and p["rows"] == r]
            if not q:
                cells.append("")
            elif q[0].get("seconds") is None:
                sk = q[0].get("skipped", "")
                cells.append("not run (memory: %.0f GB projected)" % (q[0]["projected_rss_mb"] / 1024)
                             if q[0].get("projected_rss_mb") else "not run" if "1 thread" in sk else
                             "not run (no tree)" if "no tree" in sk else
                             "failed" if sk else "not run")
            else:
                cells.append("%s s, %s MB%s" % (f(q[0]["seconds"]), f(q[0].get("rss_mb")),
                                                " (--memory-limit %gG)" % q[0]["memory_limit_gib"]
                                                if q[0].get("memory_limit_gib") else ""))
        fi = fits.get(k)
        L.append("| %s | %d | %d | %s | %s | %s |" % (names.get(k[0], k[0]), k[1], k[2], " | ".join(cells),
                                                      "%.2f" % fi["exponent"] if fi and fi["exponent"] else "-",
                                                      "%.2f" % fi["mem_exponent"] if fi and fi.get("mem_exponent")
                                                      else "-"))
    L.append("")
    L.append("Exponents: least-squares slope of log(time) (and log(peak memory)) against log(rows) over the "
             "sizes measured. \"not run\": 1 thread is skipped at the largest size where 2 threads took over "
             "60 s; \"not run (memory)\": the peak memory, projected linearly from the next smaller size, is over "
             "75% of the memory available, so the run is not started; J48 is then run with `--memory-limit` instead "
             "(it plans its folds and memory within it; the same results). Predict times are its own timer around "
             "the prediction loop.")
    L.append("")
    L.append("![scale series](perf-scale.png)")
    L.append("")
    return "\n".join(L)


def body(d, build):
    W = {w["id"]: w for w in d["workloads"]}
    L = [BEGIN, "", "## Benchmark suite: baiot and its peers, same data, same run (issue 9)", "",
         "Generated by `bench/run --%s` from `bench/results/%s` (do not edit by hand; rerun, or "
         "`bench/run --render JSON`). Machine: %s. Whole run: %s min." % (
             d.get("mode"), d.get("json_name", "?"), machine_line(d), f((d.get("seconds") or 0) / 60)) +
         (" (in %d parts: the run stopped on bench/run bugs, fixed, and went on with `--resume`, keeping every "
          "figure already taken; finished %s UTC)" % (len(d["parts"]) + 1, (d.get("finished") or "?")[11:16])
          if d.get("parts") else ""),
         "Peers: %s. Each figure is the median of %d runs (engine and peers alternate, run by run); a figure "
         "whose first run took over %g s is taken once (said in its note). Peers are capped at %s s. Engine "
         "times are the whole command (load from the store, compute, output); scikit-learn / XGBoost / pandas "
         "times are measured inside Python around the fit/predict/read (loading the same doubles from the store "
         "with h5py is not counted); Weka's are the whole java command on the ARFF exported from the same store "
         "(`baiot export`, exact round-trip numbers). \"vs baiot\": the row's time over baiot's with 2 threads."
         % (", ".join("%s %s" % (k, v) for k, v in d.get("versions", {}).items() if v),
            d["config"]["runs"], d["config"]["single_over"], d.get("cap", 900)), ""]
    for wid in ORDER:
        w = W.get(wid)
        if not w:
            continue
        L.append("### %s: %s" % (w["title"], w.get("data", "")))
        L.append("")
        if w.get("skipped"):
            L.append("Skipped: %s." % w["skipped"])
            L.append("")
            continue
        L.append("%s rows x %s columns." % (n(w.get("rows")), w.get("columns")) +
                 (" %s." % w["note"] if w.get("note") else "") +
                 (" Peers: %s." % w["peers"] if w.get("peers") else ""))
        L.append("")
        L.append(table(w))
        L.append("")
    L.append(scale_section(d, build))
    L.append(END)
    return "\n".join(L) + "\n"


def plot(d, build, docs_dir):
    csv = d.get("scale_csv")
    if not csv:
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = os.path.join(root, csv)
    tool = os.path.join(build, "bench_plot_series")
    if os.path.exists(p) and os.path.exists(tool):
        subprocess.run([tool, p, os.path.join(docs_dir, "perf-scale"),
                        "baiot: time against rows (2 threads), %s" % d["machine"].get("Model name", "")], check=False)


def render(json_path, doc_path, build):
    d = json.load(open(json_path))
    d["json_name"] = os.path.basename(json_path)
    text = open(doc_path).read() if os.path.exists(doc_path) else "# Performance\n"
    b = body(d, build)
    if BEGIN in text and END in text:
        i, j = text.index(BEGIN), text.index(END) + len(END)
        text = text[:i] + b.rstrip("\n") + text[j:]
    else:
        k = text.find(WHERE)
        if k >= 0:
            text = text[:k] + b + "\n" + text[k:]
        else:
            text = text.rstrip("\n") + "\n\n" + b
    k = text.find(WHERE)
    if k >= 0 and text.find(WEND, k) >= 0:
        j = text.find(WEND, k) + len(WEND)
        text = text[:k] + where(d).rstrip("\n") + text[j:]
    else:
        text = text.rstrip("\n") + "\n\n" + where(d)
    with open(doc_path + ".part", "w") as fo:
        fo.write(text)
    os.replace(doc_path + ".part", doc_path)
    plot(d, build, os.path.dirname(doc_path))
    print("wrote %s" % doc_path)


def summary(json_path):
    d = json.load(open(json_path))
    L = ["bench/run %s: %s (%s s), commit %s" % (d["mode"], json_path, f(d.get("seconds") or 0), d.get("commit"))]
    for w in d["workloads"]:
        if w.get("skipped"):
            L.append("%-14s skipped: %s" % (w["id"], w["skipped"]))
            continue
        for c in w.get("contenders", []):
            if c.get("skipped"):
                L.append("%-14s %-60s skipped: %s" % (w["id"], c["name"][:60], c["skipped"][:80]))
            else:
                L.append("%-14s %-60s %9s s  %s" % (w["id"], c["name"][:60], f(c.get("median")),
                                                    result_text(c, w["id"])[:90]))
    for x in d.get("scale_fits", []):
        L.append("scale %-8s %3d cols %d thr: time ~ rows^%s, memory ~ rows^%s" % (
            x["workload"], x["columns"], x["threads"], "%.2f" % x["exponent"] if x["exponent"] else "-",
            "%.2f" % x["mem_exponent"] if x.get("mem_exponent") else "-"))
    return "\n".join(L)


if __name__ == "__main__":
    render(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "build")
