"""selection.py - Weka's OneRAttributeEval + Ranker for scikit-learn.

rank(X, y) returns the merit of every column (`baiot rank`'s: the percent
of rows OneR classifies correctly in Weka's cross-validation, folds 10,
seed 1, bucket 6), so it is a score_func for SelectKBest; OneRSelector keeps
the k best in Weka's Ranker order (ties as the CLI breaks them) and works
as a Pipeline step.  Covered by tests/python/test_cli_equal.py (merits and
order against `baiot rank --json`) and tests/python/test_pipeline.py.
"""
import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_X_y

from . import _ext
from ._data import class_order, encode_classes, n_jobs_threads


def _rank(X, y, folds, seed, min_bucket, n_jobs):
    categories = class_order(y)
    X, y = check_X_y(X, y, dtype=np.float64, force_all_finite="allow-nan")
    check_classification_targets(y)
    if X.shape[0] < folds:
        raise ValueError(f"{X.shape[0]} samples cannot make {folds} folds (Weka's cross-validation of OneR)")
    _, y_enc, names = encode_classes(y, categories)
    return _ext.rank(X, y_enc, names, int(folds), int(seed), int(min_bucket), n_jobs_threads(n_jobs))


def rank(X, y, folds=10, seed=1, min_bucket=6, n_jobs=None):
    """OneRAttributeEval merits of X's columns (by column, not by rank)."""
    return _rank(X, y, folds, seed, min_bucket, n_jobs)[0]


class OneRSelector(SelectorMixin, BaseEstimator):
    """Keeps the k columns of best OneRAttributeEval merit (Weka's Ranker order)."""

    def __init__(self, k=10, folds=10, seed=1, min_bucket=6, n_jobs=None):
        self.k = k
        self.folds = folds
        self.seed = seed
        self.min_bucket = min_bucket
        self.n_jobs = n_jobs

    def fit(self, X, y):
        self._validate_data(X, y, dtype=np.float64, force_all_finite="allow-nan", order=None)
        self.merits_, self.ranking_ = _rank(X, y, self.folds, self.seed, self.min_bucket, self.n_jobs)
        self.ranking_ = self.ranking_.astype(np.intp)
        return self

    def _get_support_mask(self):
        check_is_fitted(self, "ranking_")
        if not (isinstance(self.k, (int, np.integer)) and self.k >= 0):
            raise ValueError(f"k must be a non-negative integer, not {self.k!r}")
        mask = np.zeros(len(self.merits_), dtype=bool)
        mask[self.ranking_[: self.k]] = True
        return mask

    def _more_tags(self):
        return {"allow_nan": True, "requires_y": True}
