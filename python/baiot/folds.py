"""folds.py - Weka's cross-validation folds for scikit-learn.

weka_folds(y, k, seed) gives the fold of every row (what `baiot folds`
writes); WekaFolds(k, seed) is a CV splitter yielding, for fold q, the
training rows in Weka's trainCV order and the test rows in testCV order,
so cross_val_score(est, X, y, cv=WekaFolds(10, 1)) evaluates on Weka's
folds (Evaluation.crossValidateModel: randomize with java.util.Random(seed),
stratify).  Classes are numbered by sorted label, as the estimators number
them.  Covered by tests/python/test_cli_equal.py (against `baiot folds` and
the CLI's cross-validated accuracy).
"""
import numpy as np
from sklearn.model_selection import BaseCrossValidator

from . import _ext
from ._data import class_order, encode_classes


def _encoded(y):
    if y is None:
        raise ValueError("Weka's folds are stratified by class: give y")
    categories = class_order(y)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError("y must be 1-D")
    _, y_enc, names = encode_classes(y, categories)
    return y_enc, len(names)


def weka_folds(y, k=10, seed=1):
    """The fold (0..k-1) whose test block holds each row."""
    y_enc, n_classes = _encoded(y)
    return _ext.fold_of(y_enc, n_classes, int(k), int(seed)).astype(np.intp)


class WekaFolds(BaseCrossValidator):
    """k-fold cross-validation on Weka's folds (java.util.Random(seed), stratified)."""

    def __init__(self, n_splits=10, seed=1):
        self.n_splits = n_splits
        self.seed = seed

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits

    def split(self, X, y=None, groups=None):
        y_enc, n_classes = _encoded(y)
        for q in range(self.n_splits):
            train, n_train, test, n_test = _ext.fold_rows(y_enc, n_classes, int(self.n_splits), int(self.seed), q)
            yield train[:n_train].astype(np.intp), test[:n_test].astype(np.intp)

    def _iter_test_indices(self, X=None, y=None, groups=None):  # required by the base class
        for _, test in self.split(X, y, groups):
            yield test

    def __repr__(self):
        return f"WekaFolds(n_splits={self.n_splits}, seed={self.seed})"
