"""baiot - N-BaIoT botnet detection in Python, over libbaiot (the C engine).

The package is a thin layer over the library's public API (include/baiot/),
reached through the extension baiot._ext (python/src/ext_*.c):

* stores: read_store (a pandas DataFrame or numpy arrays straight from an
  HDF5 store), ingest (N-BaIoT CSVs -> store), synth (the traffic simulator);
* scikit-learn estimators whose results are the CLI's: J48Classifier, OneR,
  WekaEM, AutoencoderDetector, GMMDetector; rank and OneRSelector (Weka's
  OneRAttributeEval + Ranker); weka_folds and WekaFolds (Weka's CV folds);
* model files shared with `baiot ... --save MODEL` and `baiot predict`
  (J48Classifier.load, OneR.load, WekaEM.load, load_detector);
* progress and log messages (set_progress, set_log, progress).

Errors of the library raise BaiotError with its message.  docs/PYTHON.md is
the walk-through; tests/python/ the tests (ctest python_package).
"""
from ._ext import BaiotError
from .store import read_store, ingest, synth, StoreArrays
from .classifiers import J48Classifier, OneR
from .em import WekaEM
from .selection import rank, OneRSelector
from .folds import weka_folds, WekaFolds
from .detect import AutoencoderDetector, GMMDetector, load_detector
from .models import load_model
from .progress import set_progress, set_log, progress
from ._ext import version as _version

__version__, git_commit = _version()

__all__ = [
    "BaiotError", "read_store", "ingest", "synth", "StoreArrays", "J48Classifier", "OneR", "WekaEM",
    "rank", "OneRSelector", "weka_folds", "WekaFolds", "AutoencoderDetector", "GMMDetector",
    "load_detector", "load_model", "set_progress", "set_log", "progress", "git_commit",
]
