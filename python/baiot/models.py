"""models.py - any model file the CLI writes, loaded as the right estimator.

load_model(path) reads the kind of a model file (docs/MODEL_FORMAT.md) and
returns a fitted J48Classifier, OneR, WekaEM or detector whose predictions
are `baiot predict`'s.  Covered by tests/python/test_cli_equal.py.
"""
import os

from . import _ext


def load_model(path):
    """A fitted estimator from a `baiot ... --save MODEL` file."""
    from .classifiers import J48Classifier, OneR
    from .detect import load_detector
    from .em import WekaEM
    path = os.fspath(path)
    try:
        kind = _ext.model_load(path)[1]
    except _ext.BaiotError:
        return load_detector(path)
    return {"j48": J48Classifier, "oner": OneR, "em": WekaEM}[kind].load(path)
