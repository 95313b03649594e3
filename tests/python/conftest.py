"""conftest.py - what the Python package's tests share: the baiot binary
of the same build (BAIOT_BIN, set by ctest; else build/baiot), the Weka data
sets of tests/data/weka read as pandas frames with their classes in ARFF
order, and a small simulated store made once per session.
Used by every test of tests/python (ctest python_package).
"""
import os
import subprocess

import numpy as np
import pandas as pd
import pytest
from scipy.io import arff

SRC = os.environ.get("BAIOT_SRC") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("BAIOT_BIN") or os.path.join(SRC, "build", "baiot")
WEKA = os.path.join(SRC, "tests", "data", "weka")
DEMO_DEVICE = "Provision_PT_737E_Security_Camera"


def run_cli(*args, check=True):
    """build/baiot's standard output for args."""
    r = subprocess.run([BIN, args[0], "-q", *args[1:]], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError(f"baiot {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r.stdout


def load_arff(name):
    """(X frame of the numeric attributes, y categorical in declared order, path)."""
    path = os.path.join(WEKA, name + ".arff")
    data, meta = arff.loadarff(path)
    names = meta.names()
    cls = names[-1]
    # (scipy keeps an ARFF name's quotes: 'K' is K to Weka)
    X = pd.DataFrame({n.strip("'"): data[n].astype(np.float64) for n in names[:-1]})
    values = list(meta[cls][1])
    y = pd.Series(pd.Categorical([v.decode() for v in data[cls]], categories=values), name=cls)
    return X, y, path


@pytest.fixture(scope="session")
def bin_path():
    if not os.path.exists(BIN):
        pytest.skip(f"no baiot binary at {BIN}")
    return BIN


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
    """The demo's camera at scale 0.02 (seed 1, as `baiot demo` simulates it)."""
    import baiot
    path = str(tmp_path_factory.mktemp("store") / "camera.h5")
    baiot.synth(path, devices=DEMO_DEVICE, scale=0.02, seed=1)
    return path
