"""detect.py - the anomaly detectors of `baiot detect` as scikit-learn outlier detectors.

GMMDetector and AutoencoderDetector run N-BaIoT's protocol on the caller's
rows (baiot_detect_view, the run `baiot detect` makes from a file with the
same rows): the benign rows (y == "benign", any case; y=None: every row) are
split in thirds DStrn / DSopt / DStst, scaled on DStrn, the scorer is fitted
on DStrn, the threshold tr* and window ws* are chosen on DSopt; the other
classes' rows are DStst's attacks (figures_: the run's rates).  A y without
a "benign" label is ignored (scikit-learn's outlier convention).  Then

  anomaly_score(X)   the library's score (the mixture's negative
                     log-likelihood, the autoencoder's reconstruction MSE);
  score_samples(X)   its negative (scikit-learn: lower = more abnormal);
  decision_function  threshold_ - anomaly_score (negative = anomalous);
  predict(X)         -1 for rows scoring above tr*, +1 otherwise.

save(path) writes the detector model file of `baiot detect` (read by
`baiot predict` and `baiot watch`); load_detector(path) reads one.
Covered by tests/python/test_detect.py.
"""
import os
import tempfile

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.utils.validation import check_is_fitted

from . import _ext
from ._data import column_names, n_jobs_threads

_COV = {"diag": 0, "full": 1}


class _Detector(OutlierMixin, BaseEstimator):
    _method = None

    def _fit_args(self):
        raise NotImplementedError

    def fit(self, X, y=None):
        X = self._validate_data(X, dtype=np.float64, order=None)
        labels = None if y is None else np.asarray(y).astype(str)
        if labels is not None and labels.shape == (X.shape[0],) and np.any(np.char.lower(labels) == "benign"):
            classes, y_enc = np.unique(labels, return_inverse=True)
            names = [str(c) for c in classes]
            y_enc = y_enc.astype(np.intc)
        else:  # no benign label: y is ignored, every row is benign traffic
            y_enc = np.zeros(X.shape[0], dtype=np.intc)
            names = ["benign"]
        self._names = column_names(self, X.shape[1])
        self._handle, self.figures_ = _ext.detect_fit(X, y_enc, self._names, names, self.device, *self._fit_args())
        self._detector = None
        self.threshold_ = self.figures_["threshold"]
        self.window_ = self.figures_["window"]
        self.offset_ = -self.threshold_
        return self

    def anomaly_score(self, X):
        """The library's score of every row (higher = more anomalous)."""
        check_is_fitted(self, "threshold_")
        if self._handle is None:
            if hasattr(X, "columns") and all(c in X.columns for c in self._names):
                X = X[self._names]
            X = np.asarray(X, dtype=np.float64)
            return _ext.detector_score(self._detector, X, self._names)
        X = self._validate_data(X, dtype=np.float64, reset=False)
        return _ext.detect_score(self._handle, X, self._names)

    def score_samples(self, X):
        return -self.anomaly_score(X)

    def decision_function(self, X):
        score = self.anomaly_score(X)
        return self.threshold_ - score

    def predict(self, X):
        return np.where(self.decision_function(X) < 0, -1, 1)

    def fit_predict(self, X, y=None):
        return self.fit(X, y).predict(X)

    def save(self, path):
        """Writes `baiot detect`'s detector model file."""
        check_is_fitted(self, "threshold_")
        if self._handle is None:
            raise ValueError("a loaded detector is saved by copying its file")
        _ext.detect_save(self._handle, os.fspath(path))

    def __getstate__(self):
        """Pickles through the detector model file (unpickled: scores as load_detector's)."""
        state = self.__dict__.copy()
        handle = state.pop("_handle", None)
        state.pop("_detector", None)
        if handle is not None:
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "detector.model")
                _ext.detect_save(handle, path)
                with open(path, "rb") as f:
                    state["_model_file"] = f.read()
        elif getattr(self, "_detector", None) is not None:
            raise ValueError("a loaded detector is pickled by keeping its file")
        return state

    def __setstate__(self, state):
        blob = state.pop("_model_file", None)
        self.__dict__.update(state)
        self._handle = self._detector = None
        if blob is not None:
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "detector.model")
                with open(path, "wb") as f:
                    f.write(blob)
                self._detector = _ext.detector_load(path)[0]


class GMMDetector(_Detector):
    """`baiot detect --method gmm`: a Gaussian mixture on the EM engine.

    n_clusters 0: chosen on DSopt; covariance "diag" or "full"; seed: the
    EM's k-means seed; warmup "auto", "none" or DStrn's oldest rows not
    learnt from (docs/DETECTION.md); device: one of the nine N-BaIoT names
    or None."""

    def __init__(self, n_clusters=0, covariance="diag", seed=100, max_window=1000, warmup="auto", device=None,
                 n_jobs=None):
        self.n_clusters = n_clusters
        self.warmup = warmup
        self.covariance = covariance
        self.seed = seed
        self.max_window = max_window
        self.device = device
        self.n_jobs = n_jobs

    def _fit_args(self):
        if self.covariance not in _COV:
            raise ValueError(f"covariance must be 'diag' or 'full', not {self.covariance!r}")
        return (0, int(self.n_clusters), _COV[self.covariance], int(self.seed), 0.0, 0, 0,
                n_jobs_threads(self.n_jobs), int(self.max_window), _warmup(self.warmup))


class AutoencoderDetector(_Detector):
    """`baiot detect --method autoencoder`: N-BaIoT's deep autoencoder.

    learning_rate, epochs 0: the paper's for one of the nine devices, else
    chosen on DSopt; batch_size 0: 32; seed: weights and shuffles; warmup
    as for GMMDetector."""

    def __init__(self, learning_rate=0.0, epochs=0, batch_size=0, seed=100, max_window=1000, warmup="auto",
                 device=None, n_jobs=None):
        self.learning_rate = learning_rate
        self.warmup = warmup
        self.epochs = epochs
        self.batch_size = batch_size
        self.seed = seed
        self.max_window = max_window
        self.device = device
        self.n_jobs = n_jobs

    def _fit_args(self):
        return (1, 0, 0, int(self.seed), float(self.learning_rate), int(self.epochs), int(self.batch_size),
                n_jobs_threads(self.n_jobs), int(self.max_window), _warmup(self.warmup))


def _warmup(w):
    """`--warmup`'s value for the C side: "auto" -1, "none" 0, else rows."""
    if w == "auto":
        return -1
    if w == "none" or w is None:
        return 0
    if isinstance(w, bool) or not isinstance(w, int) or w < 0:
        raise ValueError(f"warmup must be 'auto', 'none' or a number of rows >= 0, not {w!r}")
    return w


def load_detector(path):
    """A fitted detector from `baiot detect`'s model file (scores = `baiot predict`'s)."""
    d, columns, threshold, window, device = _ext.detector_load(os.fspath(path))
    est = _Detector.__new__(_Detector)
    est._handle, est._detector = None, d
    est._names = columns.split(",") if columns else []
    est.n_features_in_ = len(est._names)
    est.threshold_, est.window_, est.offset_ = threshold, window, -threshold
    est.device = device
    return est
