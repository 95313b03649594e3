#!/usr/bin/python3
"""test_predict.py - model files and `baiot predict`: a OneR model saved by
`baiot oner --save` predicts exactly as the rule printed (every row of iris,
labor with missing values, soybean with nominal columns), its file is the
documented JSON, data without the model's columns or with other nominal
values is refused naming the column, broken or foreign model files are
refused with a clear message, and N-BaIoT CSV and store inputs work."""
import csv
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ.get("BAIOT_BIN", "build/baiot")
SRC = os.environ.get("BAIOT_SRC", ".")
sys.path.insert(0, os.path.join(SRC, "tests", "tools"))
import make_nbaiot_csv as gen  # noqa: E402

checks = failures = 0


def check(name, ok, detail=""):
    global checks, failures
    checks += 1
    if ok:
        print("ok: %s" % name)
    else:
        failures += 1
        print("FAIL: %s %s" % (name, detail))


def run(args):
    return subprocess.run([BIN] + args, capture_output=True, text=True)


tmp = tempfile.mkdtemp()
for name in ("iris", "labor", "soybean"):
    arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
    model = os.path.join(tmp, name + ".model")
    p = run(["oner", arff, "--save", model])
    check("%s: oner --save" % name, p.returncode == 0, p.stderr)
    doc = json.load(open(model))
    check("%s: the file is the documented JSON" % name,
          doc["format"] == "baiot-model" and doc["version"] == 1 and doc["kind"] == "oner" and len(doc["columns"]) == 1)
    correct = int(p.stdout.split("instances correct")[0].rsplit("(", 1)[1].split("/")[0])
    pred = os.path.join(tmp, name + ".pred.csv")
    q = run(["predict", model, arff, "-o", pred])
    check("%s: predict runs" % name, q.returncode == 0, q.stderr)
    rows = list(csv.DictReader(open(pred)))
    right = sum(r["actual"] == r["predicted"] for r in rows)
    check("%s: the loaded model gets the printed %d rows right (got %d)" % (name, correct, right), right == correct)
    check("%s: evaluation printed" % name, "Correctly Classified Instances" in q.stdout)

# J48: a saved tree predicts on its training data exactly what Weka's
# "Error on training data" block says (golden outputs of Weka 3.6.14)
def block(text, start, stop):
    out, on = [], False
    for line in text.splitlines():
        if line.startswith(start):
            on = True
            continue
        if on and stop and line.startswith(stop):
            break
        if on and line.strip():
            out.append(line.rstrip())
    return out


for name in ("labor", "iris", "soybean", "diabetes"):
    arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
    model = os.path.join(tmp, name + ".j48")
    p = run(["j48", arff, "--save", model, "--folds", "2"])
    check("%s: j48 --save" % name, p.returncode == 0, p.stderr)
    check("%s: the J48 file is the documented JSON" % name, json.load(open(model))["kind"] == "j48")
    q = run(["predict", model, arff, "--layout", "3.6"])
    gold = open(os.path.join(SRC, "tests/golden/weka/j48/%s.default.txt" % name)).read()
    want = [l for l in block(gold, "=== Error on training data ===", "=== Detailed") if "Time taken" not in l]
    got = block(q.stdout, "=== Summary ===", "=== Detailed")
    check("%s: the loaded tree's training-set summary equals Weka's" % name,
          [l.split()[-2:] for l in want if "Classified" in l] == [l.split()[-2:] for l in got if "Classified" in l],
          "\n%s\n%s" % ("\n".join(want), "\n".join(got)))

# EM: a saved mixture clusters its training rows exactly as `baiot em` did
# (the same classes-to-clusters block), for numeric and nominal data
for name, k in (("iris", "3"), ("weather.nominal", "2")):
    arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
    model = os.path.join(tmp, name + ".em")
    p = run(["em", arff, "--clusters", k, "--classes-to-clusters", "--save", model])
    check("%s: em --save" % name, p.returncode == 0, p.stderr)
    check("%s: the EM file is the documented JSON" % name, json.load(open(model))["kind"] == "em")
    q = run(["predict", model, arff, "-o", os.path.join(tmp, name + ".clusters.csv")])
    tail = lambda t: t[t.index("Clustered Instances"):] if "Clustered Instances" in t else t
    check("%s: the loaded mixture assigns the same clusters" % name, q.returncode == 0 and tail(p.stdout) == tail(q.stdout),
          q.stderr + "\n" + tail(p.stdout) + "\n---\n" + tail(q.stdout))
    rows = list(csv.DictReader(open(os.path.join(tmp, name + ".clusters.csv"))))
    check("%s: one cluster per row in -o" % name, len(rows) > 0 and all(r["cluster"].isdigit() for r in rows))

# refusals
iris_model = os.path.join(tmp, "iris.model")
p = run(["predict", iris_model, os.path.join(SRC, "tests/data/weka/diabetes.arff")])
check("other columns refused, naming the column", p.returncode != 0 and "petalwidth" in p.stderr, p.stderr)
soy = json.load(open(os.path.join(tmp, "soybean.model")))
if soy["columns"][0]["kind"] == "nominal":
    soy["columns"][0]["values"] = list(reversed(soy["columns"][0]["values"]))
    bad = os.path.join(tmp, "soy-values.model")
    json.dump(soy, open(bad, "w"))
    p = run(["predict", bad, os.path.join(SRC, "tests/data/weka/soybean.arff")])
    check("other nominal values refused", p.returncode != 0 and "nominal values" in p.stderr, p.stderr)
broken = os.path.join(tmp, "broken.model")
open(broken, "w").write(open(iris_model).read()[:-20])
p = run(["predict", broken, os.path.join(SRC, "tests/data/weka/iris.arff")])
check("broken JSON refused with line:col", p.returncode != 0 and "broken.model:" in p.stderr, p.stderr)
future = json.load(open(iris_model))
future["version"] = 2
fut = os.path.join(tmp, "future.model")
json.dump(future, open(fut, "w"))
p = run(["predict", fut, os.path.join(SRC, "tests/data/weka/iris.arff")])
check("other format version refused", p.returncode != 0 and "version 2" in p.stderr, p.stderr)
p = run(["predict", os.path.join(SRC, "tests/data/weka/iris.arff"), os.path.join(SRC, "tests/data/weka/iris.arff")])
check("a non-model file refused", p.returncode != 0 and "not a baiot model" in p.stderr, p.stderr)

# N-BaIoT: train on a store, predict a CSV named by the UCI flat layout
d = os.path.join(tmp, "nb")
os.makedirs(d)
gen.write_csv(os.path.join(d, "5.benign.csv"), 300, 1)
gen.write_csv(os.path.join(d, "5.gafgyt.tcp.csv"), 300, 2)
store = os.path.join(tmp, "nb.h5")
p = run(["ingest", "-q", d, "-o", store])
check("ingest", p.returncode == 0, p.stderr)
nbm = os.path.join(tmp, "nb.model")
p = run(["oner", store, "--save", nbm, "--folds", "3"])
check("oner on a store --save", p.returncode == 0, p.stderr)
check("store model records its task", json.load(open(nbm))["task"] == "3class")
p = run(["predict", nbm, os.path.join(d, "5.gafgyt.tcp.csv")])
check("predict an N-BaIoT CSV (class from its name)", p.returncode == 0 and "Total Number of Instances" in p.stdout
      and "300" in p.stdout, p.stderr + p.stdout)
p = run(["predict", nbm, store, "--json"])
check("predict a store, JSON", p.returncode == 0 and json.loads(p.stdout) is not None, p.stderr)
subprocess.run(["rm", "-rf", tmp])
print("%d passed, %d failed" % (checks - failures, failures))
sys.exit(1 if failures else 0)
