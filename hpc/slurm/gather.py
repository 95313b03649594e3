#!/usr/bin/env python3
#SBATCH --job-name=baiot-gather
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=256M
#SBATCH --time=00:10:00
#SBATCH --output=baiot-gather-%j.out
"""gather.py - the summary of an array job (hpc/slurm/array.sbatch): reads
OUTDIR/<device>-<task>/report.json of every device (and the failure notes
array.sbatch leaves in OUTDIR/.array/) and writes OUTDIR/summary.json and
OUTDIR/summary.md in the format of baiot bulk (engine/study/bulk.c,
docs/schema/summary.schema.json): the same files as a baiot bulk run with
the same outputs, apart from the "seconds" (here each report's
timings.total).  Python 3 standard library only.

usage: gather.py OUTDIR [--devices LIST] [--task T] [--top K] [--folds K]
  --devices LIST  the devices expected, comma-separated (default: those
                  with a report or a failure note in OUTDIR); a device with
                  neither is listed as failed
  --task T        3class (default), binary or 11class
  --top, --folds  for summary.md's header when no device succeeded
                  (otherwise read from the reports; default 10 and 10)
Runs as a Slurm job too: sbatch --dependency=afterok:ARRAY gather.py OUTDIR.
Exit code 1 if a device failed (as baiot bulk), 2 on bad arguments.
"""
import argparse
import json
import math
import os
import sys

# The nine N-BaIoT devices in UCI order (kernels/base/nbaiot_names.c): the order
# of baiot bulk's summary.
DEVICES = [
    "Danmini_Doorbell", "Ecobee_Thermostat", "Ennio_Doorbell", "Philips_B120N10_Baby_Monitor",
    "Provision_PT_737E_Security_Camera", "Provision_PT_838_Security_Camera", "Samsung_SNH_1011_N_Webcam",
    "SimpleHome_XCS7_1002_WHT_Security_Camera", "SimpleHome_XCS7_1003_WHT_Security_Camera",
]
TASKS = ("3class", "binary", "11class")
# The study's figures, as engine/study/study_report.c (used when no report has them).
PUBLISHED_J48, PUBLISHED_EM = 99.95, 76.73


def jstr(s):
    """A JSON string as io/text/json.c's json_write_string writes it."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def jnum(x):
    """A number as json_write_number: Python's repr layout, null if not finite."""
    if x is None or not math.isfinite(float(x)):
        return "null"
    return repr(float(x))


def device_name(d):
    for i, name in enumerate(DEVICES):
        if d == str(i + 1) or d.lower() == name.lower():
            return name
    raise ValueError("unknown device '%s' (names or 1..9)" % d)


def read_failure(path):
    fields = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            fields[k] = v
    try:
        seconds = float(fields.get("seconds", "0"))
    except ValueError:
        seconds = 0.0
    return fields.get("error") or "failed", seconds


def collect(out, task, device):
    """One run of the summary, as engine/study/bulk.c's run_one fills it."""
    d = "%s/%s-%s" % (out, device, task)
    run = {"device": device, "report": d, "ok": False}
    fail = os.path.join(out, ".array", "%s-%s.failed" % (device, task))
    if os.path.exists(fail):
        run["error"], run["seconds"] = read_failure(fail)
        return run, None
    path = os.path.join(d, "report.json")
    try:
        with open(path, encoding="utf-8") as f:
            r = json.load(f)
        if r.get("format") != "baiot-report" or r["data"]["task"] != task:
            raise ValueError("not a %s baiot report" % task)
        run.update(ok=True, rows=int(r["data"]["rows"]), selected_columns=list(r["selected_columns"]),
                   j48_accuracy=r["j48"]["accuracy"], em_accuracy=r["em"]["accuracy"],
                   seconds=float(r.get("timings", {}).get("total", 0.0)))
        return run, r
    except FileNotFoundError:
        run["error"] = "no report: %s (the array task did not finish; see its Slurm output)" % path
    except (ValueError, KeyError, TypeError) as e:
        run["error"] = "unreadable report %s: %s" % (path, e)
    run["seconds"] = 0.0
    return run, None


def summary_json(task, runs):
    parts = ['{"format": "baiot-bulk-summary", "version": 1, "task": "%s", "failed": %d,\n "runs": ['
             % (task, sum(not r["ok"] for r in runs))]
    for i, r in enumerate(runs):
        s = (",\n" if i else "\n") + '  {"device": ' + jstr(r["device"]) + ', "report": ' + jstr(r["report"])
        s += ', "ok": %s, ' % ("true" if r["ok"] else "false")
        if r["ok"]:
            s += '"rows": %d, "selected_columns": [%s], "j48_accuracy": %s, "em_accuracy": %s' % (
                r["rows"], ", ".join(jstr(c) for c in r["selected_columns"]), jnum(r["j48_accuracy"]),
                jnum(r["em_accuracy"]))
        else:
            s += '"error": ' + jstr(r["error"])
        s += ', "seconds": ' + jnum(r["seconds"]) + "}"
        parts.append(s)
    parts.append("]}\n")
    return "".join(parts)


def cfmt(fmt, x):
    """printf's %.Nf of a double (nan as C prints it)."""
    return "nan" if x is None or not math.isfinite(x) else fmt % x


def summary_md(task, runs, top, folds, pub_j48, pub_em):
    n = len(runs)
    lines = ["# Bulk run: %d data set%s, task %s\n\n" % (n, "" if n == 1 else "s", task),
             "Each row is the study's pipeline (OneR top %d, J48 %d-fold CV, EM) on one device" % (top, folds)
             + ("; the study's figures on the real Provision_PT_737E: J48 %.2f %%, EM %.2f %%.\n\n" % (pub_j48, pub_em)
                if task == "3class" and top == 10 and folds == 10 else
                " (not the study's setting of 3 classes, top 10, 10 folds: its figures are not shown).\n\n"),
             "| device | rows | selected columns | J48 accuracy (%) | EM accuracy (%) | time (s) | report |\n"
             "|---|---:|---|---:|---:|---:|---|\n"]
    for r in runs:
        if r["ok"]:
            # linked from summary.md's own folder, as baiot bulk does
            name = r["report"].rstrip("/").rsplit("/", 1)[-1]
            lines.append("| %s | %d | %s | %s | %s | %.1f | [%s/report.md](%s/report.md) |\n" % (
                r["device"], r["rows"], ",".join(r["selected_columns"]), cfmt("%.4f", r["j48_accuracy"]),
                cfmt("%.2f", r["em_accuracy"]), r["seconds"], name, name))
        else:
            lines.append("| %s | | **failed**: %s | | | %.1f | |\n" % (r["device"], r["error"], r["seconds"]))
    failed = sum(not r["ok"] for r in runs)
    if failed:
        lines.append("\n%d of %d failed.\n" % (failed, n))
    return "".join(lines)


def write_atomic(path, text):
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(prog="gather.py", description="baiot bulk's summary of an array job's reports")
    ap.add_argument("outdir")
    ap.add_argument("--devices", default="")
    ap.add_argument("--task", default="3class", choices=TASKS)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--folds", type=int, default=10)
    a = ap.parse_args(argv)
    out = a.outdir
    try:
        if a.devices and a.devices != "all":
            wanted = {device_name(d.strip()) for d in a.devices.split(",") if d.strip()}
        else:
            wanted = {d for d in DEVICES
                      if os.path.exists("%s/%s-%s/report.json" % (out, d, a.task))
                      or os.path.exists(os.path.join(out, ".array", "%s-%s.failed" % (d, a.task)))}
    except ValueError as e:
        print("gather.py: error: %s" % e, file=sys.stderr)
        return 2
    if not wanted:
        print("gather.py: error: no %s reports in '%s'" % (a.task, out), file=sys.stderr)
        return 2
    runs, reports = [], []
    for d in DEVICES:
        if d in wanted:
            run, rep = collect(out, a.task, d)
            runs.append(run)
            if rep:
                reports.append(rep)
    top, folds, pub_j48, pub_em = a.top, a.folds, PUBLISHED_J48, PUBLISHED_EM
    if reports:
        r = reports[0]
        top = int(r.get("options", {}).get("top", top))
        folds = int(r.get("options", {}).get("folds", folds))
        pub_j48 = float(r.get("published", {}).get("j48_accuracy", pub_j48))
        pub_em = float(r.get("published", {}).get("em_accuracy", pub_em))
    os.makedirs(out, exist_ok=True)
    write_atomic(os.path.join(out, "summary.json"), summary_json(a.task, runs))
    write_atomic(os.path.join(out, "summary.md"), summary_md(a.task, runs, top, folds, pub_j48, pub_em))
    print("%-36s %9s %10s %9s %8s" % ("device", "rows", "J48 %", "EM %", "time s"))
    for r in runs:
        if r["ok"]:
            print("%-36s %9d %10s %9s %8.1f" % (r["device"], r["rows"], cfmt("%.4f", r["j48_accuracy"]),
                                                 cfmt("%.2f", r["em_accuracy"]), r["seconds"]))
        else:
            print("%-36s FAILED: %s" % (r["device"], r["error"]))
    print("summary: %s/summary.md" % out)
    failed = sum(not r["ok"] for r in runs)
    if failed:
        print("gather.py: error: %d of %d runs failed (see above and %s/summary.md)" % (failed, len(runs), out),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
