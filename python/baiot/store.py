"""store.py - the HDF5 column store from Python: read_store, ingest, synth.

read_store reads a device / column / task selection as `baiot` loads it
(baiot_view_load_store: one read of each column, CRC-32 checked) into one
block of doubles that the returned numpy array owns (Fortran order: each
column contiguous); the DataFrame is built over that block without a copy
and gets the class (the task's: 3class, binary, 11class) as a categorical
column "class".  ingest and synth are `baiot ingest` and `baiot synth`.
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


def read_store(path, devices=None, columns=None, task="3class", as_frame=True):
    """Rows of a store: devices and columns as lists or `baiot`'s comma lists
    (names or 1-based positions; None = all), task "3class", "binary" or "11class"."""
    X, y, names, classes = _ext.read_store(os.fspath(path), _spec(devices), _spec(columns), task)
    if not as_frame:
        return StoreArrays(X, y, names, classes)
    df = pd.DataFrame(X, columns=names, copy=False)
    df["class"] = pd.Categorical.from_codes(y, categories=classes)
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
