"""_data.py - what every estimator does to its inputs before the library
sees them: scikit-learn's checks, column names, class encoding.

Guarantees: X reaches the library as float64 without a copy when its rows
are contiguous inside each column (Fortran order, a DataFrame's values);
classes are numbered by their sorted order (scikit-learn's classes_), which
is Weka's when the ARFF file declares them sorted (benign, gafgyt, mirai);
column names are the DataFrame's (feature_names_in_) or a1, a2, ... as
Weka names unnamed attributes.  Covered by tests/python/test_estimators.py.
"""
import numpy as np


def column_names(est, n_features):
    """The names the library gives X's columns (model files, tree text)."""
    names = getattr(est, "feature_names_in_", None)
    if names is not None:
        return [str(n) for n in names]
    return [f"a{j + 1}" for j in range(n_features)]


def class_order(y):
    """The declared class order of a categorical y (pandas), else None."""
    cat = getattr(y, "cat", None)
    if cat is not None:
        return list(cat.categories)
    if hasattr(y, "categories") and hasattr(y, "codes"):
        return list(y.categories)
    return None


def encode_classes(y, categories=None):
    """(classes_, y as intc indices into classes_, class names as str).
    Classes are the sorted labels, or a categorical y's categories in their
    declared order (Weka's order for an ARFF class, the task's for a store);
    labels outside the categories become missing classes (-1)."""
    if categories is not None:
        import pandas as pd
        classes = np.asarray(categories)
        y_enc = pd.Categorical(np.asarray(y), categories=categories).codes
    else:
        classes, y_enc = np.unique(y, return_inverse=True)
    return classes, np.ascontiguousarray(y_enc, dtype=np.intc), [str(c) for c in classes]


def n_jobs_threads(n_jobs):
    """n_jobs (None, -1: all cores; k > 0: k threads) as the library's thread count (0 = OpenMP's default)."""
    if n_jobs is None or n_jobs == -1:
        return 0
    if n_jobs < -1:
        import os
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return int(n_jobs)
