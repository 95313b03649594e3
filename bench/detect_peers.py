#!/usr/bin/python3
"""detect_peers.py - `baiot detect` beside its peers on one device, under
the same protocol (docs/DETECTION.md): the split (benign rows in store
order cut in thirds: DStrn, DSopt, DStst's benign third; DStst also holds
every attack row; DStrn's warm-up rows, as baiot's report gives them, not
learnt from), the scaling (baiot's detector.model: DStrn mean and sd,
values clipped to +-clip), tr* = mean + population sd of the DSopt scores,
ws* = the smallest majority-vote window without a false alarm on DSopt,
and the rates on DStst per kind.

Peers (each timed for fit and for scoring DStst):
- PyTorch 1.13 (python3-torch): the same autoencoder (115-87-58-38-29-
  38-58-87-115, tanh, linear output, float64, plain SGD, MSE), the same
  learning rate, batch size, epochs and thread count, the same
  initialisation scheme (Glorot uniform, zero biases) drawn from its own
  random stream, its own shuffles.  Its training curve (DStrn
  loss as the rows were met, DSopt MSE after each epoch) is printed beside
  baiot's, with the time per epoch.
- scikit-learn IsolationForest (100 trees), OneClassSVM (RBF, gamma
  'scale', nu 0.01, fitted on at most OCSVM_ROWS DStrn rows: its fit is
  quadratic in rows) and LocalOutlierFactor(novelty=True, 20 neighbours);
  score = minus score_samples.  Skipped with BENCH_SKLEARN=0 in the
  environment.

Usage: detect_peers.py STORE DEVICE BAIOT_REPORT_DIR THREADS   (STORE: one device)
(bench/detect makes the store and the report; figures in
docs/PERFORMANCE.md and docs/DETECTION.md)."""
import json
import os
import sys
import time

import numpy as np

OCSVM_ROWS = 10000


def load(store, model):
    """The store's rows (a store of one device, as bench/detect makes it)
    in the model's column order, and their attack codes."""
    import h5py
    names = [c['name'] for c in model['columns']]
    with h5py.File(store, 'r') as f:
        X = np.column_stack([f['features'][c][:] for c in names])
        att = f['labels/attack'][:]
    return X, att


ATTACKS = ['benign', 'gafgyt_combo', 'gafgyt_junk', 'gafgyt_scan', 'gafgyt_tcp', 'gafgyt_udp', 'mirai_ack',
           'mirai_scan', 'mirai_syn', 'mirai_udp', 'mirai_udpplain']  # the store's attack codes (nbaiot_names.c)


def kind_names(att):
    return np.array(ATTACKS, dtype=object)[att]


def window_alarms(flags, ws):
    if len(flags) < ws:
        return 0, 0
    c = np.concatenate([[0], np.cumsum(flags)])
    s = c[ws:] - c[:-ws]
    return int((2 * s > ws).sum()), len(s)


def protocol(score_opt, score_tst, kinds_tst, max_ws=1000):
    tr = score_opt.mean() + score_opt.std()
    f_opt = (score_opt > tr).astype(np.int64)
    ws = None
    for w in range(1, min(max_ws, len(f_opt)) + 1):
        if window_alarms(f_opt, w)[0] == 0:
            ws = w
            break
    qualified = ws is not None
    if ws is None:
        ws = max_ws
    res = {}
    for k in dict.fromkeys(kinds_tst):
        s = score_tst[kinds_tst == k]
        fl = (s > tr).astype(np.int64)
        a, n = window_alarms(fl, ws)
        res[k] = (fl.mean() if len(fl) else float('nan'), a / n if n else float('nan'))
    return tr, ws, qualified, res


def summarise(name, fit_s, score_s, tr, ws, q, res):
    ben = res.get('benign', (float('nan'),) * 2)
    att = [v for k, v in res.items() if k != 'benign']
    det = sum(1 for v in att if v[1] > 0)
    print('| %s | %.1f | %.2f | %.4g | %d%s | %.4f | %.4f | %.4f | %.4f | %d of %d |' % (
        name, fit_s, score_s, tr, ws, '' if q else ' (none free)', ben[0], ben[1], min(v[0] for v in att),
        min(v[1] for v in att), det, len(att)))


def torch_ae(xt, xo, xs, lr, batch, epochs, threads, seed=1):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    d = xt.shape[1]
    enc = [d] + [-(-d * p // 100) for p in (75, 50, 33, 25)]
    sizes = enc + enc[-2::-1]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]).double())
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh())
    net = torch.nn.Sequential(*layers)
    for m in net:  # baiot's initialisation scheme (Glorot uniform, zero biases), PyTorch's own random stream
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    T = torch.from_numpy(xt)
    O = torch.from_numpy(xo)
    curve, times = [], []
    g = torch.Generator().manual_seed(seed)
    for e in range(epochs):
        t0 = time.time()
        perm = torch.randperm(len(T), generator=g)
        tot = 0.0
        for b in range(0, len(T), batch):
            xb = T[perm[b:b + batch]]
            loss = torch.nn.functional.mse_loss(net(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        times.append(time.time() - t0)
        with torch.no_grad():
            mo = ((net(O) - O) ** 2).mean().item()
        curve.append((tot / len(T), mo))

    def score(x):
        with torch.no_grad():
            X = torch.from_numpy(x)
            return ((net(X) - X) ** 2).mean(1).numpy()
    t0 = time.time()
    so, ss = score(xo), score(xs)
    return curve, times, so, ss, time.time() - t0


def main():
    store, device, rep, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    report = json.load(open(os.path.join(rep, 'detect.json')))
    model = json.load(open(os.path.join(rep, 'detector.model')))
    X, att = load(store, model)
    kinds = kind_names(att)
    sc = model['model']['scaling']
    mean, sd, clip = np.array(sc['mean']), np.array(sc['sd']), sc['clip']
    Z = np.where(sd > 0, (X - mean) / np.where(sd > 0, sd, 1), 0.0)
    np.clip(Z, -clip, clip, out=Z)
    ben = np.nonzero(kinds == 'benign')[0]
    third = len(ben) // 3
    sp = report['split']
    warm = sp['warmup']['rows']  # DStrn's oldest rows baiot left out of the fit: the peers leave them out too
    trn, opt = ben[warm:third], ben[third:2 * third]
    tst = np.sort(np.concatenate([ben[2 * third:3 * third], np.nonzero(kinds != 'benign')[0]]))
    assert third == sp['dstrn'] and len(trn) == sp['warmup']['fit_rows'] and len(tst) == sp['dstst'], (
        third, len(tst), sp)
    xt, xo, xs, ks = Z[trn], Z[opt], Z[tst], kinds[tst]
    m = report['method']
    print('device %s: DStrn %d, DSopt %d, DStst %d rows; %d threads' % (device, len(trn), len(opt), len(tst), threads))
    print('\n| method | fit s | score DStst s | tr* | ws* | FPR rows | FPR windows | min TPR rows | min TPR windows '
          '| attacks detected |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
    kk = report['evaluation']['kinds']
    ben_k = [k for k in kk if k['benign']][0]
    att_k = [k for k in kk if not k['benign']]
    print('| baiot %s | %.1f | %.2f | %.4g | %d | %.4f | %.4f | %.4f | %.4f | %d of %d |' % (
        m['name'], report['timings']['train_seconds'], report['timings']['score_seconds'], report['threshold'],
        report['window'], ben_k['row_rate'], ben_k['window_rate'], min(k['row_rate'] for k in att_k),
        min(k['window_rate'] for k in att_k), sum(1 for k in att_k if k['alarming_windows'] > 0), len(att_k)))
    if m['name'] == 'autoencoder':
        try:
            curve, times, so, ss, st = torch_ae(xt, xo, xs, m['learning_rate'], m['batch'], m['epochs'], threads)
            tr, ws, q, res = protocol(so, ss, ks)
            summarise('PyTorch 1.13 autoencoder', sum(times), st, tr, ws, q, res)
            bc = m['training_curve']
            print('\nper epoch: baiot %s s (training + DSopt MSE, from detect.json train_seconds / epochs), '
                  'PyTorch %.4f s (median, training only)' % (
                      '%.4f' % (report['timings']['train_seconds'] / m['epochs_run']), float(np.median(times))))
            print('\n| epoch | baiot DStrn MSE | baiot DSopt MSE | PyTorch DStrn MSE | PyTorch DSopt MSE |\n'
                  '|---:|---:|---:|---:|---:|')
            n = len(curve)
            for e in sorted({0, 1, 2, 4, 9, 19, 49, 99, 199, 299, 499, n - 1} & set(range(n))):
                print('| %d | %.6f | %.6f | %.6f | %.6f |' % (e + 1, bc['dstrn_mse'][e], bc['dsopt_mse'][e],
                                                           curve[e][0], curve[e][1]))
        except ImportError:
            print('PyTorch (python3-torch) is not installed: skipped')
    if os.environ.get('BENCH_SKLEARN', '1') == '0':
        print('scikit-learn peers skipped (BENCH_SKLEARN=0)')
        return
    try:
        from sklearn.ensemble import IsolationForest
        from sklearn.neighbors import LocalOutlierFactor
        from sklearn.svm import OneClassSVM
    except ImportError:
        print('scikit-learn is not installed: peers skipped')
        return
    peers = [('scikit-learn IsolationForest', lambda: IsolationForest(n_estimators=100, random_state=0,
                                                                      n_jobs=threads), xt),
             ('scikit-learn OneClassSVM (%d DStrn rows)' % min(OCSVM_ROWS, len(xt)),
              lambda: OneClassSVM(gamma='scale', nu=0.01), xt[np.linspace(0, len(xt) - 1,
                                                                           min(OCSVM_ROWS, len(xt))).astype(int)]),
             ('scikit-learn LocalOutlierFactor', lambda: LocalOutlierFactor(n_neighbors=20, novelty=True,
                                                                            n_jobs=threads), xt)]
    print()
    for name, make, fit_rows in peers:
        t0 = time.time()
        est = make().fit(fit_rows)
        fit_s = time.time() - t0
        t0 = time.time()
        so, ss = -est.score_samples(xo), -est.score_samples(xs)
        score_s = time.time() - t0
        tr, ws, q, res = protocol(so, ss, ks)
        summarise(name, fit_s, score_s, tr, ws, q, res)


if __name__ == '__main__':
    main()
