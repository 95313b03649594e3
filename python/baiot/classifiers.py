"""classifiers.py - Weka's J48 and OneR as scikit-learn classifiers.

J48Classifier and OneR train through the library on the caller's arrays
(no copy for column-contiguous float64 data) with the parameters of
`baiot j48` / `baiot oner`, so the tree (tree_text()) and the rule are the
CLI's on the same rows; NaN is a missing value, as in Weka.  A fitted
estimator saves the CLI's model file (save(path), read by `baiot predict`),
and load(path) reads one the CLI wrote (`--save MODEL`).  Pickling goes
through the same model file.  Covered by tests/python/test_estimators.py
(check_estimator), tests/python/test_cli_equal.py (tree text, accuracy and
predictions against build/baiot).
"""
import os
import tempfile

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from . import _ext
from ._data import class_order, column_names, encode_classes, n_jobs_threads


class _ModelFileMixin:
    """Saving, loading and pickling through the CLI's model files."""

    _kind = None

    def save(self, path):
        """Writes the CLI's model file (docs/MODEL_FORMAT.md) to path."""
        check_is_fitted(self, "classes_")
        if getattr(self, "_handle", None) is None:
            raise ValueError("a model loaded from a file is saved by copying that file")
        self._save(os.fspath(path))

    @classmethod
    def load(cls, path):
        """A fitted estimator from a model file of this kind (`baiot ... --save`)."""
        model, kind, columns, classes = _ext.model_load(os.fspath(path))
        if kind != cls._kind:
            raise ValueError(f"'{path}' holds a {kind} model, not a {cls._kind}")
        est = cls()
        est._set_loaded(model, columns, classes)
        return est

    def _set_loaded(self, model, columns, classes):
        self._handle = None
        self._model = model
        names = columns.split(",") if columns else []
        self._names = names
        self._model_cols = names
        self.n_features_in_ = len(names)
        self.feature_names_in_ = np.asarray(names, dtype=object)
        self.classes_ = np.asarray(classes)
        self._class_names = list(classes)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_handle", None)
        state.pop("_model", None)
        if getattr(self, "_handle", None) is not None or getattr(self, "_model", None) is not None:
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "model.json")
                if self._handle is not None:
                    self._save(path)
                else:
                    raise ValueError("a loaded model is pickled by keeping its file")
                with open(path, "rb") as f:
                    state["_model_file"] = f.read()
        return state

    def __setstate__(self, state):
        blob = state.pop("_model_file", None)
        self.__dict__.update(state)
        self._handle = None
        self._model = None
        if blob is not None:
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "model.json")
                with open(path, "wb") as f:
                    f.write(blob)
                self._model, _, columns, _ = _ext.model_load(path)
                self._model_cols = columns.split(",") if columns else []

    def _proba_from_model(self, X):
        """Class distributions from a loaded model file (`baiot predict`'s):
        a DataFrame gives the model's columns by name, an array in order."""
        cols = self._model_cols
        if hasattr(X, "columns") and all(c in X.columns for c in cols):
            X = X[cols]
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 2 and X.shape[1] == len(self._names) and len(cols) != len(self._names):
            X = X[:, [self._names.index(c) for c in cols]]  # a OneR file keeps the rule's column only
        if X.ndim != 2 or X.shape[1] != len(cols):
            raise ValueError(f"the model reads {len(cols)} columns ({','.join(cols)}); X has shape {X.shape}")
        return _ext.model_predict(self._model, X, cols)


class J48Classifier(_ModelFileMixin, ClassifierMixin, BaseEstimator):
    """Weka's J48 (C4.5) decision tree, as `baiot j48` grows it.

    Parameters (Weka's options):
      confidence_factor (-C, 0.25), min_num_obj (-M, 2), unpruned (-U),
      subtree_raising (not -S), use_laplace (-A), collapse_tree (not -O),
      use_mdl_correction (not -J), binary_splits (-B);
      weka_version "3.8" (default, as the CLI) or "3.6" (Weka 3.6.14's
      threshold tests: `--layout weka36`);
      n_jobs: threads evaluating columns at large nodes (the tree does not
      change).
    """

    _kind = "j48"

    def __init__(self, confidence_factor=0.25, min_num_obj=2, unpruned=False, subtree_raising=True,
                 use_laplace=False, collapse_tree=True, use_mdl_correction=True, binary_splits=False,
                 weka_version="3.8", n_jobs=None):
        self.confidence_factor = confidence_factor
        self.min_num_obj = min_num_obj
        self.unpruned = unpruned
        self.subtree_raising = subtree_raising
        self.use_laplace = use_laplace
        self.collapse_tree = collapse_tree
        self.use_mdl_correction = use_mdl_correction
        self.binary_splits = binary_splits
        self.weka_version = weka_version
        self.n_jobs = n_jobs

    def _params(self):
        if self.weka_version not in ("3.6", "3.8"):
            raise ValueError(f"weka_version must be '3.6' or '3.8', not {self.weka_version!r}")
        return (float(self.confidence_factor), int(self.min_num_obj), int(bool(self.unpruned)),
                int(not self.subtree_raising), int(bool(self.use_laplace)), int(not self.collapse_tree),
                int(not self.use_mdl_correction), int(bool(self.binary_splits)), int(self.weka_version == "3.6"))

    @property
    def options(self):
        """The Weka command-line options of this tree (as `baiot j48` takes them)."""
        o = [f"-C {self.confidence_factor:g}", f"-M {self.min_num_obj}"]
        o += [f for f, on in (("-U", self.unpruned), ("-S", not self.subtree_raising), ("-A", self.use_laplace),
                              ("-O", not self.collapse_tree), ("-J", not self.use_mdl_correction),
                              ("-B", self.binary_splits)) if on]
        return " ".join(o)

    def fit(self, X, y, sample_weight=None):
        """Grows the tree; sample_weight: instance weights as Weka's J48 takes
        them (None: all 1; a weight of 2 is not a repeated row, docs/PYTHON.md)."""
        categories = class_order(y)
        X, y = self._validate_data(X, y, dtype=np.float64, force_all_finite="allow-nan", order=None)
        check_classification_targets(y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        self.classes_, y_enc, self._class_names = encode_classes(y, categories)
        self._names = column_names(self, X.shape[1])
        self._model = None
        self._handle = _ext.j48_train(X, y_enc, self._names, self._class_names, sample_weight, *self._params(),
                                      n_jobs_threads(self.n_jobs))
        self.n_leaves_, self.tree_size_ = _ext.j48_size(self._handle)
        return self

    def predict_proba(self, X):
        """Weka's distributionForInstance of every row."""
        check_is_fitted(self, "classes_")
        if self._handle is None:
            return self._proba_from_model(X)
        X = self._validate_data(X, dtype=np.float64, force_all_finite="allow-nan", reset=False)
        return _ext.j48_proba(self._handle, X, len(self.classes_), n_jobs_threads(self.n_jobs))

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def tree_text(self):
        """The tree as Weka's J48.toString() prints it (`baiot j48 --print-tree`)."""
        check_is_fitted(self, "classes_")
        if self._handle is None:
            raise ValueError("the tree text of a loaded model is in its file; fit to print it")
        return _ext.j48_text(self._handle, self._names, self._class_names)

    def _save(self, path):
        _ext.j48_save(self._handle, path, self._names, self._class_names, *self._params())

    def _more_tags(self):
        return {"allow_nan": True}


class OneR(_ModelFileMixin, ClassifierMixin, BaseEstimator):
    """Weka's OneR rule learner (`baiot oner`); min_bucket_size is Weka's -B (6)."""

    _kind = "oner"

    def __init__(self, min_bucket_size=6):
        self.min_bucket_size = min_bucket_size

    def fit(self, X, y):
        categories = class_order(y)
        X, y = self._validate_data(X, y, dtype=np.float64, force_all_finite="allow-nan", order=None)
        check_classification_targets(y)
        self.classes_, y_enc, self._class_names = encode_classes(y, categories)
        self._names = column_names(self, X.shape[1])
        self._model = None
        self._handle = _ext.oner_train(X, y_enc, self._names, self._class_names, int(self.min_bucket_size))
        self.rule_text_, self.attribute_ = _ext.oner_info(self._handle, self._names, self._class_names)
        return self

    def predict(self, X):
        check_is_fitted(self, "classes_")
        if self._handle is None:
            return self.classes_[np.argmax(self._proba_from_model(X), axis=1)]
        X = self._validate_data(X, dtype=np.float64, force_all_finite="allow-nan", reset=False)
        return self.classes_[_ext.oner_predict(self._handle, X)]

    def predict_proba(self, X):
        """One-hot, as Weka's OneR distribution."""
        check_is_fitted(self, "classes_")
        if self._handle is None:
            return self._proba_from_model(X)
        X = self._validate_data(X, dtype=np.float64, force_all_finite="allow-nan", reset=False)
        idx = _ext.oner_predict(self._handle, X)
        p = np.zeros((len(idx), len(self.classes_)))
        p[np.arange(len(idx)), idx] = 1.0
        return p

    def _save(self, path):
        _ext.oner_save(self._handle, path, self._names, self._class_names, int(self.min_bucket_size))

    def _more_tags(self):
        # one column's rule: scikit-learn's 0.83 training accuracy on its
        # blobs is more than one column can give (check_classifiers_train)
        return {"allow_nan": True, "poor_score": True}
