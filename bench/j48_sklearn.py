#!/usr/bin/python3
"""bench/j48_sklearn.py STORE FOLDS.csv [--task 3class|11class] [--columns @SEL]
scikit-learn's DecisionTreeClassifier(criterion="entropy") on the same rows,
columns and Weka folds as `baiot j48` (folds from `baiot folds`): fits the
10 training folds and predicts their test rows, then fits all rows; prints
the fit+predict time (data loading not counted) and the pooled accuracy."""
import argparse
import time

import sys

import h5py
import numpy as np

try:
    from sklearn.tree import DecisionTreeClassifier
except ImportError:
    print("scikit-learn is not installed (scripts/install-bench-peers): skipped")
    sys.exit(0)

ap = argparse.ArgumentParser()
ap.add_argument("store")
ap.add_argument("folds")
ap.add_argument("--task", default="3class")
ap.add_argument("--columns")
a = ap.parse_args()
f = h5py.File(a.store, "r")
names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["feature_names"]]
if a.columns:
    spec = a.columns[1:] if a.columns.startswith("@") else None
    cols = [l.strip() for l in open(spec) if l.strip() and not l.startswith("#")] if spec else a.columns.split(",")
else:
    cols = names
X = np.column_stack([f["features"][c][:] for c in cols])
y = f["labels"]["attack" if a.task == "11class" else "family"][:]
fold = np.loadtxt(a.folds, delimiter=",", skiprows=1, dtype=np.int64)[:, 1]
k = int(fold.max()) + 1
t = time.perf_counter()
correct = 0
for q in range(k):
    tr, te = fold != q, fold == q
    m = DecisionTreeClassifier(criterion="entropy", random_state=0).fit(X[tr], y[tr])
    correct += int((m.predict(X[te]) == y[te]).sum())
DecisionTreeClassifier(criterion="entropy", random_state=0).fit(X, y)
dt = time.perf_counter() - t
print("sklearn DecisionTreeClassifier(entropy): %d folds + full tree: %.2f s, accuracy %.4f%% (%d rows, %d columns)"
      % (k, dt, 100.0 * correct / len(y), len(y), X.shape[1]))
