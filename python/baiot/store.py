"""store.py - the HDF5 column store from Python: read_store, ingest, synth.

read_store reads a device / column / task selection as `baiot` loads it
(baiot_view_load_store: one read of each column, CRC-32 checked) into one
block of doubles that the returned numpy array owns (Fortran order: each
column contiguous); the DataFrame is built over that block without a copy
and gets the class (the task's: 3class, binary, 11class) as a categorical
column "class" (return_X_y=True: the features' frame and the class apart,
so the frame stays one block that the estimators read without a copy).
ingest and synth are `baiot ingest` and `baiot synth`.
Covered by tests/python/test_store.py (the frame equals h5py's reading bit
for bit; no copy).
"""
import os
from collections import namedtuple

import pandas as pd

from . import _ext

StoreArrays = namedtuple("StoreArrays", "X y feature_names class_names")
StoreArrays.__doc__ = """read_store(..., as_frame=False): X (rows x columns, float64, Fortran order),
y (class index per row, -1 = none), the column names and the class names."""


def _spec(v):
    if v is None:
        return None
    if isinstance(v, str):
        return v
    return ",".join(str(x) for x in v)


def read_store(path, devices=None, columns=None, task="3class", as_frame=True, return_X_y=False):
    """Rows of a store: devices and columns as lists or `baiot`'s comma lists
    (names or 1-based positions; None = all), task "3class", "binary" or "11class".

    as_frame: a DataFrame of the columns and "class" (categorical, the task's
    order); return_X_y: (X, y) instead, X a frame of the columns only (one
    block over the read: the estimators take it without a copy), y the
    categorical Series; as_frame=False: StoreArrays (numpy)."""
    X, y, names, classes = _ext.read_store(os.fspath(path), _spec(devices), _spec(columns), task)
    if not as_frame:
        return StoreArrays(X, y, names, classes)
    df = pd.DataFrame(X, columns=names, copy=False)
    cls = pd.Categorical.from_codes(y, categories=classes)
    if return_X_y:
        return df, pd.Series(cls, name="class")
    df["class"] = cls
    return df


def ingest(store, sources, append=False, compress=0):
    """N-BaIoT CSV files, folders or zip/rar/7z archives into a store (`baiot ingest`);
    returns {"sources", "rows", "csv_bytes"}."""
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    return _ext.ingest(os.fspath(store), [os.fspath(s) for s in sources], int(bool(append)), int(compress))


def synth(store, devices=None, scale=1.0, seed=1, csv_dir=None, pcap_dir=None):
    """Simulated N-BaIoT traffic into a store (`baiot synth`); returns {"files", "rows", "packets"}."""
    return _ext.synth(os.fspath(store), _spec(devices), float(scale), int(seed),
                      None if csv_dir is None else os.fspath(csv_dir),
                      None if pcap_dir is None else os.fspath(pcap_dir))
