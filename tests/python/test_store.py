"""test_store.py - read_store against h5py bit for bit, without copies;
column, device and task selections; ingest and synth through Python.
"""
import h5py
import numpy as np

import baiot
from conftest import DEMO_DEVICE


def _root(a):
    while isinstance(a, np.ndarray) and a.base is not None:
        a = a.base
    return a


def test_frame_equals_h5py_bit_for_bit(demo_store):
    df = baiot.read_store(demo_store)
    with h5py.File(demo_store, "r") as f:
        names = list(f["features"].keys())
        assert set(df.columns[:-1]) == set(names) and len(df.columns) == 116
        for name in names:
            ref = f["features"][name][:]
            assert ref.dtype == np.float64
            assert np.array_equal(df[name].to_numpy().view(np.uint64), ref.view(np.uint64)), name
        assert np.array_equal(df["class"].cat.codes.to_numpy(), f["labels"]["family"][:].astype(np.int8))
    assert list(df["class"].cat.categories) == ["benign", "gafgyt", "mirai"]


def test_no_copy_after_the_read(demo_store):
    a = baiot.read_store(demo_store, as_frame=False)
    assert a.X.flags.f_contiguous and a.X.dtype == np.float64
    assert type(_root(a.X)).__name__ == "PyCapsule"  # the library's block, owned by the array
    df = baiot.read_store(demo_store)
    col = df[df.columns[0]].to_numpy()
    assert type(_root(col)).__name__ == "PyCapsule"  # the frame's columns are that block
    # the features' frame reaches the library as that block (columns
    # contiguous: baiot_view_wrap points into it)
    X, y = baiot.read_store(demo_store, return_X_y=True)
    est = baiot.J48Classifier()
    checked = est._validate_data(X, dtype=np.float64, force_all_finite="allow-nan", order=None)
    assert type(_root(checked)).__name__ == "PyCapsule" and checked.strides[0] == 8
    assert list(y.cat.categories) == ["benign", "gafgyt", "mirai"]


def test_selections(demo_store):
    with h5py.File(demo_store, "r") as f:
        names = list(f["features"].keys())
        pick = [names[7], names[2]]
        df = baiot.read_store(demo_store, devices=[DEMO_DEVICE], columns=pick, task="binary")
        assert list(df.columns) == pick + ["class"]
        assert np.array_equal(df[pick[0]].to_numpy(), f["features"][pick[0]][:])
        assert list(df["class"].cat.categories) == ["benign", "attack"]
        assert np.array_equal(df["class"].cat.codes.to_numpy(), (f["labels"]["family"][:] > 0).astype(np.int8))
    eleven = baiot.read_store(demo_store, columns="1,2", task="11class", as_frame=False)
    assert eleven.X.shape[1] == 2 and len(eleven.class_names) == 11


def test_synth_csv_then_ingest(tmp_path):
    s1, s2, csv = tmp_path / "a.h5", tmp_path / "b.h5", tmp_path / "csv"
    r = baiot.synth(s1, devices=DEMO_DEVICE, scale=0.002, seed=3, csv_dir=csv)
    assert r["files"] > 0 and r["rows"] > 0
    got = baiot.ingest(s2, [csv])
    assert got["rows"] == r["rows"]
    a, b = baiot.read_store(s1, as_frame=False), baiot.read_store(s2, as_frame=False)
    key = lambda arr: arr.X[np.lexsort(arr.X.T[::-1])]  # noqa: E731 - rows in any file order
    assert np.array_equal(key(a), key(b))
