#!/usr/bin/python3
"""test_extractor_invariants - relations between the 115 columns that hold in
the real N-BaIoT rows must hold in the rows of baiot's extractor too.

Data sets:
- real: the two original UCI files Provision_PT_737E_Security_Camera/
  gafgyt_attacks/{tcp,udp}.csv (104,510 and 104,011 rows), read straight
  from the zips in $BAIOT_SHARED/data/nbaiot/real (never copied); that half
  is skipped, saying so, when they are absent;
- simulated, whose rows come from the extractor (io/capture/afterimage.c):
  `baiot synth --devices 5 --scale 0.05` (the camera in all 11 situations)
  and `baiot synth --devices 4 --attack benign` (Philips_B120N10_Baby_Monitor
  benign at full size, 175,240 packets: a long capture, where streams come
  back after idling for over an hour and the extractor's idle sweep runs).

Invariants (asserted on every data set; the fractions seen are printed):
 (i)   MI_dir_* == H_* (all 15 columns) in >= 95% of the rows: the two
       streams are the same whenever one MAC maps to one IP;
 (ii)  a row whose MI_dir stream is new (MI_dir_L0.01_weight == 1.0) has
       weight 1.0, variance 0 and one mean at all five lambdas, and that
       mean is the frame size (a whole number >= 60);
 (iii) HH/HpHp: magnitude >= mean and radius >= std^2 (1e-9 relative):
       magnitude = sqrt(mean_A^2 + mean_B^2), radius = sqrt(var_A^2 + var_B^2);
 (iv)  a row whose channel is new (HH_jit_L0.01_weight == 1.0) has HH_jit
       weight 1.0, variance 0 and one mean at all lambdas, and that mean is
       the packet's absolute time (1.4e9 < t < 1.6e9: 2014..2020); the
       channel is new for HH_jit exactly when it is new for HH
       (HH_L0.01_weight == 1.0), both being keyed by srcIP -> dstIP;
 (v)   every weight column (MI_dir, H, HH, HH_jit, HpHp at 5 lambdas) is
       >= 1: the row's own packet was just added with weight 1;
 (vi)  every value is finite; every column but *_covariance and *_pcc is
       >= 0; pcc is 0 where the row's std is 0, and a non-zero pcc has the
       sign of the covariance (pcc = cov / (std_A std_B), or 0 when std_B,
       which is not a column, is 0).
       pcc is NOT bounded by [-1, 1]: Kitsune's covariance is a damped
       residual product with its own weight, not the covariance behind the
       two stds, and the real benign rows reach pcc = -1.69 and 2.81
       (nbaiot/reference/{min,max}_first5000_benign_all_devices.txt, read
       and shown here when present).  The two camera flood files happen to
       stay within [-0.55, 0.89]; the |pcc| > 1 counts are printed.
"""
import io
import os
import sys
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
import baiot_testlib as T  # noqa: E402
import make_nbaiot_csv as G  # noqa: E402

DEV = 'Provision_PT_737E_Security_Camera'
REAL = {'tcp': (DEV + '.gafgyt.tcp.zip', 'tcp.csv', 104510), 'udp': (DEV + '.gafgyt.udp.zip', 'udp.csv', 104011)}
LAMBDAS = ['5', '3', '1', '0.1', '0.01']
COL = {n: j for j, n in enumerate(G.FEATURES)}

np = h5py = None


def c(X, name):
    return X[:, COL[name]]


def frac(ok):
    return float(ok.mean()) if ok.size else float('nan')


# ------------------------------------------------------------------ data

def load_real():
    """{'real tcp': X, 'real udp': X} or {} (with a note) when absent."""
    shared = T.shared_dir()
    real = os.path.join(shared, 'data', 'nbaiot', 'real') if shared else None
    if not real or not all(os.path.isfile(os.path.join(real, z)) for z, _, _ in REAL.values()):
        print('note: the real N-BaIoT zips are absent (BAIOT_SHARED=%r has no data/nbaiot/real/%s): '
              'the real-data half is skipped' % (os.environ.get('BAIOT_SHARED'), REAL['tcp'][0]))
        return {}
    out = {}
    for att, (zname, member, rows) in REAL.items():
        with zipfile.ZipFile(os.path.join(real, zname)) as z, z.open(member) as f:
            head = f.readline().decode().strip().split(',')
            T.check(head == G.FEATURES, '%s: header is not the 115 N-BaIoT names' % zname)
            X = np.loadtxt(io.TextIOWrapper(f, encoding='ascii'), delimiter=',', dtype=np.float64)
        T.check(X.shape == (rows, 115), '%s: %r, want (%d, 115)' % (zname, X.shape, rows))
        out['real ' + att] = X
    return out


def load_reference():
    """(min, max) arrays of the real benign reference table, or None."""
    shared = T.shared_dir()
    ref = os.path.join(shared, 'data', 'nbaiot', 'reference') if shared else None
    paths = [os.path.join(ref, '%s_first5000_benign_all_devices.txt' % k) for k in ('min', 'max')] if ref else []
    if not paths or not all(os.path.isfile(p) for p in paths):
        return None
    lo, hi = (np.loadtxt(p, dtype=np.float64) for p in paths)
    T.check(lo.shape == hi.shape == (115,), 'reference min/max: shapes %r %r' % (lo.shape, hi.shape))
    return lo, hi


def load_sim(tmp, name, *args):
    """Runs `baiot synth ARGS` into tmp/NAME; returns (rows x 115, attack names, per-row attack codes)."""
    path = os.path.join(tmp, name)
    T.ok('synth', *args, '-o', path, '-q')
    with h5py.File(path, 'r') as f:
        n = f['/features'][G.FEATURES[0]].shape[0]
        X = np.empty((n, 115), dtype=np.float64)
        for j, feat in enumerate(G.FEATURES):
            X[:, j] = f['/features'][feat][:]
        atts = [a.decode() if isinstance(a, bytes) else str(a) for a in f.attrs['attack_names']]
        la = np.asarray(f['/labels/attack'][:])
    os.remove(path)
    return X, atts, la


# ------------------------------------------------------------ invariants

def inv_i(X):
    same = np.ones(len(X), dtype=bool)
    for lam in LAMBDAS:
        for s in ('weight', 'mean', 'variance'):
            same &= c(X, 'MI_dir_L%s_%s' % (lam, s)) == c(X, 'H_L%s_%s' % (lam, s))
    return same


def inv_ii(X):
    """(rows with a new MI_dir stream, of them the ones that fit, of them the stale ones).

    A row whose L0.01 weight is exactly 1.0 is a new stream, or an old one
    idle so long (over 5,300 s) that its decayed weight is below half an ulp
    of 1: its L0.01 mean and variance then keep a residue of about 1e-16
    relative.  The L5 statistics of both are exact (2^-26500 is 0)."""
    new = c(X, 'MI_dir_L0.01_weight') == 1.0
    Y = X[new]
    m0 = c(Y, 'MI_dir_L5_mean')
    ok = (m0 == np.floor(m0)) & (m0 >= 60) & (c(Y, 'MI_dir_L5_variance') == 0.0)
    exact = np.ones(len(Y), dtype=bool)
    for lam in LAMBDAS:
        m, v = c(Y, 'MI_dir_L%s_mean' % lam), c(Y, 'MI_dir_L%s_variance' % lam)
        ok &= c(Y, 'MI_dir_L%s_weight' % lam) == 1.0
        ok &= (np.abs(m - m0) <= 1e-12 * m0) & (v <= 1e-9 * m0 * m0)
        exact &= (m == m0) & (v == 0.0)
    return new, ok, ~exact


def inv_iii(X):
    """{family: (bad magnitude cells, bad radius cells)}."""
    out = {}
    for fam in ('HH', 'HpHp'):
        bm = br = 0
        for lam in LAMBDAS:
            mag, mean = c(X, '%s_L%s_magnitude' % (fam, lam)), c(X, '%s_L%s_mean' % (fam, lam))
            rad, std = c(X, '%s_L%s_radius' % (fam, lam)), c(X, '%s_L%s_std' % (fam, lam))
            bm += int((mag < mean * (1 - 1e-9)).sum())
            br += int((rad < std * std * (1 - 1e-9)).sum())
        out[fam] = (bm, br)
    return out


def inv_iv(X):
    """(rows with a new channel, of them the ones that fit, of them the stale ones,
    rows where HH and HH_jit disagree on 'new').

    As in (ii), weight 1.0 is also reached by a channel idle over 5,300 s
    (the smallest gap at which 1 + 2^(-0.01 gap) rounds to 1): its HH_jit
    value is then that gap, not an absolute time."""
    new = c(X, 'HH_jit_L0.01_weight') == 1.0
    Y = X[new]
    t0 = c(Y, 'HH_jit_L5_mean')
    fresh = (t0 > 1.4e9) & (t0 < 1.6e9)
    stale = (t0 >= 5300 * (1 - 1e-9)) & (t0 < 1e8)
    ok = fresh | stale
    for lam in LAMBDAS:
        m, v = c(Y, 'HH_jit_L%s_mean' % lam), c(Y, 'HH_jit_L%s_variance' % lam)
        ok &= c(Y, 'HH_jit_L%s_weight' % lam) == 1.0
        ok &= ~fresh | ((m == t0) & (v == 0.0))
        ok &= ~stale | (np.abs(m - t0) <= 1e-9 * t0)
    disagree = new != (c(X, 'HH_L0.01_weight') == 1.0)
    return new, ok, stale, disagree


WEIGHTS = [n for n in G.FEATURES if n.endswith('_weight')]
SIGNED = [n for n in G.FEATURES if n.endswith(('_covariance', '_pcc'))]


def inv_v(X):
    """{family: min weight}, cells below 1."""
    mins = {}
    below = 0
    for n in WEIGHTS:
        fam = n.split('_L')[0]
        v = c(X, n)
        mins[fam] = min(mins.get(fam, np.inf), float(v.min()))
        below += int((v < 1.0).sum())
    return mins, below


def inv_vi(X):
    nonfinite = int((~np.isfinite(X)).sum())
    negative = {n: int((c(X, n) < 0).sum()) for n in G.FEATURES if n not in SIGNED}
    negative = {n: k for n, k in negative.items() if k}
    pcc_zero = pcc_sign = over1 = 0
    pmin, pmax = np.inf, -np.inf
    for fam in ('HH', 'HpHp'):
        for lam in LAMBDAS:
            p = c(X, '%s_L%s_pcc' % (fam, lam))
            cov = c(X, '%s_L%s_covariance' % (fam, lam))
            std = c(X, '%s_L%s_std' % (fam, lam))
            pcc_zero += int(((std == 0) & (p != 0)).sum())
            pcc_sign += int(((p != 0) & (np.sign(p) != np.sign(cov))).sum())
            over1 += int((np.abs(p) > 1 + 1e-9).sum())
            pmin, pmax = min(pmin, float(p.min())), max(pmax, float(p.max()))
    return nonfinite, negative, pcc_zero, pcc_sign, over1, (pmin, pmax)


# ------------------------------------------------------------------- body

def check_set(name, X):
    """Checks (i)-(vi) on one data set; returns its printable figures and the failures."""
    n = len(X)
    fig = {}
    failures = []

    def need(cond, msg):
        T.check(True, '')  # counts the check; failures are collected, so every figure gets printed
        if not cond:
            failures.append(msg)

    same = inv_i(X)
    fig['i'] = 'MI_dir == H in %.4f of %d rows' % (frac(same), n)
    need(frac(same) >= 0.95, '%s (i): MI_dir == H in only %.4f of the rows' % (name, frac(same)))

    new, ok, stale = inv_ii(X)
    fig['ii'] = '%d new MI_dir rows (%d of them an old stream idle > 5300 s), %d fit' % (
        int(new.sum()), int(stale.sum()), int(ok.sum()))
    first = int(np.where(new)[0][np.argmax(~ok)]) if (~ok).any() else -1
    need(ok.all(), '%s (ii): %d of %d rows with a new MI_dir stream break it (first row %d)'
         % (name, int((~ok).sum()), int(new.sum()), first))

    bad = inv_iii(X)
    fig['iii'] = ', '.join('%s: %d magnitude < mean, %d radius < std^2' % (f, b[0], b[1]) for f, b in bad.items())
    need(all(b == (0, 0) for b in bad.values()), '%s (iii): %s' % (name, fig['iii']))

    newj, okj, stalej, disagree = inv_iv(X)
    t = c(X[newj], 'HH_jit_L5_mean')[~stalej]
    fig['iv'] = '%d new channels (%d of them idle > 5300 s), %d fit, %d rows where HH and HH_jit disagree; ' \
        'first times %s' % (int(newj.sum()), int(stalej.sum()), int(okj.sum()), int(disagree.sum()),
                            '%.1f..%.1f' % (t.min(), t.max()) if t.size else '-')
    need(okj.all(), '%s (iv): %d of %d rows with a new channel break it (HH_jit means %r...)'
         % (name, int((~okj).sum()), int(newj.sum()), c(X[newj], 'HH_jit_L5_mean')[~okj][:4].tolist()))
    if disagree.any():
        r = int(np.argmax(disagree))
        need(False, '%s (iv): %d rows where HH and HH_jit disagree on a new channel; first row %d: '
             'HH_L0.01_weight %r, HH_jit_L0.01_weight %r, HH_jit_L0.01_mean %r (a channel idle for over '
             '--idle-cutoff whose HH_jit stream the sweep dropped while its HH pair, kept alive by the other '
             'direction, was not?)' % (name, int(disagree.sum()), r, c(X, 'HH_L0.01_weight')[r],
                                       c(X, 'HH_jit_L0.01_weight')[r], c(X, 'HH_jit_L0.01_mean')[r]))

    mins, below = inv_v(X)
    fig['v'] = 'min weights ' + ', '.join('%s %.17g' % kv for kv in mins.items())
    need(below == 0, '%s (v): %d weight cells below 1: %s' % (name, below, fig['v']))

    nonfinite, negative, pz, ps, over1, (pmin, pmax) = inv_vi(X)
    fig['vi'] = '%d non-finite, %d columns negative, pcc in [%.4g, %.4g], %d cells |pcc| > 1' % (
        nonfinite, len(negative), pmin, pmax, over1)
    need(nonfinite == 0, '%s (vi): %d non-finite values' % (name, nonfinite))
    need(not negative, '%s (vi): negative values in %r' % (name, negative))
    need(pz == 0, '%s (vi): %d cells with std 0 and pcc != 0' % (name, pz))
    need(ps == 0, '%s (vi): %d cells where pcc and covariance differ in sign' % (name, ps))
    return fig, failures


def body(tmp):
    global np, h5py
    try:
        import numpy
        import h5py as _h5py
    except ImportError as e:
        T.skip('numpy and h5py are needed (%s)' % e)
    np, h5py = numpy, _h5py
    t0 = time.time()
    sets = load_real()
    X, atts, la = load_sim(tmp, 'camera.h5', '--devices', '5', '--scale', '0.05')
    T.check(sorted(set(la.tolist())) == list(range(11)), 'simulated camera: situations %r' % sorted(set(la.tolist())))
    sets['sim camera'] = X
    # a long capture: the largest benign file at --scale 1 (175,240 packets over hours), where streams
    # idle for over an hour come back and the extractor's idle sweep (every 65,536 packets) runs
    sets['sim long benign'] = load_sim(tmp, 'long.h5', '--devices', '4', '--attack', 'benign')[0]
    T.check(len(sets['sim long benign']) == 175240, 'Philips benign: %d rows' % len(sets['sim long benign']))
    print('loaded %s in %.1f s' % (', '.join('%s %d rows' % (k, len(v)) for k, v in sets.items()), time.time() - t0))

    ref = load_reference()
    if ref is not None:
        lo, hi = ref
        neg = [n for n in G.FEATURES if lo[COL[n]] < 0]
        T.check(set(neg) <= set(SIGNED), 'real benign reference: negative minimum outside cov/pcc: %r'
                % sorted(set(neg) - set(SIGNED)))
        T.check(min(lo[COL[n]] for n in WEIGHTS) >= 1, 'real benign reference: a weight below 1')
        pl = min(lo[COL[n]] for n in G.FEATURES if n.endswith('_pcc'))
        ph = max(hi[COL[n]] for n in G.FEATURES if n.endswith('_pcc'))
        print('real benign reference (45,000 rows): pcc in [%.4g, %.4g]; negative minima only in %d cov/pcc '
              'columns; weights >= 1' % (pl, ph, len(neg)))

    figs = {}
    failed = []
    for name, data in sets.items():
        figs[name], f = check_set(name, data)
        failed += f
    for inv in ('i', 'ii', 'iii', 'iv', 'v', 'vi'):
        for name in figs:
            print('(%s) %-15s %s' % (inv, name, figs[name][inv]))

    # per situation, simulated: share of MI_dir == H and of new streams/channels
    same = inv_i(X)
    new_mi = c(X, 'MI_dir_L0.01_weight') == 1.0
    new_ch = c(X, 'HH_jit_L0.01_weight') == 1.0
    pc = np.zeros(len(X), dtype=bool)
    for n in G.FEATURES:
        if n.endswith('_pcc'):
            pc |= np.abs(c(X, n)) > 1 + 1e-9
    print('sim camera per situation: rows, MI_dir == H, new MI_dir, new channel, rows with |pcc| > 1')
    for a, name in enumerate(atts):
        m = la == a
        print('  %-15s %6d  %.4f  %.4f  %.4f  %d' % (name, int(m.sum()), frac(same[m]), frac(new_mi[m]),
                                                   frac(new_ch[m]), int(pc[m].sum())))
    if failed:
        T.fail('\n'.join(failed))


if __name__ == '__main__':
    T.main('extractor_invariants', body)
