"""em.py - Weka's EM clusterer as a scikit-learn clusterer (`baiot em`).

WekaEM fits through the library on the caller's arrays with `baiot em`'s
parameters (n_clusters -1: chosen by Weka's cross-validation; seed 100,
max_iter 100, min_std_dev 1e-6; covariance "diag" = Weka's model, "full"
the library's extension), so the model (weka_text()), the assignments
(predict, labels_) and the mean log-likelihood (score) are the CLI's.
predict_proba is the posterior of Weka's distributionForInstance computed
here in numpy from the fitted priors, means and standard deviations (or
covariances); its arg max agrees with predict except on exact ties.
Model files: save(path), WekaEM.load(path) (`baiot em --save`).
Covered by tests/python/test_estimators.py and tests/python/test_cli_equal.py.
"""
import os
import tempfile

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, DensityMixin
from sklearn.utils.validation import check_is_fitted

from . import _ext
from ._data import column_names, n_jobs_threads

_COV = {"diag": 0, "full": 1}


class WekaEM(ClusterMixin, DensityMixin, BaseEstimator):
    """Weka's EM (weka.clusterers.EM) on numeric columns."""

    def __init__(self, n_clusters=-1, seed=100, max_iter=100, min_std_dev=1e-6, covariance="diag",
                 reg_covar=1e-6, n_jobs=None):
        self.n_clusters = n_clusters
        self.seed = seed
        self.max_iter = max_iter
        self.min_std_dev = min_std_dev
        self.covariance = covariance
        self.reg_covar = reg_covar
        self.n_jobs = n_jobs

    def _params(self):
        if self.covariance not in _COV:
            raise ValueError(f"covariance must be 'diag' or 'full', not {self.covariance!r}")
        return (int(self.n_clusters), int(self.seed), int(self.max_iter), float(self.min_std_dev),
                n_jobs_threads(self.n_jobs), _COV[self.covariance], float(self.reg_covar))

    def fit(self, X, y=None):
        X = self._validate_data(X, dtype=np.float64, order=None)
        self._names = column_names(self, X.shape[1])
        self._handle = _ext.em_train(X, self._names, self._params())
        self._describe(X.shape[1])
        self.labels_, self.train_log_likelihood_ = _ext.em_cluster(self._handle, X)
        self.labels_ = self.labels_.astype(np.intp)
        return self

    def _describe(self, d):
        self.priors_, self.n_clusters_, self.n_iter_, self.selected_by_cv_ = _ext.em_params(self._handle)
        self.means_, self.std_devs_, self.covariances_ = _ext.em_moments(self._handle, d)

    def predict(self, X):
        """The cluster of every row (Weka's clusterInstance)."""
        check_is_fitted(self, "priors_")
        X = self._validate_data(X, dtype=np.float64, reset=False)
        return _ext.em_cluster(self._handle, X)[0].astype(np.intp)

    def score(self, X, y=None):
        """The mean log-likelihood of X's rows (Weka's "Log likelihood")."""
        check_is_fitted(self, "priors_")
        X = self._validate_data(X, dtype=np.float64, reset=False)
        return _ext.em_cluster(self._handle, X)[1]

    def _log_joint(self, X):
        """log prior + log density of every row under every cluster (Weka's
        logDensityPerClusterForInstance)."""
        if self.covariances_ is None:
            sd = self.std_devs_
            diff = X[:, None, :] - self.means_[None, :, :]
            logd = -(diff * diff) / (2 * sd * sd) - np.log(np.sqrt(2 * np.pi)) - np.log(sd)
            return np.log(self.priors_)[None, :] + logd.sum(axis=2)
        out = np.empty((X.shape[0], self.n_clusters_))
        d = X.shape[1]
        for c in range(self.n_clusters_):
            L = np.linalg.cholesky(self.covariances_[c])
            z = np.linalg.solve(L, (X - self.means_[c]).T)
            out[:, c] = (np.log(self.priors_[c]) - 0.5 * (z * z).sum(axis=0) - np.log(np.diag(L)).sum()
                         - 0.5 * d * np.log(2 * np.pi))
        return out

    def predict_proba(self, X):
        """Posterior cluster probabilities of every row (numpy, from the fitted mixture)."""
        check_is_fitted(self, "priors_")
        X = self._validate_data(X, dtype=np.float64, reset=False)
        lj = self._log_joint(X)
        lj -= lj.max(axis=1, keepdims=True)
        p = np.exp(lj)
        return p / p.sum(axis=1, keepdims=True)

    def weka_text(self, X):
        """The model and the evaluation on X as `baiot em DATA` prints them."""
        check_is_fitted(self, "priors_")
        X = self._validate_data(X, dtype=np.float64, reset=False)
        return _ext.em_text(self._handle, X, self._names)

    def save(self, path):
        """Writes the CLI's model file (kind "em")."""
        check_is_fitted(self, "priors_")
        _ext.em_save(self._handle, os.fspath(path), self._names, self._params())

    @classmethod
    def load(cls, path):
        """A fitted WekaEM from a model file written by `baiot em --save` or save()."""
        model, kind, columns, _ = _ext.model_load(os.fspath(path))
        if kind != "em":
            raise ValueError(f"'{path}' holds a {kind} model, not an em mixture")
        est = cls()
        est._model = model
        est._handle = _ext.model_em(model)
        est._names = columns.split(",") if columns else []
        est.n_features_in_ = len(est._names)
        est.feature_names_in_ = np.asarray(est._names, dtype=object)
        est._describe(len(est._names))
        return est

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_handle", None)
        state.pop("_model", None)
        if getattr(self, "_handle", None) is not None:
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "em.model")
                self.save(path)
                with open(path, "rb") as f:
                    state["_model_file"] = f.read()
        return state

    def __setstate__(self, state):
        blob = state.pop("_model_file", None)
        self.__dict__.update(state)
        if blob is not None:
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "em.model")
                with open(path, "wb") as f:
                    f.write(blob)
                self._model = _ext.model_load(path)[0]
            self._handle = _ext.model_em(self._model)
