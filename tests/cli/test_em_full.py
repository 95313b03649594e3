#!/usr/bin/python3
"""test_em_full.py - `baiot em --covariance full` (full-covariance Gaussian
mixtures, an extension beyond Weka) against scikit-learn's
GaussianMixture(covariance_type="full"), started from baiot's initial
priors, means and covariances (the "initial" member of --json; precisions_init
= their inverses), with the same reg_covar and max_iter = baiot's iteration
count (tol=0, so scikit-learn runs exactly that many E and M steps).
Compared: the final mean log-likelihood (scikit-learn's score(X)) to 1e-6
relative; priors to 1e-5 relative; means and covariances to 1e-5 relative
to the scale of the entry (means: max(|a|, |b|, sd_j); covariances:
max(|a|, |b|, sd_i sd_j), so near-zero correlations are judged against
their variances); the cluster sizes of the assignment (identical).
Also: 1 and 2 threads give identical JSON; a singular covariance fails with
a clean message; Weka's diagonal JSON has no full-covariance members.

Data: iris (4 columns) and a simulated camera subsample (baiot synth
--devices 5 --scale 0.01, the 10 columns baiot rank ranks first).  The
singular case is the five HH_jit_*_mean columns of that subsample: nearly
collinear jitter means with standard deviations ~6e8, so a 1e-6 ridge is
below the rounding of the covariances and both baiot and scikit-learn find
them not positive definite (checked).  (Until issue 22 the ranked 10 held
those columns and served for it; since the simulator's traffic changed, the
ranked columns at this scale are the MI_dir/H means, exact duplicate
pairs that a 1e-6 ridge keeps barely positive definite.)  The ranked columns
are compared at --reg-covar 1e4, where everything is compared as above.
With --reg-covar 1e-3 the condition numbers can pass double precision (on
the columns ranked before issue 22 they reached ~2e20): the parameters
still agree (to ~1e-8), but the log-determinants may be rounding noise, so
there the log-likelihood is reported, not compared.
The scikit-learn part is skipped (saying so) when sklearn is missing."""
import json
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402

SRC = T.SRC
REL_LL = 1e-6
REL_PAR = 1e-5

try:
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture
    HAVE_SKLEARN = True
except ImportError:
    HAVE_SKLEARN = False


def rel(a, b, scale):
    return 0.0 if a == b else abs(a - b) / max(abs(a), abs(b), scale)


def compare(label, data, em_args, csv, check_ll=True):
    args = ["em", data] + em_args + ["--covariance", "full", "--json"]
    j1 = T.out(args + ["--threads", "1"])
    j2 = T.out(args + ["--threads", "2"])
    T.expect("%s: 1 and 2 threads give the same JSON" % label, j1 == j2)
    j = json.loads(j1)
    k, iters = j["clusters"], j["iterations"]
    T.expect("%s: full-covariance members present" % label,
           j.get("covariance") == "full" and len(j["covariances"]) == k and "initial" in j)
    print("  %s: %d clusters, %d iterations, reg_covar %g, log-likelihood %.17g"
          % (label, k, iters, j["reg_covar"], j["log_likelihood"]))
    if not HAVE_SKLEARN:
        return
    X = np.loadtxt(csv, delimiter=",", skiprows=1, ndmin=2)
    ini = j["initial"]
    prec = np.array([np.linalg.inv(np.array(c)) for c in ini["covariances"]])
    gm = GaussianMixture(n_components=k, covariance_type="full", reg_covar=j["reg_covar"], max_iter=iters, tol=0.0,
                         weights_init=np.array(ini["priors"]), means_init=np.array(ini["means"]),
                         precisions_init=prec, init_params="random_from_data", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(X)
    T.expect("%s: scikit-learn ran %d iterations" % (label, iters), gm.n_iter_ == iters, "(%d)" % gm.n_iter_)
    ll = gm.score(X)
    e = rel(ll, j["log_likelihood"], 0)
    if check_ll:
        T.expect("%s: log-likelihood (sklearn %.17g, rel. error %.2g)" % (label, ll, e), e <= REL_LL)
    else:
        print("  %s: log-likelihood not compared (ill-conditioned): sklearn %.17g, rel. difference %.2g"
              % (label, ll, e))
    e = max(rel(a, b, 0) for a, b in zip(gm.weights_, j["priors"]))
    T.expect("%s: priors (worst rel. error %.2g)" % (label, e), e <= REL_PAR)
    means, cov = np.array(j["means"]), np.array(j["covariances"])
    sd = np.sqrt(np.array([np.diag(c) for c in cov]))
    e = max(rel(gm.means_[c, a], means[c, a], sd[c, a]) for c in range(k) for a in range(X.shape[1]))
    T.expect("%s: means (worst rel. error %.2g)" % (label, e), e <= REL_PAR)
    e = max(rel(gm.covariances_[c, a, b], cov[c, a, b], sd[c, a] * sd[c, b])
            for c in range(k) for a in range(X.shape[1]) for b in range(X.shape[1]))
    T.expect("%s: covariances (worst rel. error %.2g)" % (label, e), e <= REL_PAR)
    sizes = np.bincount(gm.predict(X), minlength=k).tolist()
    T.expect("%s: cluster sizes %s" % (label, sizes), sizes == j["clustered"], "(baiot %s)" % j["clustered"])


def body(tmp):
    if not HAVE_SKLEARN:
        print("skip: scikit-learn is not installed: the comparison with GaussianMixture is not checked")
    iris = os.path.join(SRC, "tests/data/weka/iris.arff")
    iris_csv = os.path.join(tmp, "iris.csv")
    T.out(["export", iris, "--csv", "--no-class", "-o", iris_csv])
    compare("iris -N 3", iris, ["--clusters", "3"], iris_csv)
    text = T.out(["em", iris, "--clusters", "3", "--covariance", "full", "--classes-to-clusters"])
    T.expect("iris: printed model and classes to clusters",
             "EM (full covariance)" in text and "Incorrectly clustered instances" in text)
    diag = json.loads(T.out(["em", iris, "--clusters", "3", "--json"]))
    T.expect("iris: Weka's diagonal JSON unchanged (no full-covariance members)", "covariance" not in diag)

    store = os.path.join(tmp, "s.h5")
    sel = os.path.join(tmp, "sel.txt")
    cam_csv = os.path.join(tmp, "cam.csv")
    T.out(["synth", "-q", "--devices", "5", "--scale", "0.01", "-o", store])
    T.out(["rank", store, "--top", "10", "-o", sel])
    T.out(["export", store, "--csv", "--no-class", "--columns", "@" + sel, "-o", cam_csv])
    jit = ",".join("HH_jit_L%s_mean" % lam for lam in ("5", "3", "1", "0.1", "0.01"))
    p = T.run("em", store, "--columns", jit, "--covariance", "full", "--clusters", "3", "--json", timeout=None)
    T.expect("camera: HH_jit means, reg_covar 1e-6 fails cleanly (singular covariance)",
             p.rc != 0 and "not positive definite" in p.err, p.err)
    cols = ["--columns", "@" + sel, "--clusters", "3"]
    compare("camera 10 columns -N 3 reg 1e4", store, cols + ["--reg-covar", "1e4"], cam_csv)
    compare("camera 10 columns -N 3 reg 1e-3", store, cols + ["--reg-covar", "1e-3"], cam_csv, check_ll=False)


if __name__ == "__main__":
    T.main("em-full", body)
