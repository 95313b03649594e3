#!/usr/bin/python3
"""bench/peers.py JOB ... - the Python peers of bench/run, one job per call.

Every job loads its rows and columns from a baiot store (h5py; the same
doubles the engine reads), times only the peer's own work with
time.perf_counter (loading is reported apart as load_s), and prints one JSON
object on stdout: {"seconds": ..., <the job's figures>}.  A peer that is not
installed prints {"skipped": "..."} and exits 0: bench/run reports it as
skipped, never as a figure.

Jobs:
  pandas_ingest CSV...                      pandas.read_csv(float_precision="round_trip")
  dt_tree   STORE --task T [--columns @F]   sklearn DecisionTreeClassifier(entropy) on all rows
  xgb_tree  STORE --task T [--columns @F]   XGBoost hist, one boosting round, no depth limit
  dt_cv     STORE FOLDS --task T [--columns @F]   the same 10 Weka folds + the tree on all rows
  dt_predict STORE --task T [--columns @F]  the tree on all rows (not timed), then predict all rows
  gmm       STORE [--columns @F] [--k 3]    GaussianMixture(diag), per iteration and total
"""
import argparse
import json
import sys
import time


def out(d):
    print(json.dumps(d))
    sys.exit(0)


def need(mod, pkg):
    try:
        return __import__(mod, fromlist=["_"])
    except ImportError:
        out({"skipped": "%s is not installed (Debian %s; scripts/install-bench-peers)" % (mod, pkg)})


def load(store, task, columns):
    h5py = need("h5py", "python3-h5py")
    np = need("numpy", "python3-numpy")
    t = time.perf_counter()
    f = h5py.File(store, "r")
    names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["feature_names"]]
    if columns:
        if columns.startswith("@"):
            cols = [l.strip() for l in open(columns[1:]) if l.strip() and not l.startswith("#")]
        else:
            cols = columns.split(",")
    else:
        cols = names
    X = np.empty((f["features"][cols[0]].shape[0], len(cols)), dtype=np.float64)
    for j, c in enumerate(cols):
        X[:, j] = f["features"][c][:]
    y = None
    if task:
        y = f["labels"]["attack" if task == "11class" else "family"][:].astype(np.int64)
    return X, y, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("job")
    ap.add_argument("args", nargs="*")
    ap.add_argument("--task", default="3class")
    ap.add_argument("--columns")
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--nthread", type=int, default=2)
    a = ap.parse_args()

    if a.job == "pandas_ingest":
        pd = need("pandas", "python3-pandas")
        t = time.perf_counter()
        rows = 0
        for p in a.args:
            rows += len(pd.read_csv(p, float_precision="round_trip"))
        out({"seconds": time.perf_counter() - t, "rows": rows, "version": pd.__version__})

    if a.job in ("dt_tree", "dt_cv", "dt_predict"):
        tree = need("sklearn.tree", "python3-sklearn")
        import sklearn
        X, y, load_s = load(a.args[0], a.task, a.columns)
        DT = tree.DecisionTreeClassifier
        if a.job == "dt_tree":
            t = time.perf_counter()
            m = DT(criterion="entropy", random_state=0).fit(X, y)
            dt = time.perf_counter() - t
            out({"seconds": dt, "load_s": load_s, "leaves": int(m.get_n_leaves()), "depth": int(m.get_depth()),
                 "rows": len(y), "columns": X.shape[1], "version": sklearn.__version__})
        if a.job == "dt_predict":
            m = DT(criterion="entropy", random_state=0).fit(X, y)
            t = time.perf_counter()
            p = m.predict(X)
            dt = time.perf_counter() - t
            out({"seconds": dt, "load_s": load_s, "rows_per_s": len(y) / dt,
                 "accuracy": 100.0 * float((p == y).mean()), "leaves": int(m.get_n_leaves()),
                 "version": sklearn.__version__})
        np = need("numpy", "python3-numpy")
        fold = np.loadtxt(a.args[1], delimiter=",", skiprows=1, dtype=np.int64)[:, 1]
        k = int(fold.max()) + 1
        t = time.perf_counter()
        correct = 0
        for q in range(k):
            tr, te = fold != q, fold == q
            m = DT(criterion="entropy", random_state=0).fit(X[tr], y[tr])
            correct += int((m.predict(X[te]) == y[te]).sum())
        m = DT(criterion="entropy", random_state=0).fit(X, y)
        dt = time.perf_counter() - t
        out({"seconds": dt, "load_s": load_s, "accuracy": 100.0 * correct / len(y), "folds": k,
             "leaves": int(m.get_n_leaves()), "version": sklearn.__version__})

    if a.job == "xgb_tree":
        xgb = need("xgboost", "python3-xgboost")
        np = need("numpy", "python3-numpy")
        X, y, load_s = load(a.args[0], a.task, a.columns)
        # labels as 0..n-1 (a subset of the classes may be present)
        classes, yy = np.unique(y, return_inverse=True)
        t = time.perf_counter()
        d = xgb.DMatrix(X, label=yy, nthread=a.nthread)
        params = {"tree_method": "hist", "grow_policy": "lossguide", "max_depth": 0, "max_leaves": 0,
                  "min_child_weight": 0, "learning_rate": 1.0, "nthread": a.nthread}
        if len(classes) > 2:
            params.update(objective="multi:softmax", num_class=len(classes))
        else:
            params.update(objective="binary:logistic")
        b = xgb.train(params, d, num_boost_round=1)
        dt = time.perf_counter() - t
        p = b.predict(d)
        if len(classes) <= 2:
            p = (p > 0.5).astype(np.int64)
        leaves = sum(s.count("leaf=") for s in b.get_dump())
        out({"seconds": dt, "load_s": load_s, "train_accuracy": 100.0 * float((p.astype(np.int64) == yy).mean()),
             "leaves": leaves, "trees": len(b.get_dump()), "nthread": a.nthread, "version": xgb.__version__})

    if a.job == "gmm":
        mixture = need("sklearn.mixture", "python3-sklearn")
        import sklearn
        X, _, load_s = load(a.args[0], None, a.columns)
        t = time.perf_counter()
        g = mixture.GaussianMixture(n_components=a.k, covariance_type="diag", max_iter=100, tol=1e-6,
                                    random_state=100).fit(X)
        dt = time.perf_counter() - t
        # the start (k-means) alone, to split the total into start + iterations
        t = time.perf_counter()
        mixture.GaussianMixture(n_components=a.k, covariance_type="diag", max_iter=1, tol=1e-6,
                                random_state=100).fit(X)
        d1 = time.perf_counter() - t
        it = int(g.n_iter_)
        per = (dt - d1) / (it - 1) if it > 1 else dt
        out({"seconds": dt, "load_s": load_s, "iterations": it, "per_iteration_s": per,
             "log_likelihood": float(g.score(X)), "converged": bool(g.converged_), "version": sklearn.__version__})

    out({"skipped": "unknown job " + a.job})


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main()
