"""test_cli_equal.py - the estimators give the CLI's results on the same
data: J48's tree text and cross-validated accuracy, OneR's rule, the OneR
ranking, EM's model text and log-likelihood, Weka's folds, and the model
files both ways (saved in Python -> `baiot predict`; `--save` -> Python).
Data: Weka's ARFF files of tests/data/weka (numeric attributes; classes in
declared order, segment-challenge's unsorted), and the demo's simulated
camera read with read_store (ranking and tree from the store).  Runs
build/baiot.
"""
import json

import numpy as np
import pytest
from sklearn.model_selection import cross_val_predict, cross_val_score

import baiot
from conftest import load_arff, run_cli

J48_OPTIONS = [
    ({}, []),
    ({"confidence_factor": 0.1, "min_num_obj": 5}, ["-C", "0.1", "-M", "5"]),
    ({"unpruned": True}, ["-U"]),
    ({"subtree_raising": False, "use_laplace": True}, ["-S", "-A"]),
    ({"collapse_tree": False, "use_mdl_correction": False}, ["-O", "-J"]),
    ({"weka_version": "3.6"}, ["--layout", "3.6"]),
]


@pytest.mark.parametrize("name", ["iris", "diabetes", "segment-challenge", "glass", "ionosphere"])
@pytest.mark.parametrize("params,flags", J48_OPTIONS)
def test_j48_tree_text(bin_path, name, params, flags):
    X, y, path = load_arff(name)
    clf = baiot.J48Classifier(**params).fit(X, y)
    assert clf.tree_text() == run_cli("j48", path, "--no-cv", "--print-tree", *flags)
    assert clf.options.split()[:4] == ["-C", f"{clf.confidence_factor:g}", "-M", str(clf.min_num_obj)]


@pytest.mark.parametrize("name", ["iris", "diabetes", "segment-challenge"])
def test_j48_cv_accuracy_on_weka_folds(bin_path, name):
    X, y, path = load_arff(name)
    cli = json.loads(run_cli("j48", path, "--json"))["evaluation"]["summary"]
    cv = baiot.WekaFolds(10, 1)
    scores = cross_val_score(baiot.J48Classifier(), X, y, cv=cv)
    sizes = np.array([len(test) for _, test in cv.split(X, y)])
    assert round(float(np.sum(scores * sizes))) == cli["correct"]
    pred = cross_val_predict(baiot.J48Classifier(), X, y, cv=cv)
    assert int(np.sum(pred == np.asarray(y))) == cli["correct"]


@pytest.mark.parametrize("name", ["iris", "diabetes", "segment-challenge"])
def test_weka_folds_equal_cli(bin_path, name):
    X, y, path = load_arff(name)
    lines = run_cli("folds", path, "-o", "-", "--folds", "10", "--seed", "7").split()[1:]
    cli = np.array([int(line.split(",")[1]) for line in lines])
    assert np.array_equal(baiot.weka_folds(y, 10, 7), cli)
    seen = np.zeros(len(y), dtype=int)
    for q, (train, test) in enumerate(baiot.WekaFolds(10, 7).split(X, y)):
        assert np.all(cli[test] == q) and np.all(cli[train] != q)
        seen[test] += 1
    assert np.all(seen == 1)


@pytest.mark.parametrize("name", ["iris", "diabetes", "segment-challenge"])
def test_oner_rule_and_rank(bin_path, name):
    X, y, path = load_arff(name)
    rule = baiot.OneR().fit(X, y).rule_text_
    assert rule in run_cli("oner", path)
    cli = json.loads(run_cli("rank", path, "--json"))["ranking"]
    merits = baiot.rank(X, y)
    for row in cli:
        assert merits[row["column"] - 1] == row["merit"]
    sel = baiot.OneRSelector(k=len(cli)).fit(X, y)
    assert [X.columns[j] for j in sel.ranking_] == [row["name"] for row in cli]


@pytest.mark.parametrize("name,k", [("iris", -1), ("diabetes", 3), ("ionosphere", 2)])
def test_em_model_equal_cli(bin_path, name, k):
    X, y, path = load_arff(name)
    args = ["em", path] + (["--clusters", str(k)] if k > 0 else [])
    em = baiot.WekaEM(n_clusters=k).fit(X)
    text = em.weka_text(X)
    assert text in run_cli(*args)
    doc = json.loads(run_cli(*args, "--json"))
    assert em.score(X) == doc["log_likelihood"]  # printed shortest round-trip: bit for bit
    assert em.n_clusters_ == doc["clusters"]
    assert np.array_equal(em.priors_, np.asarray(doc["priors"]))
    assert np.array_equal(np.argmax(em.predict_proba(X), axis=1), em.predict(X))


def test_model_files_both_ways(bin_path, tmp_path):
    X, y, path = load_arff("segment-challenge")
    clf = baiot.J48Classifier().fit(X, y)
    saved = tmp_path / "py.model"
    clf.save(saved)
    out = run_cli("predict", str(saved), path, "-o", "-").splitlines()
    assert out[0].startswith("row,actual,predicted")
    cli_pred = np.array([line.split(",")[2] for line in out[1:]])
    assert np.array_equal(cli_pred, clf.predict(X).astype(str))
    cli_proba = np.array([[float(v) for v in line.split(",")[3:]] for line in out[1:]])
    assert np.allclose(cli_proba, clf.predict_proba(X), rtol=1e-15, atol=0)
    # the CLI's file, read in Python
    cli_model = tmp_path / "cli.model"
    run_cli("j48", path, "--no-cv", "--save", str(cli_model))
    loaded = baiot.J48Classifier.load(cli_model)
    assert list(loaded.classes_) == list(y.cat.categories)
    assert np.array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert isinstance(baiot.load_model(cli_model), baiot.J48Classifier)
    # OneR and EM files
    oner_model = tmp_path / "oner.model"
    run_cli("oner", path, "--save", str(oner_model))
    assert np.array_equal(baiot.OneR.load(oner_model).predict(X), baiot.OneR().fit(X, y).predict(X))
    em_model = tmp_path / "em.model"
    run_cli("em", path, "--clusters", "3", "--save", str(em_model))
    em_cli = baiot.WekaEM.load(em_model)
    em_py = baiot.WekaEM(n_clusters=3).fit(X)
    assert np.array_equal(em_cli.predict(X), em_py.predict(X))
    assert em_cli.score(X) == em_py.score(X)


def test_store_rows_same_tree_and_ranking(bin_path, demo_store):
    """From the store: read_store + the estimators = `baiot rank` / `baiot j48` on the store."""
    X, y = baiot.read_store(demo_store, return_X_y=True)
    cli = json.loads(run_cli("rank", demo_store, "--json"))["ranking"]
    merits = baiot.rank(X, y)
    assert [merits[row["column"] - 1] for row in cli] == [row["merit"] for row in cli]
    top = [row["name"] for row in cli[:10]]
    tree = baiot.J48Classifier().fit(X[top], y).tree_text()
    assert tree == run_cli("j48", demo_store, "--columns", ",".join(top), "--no-cv", "--print-tree")
