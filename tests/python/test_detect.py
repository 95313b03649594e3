"""test_detect.py - GMMDetector and AutoencoderDetector: the run of
`baiot detect` on the same rows (threshold tr*, window ws*, rates), the
detector model file both ways (Python -> `baiot predict`-compatible file
and the CLI's detector.model -> Python scores), and the estimator checks
the fixtures of check_estimator are too small for (test_estimators.py);
the warm-up option (auto, none, rows) as the CLI's, bad values refused.
"""
import json
import pickle

import numpy as np
import pytest

import baiot
from conftest import DEMO_DEVICE, run_cli


@pytest.fixture(scope="module")
def camera(demo_store):
    df = baiot.read_store(demo_store, task="11class")
    return df.drop(columns="class"), df["class"].astype(str).to_numpy()


@pytest.mark.parametrize("method,est,flags", [
    ("gmm", lambda: baiot.GMMDetector(n_clusters=2, device=DEMO_DEVICE), ["--clusters", "2"]),
    ("gmm", lambda: baiot.GMMDetector(n_clusters=2, warmup=7, device=DEMO_DEVICE), ["--clusters", "2", "--warmup", "7"]),
    ("gmm", lambda: baiot.GMMDetector(n_clusters=2, warmup="none", device=DEMO_DEVICE),
     ["--clusters", "2", "--warmup", "none"]),
    ("autoencoder", lambda: baiot.AutoencoderDetector(learning_rate=0.005, epochs=3, device=DEMO_DEVICE),
     ["--lr", "0.005", "--epochs", "3"]),
])
def test_same_run_as_cli(bin_path, demo_store, camera, tmp_path, method, est, flags):
    X, y = camera
    det = est().fit(X, y)
    out = tmp_path / "det"
    cli = json.loads(run_cli("detect", demo_store, "-o", str(out), "--method", method, "--json", *flags))
    assert det.threshold_ == cli["threshold"] and det.window_ == cli["window"]
    assert det.figures_["dstrn"] == cli["dstrn"] and det.figures_["row_fpr"] == cli["row_fpr"]
    # the CLI's detector file scores the rows as the fitted estimator does
    loaded = baiot.load_detector(out / "detector.model")
    assert loaded.threshold_ == det.threshold_
    assert np.array_equal(loaded.anomaly_score(X), det.anomaly_score(X))
    # and the estimator's own file is the same detector
    det.save(tmp_path / "py.model")
    assert np.array_equal(baiot.load_detector(tmp_path / "py.model").anomaly_score(X), det.anomaly_score(X))
    # `baiot predict` reads the estimator's file and scores as it does
    lines = run_cli("predict", str(tmp_path / "py.model"), demo_store, "-o", "-").splitlines()
    assert lines[0].startswith("row,actual,score")
    cli_score = np.array([float(line.split(",")[2]) for line in lines[1:]])
    assert np.array_equal(cli_score, det.anomaly_score(X))


def test_outlier_conventions(camera):
    X, y = camera
    benign = X[y == "benign"].to_numpy()
    det = baiot.GMMDetector(n_clusters=1)
    assert det.fit(benign) is det  # y=None: every row is benign
    s = det.anomaly_score(X)
    assert np.array_equal(det.score_samples(X), -s)
    assert np.array_equal(det.predict(X), np.where(s > det.threshold_, -1, 1))
    assert (det.predict(X[y != "benign"]) == -1).mean() > 0.5
    # y without a benign label is ignored (scikit-learn's convention)
    assert det.fit(benign, np.zeros(len(benign))).threshold_ == baiot.GMMDetector(n_clusters=1).fit(benign).threshold_
    # sample order and subset invariance of the scores, pickling, 1-D input
    perm = np.random.default_rng(0).permutation(len(X))
    assert np.array_equal(det.anomaly_score(X.iloc[perm]), s[perm])
    assert np.array_equal(det.anomaly_score(X.iloc[:7]), s[:7])
    again = pickle.loads(pickle.dumps(det))
    assert np.array_equal(again.anomaly_score(X), s) and again.threshold_ == det.threshold_
    with pytest.raises(ValueError):
        det.predict(benign[0])
    params = det.get_params()
    det.predict(X)
    assert det.get_params() == params


def test_warmup_values(camera):
    X, y = camera
    for bad in ("some", -1, 2.5, True):
        with pytest.raises(ValueError, match="warmup"):
            baiot.GMMDetector(n_clusters=1, warmup=bad).fit(X, y)
    # rows left out of the fit change the fit
    a = baiot.GMMDetector(n_clusters=1, warmup=50).fit(X, y)
    n = baiot.GMMDetector(n_clusters=1, warmup="none").fit(X, y)
    assert a.threshold_ != n.threshold_


def test_too_few_rows_message():
    with pytest.raises(baiot.BaiotError, match="at least 30 benign rows"):
        baiot.GMMDetector().fit(np.random.default_rng(1).normal(size=(20, 3)))
