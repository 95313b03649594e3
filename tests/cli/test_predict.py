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
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as gen  # noqa: E402

SRC = T.SRC

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


def body(tmp):
    for name in ("iris", "labor", "soybean"):
        arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
        model = os.path.join(tmp, name + ".model")
        p = T.run("oner", arff, "--save", model)
        T.expect("%s: oner --save" % name, p.rc == 0, p.err)
        doc = json.load(open(model))
        T.expect("%s: the file is the documented JSON" % name,
                 doc["format"] == "baiot-model" and doc["version"] == 1 and doc["kind"] == "oner"
                 and len(doc["columns"]) == 1)
        correct = int(p.out.split("instances correct")[0].rsplit("(", 1)[1].split("/")[0])
        pred = os.path.join(tmp, name + ".pred.csv")
        q = T.run("predict", model, arff, "-o", pred)
        T.expect("%s: predict runs" % name, q.rc == 0, q.err)
        rows = list(csv.DictReader(open(pred)))
        right = sum(r["actual"] == r["predicted"] for r in rows)
        T.expect("%s: the loaded model gets the printed %d rows right (got %d)" % (name, correct, right),
                 right == correct)
        T.expect("%s: evaluation printed" % name, "Correctly Classified Instances" in q.out)

    # J48: a saved tree predicts on its training data exactly what Weka's
    # "Error on training data" block says (golden outputs of Weka 3.6.14)
    for name in ("labor", "iris", "soybean", "diabetes"):
        arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
        model = os.path.join(tmp, name + ".j48")
        p = T.run("j48", arff, "--save", model, "--folds", "2")
        T.expect("%s: j48 --save" % name, p.rc == 0, p.err)
        T.expect("%s: the J48 file is the documented JSON" % name, json.load(open(model))["kind"] == "j48")
        q = T.run("predict", model, arff, "--layout", "3.6")
        gold = open(os.path.join(SRC, "tests/golden/weka/j48/%s.default.txt" % name)).read()
        want = [l for l in block(gold, "=== Error on training data ===", "=== Detailed") if "Time taken" not in l]
        got = block(q.out, "=== Summary ===", "=== Detailed")
        T.expect("%s: the loaded tree's training-set summary equals Weka's" % name,
                 [l.split()[-2:] for l in want if "Classified" in l]
                 == [l.split()[-2:] for l in got if "Classified" in l],
                 "\n%s\n%s" % ("\n".join(want), "\n".join(got)))

    # EM: a saved mixture clusters its training rows exactly as `baiot em` did
    # (the same classes-to-clusters block), for numeric and nominal data
    for name, k in (("iris", "3"), ("weather.nominal", "2")):
        arff = os.path.join(SRC, "tests/data/weka", name + ".arff")
        model = os.path.join(tmp, name + ".em")
        p = T.run("em", arff, "--clusters", k, "--classes-to-clusters", "--save", model)
        T.expect("%s: em --save" % name, p.rc == 0, p.err)
        T.expect("%s: the EM file is the documented JSON" % name, json.load(open(model))["kind"] == "em")
        q = T.run("predict", model, arff, "-o", os.path.join(tmp, name + ".clusters.csv"))
        tail = lambda t: t[t.index("Clustered Instances"):] if "Clustered Instances" in t else t
        T.expect("%s: the loaded mixture assigns the same clusters" % name, q.rc == 0 and tail(p.out) == tail(q.out),
                 q.err + "\n" + tail(p.out) + "\n---\n" + tail(q.out))
        rows = list(csv.DictReader(open(os.path.join(tmp, name + ".clusters.csv"))))
        T.expect("%s: one cluster per row in -o" % name, len(rows) > 0 and all(r["cluster"].isdigit() for r in rows))

    # refusals
    iris_model = os.path.join(tmp, "iris.model")
    p = T.run("predict", iris_model, os.path.join(SRC, "tests/data/weka/diabetes.arff"))
    T.expect("other columns refused, naming the column", p.rc != 0 and "petalwidth" in p.err, p.err)
    soy = json.load(open(os.path.join(tmp, "soybean.model")))
    if soy["columns"][0]["kind"] == "nominal":
        soy["columns"][0]["values"] = list(reversed(soy["columns"][0]["values"]))
        bad = os.path.join(tmp, "soy-values.model")
        json.dump(soy, open(bad, "w"))
        p = T.run("predict", bad, os.path.join(SRC, "tests/data/weka/soybean.arff"))
        T.expect("other nominal values refused", p.rc != 0 and "nominal values" in p.err, p.err)
    broken = os.path.join(tmp, "broken.model")
    open(broken, "w").write(open(iris_model).read()[:-20])
    p = T.run("predict", broken, os.path.join(SRC, "tests/data/weka/iris.arff"))
    T.expect("broken JSON refused with line:col", p.rc != 0 and "broken.model:" in p.err, p.err)
    future = json.load(open(iris_model))
    future["version"] = 2
    fut = os.path.join(tmp, "future.model")
    json.dump(future, open(fut, "w"))
    p = T.run("predict", fut, os.path.join(SRC, "tests/data/weka/iris.arff"))
    T.expect("other format version refused", p.rc != 0 and "version 2" in p.err, p.err)
    p = T.run("predict", os.path.join(SRC, "tests/data/weka/iris.arff"), os.path.join(SRC, "tests/data/weka/iris.arff"))
    T.expect("a non-model file refused", p.rc != 0 and "not a baiot model" in p.err, p.err)

    # N-BaIoT: train on a store, predict a CSV named by the UCI flat layout
    d = os.path.join(tmp, "nb")
    os.makedirs(d)
    gen.write_csv(os.path.join(d, "5.benign.csv"), 300, 1)
    gen.write_csv(os.path.join(d, "5.gafgyt.tcp.csv"), 300, 2)
    store = os.path.join(tmp, "nb.h5")
    p = T.run("ingest", "-q", d, "-o", store)
    T.expect("ingest", p.rc == 0, p.err)
    nbm = os.path.join(tmp, "nb.model")
    p = T.run("oner", store, "--save", nbm, "--folds", "3")
    T.expect("oner on a store --save", p.rc == 0, p.err)
    T.expect("store model records its task", json.load(open(nbm))["task"] == "3class")
    p = T.run("predict", nbm, os.path.join(d, "5.gafgyt.tcp.csv"))
    T.expect("predict an N-BaIoT CSV (class from its name)", p.rc == 0 and "Total Number of Instances" in p.out
             and "300" in p.out, p.err + p.out)
    p = T.run("predict", nbm, store, "--json")
    T.expect("predict a store, JSON", p.rc == 0 and json.loads(p.out) is not None, p.err)


if __name__ == "__main__":
    T.main("predict", body)
